"""Pages of the action plan: dashboard, commitments, progress reports, review, periods, export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from mirps.core import access
from mirps.plan import exports, selectors, services
from mirps.plan.forms import (
    CommitmentFilterForm,
    CommitmentForm,
    EvidenceForm,
    EvidenceSizeLimit,
    IndicatorForm,
    PeriodForm,
    ReportForm,
    ReviewForm,
    add_service_errors,
)
from mirps.plan.models import ReportStatus
from mirps.plan.progress import RULE

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _actor(request: HttpRequest) -> access.Actor:
    return request.actor  # type: ignore[attr-defined]


def _plan_id(request: HttpRequest) -> int | None:
    raw = request.GET.get("plan", "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    plan = selectors.plan_current(actor=actor, plan_id=_plan_id(request))
    if plan is None:
        return render(request, "plan/empty.html", {"plans": []})
    board = selectors.dashboard_get(actor=actor, plan=plan)
    return render(
        request, "plan/dashboard.html",
        {"plan": plan, "board": board, "rule": RULE, "chart_data": board.chart_data(),
         "plans": selectors.plan_list(actor=actor), "manage": actor.can(access.PLAN_MANAGE),
         "history": selectors.plan_history(actor=actor, plan=plan, limit=20)},
    )


@login_required
def commitment_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    plan = selectors.plan_current(actor=actor, plan_id=_plan_id(request))
    if plan is None:
        return render(request, "plan/empty.html", {})
    form = CommitmentFilterForm(request.GET, institutions=selectors.filter_choices()["institution"])
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.CommitmentFilters(
        area=data.get("area", ""), pillar=data.get("pillar", ""), institution=data.get("institution", ""),
        status=data.get("status", ""), q=data.get("q", ""), include_inactive=bool(data.get("inactive")),
    )
    rows = selectors.commitment_list(actor=actor, plan=plan, filters=filters)
    return render(request, "plan/commitment_list.html", {
        "plan": plan, "form": form, "rows": rows, "rule": RULE, "manage": actor.can(access.PLAN_MANAGE),
    })


@login_required
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    c = selectors.commitment_get(actor=actor, pk=pk)
    detail = selectors.commitment_detail(actor=actor, commitment=c)
    return render(request, "plan/commitment_detail.html", {
        "d": detail, "c": detail.commitment, "rule": RULE, "manage": actor.can(access.PLAN_MANAGE),
    })


# --- the coordinator's management of the plan ---------------------------------------------------


@login_required
def commitment_new(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require(access.PLAN_MANAGE)
    plan = selectors.plan_current(actor=actor, plan_id=_plan_id(request))
    if plan is None:
        return render(request, "plan/empty.html", {})
    form = CommitmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.changes()
        try:
            c = services.commitment_create(
                actor=actor, plan=plan, co_responsible=list(form.cleaned_data["co_responsible"]), **data,
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("The commitment was created."))
            return redirect("plan:commitment_detail", pk=c.pk)
    return render(request, "plan/commitment_form.html", {"plan": plan, "form": form, "c": None})


@login_required
def commitment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    c = selectors.commitment_get_for_manage(actor=actor, pk=pk)
    form = CommitmentForm(request.POST or None, commitment=c)
    if request.method == "POST" and form.is_valid():
        plan_version = c.plan.version
        try:
            updated = services.commitment_update(
                actor=actor, commitment=c, reason=form.cleaned_data["reason"],
                co_responsible=list(form.cleaned_data["co_responsible"]), **form.changes(),
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            updated.plan.refresh_from_db(fields=["version"])
            if updated.plan.version != plan_version:
                messages.success(request, _("The commitment was re-prioritised: the plan is now version %(v)d.")
                                 % {"v": updated.plan.version})
            else:
                messages.success(request, _("The commitment was saved."))
            return redirect("plan:commitment_detail", pk=c.pk)
    return render(request, "plan/commitment_form.html", {"plan": c.plan, "form": form, "c": c})


@login_required
def indicator_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    c = selectors.commitment_get_for_manage(actor=actor, pk=pk)
    form = IndicatorForm(request.POST or None, initial={"direction": "increase", "source": "reported"})
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_create(actor=actor, commitment=c, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("The indicator was created."))
            return redirect("plan:commitment_detail", pk=c.pk)
    return render(request, "plan/indicator_form.html", {"c": c, "form": form, "indicator": None})


@login_required
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    ind = selectors.indicator_get_for_manage(actor=actor, pk=pk)
    form = IndicatorForm(request.POST or None, indicator=ind)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(actor=actor, indicator=ind, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("The indicator was saved."))
            return redirect("plan:commitment_detail", pk=ind.commitment_id)
    return render(request, "plan/indicator_form.html", {"c": ind.commitment, "form": form, "indicator": ind})


@login_required
@require_POST
def plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    plan = selectors.plan_get_for_manage(actor=actor, pk=pk)
    publish = request.POST.get("published", "1") == "1"
    services.plan_publish(actor=actor, plan=plan, published=publish)
    if publish:
        messages.success(request, _("The plan is published: its progress is on the public page."))
    else:
        messages.success(request, _("The plan was taken off the public page."))
    return redirect(f"{reverse('plan:dashboard')}?plan={plan.pk}")


@login_required
def report_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    c = selectors.commitment_get_for_report(actor=actor, pk=pk)
    detail = selectors.commitment_detail(actor=actor, commitment=c)
    indicators = [r.indicator for r in detail.indicators]
    form = ReportForm(request.POST or None, indicators=indicators, periods=detail.open_periods,
                      initial={"commitment_status": c.status if c.status != "reprioritised" else "in_progress"})
    if request.method == "POST" and form.is_valid():
        period = next((p for p in detail.open_periods if str(p.pk) == form.cleaned_data["period"]), None)
        try:
            if period is None:
                raise ValidationError({"period": [_("Choose an open reporting period.")]})
            report = services.report_create(
                actor=actor, commitment=c, period=period, commitment_status=form.cleaned_data["commitment_status"],
                narrative=form.cleaned_data["narrative"], values=form.value_inputs(),
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("The draft report was saved. Add evidence and submit it when ready."))
            return redirect("plan:report_edit", pk=report.pk)
    return render(request, "plan/report_form.html", {"c": c, "form": form, "report": None,
                                                     "no_period": not detail.open_periods})


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    report = selectors.report_get(actor=actor, pk=pk)
    writable = selectors.commitment_writable(actor=actor, commitment=report.commitment)
    values = list(report.values.select_related("indicator").order_by("indicator_id", "breakdown"))
    return render(request, "plan/report_detail.html", {
        "report": report, "c": report.commitment, "values": values, "evidence": list(report.evidence.all()),
        "writable": writable, "manage": actor.can(access.PLAN_MANAGE),
        "editable": writable and report.status in services.EDITABLE,
        "correctable": writable and report.status == ReportStatus.APPROVED
        and not report.__class__.objects.filter(supersedes=report).exists(),
    })


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    report = selectors.report_get_for_edit(actor=actor, pk=pk)
    if report.status not in services.EDITABLE:
        return redirect("plan:report_detail", pk=report.pk)
    indicators = list(report.commitment.indicators.all())
    form = ReportForm(request.POST or None, indicators=indicators, initial=ReportForm.initial_from(report))
    if request.method == "POST" and form.is_valid():
        try:
            services.report_update(
                actor=actor, report=report, commitment_status=form.cleaned_data["commitment_status"],
                narrative=form.cleaned_data["narrative"], values=form.value_inputs(),
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("The report was saved."))
            return redirect("plan:report_edit", pk=report.pk)
    return render(request, "plan/report_form.html", {
        "c": report.commitment, "form": form, "report": report, "evidence": list(report.evidence.all()),
        "evidence_form": EvidenceForm(),
    })


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    report = selectors.report_get_for_edit(actor=actor, pk=pk)
    try:
        services.report_submit(actor=actor, report=report)
    except ValidationError as e:
        for m in e.messages:
            messages.error(request, m)
        return redirect("plan:report_edit", pk=report.pk)
    messages.success(request, _("The report was submitted to the national coordinator."))
    return redirect("plan:report_detail", pk=report.pk)


@login_required
@require_POST
def report_correct(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    report = selectors.report_get_for_edit(actor=actor, pk=pk)
    try:
        new = services.report_correct(actor=actor, report=report)
    except ValidationError as e:
        for m in e.messages:
            messages.error(request, m)
        return redirect("plan:report_detail", pk=report.pk)
    messages.success(request, _("A correction was started; the approved report counts until it is approved."))
    return redirect("plan:report_edit", pk=new.pk)


@csrf_exempt  # the upload handler must be installed before the body is read; CSRF is checked just below
@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    request.upload_handlers.insert(0, EvidenceSizeLimit(request))
    return _evidence_upload(request, pk)


@csrf_protect
def _evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    report = selectors.report_get_for_edit(actor=actor, pk=pk)
    files = request.FILES  # parse the body now, through the size limit
    if getattr(request, "evidence_too_big", False):
        messages.error(request, _("The file is too large; the limit is 10 MB."))
        return redirect("plan:report_edit", pk=report.pk)
    form = EvidenceForm(request.POST, files)
    if form.is_valid():
        try:
            services.evidence_add(actor=actor, report=report, upload=form.cleaned_data["file"])
        except ValidationError as e:
            for m in e.messages:
                messages.error(request, m)
        else:
            messages.success(request, _("The evidence file was added."))
    else:
        for errs in form.errors.values():
            for m in errs:
                messages.error(request, m)
    return redirect("plan:report_edit", pk=report.pk)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    ev = selectors.evidence_get(actor=_actor(request), pk=pk)
    try:
        fh = ev.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(fh, as_attachment=True, filename=ev.original_name, content_type=ev.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def evidence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    ev = selectors.evidence_get(actor=actor, pk=pk)
    report = selectors.report_get_for_edit(actor=actor, pk=ev.report_id)
    try:
        services.evidence_remove(actor=actor, evidence=ev)
    except ValidationError as e:
        for m in e.messages:
            messages.error(request, m)
    return redirect("plan:report_edit", pk=report.pk)


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    reports = selectors.review_queue(actor=_actor(request))
    return render(request, "plan/review_queue.html", {"reports": reports})


@login_required
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    actor.require(access.PLAN_MANAGE)
    report = selectors.report_get(actor=actor, pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                services.report_approve(actor=actor, report=report, comment=form.cleaned_data["comment"])
                messages.success(request, _("The report was approved."))
            else:
                services.report_return(actor=actor, report=report, comment=form.cleaned_data["comment"])
                messages.success(request, _("The report was returned to its institution."))
        except ValidationError as e:
            for field, ms in e.message_dict.items():
                for m in ms:
                    form.add_error("comment" if field == "review_comment" else None, m)
        else:
            return redirect("plan:review_queue")
    values = list(report.values.select_related("indicator").order_by("indicator_id", "breakdown"))
    return render(request, "plan/report_review.html", {
        "report": report, "c": report.commitment, "values": values, "evidence": list(report.evidence.all()),
        "form": form,
    })


@login_required
def periods(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require(access.PLAN_MANAGE)
    plan = selectors.plan_current(actor=actor, plan_id=_plan_id(request))
    if plan is None:
        return render(request, "plan/empty.html", {})
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.period_create(actor=actor, plan=plan, **form.cleaned_data)
        except ValidationError as e:
            for field, ms in e.message_dict.items():
                for m in ms:
                    form.add_error(field if field in form.fields else None, m)
        else:
            messages.success(request, _("The reporting period was created."))
            return redirect("plan:periods")
    return render(request, "plan/periods.html", {
        "plan": plan, "periods": selectors.period_list(actor=actor, plan=plan), "form": form,
    })


@login_required
@require_POST
def period_close(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    period = selectors.period_get(actor=actor, pk=pk)
    services.period_close(actor=actor, period=period, closed=request.POST.get("closed", "1") == "1")
    return redirect("plan:periods")


@login_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    plan = selectors.plan_current(actor=actor, plan_id=_plan_id(request))
    if plan is None:
        raise Http404
    body = exports.plan_export_xlsx(actor=actor, plan=plan)
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="mirps-plan-{plan.pk}-v{plan.version}.xlsx"'
    return response
