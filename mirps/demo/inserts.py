"""Plain multi-row INSERTs for bulk loads: what bulk_create does, without its per-value compiling.

bulk_create spends ~1 ms an arrival turning each value of each instance into SQL (a million
arrivals make ~60 million values). Here each column's conversion is chosen once, and rows go to
the driver's executemany. Values are converted by the backend's own adapters, so what is stored
is byte for byte what bulk_create would store; the loaders' tests compare them.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from typing import Any

from django.db import connection, models

Convert = Callable[[Any], Any] | None

_PLAIN = frozenset({
    "CharField", "TextField", "SlugField", "EmailField", "BooleanField", "IntegerField",
    "SmallIntegerField", "BigIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField",
    "PositiveBigIntegerField", "AutoField", "BigAutoField", "SmallAutoField",
})


def _convert(field: models.Field[Any, Any]) -> Convert:
    target = field.target_field if field.is_relation else field  # type: ignore[attr-defined]
    kind = target.get_internal_type()
    if kind in _PLAIN:
        return None
    if kind == "UUIDField":
        if connection.features.has_native_uuid_field:
            return None
        return lambda v: None if v is None else v.hex
    if kind == "DateTimeField":
        # Rows repeat the same instant (created, updated, screened): convert each one once.
        return functools.lru_cache(maxsize=4096)(connection.ops.adapt_datetimefield_value)
    if kind == "DateField":
        return connection.ops.adapt_datefield_value
    return partial(field.get_db_prep_save, connection=connection)


def insert_rows(model: type[models.Model], rows: Sequence[dict[str, Any]], batch: int = 2000) -> None:
    """INSERT rows given as {attname: value}; a missing field takes its default, a missing auto key
    is left to the database. Times are stored as given: auto_now fields are not overwritten."""
    if not rows:
        return
    first = rows[0]
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.attname not in first)]
    plan = [(f.attname, _convert(f), f) for f in fields]
    values = (
        tuple(
            (r[name] if name in r else f.get_default()) if conv is None
            else conv(r[name] if name in r else f.get_default())
            for name, conv, f in plan
        )
        for r in rows
    )
    insert_tuples(model._meta.db_table, [f.column for f in fields], values, batch)


def insert_tuples(table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]], batch: int = 2000) -> None:
    """INSERT ready-converted tuples: COPY on PostgreSQL, `batch` rows per statement elsewhere."""
    qn = connection.ops.quote_name
    if connection.vendor == "postgresql":
        # COPY is PostgreSQL's bulk path; a 30,000-placeholder INSERT costs psycopg more to parse
        # on the client than the server spends storing it. Values are adapted the same way.
        with plain_cursor() as cur, cur.cursor.copy(f"COPY {qn(table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    head = f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in columns)}) VALUES "  # noqa: S608 - our table names
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    chunk: list[tuple[Any, ...]] = []
    with plain_cursor() as cur:
        for row in rows:
            chunk.append(row)
            if len(chunk) == batch:
                _execute(cur, head, one, chunk)
                chunk = []
        if chunk:
            _execute(cur, head, one, chunk)


@contextlib.contextmanager
def plain_cursor() -> Iterator[Any]:
    """A cursor without the DEBUG wrapper, which would format and keep every 30,000-value statement
    (with MIRPS_DEBUG on, as in `./dev demo`, that doubled the load time)."""
    connection.ensure_connection()
    with connection.make_cursor(connection.create_cursor()) as cur:
        yield cur


def _execute(cur: Any, head: str, one: str, chunk: list[tuple[Any, ...]]) -> None:
    # One statement of many VALUES groups: fewer round trips than executemany on PostgreSQL.
    per = max(1, min(len(chunk), _MAX_PARAMS // len(chunk[0])))
    for i in range(0, len(chunk), per):
        part = chunk[i : i + per]
        cur.execute(head + ", ".join([one] * len(part)), [v for row in part for v in row])


_MAX_PARAMS = 30_000  # under SQLite's 32,766 bound variables and PostgreSQL's 65,535


def uuid_value(value: Any) -> Any:
    """A UUID as the database takes it (for tuples built by hand)."""
    if value is None or connection.features.has_native_uuid_field:
        return value
    return value.hex


def reserve_ids(model: type[models.Model], n: int) -> list[int]:
    """`n` new auto-increment ids for `model`, safe inside the loading transaction.

    PostgreSQL hands out sequence values (safe against concurrent writers); SQLite has one
    writer at a time and the transaction holds the write lock, so max(id)+1 onwards is free.
    """
    if n == 0:
        return []
    table = model._meta.db_table
    with plain_cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n])
            return [r[0] for r in cur.fetchall()]
        cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        start = cur.fetchone()[0] + 1
    return list(range(start, start + n))
