"""Turns generated plans into rows: in bulk for the past, through `arrival_register` for recent days.

Bulk batches go through `arrivals_import_bulk` (same rules as the service, bulk inserts), one
reception point at a time because a registrar registers only at their own point. The truth
tables are written in the same transaction as the rows they describe.

Follow-up work is simulated too, so that protection queues look like a working office's: most
older cases are closed, recent ones are still open or taken.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from mirps.core.access import Actor
from mirps.demo.generator import Planned
from mirps.demo.importer import Imported, ImportRow, Lookups, arrivals_import_bulk
from mirps.demo.inserts import insert_tuples, uuid_value
from mirps.demo.models import ArrivalTruth, PersonTruth
from mirps.registration.models import Arrival, FollowUpStatus, NeedLevel
from mirps.registration.services import arrival_register, followup_take

CHUNK = 10_000  # rows per bulk transaction: bounded memory, few commits
Progress = Callable[[int, float], None]


@dataclass
class LoadReport:
    arrivals: int = 0
    persons: int = 0
    via_service: int = 0
    seconds: float = 0.0
    last_true_id: int = 0


@dataclass
class Loader:
    """Loads plans with the demo registrars (`registrars`: reception point code -> actor)."""

    registrars: dict[str, Actor]
    protection: dict[str, Actor]  # institution code -> protection officer, to take follow-ups
    now: datetime
    seed: int = 0
    progress: Progress | None = None
    report: LoadReport = field(default_factory=LoadReport)

    def __post_init__(self) -> None:
        self.lookups = Lookups.load()
        self.rng = random.Random(self.seed + 1)  # its own stream: plans stay the same whatever happens here
        self._pending: dict[str, list[Planned]] = {}
        self._pending_rp: dict[uuid.UUID, str] = {}  # record -> reception point of its pending rows
        self._ids: dict[uuid.UUID, uuid.UUID] = {}  # generator record id -> Person id made by the service
        self._groups: dict[str, uuid.UUID] = {}
        self._started = time.perf_counter()

    def load(self, plans: Iterable[Planned], *, service_from: datetime | None = None) -> LoadReport:
        """Bulk-load plans before `service_from`, register the rest one by one through the service."""
        if connection.vendor == "sqlite":
            with connection.cursor() as cur:  # a big page cache: the indexes of a million rows stay in memory
                cur.execute("PRAGMA cache_size = -262144")
        for plan in plans:
            if service_from is not None and plan.arrival.arrived_at >= service_from:
                self._flush()
                self._register(plan)
            else:
                self._queue(plan)
        self._flush()
        with connection.cursor() as cur:
            # Planner statistics after a bulk load, as after any import: without them PostgreSQL
            # (autovacuum had not run) and SQLite (never, unless asked) pick slow plans.
            cur.execute("ANALYZE")
        self.report.seconds = time.perf_counter() - self._started
        return self.report

    # --- bulk -------------------------------------------------------------------------------

    def _queue(self, plan: Planned) -> None:
        rp = plan.arrival.reception_point
        other = self._pending_rp.get(plan.record_id)
        if other is not None and other != rp:
            # This record has rows waiting at another point: write those first to keep the order.
            self._flush()
        self._pending.setdefault(rp, []).append(plan)
        self._pending_rp[plan.record_id] = rp
        if sum(len(v) for v in self._pending.values()) >= CHUNK:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        with transaction.atomic():
            for rp, plans in self._pending.items():
                rows = [
                    ImportRow(
                        arrival=p.arrival, screening=p.screening,
                        person=p.new_person, new_person_id=p.record_id if p.new_person else None,
                        person_id=None if p.new_person else self._ids.get(p.record_id, p.record_id),
                        family_key=p.family_key, client_uuid=p.client_uuid,
                        registered_at=p.arrival.arrived_at + timedelta(minutes=self.rng.randint(20, 150)),
                    )
                    for p in plans
                ]
                arrivals = arrivals_import_bulk(actor=self.registrars[rp], rows=rows, lookups=self.lookups)
                self._truth(plans, arrivals)
                self._simulate_follow_up(arrivals)
        self._pending.clear()
        self._pending_rp.clear()

    def _truth(self, plans: list[Planned], arrivals: list[Imported]) -> None:
        pairs = list(zip(plans, arrivals, strict=True))
        insert_tuples(
            PersonTruth._meta.db_table, ["person_id", "true_id"],
            ((uuid_value(a.person_id), p.true_id) for p, a in pairs if p.new_person),
        )
        insert_tuples(ArrivalTruth._meta.db_table, ["arrival_id", "true_id"], ((uuid_value(a.pk), p.true_id) for p, a in pairs))
        self._count(len(arrivals), sum(1 for p in plans if p.new_person), max(p.true_id for p in plans))

    def _simulate_follow_up(self, arrivals: list[Imported]) -> None:
        """Most cases older than a month are closed, some recent ones are still waiting."""
        taken, closed = [], []
        for a in arrivals:
            if a.need_level == NeedLevel.NONE:
                continue
            age = self.now - a.arrived_at
            r = self.rng.random()
            odds = (0.0, 0.3) if age < timedelta(days=3) else (0.5, 0.8) if age < timedelta(days=30) else (0.92, 0.99)
            if r < odds[0]:
                closed.append(a.pk)
            elif r < odds[1]:
                taken.append(a.pk)
        for status, ids in ((FollowUpStatus.TAKEN, taken), (FollowUpStatus.CLOSED, closed)):
            if ids:
                Arrival.objects.filter(pk__in=ids).update(follow_up_status=status)

    # --- service ----------------------------------------------------------------------------

    def _register(self, plan: Planned) -> None:
        """The real path: one `arrival_register` call, as the registration form makes it."""
        actor = self.registrars[plan.arrival.reception_point]
        with transaction.atomic():
            arrival, _created = arrival_register(
                actor=actor,
                arrival=plan.arrival,
                screening=plan.screening,
                person=plan.new_person,
                person_id=None if plan.new_person else self._ids.get(plan.record_id, plan.record_id),
                family_group_id=self._groups.get(plan.family_key) if plan.family_key else None,
                client_uuid=plan.client_uuid,
            )
            if plan.new_person:
                self._ids[plan.record_id] = arrival.person_id
                PersonTruth.objects.create(person_id=arrival.person_id, true_id=plan.true_id)
            if plan.family_key and arrival.family_group_id:
                self._groups[plan.family_key] = arrival.family_group_id
            ArrivalTruth.objects.create(arrival_id=arrival.pk, true_id=plan.true_id)
            if arrival.need_level != NeedLevel.NONE and self.rng.random() < 0.3:
                officer = self.protection.get(arrival.follow_up_institution.code)  # type: ignore[union-attr]
                if officer is not None:
                    followup_take(actor=officer, arrival_id=arrival.pk)
        self.report.via_service += 1
        self._count(1, 1 if plan.new_person else 0, plan.true_id)

    def _count(self, arrivals: int, persons: int, true_id: int) -> None:
        before = self.report.arrivals
        self.report.arrivals += arrivals
        self.report.persons += persons
        self.report.last_true_id = max(self.report.last_true_id, true_id)
        if self.progress and self.report.arrivals // 50_000 != before // 50_000:
            self.progress(self.report.arrivals, time.perf_counter() - self._started)


def service_cutoff(now: datetime, days: int) -> datetime | None:
    """Arrivals of the last `days` days go through the registration service; None when 0."""
    return timezone.localtime(now) - timedelta(days=days) if days > 0 else None
