"""What every benchmark shares: choosing the dataset, starting Django, timing, and the report table.

A dataset is named by its size and database: `--size 100000 --db sqlite` is the SQLite file
var/bench/mirps-100000.sqlite3, `--db postgres` the PostgreSQL database mirps_bench_100000 on
127.0.0.1 (override either with --database-url). `bench/dataset.py` creates them.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_HOST = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def database_url(size: int, db: str) -> str:
    if db == "sqlite":
        return f"sqlite:///{ROOT / 'var' / 'bench' / f'mirps-{size}.sqlite3'}"
    if db == "postgres":
        return f"{PG_HOST}/mirps_bench_{size}"
    raise SystemExit(f"--db must be sqlite or postgres, not {db!r}")


def arguments(description: str, extra: Callable[[argparse.ArgumentParser], None] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--size", type=int, default=100_000, help="arrivals in the dataset (default 100000)")
    p.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    p.add_argument("--database-url", default="", help="use this database instead of the named dataset")
    p.add_argument("--runs", type=int, default=5, help="repetitions of each measurement (default 5)")
    if extra:
        extra(p)
    return p.parse_args()


def start_django(args: argparse.Namespace, *, must_exist: bool = True) -> str:
    """Point Django at the dataset and set it up; returns the database URL."""
    url = args.database_url or database_url(args.size, args.db)
    if must_exist and url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite://")).exists():
        raise SystemExit(f"No dataset at {url}: create it with bench/dataset.py --size {args.size} --db {args.db}")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Production-like: DEBUG off (it logs every query), a fixed key since nothing here is served.
    os.environ["MIRPS_DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 50)
    os.environ.setdefault("SECURE_COOKIES", "0")
    sys.path.insert(0, str(ROOT))
    # Static files are not collected for benchmarks; WhiteNoise's warning about it is noise here.
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    return url


def machine() -> dict[str, str]:
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = ""
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    load = os.getloadavg()
    return {
        "code": _commit(),
        "cpu": cpu, "cores": str(os.cpu_count()), "ram": ram, "python": platform.python_version(),
        "load average (1/5/15 min)": f"{load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}",
    }


def _commit() -> str:
    """The commit measured, marked when the work tree has changes (results follow the code)."""
    import subprocess

    def git(*a: str) -> str:
        return subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()  # noqa: S603, S607

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + (" + uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else "")


def database() -> dict[str, str]:
    """Vendor, version, size on disk and row counts of the dataset in use."""
    from django.db import connection

    from mirps.registration.models import Arrival, Person

    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT version(), pg_size_pretty(pg_database_size(current_database()))")
            version, size = cur.fetchone()
            version = version.split(" on ")[0]
            name = connection.settings_dict["NAME"]
        else:
            cur.execute("SELECT sqlite_version()")
            version = "SQLite " + cur.fetchone()[0]
            path = Path(connection.settings_dict["NAME"])
            size = f"{sum(p.stat().st_size for p in path.parent.glob(path.name + '*')) / 2**20:,.0f} MB"
            name = str(path)
    return {
        "database": f"{version} ({name})", "database size": size,
        "arrivals": f"{Arrival.objects.count():,}", "person records": f"{Person.objects.count():,}",
    }


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, round(p / 100 * len(s) + 0.5) - 1))
    return s[k]


def timed(fn: Callable[[], Any]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def median(values: list[float]) -> float:
    return statistics.median(values)


def table(title: str, header: tuple[str, ...], rows: list[tuple[Any, ...]], facts: dict[str, str]) -> str:
    """A plain-text table (Markdown-compatible) with the facts about data and machine under it."""
    cells = [tuple(str(c) for c in header)] + [tuple(str(c) for c in r) for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"  # noqa: E731
    out = [f"## {title}", "", line(cells[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(r) for r in cells[1:]]
    out.append("")
    out += [f"- {k}: {v}" for k, v in facts.items()]
    return "\n".join(out) + "\n"
