"""Load rate into an existing dataset: the registration service, the bulk import service, raw inserts.

    .venv/bin/python bench/load.py --size 100000 --db sqlite [--rows 2000] [--service-rows 500] [--runs 5]

The same generated arrivals (new people, their returns, families) are written three ways:
1. `arrival_register`, one call per arrival, in transactions of 100 (what the forms and API do);
2. `arrivals_import_bulk` (mirps/demo/importer.py), batches of 1,000 per reception point: same
   validation, derived fields, counts and audit, with set-based lookups and bulk inserts;
3. raw: Django `bulk_create` of the very model instances that (2) produced, nothing else.
Every run happens inside a transaction that is rolled back, so the dataset stays at its size
(the commit itself is not timed; with one commit per batch it is small next to the inserts).
"""

from __future__ import annotations

import time
from typing import Any

import harness


def extra(p: Any) -> None:
    p.add_argument("--rows", type=int, default=2000, help="arrivals per run for the bulk and raw paths")
    p.add_argument("--service-rows", type=int, default=500, help="arrivals per run for the one-by-one service")
    p.add_argument("--seed", type=int, default=99)


class Rollback(Exception):
    pass


def main() -> None:
    args = harness.arguments(__doc__.splitlines()[0], extra)
    harness.start_django(args)
    from django.db import models, transaction
    from django.utils import timezone

    from mirps.accounts.models import Role, User
    from mirps.core.access import Actor
    from mirps.demo.generator import Generator, Planned
    from mirps.demo.importer import ImportRow, Lookups, arrivals_import_bulk
    from mirps.demo.users import DEMO_USERS
    from mirps.registration.models import Arrival, FamilyGroup, IdentityDocument, Person, Screening
    from mirps.registration.services import arrival_register

    facts = {**harness.database(), **harness.machine()}
    registrars = {
        d.site: Actor.of(User.objects.get(username=d.username)) for d in DEMO_USERS if d.role == Role.REGISTRAR
    }
    taken = set(Person.objects.exclude(dni=None).values_list("dni", flat=True))
    plans: list[Planned] = list(
        Generator(size=args.rows, seed=args.seed, now=timezone.now(), reserved_dnis=taken).plans()
    )
    del taken

    def in_rollback(fn: Any) -> Any:
        try:
            with transaction.atomic():
                result = fn()
                raise Rollback
        except Rollback:
            return result

    # 1. One by one through arrival_register.
    def service_run() -> tuple[float, list[float]]:
        ids: dict[Any, Any] = {}
        groups: dict[str, Any] = {}
        latencies = []
        rows = plans[: args.service_rows]
        t0 = time.perf_counter()
        for i in range(0, len(rows), 100):
            with transaction.atomic():
                for p in rows[i : i + 100]:
                    t = time.perf_counter()
                    a, _ = arrival_register(
                        actor=registrars[p.arrival.reception_point], arrival=p.arrival, screening=p.screening,
                        person=p.new_person, person_id=None if p.new_person else ids[p.record_id],
                        family_group_id=groups.get(p.family_key), client_uuid=p.client_uuid,
                    )
                    latencies.append(time.perf_counter() - t)
                    ids.setdefault(p.record_id, a.person_id)
                    if p.family_key:
                        groups.setdefault(p.family_key, a.family_group_id)
        return len(rows) / (time.perf_counter() - t0), latencies

    # 2. Batches through arrivals_import_bulk (a record's rows stay in order across points).
    def import_batches() -> list[tuple[str, list[ImportRow]]]:
        out: list[tuple[str, list[ImportRow]]] = []
        pending: dict[str, list[Planned]] = {}
        where: dict[Any, str] = {}

        def flush() -> None:
            for rp, ps in pending.items():
                out.append((rp, [
                    ImportRow(arrival=p.arrival, screening=p.screening, person=p.new_person,
                              new_person_id=p.record_id if p.new_person else None,
                              person_id=None if p.new_person else p.record_id,
                              family_key=p.family_key, client_uuid=p.client_uuid)
                    for p in ps
                ]))
            pending.clear()
            where.clear()

        for p in plans:
            rp = p.arrival.reception_point
            if where.get(p.record_id, rp) != rp or len(pending.get(rp, [])) >= 1000:
                flush()
            pending.setdefault(rp, []).append(p)
            where[p.record_id] = rp
        flush()
        return out

    batches = import_batches()

    def import_run() -> float:
        t0 = time.perf_counter()
        lookups = Lookups.load()
        for rp, rows in batches:
            arrivals_import_bulk(actor=registrars[rp], rows=rows, lookups=lookups)
        return len(plans) / (time.perf_counter() - t0)

    # 3. Raw: bulk_create of the instances the import produced (captured once, then rolled back).
    def capture() -> list[tuple[type[models.Model], list[models.Model]]]:
        import_run()
        arrivals = list(Arrival.objects.filter(client_uuid__in=[p.client_uuid for p in plans]))
        aids = [a.pk for a in arrivals]
        pids = {a.person_id for a in arrivals}
        screenings = list(Screening.objects.filter(arrival_id__in=aids))
        sids = [s.pk for s in screenings]
        out: list[tuple[type[models.Model], list[models.Model]]] = [
            (Person, list(Person.objects.filter(pk__in=pids))),
            (IdentityDocument, list(IdentityDocument.objects.filter(person_id__in=pids))),
            (FamilyGroup, list(FamilyGroup.objects.filter(pk__in={a.family_group_id for a in arrivals} - {None}))),
            (Arrival, arrivals),
            (Screening, screenings),
        ]
        for owner, name, key, ids in ((Arrival, "reasons", "arrival_id", aids), (Arrival, "immediate_needs", "arrival_id", aids),
                                      (Screening, "violence_types", "screening_id", sids),
                                      (Screening, "perpetrator_types", "screening_id", sids),
                                      (Screening, "specific_needs", "screening_id", sids)):
            through = getattr(owner, name).through
            out.append((through, list(through.objects.filter(**{f"{key}__in": ids}))))
        return out

    instances = in_rollback(capture)

    def raw_run() -> float:
        t0 = time.perf_counter()
        for model, objs in instances:
            model.objects.bulk_create(objs, batch_size=1000)
        return len(plans) / (time.perf_counter() - t0)

    service_rates, latencies, import_rates, raw_rates = [], [], [], []
    for _run in range(args.runs):
        rate, lat = in_rollback(service_run)
        service_rates.append(rate)
        latencies += lat
        import_rates.append(in_rollback(import_run))
        raw_rates.append(in_rollback(raw_run))

    med = harness.median
    s, i, r = med(service_rates), med(import_rates), med(raw_rates)
    rows = [
        ("arrival_register, one by one", f"{args.service_rows:,}", f"{s:,.0f}", f"{min(service_rates):,.0f}",
         f"p50 {harness.percentile(latencies, 50) * 1000:.1f} ms, p95 {harness.percentile(latencies, 95) * 1000:.1f} ms"),
        ("arrivals_import_bulk (batches of 1,000)", f"{len(plans):,}", f"{i:,.0f}", f"{min(import_rates):,.0f}", ""),
        ("raw bulk_create of the same instances", f"{len(plans):,}", f"{r:,.0f}", f"{min(raw_rates):,.0f}", ""),
        ("ratio service / raw", "", f"{s / r:.3f}", "", "target >= 0.5"),
        ("ratio import service / raw", "", f"{i / r:.2f}", "", "target >= 0.5"),
    ]
    print(harness.table(
        f"Load rate into {args.size:,} arrivals ({args.db}), median of {args.runs} runs",
        ("path", "rows per run", "arrivals/s (median)", "worst run", "per arrival"), rows, facts,
    ))


if __name__ == "__main__":
    main()
