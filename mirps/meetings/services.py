"""Writes of meetings, agreements and their follow-up. Each validates everything, then audits."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils.translation import gettext as _

from mirps.accounts.models import Institution
from mirps.audit.services import audit_record
from mirps.core import access
from mirps.meetings.models import Agreement, FollowUpNote, Meeting
from mirps.meetings.selectors import agreement_can_follow_up

TITLE_MAX = 300
TEXT_MAX = 2000


def _text(errors: dict[str, list[str]], field: str, value: str, *, limit: int, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        errors.setdefault(field, []).append(_("This field is required."))
    elif len(value) > limit:
        errors.setdefault(field, []).append(
            _("At most %(limit)d characters (this one has %(n)d).") % {"limit": limit, "n": len(value)}
        )
    return value


def _institutions(errors: dict[str, list[str]], field: str, items: Iterable[Institution], *, required: bool) -> list[Institution]:
    items = list(dict.fromkeys(items))
    if required and not items:
        errors.setdefault(field, []).append(_("Choose at least one organisation."))
    if any(not isinstance(i, Institution) or i.pk is None for i in items):
        errors.setdefault(field, []).append(_("Unknown organisation."))
    return items


@transaction.atomic
def meeting_create(
    *,
    actor: access.Actor,
    date: datetime.date | None,
    title_es: str,
    title_en: str = "",
    participants: Iterable[Institution] = (),
    published: bool = False,
) -> Meeting:
    actor.require(access.PLAN_MANAGE)
    errors: dict[str, list[str]] = {}
    if date is None:
        errors["date"] = [_("Give the date of the meeting.")]
    title_es = _text(errors, "title_es", title_es, limit=TITLE_MAX, required=True)
    title_en = _text(errors, "title_en", title_en, limit=TITLE_MAX, required=False)
    people = _institutions(errors, "participants", participants, required=False)
    if errors:
        raise ValidationError(errors)
    meeting = Meeting.objects.create(date=date, title_es=title_es, title_en=title_en, published=bool(published))
    meeting.participants.set(people)
    audit_record(actor=actor, action="create", obj=meeting, detail={"participants": len(people), "published": meeting.published})
    return meeting


@transaction.atomic
def meeting_publish(*, actor: access.Actor, meeting: Meeting, published: bool) -> Meeting:
    """Publishing shows the meeting and its agreements (never the follow-up notes) on the public page."""
    actor.require(access.PLAN_MANAGE)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    meeting.published = bool(published)
    meeting.save(update_fields=["published"])
    audit_record(actor=actor, action="update", obj=meeting, detail={"published": meeting.published})
    return meeting


@transaction.atomic
def agreement_create(
    *,
    actor: access.Actor,
    meeting: Meeting,
    text_es: str,
    text_en: str = "",
    responsible: Iterable[Institution] = (),
    due_date: datetime.date | None = None,
    status: str = Agreement.Status.PENDING,
) -> Agreement:
    actor.require(access.PLAN_MANAGE)
    errors: dict[str, list[str]] = {}
    text_es = _text(errors, "text_es", text_es, limit=TEXT_MAX, required=True)
    text_en = _text(errors, "text_en", text_en, limit=TEXT_MAX, required=False)
    orgs = _institutions(errors, "responsible", responsible, required=True)
    if due_date is not None and due_date < meeting.date:
        errors["due_date"] = [_("The due date cannot be before the meeting.")]
    if status not in Agreement.Status.values:
        errors["status"] = [_("Unknown status.")]
    if errors:
        raise ValidationError(errors)
    # Lock the meeting so two agreements added at once do not get the same number.
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    number = (meeting.agreements.aggregate(n=Max("number"))["n"] or 0) + 1
    agreement = Agreement.objects.create(
        meeting=meeting, number=number, text_es=text_es, text_en=text_en, due_date=due_date, status=status
    )
    agreement.responsible.set(orgs)
    audit_record(actor=actor, action="create", obj=agreement, detail={"meeting": meeting.pk, "responsible": len(orgs)})
    return agreement


@transaction.atomic
def agreement_status_set(*, actor: access.Actor, agreement: Agreement, status: str, note: str = "") -> Agreement:
    """The coordinator, or a responsible organisation's focal point or partner, moves an agreement on.

    A note given with the change is kept as a follow-up note, in the same transaction.
    """
    actor.require(access.PLAN)
    if not agreement_can_follow_up(actor, agreement):
        raise Http404
    errors: dict[str, list[str]] = {}
    if status not in Agreement.Status.values:
        errors["status"] = [_("Unknown status.")]
    note = _text(errors, "note", note, limit=TEXT_MAX, required=False)
    if errors:
        raise ValidationError(errors)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    before = agreement.status
    agreement.status = status
    agreement.save(update_fields=["status"])
    if note:
        FollowUpNote.objects.create(agreement=agreement, text=note, author=actor.user)
    audit_record(actor=actor, action="update", obj=agreement, detail={"status": [before, status], "note": bool(note)})
    return agreement


@transaction.atomic
def followup_note_add(*, actor: access.Actor, agreement: Agreement, text: str) -> FollowUpNote:
    actor.require(access.PLAN)
    if not agreement_can_follow_up(actor, agreement):
        raise Http404
    errors: dict[str, list[str]] = {}
    text = _text(errors, "text", text, limit=TEXT_MAX, required=True)
    if errors:
        raise ValidationError(errors)
    note = FollowUpNote.objects.create(agreement=agreement, text=text, author=actor.user)
    audit_record(actor=actor, action="create", obj=note, detail={"agreement": agreement.pk})
    return note
