"""Dashboard render time: GET /stats/ as the national coordinator, through the whole Django stack.

    .venv/bin/python bench/dashboard.py --size 100000 --db sqlite [--requests 20] [--runs 5]

Uses django.test.Client (middleware, session, template rendering; no network). The first
request of the process is reported apart (cold caches); then `--requests` requests per run.
Fails clearly when the stats page is not there (the stats app is written by another team).
"""

from __future__ import annotations

import time
from typing import Any

import harness

TARGET_MS = 300
PATHS = ("/stats/",)


def extra(p: Any) -> None:
    p.add_argument("--requests", type=int, default=20, help="requests per run (default 20)")
    p.add_argument("--user", default="coordinacion", help="demo user to sign in as (default coordinacion)")


def main() -> None:
    args = harness.arguments(__doc__.splitlines()[0], extra)
    harness.start_django(args)
    from django.test import Client
    from django.urls import Resolver404, resolve

    from mirps.accounts.models import User

    facts = {**harness.database(), **harness.machine()}
    for path in PATHS:
        try:
            resolve(path)
        except Resolver404:
            raise SystemExit(f"FAIL: {path} is not routed yet (mirps/stats/urls.py): nothing to measure.") from None
    user = User.objects.filter(username=args.user).first()
    if user is None:
        raise SystemExit(f"FAIL: no user {args.user!r} in this dataset (create it with bench/dataset.py)")
    client = Client()
    client.force_login(user)

    rows = []
    for path in PATHS:
        t = time.perf_counter()
        first = client.get(path)
        cold = time.perf_counter() - t
        if first.status_code != 200:
            raise SystemExit(f"FAIL: GET {path} as {args.user} answered {first.status_code}, not 200")
        timings: list[float] = []
        medians: list[float] = []
        for _run in range(args.runs):
            run = []
            for _i in range(args.requests):
                t = time.perf_counter()
                r = client.get(path)
                run.append(time.perf_counter() - t)
                assert r.status_code == 200, r.status_code
            timings += run
            medians.append(harness.median(run))
        p95 = harness.percentile(timings, 95) * 1000
        rows.append((
            f"GET {path} ({args.user})", f"{len(first.content) / 1024:,.0f} KiB", f"{cold * 1000:.0f}",
            f"{len(timings)}", f"{harness.median(medians) * 1000:.0f}", f"{harness.percentile(timings, 50) * 1000:.0f}",
            f"{p95:.0f}", "yes" if p95 < TARGET_MS else "NO",
        ))
    print(harness.table(
        f"Dashboard at {args.size:,} arrivals ({args.db})",
        ("page", "size", "first request ms", "requests", "median of run medians ms", "p50 ms", "p95 ms",
         f"p95 < {TARGET_MS} ms"),
        rows, facts,
    ))


if __name__ == "__main__":
    main()
