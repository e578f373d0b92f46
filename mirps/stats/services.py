"""Keeps the pre-aggregated arrival counts exact. Called by registration services only."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.utils import timezone

from mirps.stats.models import ArrivalCount

if TYPE_CHECKING:
    from mirps.registration.models import Arrival, Person

Key = tuple[date, int, str, str]  # month, reception point id, dimension, key

DIMENSIONS = (
    "total", "country", "modality", "sex", "age", "need", "department",
    "reason", "return_type", "travel_mode", "sequence",
)


def month_of(arrival: Arrival) -> date:
    return timezone.localtime(arrival.arrived_at).date().replace(day=1)


def arrival_keys(
    *, arrival: Arrival, sex: str, department_code: str, country_iso2: str, reason_codes: Iterable[str]
) -> list[Key]:
    """The count cells one arrival adds to; the single definition used by live updates and rebuilds."""
    m = month_of(arrival)
    rp = arrival.reception_point_id
    seq = arrival.sequence
    cells = [
        ("total", "all"),
        ("country", country_iso2),
        ("modality", arrival.modality),
        ("sex", sex),
        ("age", str(arrival.age_years) if arrival.age_years is not None else "unknown"),
        ("need", arrival.need_level),
        ("department", department_code),
        ("return_type", arrival.return_type),
        ("travel_mode", arrival.travel_mode),
        ("sequence", "1" if seq == 1 else ("2" if seq == 2 else "3+")),
    ]
    cells += [("reason", c) for c in reason_codes]
    return [(m, rp, d, k) for d, k in cells]


def arrival_counts_apply(*, arrival: Arrival, target_person: Person, reason_codes: list[str], sign: int) -> None:
    keys = arrival_keys(
        arrival=arrival,
        sex=target_person.sex,
        department_code=arrival.destination.department.code,
        country_iso2=arrival.country_from.iso2,
        reason_codes=reason_codes,
    )
    arrival_counts_add(Counter({k: sign for k in keys}))


def arrival_counts_add(deltas: Counter[Key]) -> None:
    """Add deltas to the count cells in one statement per chunk (insert or increment)."""
    if not deltas:
        return
    table = ArrivalCount._meta.db_table
    sql = (
        f"INSERT INTO {table} (month, reception_point_id, dimension, key, count) "  # noqa: S608 - table name is ours
        f"VALUES (%s, %s, %s, %s, %s) "
        f"ON CONFLICT (month, reception_point_id, dimension, key) "
        f"DO UPDATE SET count = {table}.count + excluded.count"
    )
    rows = [(k[0], k[1], k[2], k[3], v) for k, v in deltas.items() if v]
    with transaction.atomic(), connection.cursor() as cur:
        cur.executemany(sql, rows)


@transaction.atomic
def stats_rebuild() -> int:
    """Recompute every count cell from the arrivals (after an import or a rule change)."""
    from mirps.registration.models import Arrival

    ArrivalCount.objects.all().delete()
    deltas: Counter[Key] = Counter()
    qs = (
        Arrival.objects.select_related("person", "destination__department", "country_from")
        .prefetch_related("reasons")
        .order_by("pk")
    )
    n = 0
    for a in qs.iterator(chunk_size=2000):
        for k in arrival_keys(
            arrival=a,
            sex=a.person.sex,
            department_code=a.destination.department.code,
            country_iso2=a.country_from.iso2,
            reason_codes=[t.code for t in a.reasons.all()],
        ):
            deltas[k] += 1
        n += 1
        if len(deltas) > 50_000:
            arrival_counts_add(deltas)
            deltas.clear()
    arrival_counts_add(deltas)
    return n
