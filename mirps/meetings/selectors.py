"""Reads of meetings and agreements. No personal data here beyond the author of a follow-up note."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from mirps.accounts.models import Role
from mirps.core import access
from mirps.meetings.models import Agreement, FollowUpNote, Meeting


def agreement_followup_scope(actor: access.Actor) -> Q:
    """Agreements the actor may follow up: all for the coordinator; those their organisation is
    responsible for as focal point or partner (the people who do the work report on it)."""
    if actor.can(access.PLAN_MANAGE):
        return Q()
    insts = actor.institutions_for(Role.FOCAL_POINT) + actor.institutions_for(Role.PARTNER)
    return Q(responsible__in=insts) if insts else Q(pk__in=[])


def agreement_can_follow_up(actor: access.Actor, agreement: Agreement) -> bool:
    if actor.can(access.PLAN_MANAGE):
        return True
    return Agreement.objects.filter(agreement_followup_scope(actor), pk=agreement.pk).exists()


def meeting_list(*, actor: access.Actor) -> QuerySet[Meeting]:
    actor.require(access.PLAN)
    return Meeting.objects.prefetch_related("participants", "agreements")


def meeting_get(*, actor: access.Actor, pk: int) -> Meeting:
    actor.require(access.PLAN)
    notes = FollowUpNote.objects.select_related("author")
    agreements = Agreement.objects.prefetch_related("responsible", Prefetch("notes", queryset=notes))
    meeting = (
        Meeting.objects.prefetch_related("participants", Prefetch("agreements", queryset=agreements))
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def agreement_get_for_followup(*, actor: access.Actor, pk: int) -> Agreement:
    """An agreement the actor may act on; any other does not exist for them (404)."""
    actor.require(access.PLAN)
    agreement = Agreement.objects.filter(agreement_followup_scope(actor), pk=pk).distinct().first()
    if agreement is None:
        raise Http404
    return agreement


def followup_agreement_ids(*, actor: access.Actor, meeting: Meeting) -> set[int]:
    """Which of a meeting's agreements the page offers the follow-up form for."""
    qs = Agreement.objects.filter(agreement_followup_scope(actor), meeting=meeting)
    return set(qs.values_list("pk", flat=True))


def meetings_published() -> QuerySet[Meeting]:
    """Published meetings for the public page (no notes: they are working notes with authors)."""
    return Meeting.objects.filter(published=True).prefetch_related(
        "participants", Prefetch("agreements", queryset=Agreement.objects.prefetch_related("responsible"))
    )
