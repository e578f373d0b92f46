"""Reads of identity resolution, each through the access policy (mirps.core.access)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from mirps.accounts.models import Membership, Role
from mirps.audit.models import AuditEvent
from mirps.audit.services import audit_record
from mirps.core import access
from mirps.identity.models import (
    Change,
    ChangedRecord,
    Decision,
    ModelVersion,
    Record,
    ReviewItem,
    Run,
)
from mirps.identity.scoring import Fields, keys_of, reasons, score
from mirps.identity.services import best_per_cluster, candidate_records, current_model, fields_of
from mirps.registration.models import Arrival, Person

SHOW_FROM = 0.001  # below this a candidate is noise, not worth a registrar's attention


@dataclass(frozen=True, slots=True)
class Match:
    person_id: uuid.UUID
    probability: float
    reasons: tuple[tuple[str, float], ...]
    barred: bool  # a safety rule would stop an automatic link


def lookup(*, actor: access.Actor, fields: Fields, limit: int = 5) -> tuple[list[Match], int]:
    """Earlier records that may be the person at the counter, best first, within the actor's
    scope; and how many likely ones exist outside it (counted, never shown)."""
    actor.require(access.IDENTITY_LOOKUP)
    others = candidate_records(keys_of(fields))
    model = current_model()
    ranked = [
        (r, s) for r, s in best_per_cluster(others, score(fields, [o.fields for o in others], model))
        if s.probability >= SHOW_FROM and not s.impossible
    ][: limit * 3]
    if not ranked:
        return [], 0
    ids = [r.pk for r, _s in ranked]
    visible = set(Person.objects.filter(access.identity_scope(actor), pk__in=ids).values_list("pk", flat=True))
    shown = [
        Match(r.pk, s.probability, tuple(reasons(s.levels, s.weights)), s.barred)
        for r, s in ranked if r.pk in visible
    ][:limit]
    elsewhere = sum(1 for r, s in ranked if r.pk not in visible and s.probability >= model.review_threshold)
    return shown, elsewhere


def _scoped_records(actor: access.Actor) -> QuerySet[Record]:
    visible = Person.objects.filter(access.identity_scope(actor), pk=OuterRef("person_id"))
    return Record.objects.filter(Exists(visible))


def review_queue(*, actor: access.Actor, status: str = ReviewItem.Status.OPEN) -> QuerySet[ReviewItem]:
    """Pairs waiting for a decision whose two records are both in the reviewer's scope."""
    actor.require(access.IDENTITY_REVIEW)
    scoped = _scoped_records(actor)
    qs = ReviewItem.objects.filter(record_a__in=scoped.values("pk"), record_b__in=scoped.values("pk"))
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("record_a__person", "record_b__person").order_by("-probability", "created_at")


def review_elsewhere(*, actor: access.Actor) -> int:
    """Open pairs joining one record in the reviewer's scope to one outside it: counted, never
    shown; a reviewer of both institutions decides them."""
    actor.require(access.IDENTITY_REVIEW)
    scoped = _scoped_records(actor).values("pk")
    a_in, b_in = Q(record_a__in=scoped), Q(record_b__in=scoped)
    return ReviewItem.objects.filter((a_in & ~b_in) | (~a_in & b_in), status=ReviewItem.Status.OPEN).count()


@dataclass(frozen=True)
class QueueCoverage:
    open: int
    across: int  # the two records came through reception points of no common institution
    unreachable: int  # no active identity reviewer has both records in scope: nobody can decide them


def review_coverage(*, actor: access.Actor) -> QueueCoverage:
    """For the administrator (counts only): open pairs that no reviewer can see would wait for ever."""
    actor.require(access.IDENTITY_RUN)
    waiting = ReviewItem.objects.filter(status=ReviewItem.Status.OPEN)
    pairs = list(waiting.values_list("record_a_id", "record_b_id"))
    if not pairs:
        return QueueCoverage(0, 0, 0)
    institutions: dict[uuid.UUID, set[int]] = defaultdict(set)
    for side in ("record_a_id", "record_b_id"):
        rows = Arrival.objects.filter(person_id__in=waiting.values(side))
        for pid, inst in rows.values_list("person_id", "reception_point__institution_id").distinct():
            institutions[pid].add(inst)
    scope: dict[int, set[int]] = defaultdict(set)  # user -> institutions of the records they may review
    reviewers = set()
    memberships = Membership.objects.filter(
        active=True, institution__active=True, user__is_active=True, role__in=access.IDENTITY_SCOPE_ROLES
    )
    for user, inst, role in memberships.values_list("user_id", "institution_id", "role"):
        scope[user].add(inst)
        if role == Role.IDENTITY_REVIEWER:
            reviewers.add(user)
    scopes = {frozenset(scope[u]) for u in reviewers}
    across = unreachable = 0
    for a, b in pairs:
        ia, ib = institutions[a], institutions[b]
        across += not (ia & ib)
        unreachable += not any(s & ia and s & ib for s in scopes)
    return QueueCoverage(len(pairs), across, unreachable)


@dataclass(frozen=True)
class Side:
    person: Person
    record: Record
    cluster_size: int
    arrivals: list


@dataclass(frozen=True)
class Comparison:
    item: ReviewItem
    a: Side
    b: Side
    reasons: list[tuple[str, float]]
    probability: float


def _side(person: Person, record: Record) -> Side:
    members = Record.objects.filter(cluster=record.cluster).values_list("person_id", flat=True)
    arrivals = list(
        person.arrivals.select_related("reception_point", "destination").order_by("arrived_at")
    )
    return Side(person, record, len(members), arrivals)


def review_get(*, actor: access.Actor, item_id: uuid.UUID) -> Comparison:
    """One pair side by side: identity fields and arrival dates and places, no screening data."""
    actor.require(access.IDENTITY_REVIEW)
    item = review_queue(actor=actor, status="").filter(pk=item_id).first()
    if item is None:
        raise Http404
    ra, rb = item.record_a, item.record_b
    s = score(fields_of(ra), [fields_of(rb)], current_model())[0]
    for rec in (ra, rb):
        audit_record(actor=actor, action=AuditEvent.Action.VIEW, object_type="person", object_id=str(rec.pk),
                     detail={"view": "identity_review", "item": str(item.pk)})
    return Comparison(item, _side(ra.person, ra), _side(rb.person, rb), reasons(s.levels, s.weights), s.probability)


@dataclass(frozen=True)
class ClusterView:
    cluster: uuid.UUID
    records: list[Record]  # the records of the person that the actor may see
    hidden: int  # records of the same person outside the actor's scope
    changes: list[Change]


def cluster_get(*, actor: access.Actor, person_id: uuid.UUID) -> ClusterView:
    """All records resolved to the same person as `person_id`, within the reviewer's scope."""
    actor.require(access.IDENTITY_REVIEW)
    record = _scoped_records(actor).filter(pk=person_id).first()
    if record is None:
        raise Http404
    members = list(Record.objects.filter(cluster=record.cluster).select_related("person"))
    visible = set(_scoped_records(actor).filter(pk__in=[m.pk for m in members]).values_list("pk", flat=True))
    shown = [m for m in members if m.pk in visible]
    # Batch runs are not indexed (a run is undone from the runs page); the moves themselves (an
    # undone run's are megabytes at a million records) are counted, not loaded.
    moved_here = ChangedRecord.objects.filter(record_id__in=[m.pk for m in shown]).values("change_id")
    changes = list(
        Change.objects.filter(pk__in=moved_here).exclude(kind=Change.Kind.BATCH).defer("moves")
        .select_related("by").annotate(moved=Count("records")).order_by("-at")[:20]
    )
    audit_record(actor=actor, action=AuditEvent.Action.VIEW, object_type="person", object_id=str(person_id),
                 detail={"view": "identity_cluster", "records": len(shown)})
    return ClusterView(record.cluster, shown, len(members) - len(shown), changes)


def runs(*, actor: access.Actor) -> QuerySet[Run]:
    actor.require(access.IDENTITY_RUN)
    return Run.objects.all()


def run_get(*, actor: access.Actor, run_id: int) -> Run:
    run = runs(actor=actor).filter(pk=run_id).first()
    if run is None:
        raise Http404
    return run


def run_changes(*, actor: access.Actor, run_ids: list[int]) -> dict[int, Change]:
    """The batch Change of each run (what "undo this run" reverts), by run id; moves not loaded."""
    actor.require(access.IDENTITY_RUN)
    qs = Change.objects.filter(run_id__in=run_ids, kind=Change.Kind.BATCH).defer("moves")
    return {c.run_id: c for c in qs}


def model_in_force(*, actor: access.Actor) -> ModelVersion | None:
    """The stored model in force (None while the built-in default weights are used)."""
    actor.require(access.IDENTITY_RUN)
    return ModelVersion.objects.filter(active=True).defer("params").first()


def linked_arrivals(*, actor: access.Actor, person_id: uuid.UUID) -> list:
    """Arrivals recorded under the person's other records (same resolved person) that the actor
    may see: the arrival history follows the person across records. Hidden ones are not counted."""
    record = Record.objects.filter(pk=person_id).only("cluster").first()
    if record is None:
        return []
    others = Record.objects.filter(cluster=record.cluster).exclude(pk=person_id).values("pk")
    return list(
        Arrival.objects.filter(access.arrival_scope(actor), person_id__in=others)
        .select_related("reception_point", "country_from", "person").order_by("arrived_at")
    )


def decision_counts(*, actor: access.Actor) -> dict[str, int]:
    """How many active reviewer decisions of each kind exist (counts only)."""
    actor.require(access.IDENTITY_RUN)
    active = Decision.objects.filter(active=True)
    return {"same": active.filter(kind=Decision.Kind.SAME).count(),
            "different": active.filter(kind=Decision.Kind.DIFFERENT).count()}
