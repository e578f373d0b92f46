"""The access policy: the one place that decides who sees what.

Every read of personal data (pages, API, exports, background jobs) goes through the scopes
defined here. `docs/authorization.md` is the same matrix in prose; change both together.
Outside a user's scope a record does not exist: callers raise Http404, never 403.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404

from mirps.accounts.models import Membership, Role

if TYPE_CHECKING:
    from mirps.accounts.models import User

# Capabilities: coarse actions; data scopes are decided by the functions below.
REGISTER = "register"  # create persons and arrivals at one's own reception point
ARRIVALS = "arrivals"  # read arrivals (and their persons) inside one's scope
IDENTITY_LOOKUP = "identity_lookup"  # find earlier registrations of the person at the counter
FOLLOW_UP = "follow_up"  # see and act on the protection follow-up queue of one's institution
SENSITIVE = "sensitive"  # read the sensitive field group
STATS = "stats"  # aggregated dashboard
AUDIT = "audit"  # read the audit log
REFERENCE = "reference"  # edit reference data and users (Django admin)
PLAN = "plan"  # read the action plan, its reports, cooperation and meetings (no personal data)
PLAN_REPORT = "plan_report"  # write progress reports for one's own institution's commitments
PLAN_MANAGE = "plan_manage"  # manage the plan, approve or return reports, publish
COOP_EDIT = "coop_edit"  # edit one's own organisation's interventions and pledges
IDENTITY_REVIEW = "identity_review"  # compare, merge and split records of persons in one's scope
IDENTITY_RUN = "identity_run"  # start batch resolution, train the model, set thresholds (counts only)

MATRIX: dict[str, frozenset[str]] = {
    Role.REGISTRAR: frozenset({REGISTER, ARRIVALS, IDENTITY_LOOKUP, STATS, PLAN}),
    Role.PROTECTION_OFFICER: frozenset({ARRIVALS, FOLLOW_UP, SENSITIVE, STATS, PLAN}),
    Role.REMOTE_OPERATOR: frozenset({STATS, PLAN}),
    Role.FOCAL_POINT: frozenset({STATS, PLAN, PLAN_REPORT}),
    Role.PARTNER: frozenset({STATS, PLAN, COOP_EDIT}),
    Role.COORDINATOR: frozenset({STATS, PLAN, PLAN_MANAGE, COOP_EDIT}),
    Role.ADMINISTRATOR: frozenset({AUDIT, REFERENCE, STATS, PLAN, IDENTITY_RUN}),
    Role.IDENTITY_REVIEWER: frozenset({IDENTITY_REVIEW, STATS, PLAN}),
}


@dataclass(frozen=True)
class Actor:
    """A signed-in user with their active memberships, resolved once per request or task."""

    user: User
    memberships: tuple[Membership, ...] = field(default=())

    @classmethod
    def of(cls, user: User) -> Actor:
        if not user.is_authenticated or not user.is_active:
            return cls(user=user, memberships=())
        ms = tuple(
            Membership.objects.filter(user=user, active=True, institution__active=True)
            .select_related("institution", "site")
            .order_by("id")
        )
        return cls(user=user, memberships=ms)

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(m.role for m in self.memberships)

    def can(self, capability: str) -> bool:
        return any(capability in MATRIX.get(m.role, ()) for m in self.memberships)

    def require(self, capability: str) -> None:
        """Refuse with 404: a page a role may not use does not exist for it."""
        if not self.can(capability):
            raise Http404

    def sites_for(self, role: str) -> list[int]:
        return [m.site_id for m in self.memberships if m.role == role and m.site_id]

    def institutions_for(self, role: str) -> list[int]:
        return [m.institution_id for m in self.memberships if m.role == role]

    @property
    def registration_sites(self) -> list[int]:
        return self.sites_for(Role.REGISTRAR)

    @property
    def sees_sensitive(self) -> bool:
        return self.can(SENSITIVE)

    @property
    def sees_names(self) -> bool:
        return self.can(ARRIVALS)

    def exact_stats_for(self, reception_point_id: int | None) -> bool:
        """Small counts are shown exactly only where the actor already sees every name behind them."""
        return reception_point_id is not None and reception_point_id in self.registration_sites


def arrival_scope(actor: Actor) -> Q:
    """Arrivals the actor may read: own reception point (registrar); own institution's follow-ups."""
    q = Q(pk__in=[])
    if sites := actor.registration_sites:
        q |= Q(reception_point_id__in=sites)
    if insts := actor.institutions_for(Role.PROTECTION_OFFICER):
        q |= Q(follow_up_institution_id__in=insts)
    return q


def person_scope(actor: Actor) -> Q:
    """A person is visible when one of their arrivals is."""
    q = Q(pk__in=[])
    if sites := actor.registration_sites:
        q |= Q(arrivals__reception_point_id__in=sites)
    if insts := actor.institutions_for(Role.PROTECTION_OFFICER):
        q |= Q(arrivals__follow_up_institution_id__in=insts)
    return q


# Memberships in these roles give the institution's reception points to identity_scope.
IDENTITY_SCOPE_ROLES = (Role.REGISTRAR, Role.IDENTITY_REVIEWER)


def identity_scope(actor: Actor) -> Q:
    """Persons whose records a registrar may be shown as candidates, or a reviewer may merge:
    those with an arrival at a reception point run by the actor's institution (as registrar or
    reviewer). The engine itself sees everyone; it only says that a match exists elsewhere."""
    insts = [m.institution_id for m in actor.memberships if m.role in IDENTITY_SCOPE_ROLES]
    if not insts:
        return Q(pk__in=[])
    return Q(arrivals__reception_point__institution_id__in=insts)


def followup_scope(actor: Actor) -> Q:
    insts = actor.institutions_for(Role.PROTECTION_OFFICER)
    return Q(follow_up_institution_id__in=insts) & ~Q(need_level="none")


def commitment_report_scope(actor: Actor) -> Q:
    """Commitments the actor may report on: their institution's as focal point; all as coordinator."""
    if actor.can(PLAN_MANAGE):
        return Q()
    return Q(responsible_id__in=actor.institutions_for(Role.FOCAL_POINT))


def intervention_edit_scope(actor: Actor) -> Q:
    """Interventions the actor may edit: their organisation's as partner; all as coordinator."""
    if actor.can(PLAN_MANAGE):
        return Q()
    return Q(implementer_id__in=actor.institutions_for(Role.PARTNER))


def pledge_edit_scope(actor: Actor) -> Q:
    """Pledges the actor may edit: their organisation's as partner; all as coordinator."""
    if actor.can(PLAN_MANAGE):
        return Q()
    return Q(partner_id__in=actor.institutions_for(Role.PARTNER))
