"""Bulk inserts for imports: ``COPY`` on PostgreSQL, ``executemany`` on SQLite, from plain rows; and reads of a
province of rows into Python for the statistics and the reconciliation.

An import writes tens of thousands of rows in one transaction. Building a model instance per row and a multi-row
``INSERT`` for them costs several times what the database spends storing the rows; here the caller hands over each
row as a dict of column values (by field ``attname``: ``unit_id``, not ``unit``) and every other column gets its
field's default. The rows still go through every constraint, foreign key and trigger of the table, inside the
caller's transaction. Values go in as given: pass what the column stores (dates, strings, ids), already checked.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator, Sequence
from typing import Any

from django.db import connection, connections, models
from django.db.models import QuerySet
from django.utils import timezone


def _defaults(fields: Sequence[models.Field]) -> list[Any]:
    now = timezone.now()
    return [
        now if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add) else f.get_default()
        for f in fields
    ]


def _new_pks(meta, count: int) -> list[int]:
    """Primary keys for ``count`` rows, taken before they are written (the rows that refer to them need them)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, count],
            )
            return [pk for (pk,) in cursor.fetchall()]
        # SQLite: the writing transaction holds the database's write lock, so nobody else takes these
        cursor.execute(f"SELECT COALESCE(MAX({meta.pk.column}), 0) FROM {meta.db_table}")
        last = cursor.fetchone()[0]
        return list(range(last + 1, last + count + 1))


def bulk_insert(model: type[models.Model], rows: Sequence[dict[str, Any]], *, with_pks: bool = False) -> list[int]:
    """Inserts ``rows`` into ``model``'s table; with ``with_pks``, returns the new rows' primary keys in order.
    Call inside the transaction that owns the rows."""
    if not rows:
        return []
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    defaults = _defaults(fields)
    known = {f.attname for f in fields}
    unknown = {key for row in rows[:1] for key in row} - known
    if unknown:
        raise ValueError(f"{meta.label} has no column {', '.join(sorted(unknown))}")
    names = [f.attname for f in fields]
    values = [[row.get(name, default) for name, default in zip(names, defaults, strict=True)] for row in rows]
    pks: list[int] = []
    if with_pks:
        pks = _new_pks(meta, len(rows))
        fields = [meta.pk, *fields]
        values = [[pk, *row] for pk, row in zip(pks, values, strict=True)]
    quote = connection.ops.quote_name
    table, columns = quote(meta.db_table), ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # wrapped: a violated constraint raises Django's IntegrityError, as the ORM would
            with connection.wrap_database_errors, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)
    return pks


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Hundreds of thousands of short-lived rows may pass through Python (an .xlsx's rows, a province's units): the
    cycle collector would walk them again and again and find nothing, since rows hold no cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def fetch_rows(queryset: QuerySet) -> list[tuple]:
    """The rows of a ``values_list`` queryset in one fetch, as the database driver gives them: the queryset's own
    iteration fetches in chunks of 100 and passes every row through per-row converters, which a province's 60,000
    units feel. A model field's column comes back as Django would give it on both backends (Django's SQLite
    connection converts by declared column type); an expression other than a plain sum or column may not (a
    boolean ``Case`` is 0/1 on SQLite, a date expression a string): read those through the queryset."""
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
