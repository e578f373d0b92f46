"""Meeting pages: list, detail with agreements and follow-up, and the coordinator's forms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mirps.core import access
from mirps.meetings import selectors, services
from mirps.meetings.forms import AgreementForm, AgreementStatusForm, MeetingForm, NoteForm


def _errors_to_form(form, exc: ValidationError) -> None:
    for field, msgs in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, msgs)


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    actor: access.Actor = request.actor  # type: ignore[attr-defined]
    meetings = selectors.meeting_list(actor=actor)
    return render(request, "meetings/list.html", {"meetings": meetings, "can_manage": actor.can(access.PLAN_MANAGE)})


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    actor: access.Actor = request.actor  # type: ignore[attr-defined]
    actor.require(access.PLAN_MANAGE)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Meeting saved."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "heading": _("New meeting")}, status=422 if form.errors else 200)


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor: access.Actor = request.actor  # type: ignore[attr-defined]
    meeting = selectors.meeting_get(actor=actor, pk=pk)
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "can_manage": actor.can(access.PLAN_MANAGE),
            "followup_ids": selectors.followup_agreement_ids(actor=actor, meeting=meeting),
            "status_form": AgreementStatusForm(),
            "note_form": NoteForm(),
        },
    )


@login_required
@require_POST
def meeting_publish(request: HttpRequest, pk: int) -> HttpResponse:
    actor: access.Actor = request.actor  # type: ignore[attr-defined]
    actor.require(access.PLAN_MANAGE)
    meeting = selectors.meeting_get(actor=actor, pk=pk)
    services.meeting_publish(actor=actor, meeting=meeting, published=request.POST.get("published") == "1")
    messages.success(request, _("Saved."))
    return redirect("meetings:detail", pk=meeting.pk)


@login_required
def agreement_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor: access.Actor = request.actor  # type: ignore[attr-defined]
    actor.require(access.PLAN_MANAGE)
    meeting = selectors.meeting_get(actor=actor, pk=pk)
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_create(actor=actor, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Agreement saved."))
            return redirect("meetings:detail", pk=meeting.pk)
    heading = _("New agreement for “%(title)s”") % {"title": meeting.title}
    return render(request, "meetings/form.html", {"form": form, "heading": heading, "meeting": meeting}, status=422 if form.errors else 200)


def _followup_error(request: HttpRequest, form) -> None:
    for msgs in form.errors.values():
        for m in msgs:
            messages.error(request, m)


@login_required
@require_POST
def agreement_status(request: HttpRequest, pk: int) -> HttpResponse:
    actor: access.Actor = request.actor  # type: ignore[attr-defined]
    agreement = selectors.agreement_get_for_followup(actor=actor, pk=pk)
    form = AgreementStatusForm(request.POST)
    if form.is_valid():
        try:
            services.agreement_status_set(actor=actor, agreement=agreement, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
    if form.errors:
        _followup_error(request, form)
    else:
        messages.success(request, _("Agreement %(n)d updated.") % {"n": agreement.number})
    return redirect(f"{_detail_url(agreement)}#agreement-{agreement.number}")


@login_required
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor: access.Actor = request.actor  # type: ignore[attr-defined]
    agreement = selectors.agreement_get_for_followup(actor=actor, pk=pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.followup_note_add(actor=actor, agreement=agreement, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
    if form.errors:
        _followup_error(request, form)
    else:
        messages.success(request, _("Note added to agreement %(n)d.") % {"n": agreement.number})
    return redirect(f"{_detail_url(agreement)}#agreement-{agreement.number}")


def _detail_url(agreement) -> str:
    return reverse("meetings:detail", args=[agreement.meeting_id])
