"""Writes of identity resolution: index a record, link or queue it, merge, split, undo, decide.

Every function is one transaction and leaves an audit row; every cluster move is kept in a
`Change` so that it can be undone.
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from mirps.audit.models import AuditEvent
from mirps.audit.services import audit_record
from mirps.core import access
from mirps.identity import compare, engine
from mirps.identity.blocking import record_keys
from mirps.identity.compare import FIELDS
from mirps.identity.model import Model, train_labelled
from mirps.identity.models import (
    Change,
    ChangedRecord,
    Decision,
    Key,
    ModelVersion,
    Record,
    ReviewItem,
    Run,
)
from mirps.identity.normalize import dni as parse
from mirps.identity.scoring import Fields, Scored, build, default_model, keys_of, score
from mirps.registration.models import Person

ONLINE_KEY_LIMIT = 200


_UUID = models.UUIDField()


def uuid_param(u: uuid.UUID) -> object:
    """A UUID as raw SQL takes it, by Django's own conversion (a uuid on PostgreSQL, hex on SQLite)."""
    return _UUID.get_db_prep_value(u, connection)


# --- the model in force ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _parsed(pk: int, created: str) -> Model | None:
    mv = ModelVersion.objects.get(pk=pk)
    if mv.params.get("fields") != [[f.name, list(f.levels)] for f in FIELDS]:
        return None  # stored before the comparison levels changed: its weights no longer fit
    return Model.from_json(mv.params, auto=mv.auto_threshold, review=mv.review_threshold)


def current_model() -> Model:
    """The active stored model; the default weights when there is none, or when it was trained
    for other comparison levels (after an upgrade, until the next batch run trains a new one)."""
    mv = ModelVersion.objects.filter(active=True).only("pk", "created_at").first()
    parsed = _parsed(mv.pk, mv.created_at.isoformat()) if mv is not None else None
    return parsed if parsed is not None else default_model()


def model_save(*, actor: access.Actor | None, model: Model, auto: float | None = None, review: float | None = None) -> ModelVersion:
    """Store a model and make it the one in force (thresholds kept unless given)."""
    if actor is not None:
        actor.require(access.IDENTITY_RUN)
    previous = ModelVersion.objects.filter(active=True).first()
    auto = auto if auto is not None else (previous.auto_threshold if previous else model.auto_threshold)
    review = review if review is not None else (previous.review_threshold if previous else model.review_threshold)
    if not 0 < review < auto < 1:
        raise ValidationError({"review_threshold": [_("The review threshold must be above 0 and below the automatic-link threshold, which must be below 1.")]})
    with transaction.atomic():
        ModelVersion.objects.filter(active=True).update(active=False)
        mv = ModelVersion.objects.create(
            created_by=actor.user if actor else None, method=model.method if model.method in ModelVersion.Method.values else "default",
            params=model.to_json(), auto_threshold=auto, review_threshold=review,
        )
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=mv, detail={"method": mv.method, "auto": auto, "review": review})
    return mv


def thresholds_set(*, actor: access.Actor, auto: float, review: float) -> ModelVersion:
    actor.require(access.IDENTITY_RUN)
    return model_save(actor=actor, model=current_model(), auto=auto, review=review)


# --- records and the registration-time check --------------------------------------------------------


def fields_of(r: Record) -> Fields:
    return Fields(
        given_names=r.given_names, surname1=r.surname1, surname2=r.surname2, sex=r.sex,
        birth_date=r.birth_date, dni=r.dni, municipality=r.municipality,
        arrival_date=r.first_arrival, estimated=r.birth_date_estimated,
    )


def fields_of_person(p: Person, *, arrival_day: date | None, municipality: str) -> Fields:
    return Fields(
        given_names=p.given_names, surname1=p.surname1, surname2=p.surname2, sex=p.sex,
        birth_date=p.birth_date, dni=p.dni or "", municipality=municipality,
        arrival_date=arrival_day, estimated=p.birth_date_estimated,
    )


def record_values(person_id: uuid.UUID, f: Fields) -> dict[str, Any]:
    """The columns of a new identity record (a person of its own until linked)."""
    return {
        "person_id": person_id, "cluster": person_id, "given_names": f.given_names, "surname1": f.surname1,
        "surname2": f.surname2, "sex": f.sex, "birth_date": f.birth_date, "birth_date_estimated": f.estimated,
        "dni": f.dni, "municipality": f.municipality, "first_arrival": f.arrival_date,
    }


def record_create(*, person: Person, arrival_day: date | None, municipality: str) -> tuple[Record, list[int]]:
    """The engine's copy of a new Person record and its blocking keys."""
    f = fields_of_person(person, arrival_day=arrival_day, municipality=municipality)
    r = Record.objects.create(**record_values(person.pk, f))
    keys = keys_of(f)
    Key.objects.bulk_create([Key(record=r, key=k) for k in keys])
    return r, keys


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """A stored record as the lookup needs it: no model instance (hundreds are read per lookup)."""

    pk: uuid.UUID
    cluster: uuid.UUID
    fields: Fields


_CANDIDATE_COLUMNS = ("person_id", "cluster", "given_names", "surname1", "surname2", "sex", "birth_date",
                      "dni", "municipality", "first_arrival", "birth_date_estimated")


def candidate_records(keys: list[int], *, exclude: uuid.UUID | None = None) -> list[StoredRecord]:
    """Records sharing a blocking key: one indexed range per key, and a key shared by more than
    ONLINE_KEY_LIMIT records is left out (as the batch leaves out oversized groups): a few hundred
    arbitrary namesakes are noise that costs time, and the other keys still find the person."""
    if not keys:
        return []
    table = Key._meta.db_table
    sub = f"SELECT * FROM (SELECT key, record_id FROM {table} WHERE key = %s LIMIT {ONLINE_KEY_LIMIT + 1})"  # noqa: S608 - constants only
    sql = " UNION ALL ".join([sub] * len(keys))
    if connection.vendor == "postgresql":
        sql = " UNION ALL ".join(f"({sub} AS k{n})" for n in range(len(keys)))
    with connection.cursor() as cur:
        cur.execute(sql, keys)
        rows = cur.fetchall()
    per_key: dict[int, list[Any]] = {}
    for key, rid in rows:
        per_key.setdefault(key, []).append(rid)
    ids = {rid for found in per_key.values() if len(found) <= ONLINE_KEY_LIMIT for rid in found}
    if exclude is not None:
        ids.discard(exclude)
        ids.discard(exclude.hex)
    if not ids:
        return []
    out = []
    for row in Record.objects.filter(person_id__in=list(ids)).values_list(*_CANDIDATE_COLUMNS):
        pk, cluster, given, s1, s2, sex, birth, dni, muni, first, est = row
        out.append(StoredRecord(pk, cluster, Fields(given, s1, s2, sex, birth, dni, muni, first, est)))
    return out


def _lock(keys: list[int]) -> None:
    """Serialise registrations that share a key, so two counters typing the same person at once
    see each other. SQLite's write transactions are already serial (IMMEDIATE mode)."""
    if connection.vendor == "postgresql" and keys:
        with connection.cursor() as cur:
            for k in sorted(keys):
                cur.execute("SELECT pg_advisory_xact_lock(%s)", [k])


@dataclass(frozen=True, slots=True)
class Outcome:
    linked_to: uuid.UUID | None = None  # cluster joined automatically
    review: ReviewItem | None = None


def best_per_cluster(records: list[StoredRecord], scored: list[Scored]) -> list[tuple[StoredRecord, Scored]]:
    seen: set[uuid.UUID] = set()
    out = []
    for s in scored:
        r = records[s.index]
        if r.cluster not in seen:
            seen.add(r.cluster)
            out.append((r, s))
    return out


@transaction.atomic
def record_register(*, actor: access.Actor, person: Person, arrival_day: date, municipality: str) -> Outcome:
    """Index a newly registered person and check them against the whole registry.

    Runs inside the registration's transaction. A sure match joins the earlier person's cluster
    (reversible, audited); an uncertain one becomes a review item; the registrar's own choice of
    an earlier person (made in the lookup) never reaches here.
    """
    record, keys = record_create(person=person, arrival_day=arrival_day, municipality=municipality)
    _lock(keys)
    others = candidate_records(keys, exclude=person.pk)
    model = current_model()
    ranked = best_per_cluster(others, score(fields_of(record), [o.fields for o in others], model))
    if not ranked:
        return Outcome()
    best, s = ranked[0]
    if s.probability >= model.auto_threshold and not s.barred and _cluster_accepts(best.cluster, record):
        change = _change_create(kind=Change.Kind.AUTO, moves=[[str(person.pk), str(record.cluster), str(best.cluster)]])
        Record.objects.filter(pk=record.pk).update(cluster=best.cluster)
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=person,
                     detail={"op": "identity_auto_link", "change": str(change.pk), "probability": round(s.probability, 4)})
        return Outcome(linked_to=best.cluster)
    if s.probability >= model.review_threshold and not s.impossible:
        item = review_item_add(a=record.pk, b=best.pk, scored=s, source=ReviewItem.Source.REGISTRATION)
        return Outcome(review=item)
    return Outcome()


def review_item_add(*, a: uuid.UUID, b: uuid.UUID, scored: Scored, source: str, run: Any = None) -> ReviewItem | None:
    ra, rb = _ordered(a, b)
    if Decision.objects.filter(record_a_id=ra, record_b_id=rb, active=True).exists():
        return None
    item, _created = ReviewItem.objects.get_or_create(
        record_a_id=ra, record_b_id=rb,
        defaults={"probability": scored.probability, "source": source, "run": run},
    )
    return item


def _cluster_accepts(cluster: uuid.UUID, newcomer: Record) -> bool:
    """The cluster holds no valid DNI that rules the newcomer out, and no reviewer said no."""
    members = list(Record.objects.filter(cluster=cluster))
    return not _conflict(members, [newcomer])


def _conflict(left: list[Record], right: list[Record]) -> bool:
    if not engine.dnis_compatible({r.dni for r in left if parse(r.dni).valid},
                                  {r.dni for r in right if parse(r.dni).valid}):
        return True
    ids_l, ids_r = [r.pk for r in left], [r.pk for r in right]
    across = (Q(record_a__in=ids_l) & Q(record_b__in=ids_r)) | (Q(record_a__in=ids_r) & Q(record_b__in=ids_l))
    return Decision.objects.filter(across, active=True, kind=Decision.Kind.DIFFERENT).exists()


# --- reviewer actions -------------------------------------------------------------------------------


def _in_scope(actor: access.Actor, person_ids: list[uuid.UUID]) -> None:
    actor.require(access.IDENTITY_REVIEW)
    visible = Person.objects.filter(access.identity_scope(actor), pk__in=person_ids).values("pk").distinct().count()
    if not person_ids or visible != len(set(person_ids)):
        raise Http404


def _move(records: list[Record], to: uuid.UUID) -> list[list[str]]:
    moves = [[str(r.pk), str(r.cluster), str(to)] for r in records if r.cluster != to]
    Record.objects.filter(pk__in=[r.pk for r in records]).update(cluster=to)
    return moves


def _change_create(*, kind: str, moves: list[list[str]], by: Any = None) -> Change:
    """A change and its index of moved records (batch runs write their Change themselves, unindexed)."""
    change = Change.objects.create(kind=kind, moves=moves, by=by)
    ChangedRecord.objects.bulk_create([ChangedRecord(change=change, record_id=m[0]) for m in moves], batch_size=5000)
    return change


def _ordered(a: uuid.UUID, b: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    return (a, b) if a.int < b.int else (b, a)


@transaction.atomic
def cluster_merge(*, actor: access.Actor, person_a: uuid.UUID, person_b: uuid.UUID, item: ReviewItem | None = None) -> Change:
    """Make two records one person: the whole cluster of B joins the cluster of A."""
    _in_scope(actor, [person_a, person_b])
    ra = Record.objects.select_for_update().get(pk=person_a)
    rb = Record.objects.select_for_update().get(pk=person_b)
    if ra.cluster == rb.cluster:
        raise ValidationError({"__all__": [_("These records are already the same person.")]})
    left = list(Record.objects.select_for_update().filter(cluster=ra.cluster))
    right = list(Record.objects.select_for_update().filter(cluster=rb.cluster))
    if _conflict(left, right):
        raise ValidationError({"__all__": [_("These records cannot be merged: they hold different valid DNIs, or a reviewer decided they are different people.")]})
    x, y = _ordered(person_a, person_b)
    change = _change_create(kind=Change.Kind.MERGE, moves=_move(right, ra.cluster), by=actor.user)
    Decision.objects.filter(record_a_id=x, record_b_id=y, active=True).update(active=False, ended_by=change)
    Decision.objects.create(record_a_id=x, record_b_id=y, kind=Decision.Kind.SAME, decided_by=actor.user, change=change)
    if item is not None:
        ReviewItem.objects.filter(pk=item.pk).update(status=ReviewItem.Status.SAME, decided_by=actor.user, decided_at=timezone.now())
    for pid in (person_a, person_b):
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, object_type="person", object_id=str(pid),
                     detail={"op": "identity_merge", "change": str(change.pk), "moved": len(change.moves)})
    return change


@transaction.atomic
def cluster_split(*, actor: access.Actor, person_id: uuid.UUID) -> Change:
    """Take one record out of its person: it becomes a person of its own, and stays apart in later batch runs."""
    _in_scope(actor, [person_id])
    r = Record.objects.select_for_update().get(pk=person_id)
    rest = list(Record.objects.select_for_update().filter(cluster=r.cluster).exclude(pk=r.pk))
    if not rest:
        raise ValidationError({"__all__": [_("This record is already a person of its own.")]})
    change = _change_create(kind=Change.Kind.SPLIT, moves=_move([r], uuid.uuid4()), by=actor.user)
    for o in rest:
        x, y = _ordered(r.pk, o.pk)
        Decision.objects.filter(record_a_id=x, record_b_id=y, active=True).update(active=False, ended_by=change)
        Decision.objects.create(record_a_id=x, record_b_id=y, kind=Decision.Kind.DIFFERENT, decided_by=actor.user, change=change)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, object_type="person", object_id=str(person_id),
                 detail={"op": "identity_split", "change": str(change.pk), "left": len(rest)})
    return change


@transaction.atomic
def change_undo(*, actor: access.Actor, change_id: uuid.UUID) -> Change:
    """Put back every record an earlier change moved, if nothing moved them since."""
    change = Change.objects.select_for_update().filter(pk=change_id).first()
    if change is None:
        raise Http404
    persons = [uuid.UUID(m[0]) for m in change.moves]
    if change.kind == Change.Kind.BATCH:
        actor.require(access.IDENTITY_RUN)
    else:
        _in_scope(actor, persons)  # a reviewer undoes only what moved records all in their scope
    if change.kind == Change.Kind.UNDO or change.undone_by_id is not None:
        raise ValidationError({"__all__": [_("This change was already undone.")]})
    now = {str(pk): str(c) for pk, c in Record.objects.select_for_update().filter(pk__in=persons).values_list("pk", "cluster")}
    if any(now.get(p) != after for p, _before, after in change.moves):
        raise ValidationError({"__all__": [_("Later changes moved some of these records: undo those first.")]})
    if change.kind == Change.Kind.BATCH and change.run_id:
        Run.objects.filter(pk=change.run_id).update(status=Run.Status.UNDONE)
    with connection.cursor() as cur:  # one statement, many rows: a run at 1M moves ~150k records
        cur.executemany(
            f"UPDATE {Record._meta.db_table} SET cluster = %s WHERE person_id = %s",  # noqa: S608 - our table
            [(uuid_param(uuid.UUID(before)), uuid_param(uuid.UUID(p))) for p, before, _after in change.moves],
        )
    undo = _change_create(kind=Change.Kind.UNDO, moves=[[p, a, b] for p, b, a in change.moves], by=actor.user)
    change.undone_by = undo
    change.save(update_fields=["undone_by"])
    # The decisions the change made end; the ones it ended hold again.
    for d in change.decisions.filter(active=True):
        d.active = False
        d.ended_by = undo
        d.save(update_fields=["active", "ended_by"])
        if d.kind == Decision.Kind.SAME:
            ReviewItem.objects.filter(record_a_id=d.record_a_id, record_b_id=d.record_b_id).update(
                status=ReviewItem.Status.OPEN, decided_by=None, decided_at=None)
    for d in change.ended_decisions.filter(active=False):
        Decision.objects.filter(pk=d.pk).update(active=True, ended_by=None)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, object_type="identity_change", object_id=str(change.pk),
                 detail={"op": "identity_undo", "kind": change.kind, "moved": len(change.moves)})
    return undo


@transaction.atomic
def review_decide(*, actor: access.Actor, item_id: uuid.UUID, same: bool) -> ReviewItem:
    item = ReviewItem.objects.select_for_update().filter(pk=item_id).first()
    if item is None:
        raise Http404
    _in_scope(actor, [item.record_a_id, item.record_b_id])
    if item.status != ReviewItem.Status.OPEN:
        raise ValidationError({"__all__": [_("This pair was already decided.")]})
    if same:
        cluster_merge(actor=actor, person_a=item.record_a_id, person_b=item.record_b_id, item=item)
    else:
        Decision.objects.create(record_a_id=item.record_a_id, record_b_id=item.record_b_id,
                                kind=Decision.Kind.DIFFERENT, decided_by=actor.user)
        ReviewItem.objects.filter(pk=item.pk).update(status=ReviewItem.Status.DIFFERENT, decided_by=actor.user, decided_at=timezone.now())
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=item, detail={"op": "identity_different"})
    item.refresh_from_db()
    return item


def records_rows(*, person_ids: list[uuid.UUID], fields: list[Fields]) -> tuple[list[dict[str, Any]], list[tuple[Any, int]]]:
    """Record rows and (person id, key) pairs for a bulk import, keys computed in one pass.

    Bulk imports are not matched one by one: the batch run that follows an import resolves them.
    """
    records = [record_values(pid, f) for pid, f in zip(person_ids, fields, strict=True)]
    keys, recs = record_keys(build(fields)) if fields else ([], [])
    pairs = sorted({(int(r), int(k)) for k, r in zip(keys, recs, strict=True)})
    return records, [(person_ids[r], k) for r, k in pairs]


def model_train_from_decisions(*, actor: access.Actor) -> ModelVersion:
    """Weights set from reviewers' decisions: m from the pairs ruled the same person, the prior
    from the share of such rulings; u stays as estimated on random pairs by the model in force."""
    actor.require(access.IDENTITY_RUN)
    decided = list(Decision.objects.filter(active=True).select_related("record_a", "record_b"))
    same = np.array([d.kind == Decision.Kind.SAME for d in decided], dtype=bool)
    if same.sum() < MIN_LABELS or (~same).sum() < MIN_LABELS:
        raise ValidationError({"__all__": [
            _("Weights from review decisions need at least %(n)d decisions of each kind (same person, different people).")
            % {"n": MIN_LABELS}
        ]})
    rows = [fields_of(r) for d in decided for r in (d.record_a, d.record_b)]
    t = build(rows)
    i = np.arange(0, len(rows), 2)
    levels = compare.compare(t, i, i + 1)
    model = train_labelled(levels, same, base=current_model())
    return model_save(actor=actor, model=model)


MIN_LABELS = 10
