"""Batch resolution of the whole registry, as a background task with progress.

The computation is the engine's (pure, in memory, bounded by chunking); this module reads the
records, obeys reviewers' decisions, and writes the new clusters, the review items and one
`Change` holding every move (so a run can be undone) in a single transaction.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import uuid
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mirps.audit.models import AuditEvent
from mirps.audit.services import audit_record
from mirps.core import access
from mirps.identity import engine
from mirps.identity.models import Change, Decision, Record, ReviewItem, Run
from mirps.identity.services import current_model, model_save, uuid_param

log = logging.getLogger(__name__)
FETCH = 20_000
COLUMNS = ("person_id", "given_names", "surname1", "surname2", "sex", "birth_date",
           "birth_date_estimated", "dni", "municipality", "first_arrival", "cluster")


def run_start(*, actor: access.Actor, train: bool) -> Run:
    """Queue a run and start it in a separate process (the web request returns at once)."""
    actor.require(access.IDENTITY_RUN)
    if Run.objects.filter(status__in=[Run.Status.QUEUED, Run.Status.RUNNING]).exists():
        raise ValidationError({"__all__": [_("A batch run is already in progress.")]})
    with transaction.atomic():
        run = Run.objects.create(train=train, started_by=actor.user)
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=run, detail={"train": train})
    transaction.on_commit(lambda: _spawn(run.pk))
    return run


def _spawn(run_id: int) -> None:
    manage = Path(settings.BASE_DIR) / "manage.py"
    subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
        [sys.executable, str(manage), "identity_run", str(run_id)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )


def _progress(run_id: int, stage: str, share: float) -> None:
    Run.objects.filter(pk=run_id).update(stage=stage, progress=round(share, 3))


def _as_uuid(v: object) -> uuid.UUID:
    return v if isinstance(v, uuid.UUID) else uuid.UUID(str(v))


def _as_date(v: object) -> date | None:
    if v is None or isinstance(v, date):
        return v
    return date.fromisoformat(str(v)[:10])


def load() -> tuple[list[uuid.UUID], list[uuid.UUID], engine.Records]:
    """Every record, streamed in chunks: (person ids, clusters, engine columns)."""
    cols: dict[str, list] = {c: [] for c in COLUMNS}
    sql = f"SELECT {', '.join(COLUMNS)} FROM {Record._meta.db_table}"  # noqa: S608 - constant names
    with connection.cursor() as cur:
        cur.execute(sql)
        while rows := cur.fetchmany(FETCH):
            for name, values in zip(COLUMNS, zip(*rows, strict=True), strict=True):
                cols[name].extend(values)
    recs = engine.Records(
        given_names=cols["given_names"], surname1=cols["surname1"], surname2=cols["surname2"],
        sex=cols["sex"], birth_date=[_as_date(v) for v in cols["birth_date"]], dni=cols["dni"],
        municipality=cols["municipality"], arrival_date=[_as_date(v) for v in cols["first_arrival"]],
        estimated=[bool(v) for v in cols["birth_date_estimated"]],
    )
    return [_as_uuid(v) for v in cols["person_id"]], [_as_uuid(v) for v in cols["cluster"]], recs


def _decisions(index: dict[uuid.UUID, int]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    must, cannot = [], []
    for a, b, kind in Decision.objects.filter(active=True).values_list("record_a_id", "record_b_id", "kind"):
        if a in index and b in index:
            (must if kind == Decision.Kind.SAME else cannot).append((index[a], index[b]))
    return must, cannot


def new_clusters(labels: np.ndarray, old: list[uuid.UUID], ids: list[uuid.UUID]) -> list[uuid.UUID]:
    """A cluster id per record for the engine's labels, keeping existing ids where possible
    (each engine cluster takes the id most of its records already had, if no bigger cluster took it)."""
    groups: dict[int, list[int]] = {}
    for k, label in enumerate(labels.tolist()):
        groups.setdefault(label, []).append(k)
    taken: set[uuid.UUID] = set()
    out: list[uuid.UUID] = list(old)
    for members in sorted(groups.values(), key=len, reverse=True):
        choice = next((c for c, _n in Counter(old[k] for k in members).most_common() if c not in taken), None)
        if choice is None:
            choice = ids[members[0]]
            if choice in taken:
                choice = uuid.uuid4()
        taken.add(choice)
        for k in members:
            out[k] = choice
    return out


def run_execute(run_id: int) -> Run:
    """Do the work of a queued run. Failures are recorded on the run, never half-written."""
    Run.objects.filter(pk=run_id).update(status=Run.Status.RUNNING, started_at=timezone.now(), stage="loading", progress=0.02)
    run = Run.objects.get(pk=run_id)
    try:
        ids, old, recs = load()
        index = {pid: k for k, pid in enumerate(ids)}
        must, cannot = _decisions(index)
        model = None if run.train else current_model()
        res = engine.resolve(recs, model=model, must_link=must, cannot_link=cannot,
                             progress=lambda stage, share: _progress(run_id, stage, 0.05 + 0.8 * share))
        _progress(run_id, "saving", 0.9)
        _save(run, ids, old, res)
    except Exception as exc:
        log.exception("identity run %s failed", run_id)
        Run.objects.filter(pk=run_id).update(status=Run.Status.FAILED, error=type(exc).__name__[:200], finished_at=timezone.now())
    return Run.objects.get(pk=run_id)


@transaction.atomic
def _save(run: Run, ids: list[uuid.UUID], old: list[uuid.UUID], res: engine.Resolution) -> None:
    mv = model_save(actor=None, model=res.model) if run.train else None
    clusters = new_clusters(res.cluster, old, ids)
    moves = [[str(ids[k]), str(old[k]), str(clusters[k])] for k in range(len(ids)) if clusters[k] != old[k]]
    with connection.cursor() as cur:
        cur.executemany(
            f"UPDATE {Record._meta.db_table} SET cluster = %s WHERE person_id = %s",  # noqa: S608
            [(uuid_param(clusters[k]), uuid_param(ids[k])) for k in range(len(ids)) if clusters[k] != old[k]],
        )
    Change.objects.create(kind=Change.Kind.BATCH, moves=moves, run=run)
    # One review item per pair of resulting persons: the strongest uncertain pair between them.
    existing = set(ReviewItem.objects.values_list("record_a_id", "record_b_id"))
    decided = set(Decision.objects.filter(active=True).values_list("record_a_id", "record_b_id"))
    items, seen = [], set()
    rev = np.flatnonzero(res.review)
    for k in rev[np.argsort(-res.probability[rev])].tolist():
        i, j = int(res.pair_i[k]), int(res.pair_j[k])
        a, b = (ids[i], ids[j]) if ids[i].int < ids[j].int else (ids[j], ids[i])
        ca, cb = clusters[i], clusters[j]
        pair = (ca, cb) if ca.int < cb.int else (cb, ca)
        if ca == cb or pair in seen or (a, b) in existing or (a, b) in decided:
            continue
        seen.add(pair)
        items.append(ReviewItem(record_a_id=a, record_b_id=b, probability=float(res.probability[k]),
                                source=ReviewItem.Source.BATCH, run=run))
    ReviewItem.objects.bulk_create(items, batch_size=2000, ignore_conflicts=True)
    Run.objects.filter(pk=run.pk).update(
        status=Run.Status.DONE, finished_at=timezone.now(), stage="done", progress=1.0, model=mv,
        records=len(ids), pairs=len(res.pair_i), linked=int(res.linked.sum()), moved=len(moves),
        review_items=len(items), timings=res.timings,
    )
    audit_record(actor=run.started_by, action=AuditEvent.Action.UPDATE, object_type="identity_run", object_id=str(run.pk),
                 detail={"op": "identity_batch", "records": len(ids), "moved": len(moves), "review_items": len(items)})
