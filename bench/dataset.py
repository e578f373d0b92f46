"""Create a benchmark dataset: a new database, migrated, with N synthetic arrivals.

    .venv/bin/python bench/dataset.py --size 100000 --db sqlite
    .venv/bin/python bench/dataset.py --size 1000000 --db postgres

SQLite goes to var/bench/mirps-N.sqlite3 (git-ignored), PostgreSQL to the database
mirps_bench_N (dropped and created again). Prints how long the generation took.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import harness


def main() -> None:
    args = harness.arguments(__doc__.splitlines()[0], lambda p: p.add_argument("--seed", type=int, default=2026))
    url = args.database_url or harness.database_url(args.size, args.db)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite://"))
        path.parent.mkdir(parents=True, exist_ok=True)
        for p in path.parent.glob(path.name + "*"):
            p.unlink()
    else:
        import psycopg
        from psycopg import sql

        base, name = url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    harness.start_django(args, must_exist=False)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    cpu = _cpu_seconds()
    # Bulk only (no arrivals through the single-row service): the point is the data, fast.
    call_command("demo", "--size", str(args.size), "--seed", str(args.seed), "--service-days", "0", stdout=sys.stdout)
    seconds = time.perf_counter() - t
    cpu = _cpu_seconds() - cpu
    facts = {**harness.database(), **harness.machine()}
    print()
    print(harness.table(
        "Dataset generation", ("metric", "value"),
        [("arrivals requested", f"{args.size:,}"), ("wall time", f"{seconds:,.1f} s"),
         ("rate", f"{args.size / seconds:,.0f} arrivals/s"),
         ("CPU time of this process and its generator child", f"{cpu:,.1f} s"),
         ("rate per CPU second (robust to other load)", f"{args.size / cpu:,.0f} arrivals/s")],
        facts,
    ))


def _cpu_seconds() -> float:
    """User + system time of this process and its finished children (the generator)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


if __name__ == "__main__":
    main()
