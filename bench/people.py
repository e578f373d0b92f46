"""People and re-migration page: time of its selector (`people_get`) and of GET /stats/people/.

    .venv/bin/python bench/people.py --size 100000 --db sqlite [--runs 5] [--calls 5]
    .venv/bin/python bench/people.py --database-url sqlite:////tmp/people100k.sqlite3

The page reads identity clusters. `--clusters as-is` (the default) measures the dataset as it
is: a dataset made before registration created identity records has none for most Person
records, and each counts as a person of its own (the query's COALESCE), like an unresolved
registry. `--clusters truth` first makes resolution perfect, from the demo's ground truth:
the missing records are inserted and every record gets the cluster of its true human. That
is committed (a rolled-back transaction would leave SQLite reading every page through the
uncommitted WAL, slower than what is measured otherwise): use it on a copy, or on a dataset
whose clusters you do not need.

Each case is timed three ways, `--calls` times per run, `--runs` runs, each run in a transaction
rolled back at its end: the whole statement (cache emptied first), the kept counts when nothing
is new, and the first view after registering one new arrival through `arrival_register` as
registro.sps (a person without DNI, random common names: some are linked automatically), which
brings the kept counts forward. Those counts are then compared with the next whole statement
(same data): the script fails if they differ. The table gives the median of the run medians and the p95 of all
calls. The first call of the process is reported apart.

`--verify` also recomputes every case in Python from the raw arrivals (a plain reading of the
definitions in `mirps/stats/remigration.py`) and fails when any count differs from the SQL.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from typing import Any

import harness

TARGET_MS = 1000


def extra(p: Any) -> None:
    p.add_argument("--calls", type=int, default=5, help="calls per run and case (default 5)")
    p.add_argument("--clusters", choices=("truth", "as-is"), default="as-is")
    p.add_argument("--user", default="coordinacion", help="demo user for the page (default coordinacion)")
    p.add_argument("--verify", action="store_true", help="check the SQL against a Python recount")


def recount(filters: Any) -> tuple[dict[tuple[Any, ...], list[int]], int]:
    """The counts of `people_counts`, by brute force over every arrival (slow, obviously right)."""
    from django.conf import settings
    from django.utils import timezone

    from mirps.identity.models import Record
    from mirps.registration.models import Arrival
    from mirps.stats import builders
    from mirps.stats.remigration import UNKNOWN, WINDOWS

    bands = builders.age_bands(settings.STATS_AGE_BANDS)
    cluster_of = dict(Record.objects.values_list("person_id", "cluster"))
    rows = Arrival.objects.values_list(
        "id", "person_id", "arrived_at", "reception_point_id", "age_years",
        "destination__department__code", "person__sex",
    )

    def month_index(at: Any) -> int:
        d = timezone.localtime(at, timezone.get_default_timezone()).date()
        return (d.year - filters.month_from.year) * 12 + d.month - filters.month_from.month

    def band(age: int | None) -> str:
        return UNKNOWN if age is None else builders.age_band_of(str(age), bands)

    def ok(r: Any, idx: int) -> bool:
        return (
            0 <= idx < len(filters.months)
            and (filters.reception_point_id is None or r[3] == filters.reception_point_id)
            and (not filters.sex or r[6] == filters.sex)
            and (not filters.department or r[5] == filters.department)
            and (not filters.age_band or band(r[4]) == filters.age_band)
        )

    by_cluster: dict[Any, list[Any]] = defaultdict(list)
    for r in rows:
        by_cluster[cluster_of.get(r[1], r[1])].append(r)
    out: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0] * (5 + len(WINDOWS)))
    persons = set()
    for arrivals in by_cluster.values():
        arrivals.sort(key=lambda r: (r[2], r[0]))
        idxs = [month_index(r[2]) for r in arrivals]
        seen_months: set[int] = set()
        seen_period = False
        for i, r in enumerate(arrivals):
            idx = idxs[i]
            if not ok(r, idx):
                continue
            persons.add(r[1])
            acc = out[(idx, r[6], band(r[4]), r[5])]
            acc[0] += 1
            if idx not in seen_months:
                seen_months.add(idx)
                acc[1] += 1
                acc[2] += idxs[0] == idx
                nxt = idxs[i + 1] if i + 1 < len(arrivals) else None
                for k, w in enumerate(WINDOWS):
                    acc[3 + k] += nxt is not None and nxt <= idx + w
            if not seen_period:
                seen_period = True
                acc[3 + len(WINDOWS)] += 1
                acc[4 + len(WINDOWS)] += idxs[0] >= 0
    return dict(out), len(persons)


def verify(filters: Any) -> str:
    from mirps.stats.remigration import people_counts

    counts = people_counts(filters=filters)
    sql = {
        (filters.months.index(g.month), g.sex, g.band, g.department): [
            g.arrivals, g.people, g.first, *g.again, g.period_people, g.period_new
        ]
        for g in counts.groups
    }
    ref, records = recount(filters)
    if sql != ref or counts.records != records:
        diff = {k: (sql.get(k), ref.get(k)) for k in set(sql) | set(ref) if sql.get(k) != ref.get(k)}
        raise SystemExit(f"FAIL: SQL and recount differ for {filters}: {list(diff.items())[:5]} records {counts.records} / {records}")
    return f"{len(sql):,} groups, {sum(v[0] for v in sql.values()):,} arrivals, {records:,} records: same"


def resolve_from_truth() -> dict[str, int]:
    """Insert the missing identity records, then cluster every record by its true human."""
    from django.db import connection

    from mirps.demo.models import PersonTruth
    from mirps.identity.models import Record
    from mirps.registration.models import Person

    rec, per = Record._meta.db_table, Person._meta.db_table
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {rec} (person_id, cluster, given_names, surname1, surname2, sex, birth_date,"
            f" birth_date_estimated, dni, municipality, first_arrival)"
            f" SELECT p.id, p.id, p.given_names, p.surname1, p.surname2, p.sex, p.birth_date,"
            f" p.birth_date_estimated, COALESCE(p.dni, ''), '', NULL FROM {per} p"
            f" WHERE NOT EXISTS (SELECT 1 FROM {rec} r WHERE r.person_id = p.id)"
        )
        inserted = cur.rowcount
        cur.execute(f"UPDATE {rec} SET cluster = person_id")
    members: dict[int, list[Any]] = defaultdict(list)
    for pid, true_id in PersonTruth.objects.values_list("person_id", "true_id"):
        members[true_id].append(pid)
    moves = [(min(ids), pid) for ids in members.values() if len(ids) > 1 for pid in ids]
    for cluster, pid in moves:
        Record.objects.filter(pk=pid).update(cluster=cluster)
    return {"records inserted": inserted, "records in multi-record clusters": len(moves), "humans": len(members)}


MODES = {
    "whole": "whole statement (nothing kept)",
    "kept": "kept counts, nothing new",
    "forward": "after 1 new arrival (brought forward)",
}


def _someone(rng: random.Random) -> Any:
    """A person typed at the counter, without a DNI (some will match earlier people)."""
    from datetime import date

    from mirps.core.testing import person_input

    given = rng.choice(["José", "María", "Juan Carlos", "Ana Lucía", "Kevin", "Dilcia", "Elvin", "Rosa"])
    surnames = ["Hernández", "López", "Martínez", "Rodríguez", "Mejía", "Flores", "Zelaya", "Cruz"]
    return person_input(
        given_names=given, surname1=rng.choice(surnames), surname2=rng.choice(surnames),
        sex=rng.choice("MF"), birth_date=date(rng.randint(1970, 2005), rng.randint(1, 12), rng.randint(1, 28)),
        document_situation="lost", dni="",
    )


def main() -> None:
    args = harness.arguments(__doc__.splitlines()[0], extra)
    harness.start_django(args)
    from django.core.cache import cache
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from mirps.accounts.models import Site, User
    from mirps.core.access import Actor
    from mirps.core.testing import arrival_input, register
    from mirps.geo.models import Department
    from mirps.identity.models import Record
    from mirps.stats.remigration import PeopleFilters, _cached_counts, people_get
    from mirps.stats.selectors import add_months

    user = User.objects.filter(username=args.user).first()
    if user is None:
        raise SystemExit(f"FAIL: no user {args.user!r} in this dataset (create it with bench/dataset.py)")
    facts = {**harness.database(), **harness.machine()}
    actor = Actor.of(user)
    this = timezone.localdate().replace(day=1)
    default = PeopleFilters.default()
    busiest = Department.objects.get(code="05")
    cases = {
        "people_get, 36 months (default)": default,
        "people_get, 12 months": PeopleFilters(month_from=add_months(this, -11), month_to=this),
        "people_get, 36 months, Cortés, women": PeopleFilters(
            month_from=default.month_from, month_to=default.month_to, department=busiest.code, sex="F"
        ),
        "people_get, 12 months, one reception point, 18-29": PeopleFilters(
            month_from=add_months(this, -11), month_to=this, age_band="18-29",
            reception_point_id=Site.objects.get(code="camr-sps").pk,
        ),
    }

    rows = []
    if args.clusters == "truth":
        t = time.perf_counter()
        with transaction.atomic():
            facts.update({k: f"{v:,}" for k, v in resolve_from_truth().items()})
        with connection.cursor() as cur:
            cur.execute(f"ANALYZE {Record._meta.db_table}")
        facts["clustering from truth (not timed below)"] = f"{time.perf_counter() - t:.1f} s"
    facts["people (clusters)"] = f"{Record.objects.values('cluster').distinct().count():,}"
    if args.verify:
        for name, filters in cases.items():
            facts[f"verified: {name}"] = verify(filters)
    first = harness.timed(lambda: people_get(actor=actor, filters=default))
    registrar = User.objects.filter(username="registro.sps").first()
    if registrar is None:
        raise SystemExit("FAIL: no user 'registro.sps' in this dataset (create it with bench/dataset.py)")
    rng = random.Random(11)
    got: list[Any] = []  # each call's counts: brought forward, then the whole statement on the same data

    def counts(f: Any) -> Any:
        """The counts the last call published, as kept (untimed: nothing is new since)."""
        c = _cached_counts(f)
        return sorted(c.groups), c.records
    for name, filters in cases.items():
        modes: dict[str, tuple[list[float], list[float]]] = {m: ([], []) for m in MODES}
        for _run in range(args.runs):
            run: dict[str, list[float]] = {m: [] for m in MODES}
            with transaction.atomic():  # the arrivals registered here are rolled back
                for _ in range(args.calls):
                    cache.clear()
                    run["whole"].append(harness.timed(lambda f=filters: people_get(actor=actor, filters=f)))
                    got.append(counts(filters))
                    if len(got) > 1 and got[-1] != got[-2]:
                        raise SystemExit(f"FAIL: counts brought forward differ from the whole statement ({name})")
                    run["kept"].append(harness.timed(lambda f=filters: people_get(actor=actor, filters=f)))
                    register(registrar, person=_someone(rng), arrival=arrival_input(arrived_at=timezone.now()))
                    run["forward"].append(harness.timed(lambda f=filters: people_get(actor=actor, filters=f)))
                    got.append(counts(filters))
                transaction.set_rollback(True)
            got.clear()
            cache.clear()
            for m, values in run.items():
                modes[m][0].extend(values)
                modes[m][1].append(harness.median(values))
        for m, label in MODES.items():
            timings, medians = modes[m]
            rows.append(_row(f"{name}: {label}", len(timings), medians, timings))
    client = Client()
    client.force_login(user)
    r = client.get("/stats/people/")
    if r.status_code != 200:
        raise SystemExit(f"FAIL: GET /stats/people/ as {args.user} answered {r.status_code}, not 200")
    timings, medians = [], []
    for _run in range(args.runs):
        run = [harness.timed(lambda: client.get("/stats/people/")) for _ in range(args.calls)]
        timings += run
        medians.append(harness.median(run))
    rows.append(_row(f"GET /stats/people/ ({args.user}, {len(r.content) / 1024:,.0f} KiB)", len(timings), medians, timings))
    facts["first call of the process"] = f"{(first or 0) * 1000:.0f} ms"
    print(harness.table(
        f"People and re-migration at {args.size:,} arrivals ({connection.vendor}, clusters {args.clusters})",
        ("case", "calls", "median of run medians ms", "p50 ms", "p95 ms", f"p95 < {TARGET_MS} ms"),
        rows, facts,
    ))


def _row(name: str, n: int, medians: list[float], timings: list[float]) -> tuple[Any, ...]:
    p95 = harness.percentile(timings, 95) * 1000
    return (
        name, n, f"{harness.median(medians) * 1000:.0f}", f"{harness.percentile(timings, 50) * 1000:.0f}",
        f"{p95:.0f}", "yes" if p95 < TARGET_MS else "NO",
    )


if __name__ == "__main__":
    main()
