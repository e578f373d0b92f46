"""Writes of the stats app.

The pre-aggregated arrival counts are kept exact by the registration services (only they call
`arrival_counts_apply`); `stats_table_export` records each download of a published table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.utils import timezone

from mirps.accounts.models import Site
from mirps.audit.models import AuditEvent
from mirps.audit.services import audit_record
from mirps.stats import exports
from mirps.stats.models import ArrivalCount
from mirps.stats.selectors import StatsFilters, stats_table

if TYPE_CHECKING:
    from mirps.core.access import Actor
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
    arrival_counts_add(Counter(dict.fromkeys(keys, sign)))


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


EXPORT_FORMATS = ("csv", "xlsx")


def stats_table_export(*, actor: Actor, filters: StatsFilters, name: str, fmt: str) -> bytes:
    """A published table as a CSV or XLSX file, audited in the same transaction.

    Anyone with the STATS capability may export what the dashboard shows them, with the same
    suppression; the audit row names the table and the filters, never a number.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(fmt)
    table = stats_table(actor=actor, filters=filters, name=name)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditEvent.Action.EXPORT,
            object_type="stats_table",
            detail={"table": name, "format": fmt, "filters": filters.as_query()},
        )
        if fmt == "csv":
            return exports.csv_bytes(table)
        site = None
        if filters.reception_point_id is not None:
            site = Site.objects.filter(pk=filters.reception_point_id).first()
        return exports.xlsx_bytes(
            table,
            about=exports.about_rows(
                table, filters, site, exact=actor.exact_stats_for(filters.reception_point_id)
            ),
        )
