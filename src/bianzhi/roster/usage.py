"""Each account's use of its slots as dated intervals: persons in post, slots promised, slots lent (decision 0009).

``SlotUse`` is derived from occupancies and approvals, never edited: ``use_refresh`` rebuilds the intervals of
the accounts given from those rows with one set-based statement, in the writer's transaction. Saving an
``Occupancy`` or an approved ``Approval`` calls it for its account; bulk writers (the import, the demo, the
bench) call it for the accounts they wrote. Reads of the ledger then take one interval per account, as they do
for balances, instead of counting a province's occupancies. ``bianzhi check`` rebuilds and compares
(``use_drifts``).

The rules are those of the roster, day by day: a person counts from the entry day to the day before the exit;
an approval promises ``count`` slots from its approval day to the day before it closes, less those used by
entries made on it up to that day; a person on a slot lent from the turnover pool counts as 单列, not 实有.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from django.db import connection, transaction
from django.db.models import F, FilteredRelation, Q, QuerySet

from bianzhi.audit.services import audit_record
from bianzhi.core.locks import lock_all
from bianzhi.quotas.models import QuotaAccount
from bianzhi.roster.models import Approval, Occupancy, SlotUse

# The day an entry starts using its approval: the entry day, or the approval day for an entry made before it.
_USED_FROM = "CASE WHEN o.start_date > a.approved_on THEN o.start_date ELSE a.approved_on END"

# (account, day, Δ in post, Δ promised, Δ 单列) for every change, then running sums per account: the intervals.
# Portable SQL (PostgreSQL, SQLite ≥ 3.28); {scope} filters on the column ``account_id`` of each source.
_EVENTS = f"""
events (account_id, day, d_occupied, d_reserved, d_listed) AS (
    SELECT account_id, start_date, CASE WHEN loan_id IS NULL THEN 1 ELSE 0 END, 0,
           CASE WHEN loan_id IS NULL THEN 0 ELSE 1 END
    FROM {{occupancy}} WHERE (end_date IS NULL OR end_date > start_date) AND {{scope}}
    UNION ALL
    SELECT account_id, end_date, CASE WHEN loan_id IS NULL THEN -1 ELSE 0 END, 0,
           CASE WHEN loan_id IS NULL THEN 0 ELSE -1 END
    FROM {{occupancy}} WHERE end_date > start_date AND {{scope}}
    UNION ALL
    SELECT account_id, approved_on, 0, count, 0
    FROM {{approval}} WHERE approved_on IS NOT NULL AND (closed_on IS NULL OR closed_on > approved_on) AND {{scope}}
    UNION ALL
    SELECT account_id, closed_on, 0, -count, 0
    FROM {{approval}} WHERE approved_on IS NOT NULL AND closed_on > approved_on AND {{scope}}
    UNION ALL
    SELECT a.account_id, {_USED_FROM}, 0, -1, 0
    FROM {{occupancy}} o JOIN {{approval}} a ON a.id = o.approval_id
    WHERE a.approved_on IS NOT NULL AND (a.closed_on IS NULL OR {_USED_FROM} < a.closed_on) AND {{a_scope}}
    UNION ALL
    SELECT a.account_id, a.closed_on, 0, 1, 0
    FROM {{occupancy}} o JOIN {{approval}} a ON a.id = o.approval_id
    WHERE a.approved_on IS NOT NULL AND {_USED_FROM} < a.closed_on AND {{a_scope}}
),
days (account_id, day, d_occupied, d_reserved, d_listed) AS (
    SELECT account_id, day, SUM(d_occupied), SUM(d_reserved), SUM(d_listed) FROM events GROUP BY account_id, day
),
intervals (account_id, valid_from, valid_to, occupied, reserved, listed) AS (
    SELECT account_id, day, LEAD(day) OVER w, SUM(d_occupied) OVER w, SUM(d_reserved) OVER w, SUM(d_listed) OVER w
    FROM days WINDOW w AS (PARTITION BY account_id ORDER BY day)
)
"""
_COLUMNS = "account_id, valid_from, valid_to, occupied, reserved, listed"


def _statement(template: str, account_ids: list[int] | None) -> tuple[str, list[int]]:
    tables = {"occupancy": Occupancy._meta.db_table, "approval": Approval._meta.db_table}
    if account_ids is None:
        scope, a_scope, params = "1 = 1", "1 = 1", []
    else:
        marks = ", ".join(["%s"] * len(account_ids))
        scope, a_scope = f"account_id IN ({marks})", f"a.account_id IN ({marks})"
        # the scope appears once per source: four sources filter their own rows, two the approval's
        params = account_ids * 6
    events = _EVENTS.format(scope=scope, a_scope=a_scope, **tables)
    return "WITH " + events + template.format(use=SlotUse._meta.db_table, columns=_COLUMNS), params


def use_refresh(account_ids: Iterable[int] | None) -> None:
    """Rebuilds the use intervals of ``account_ids`` (None: every account) from their occupancies and approvals.
    Call inside the writing transaction, holding the accounts' row locks (``core.locks``: two transactions
    rebuilding one account at once would both insert its intervals), after the write and before anything reads
    the account's slots again."""
    table = SlotUse._meta.db_table
    if account_ids is None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table}")
            cursor.execute(*_statement(_INSERT, None))
        return
    ids = sorted({pk for pk in account_ids if pk is not None})
    with connection.cursor() as cursor:
        # an import may touch thousands of accounts: a statement's parameters stay well under the drivers' limits
        for at in range(0, len(ids), _CHUNK):
            chunk = ids[at : at + _CHUNK]
            cursor.execute(f"DELETE FROM {table} WHERE account_id IN ({', '.join(['%s'] * len(chunk))})", chunk)
            cursor.execute(*_statement(_INSERT, chunk))


_INSERT = "INSERT INTO {use} ({columns}) SELECT {columns} FROM intervals"
_CHUNK = 1_000


@transaction.atomic
def slot_use_rebuild(*, actor) -> str:
    """Rebuilds every account's intervals (``bianzhi check --rebuild-derived``): after rows were changed by hand
    in the database, say. Derived data only: the roster itself is not touched."""
    lock_all(QuotaAccount.objects.all())  # writers wait for the rebuild instead of rebuilding an account beside it
    use_refresh(None)
    written = SlotUse.objects.count()
    audit_record(
        actor=actor, action="roster.slot_use_rebuilt", object_type="roster.slotuse", after={"intervals": written}
    )
    return f"编制占用区间 {written} 段"


def use_drifts() -> Iterator[tuple[int, str]]:
    """(account id, what differs) for every account whose stored intervals are not what its occupancies and
    approvals give: a writer that bypassed ``use_refresh``."""
    with connection.cursor() as cursor:
        sql, params = _statement(
            "SELECT account_id, 'missing' FROM (SELECT {columns} FROM intervals"
            " EXCEPT SELECT {columns} FROM {use}) m"
            " UNION ALL SELECT account_id, 'stale' FROM (SELECT {columns} FROM {use}"
            " EXCEPT SELECT {columns} FROM intervals) s",
            None,
        )
        cursor.execute(sql, params)
        seen: dict[int, str] = {}
        for account_id, what in cursor.fetchall():
            seen.setdefault(account_id, what)
    yield from sorted(seen.items())


def open_on(day: dt.date, start: str = "start_date", end: str = "end_date") -> Q:
    """Rows whose ``[start, end)`` contains ``day``."""
    return Q(**{f"{start}__lte": day}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": day}))


def use_as_of(account_ids: Iterable[int] | QuerySet, day: dt.date) -> dict[int, tuple[int, int, int]]:
    """(occupied, reserved, listed) per account on ``day``; accounts using nothing are absent. ``account_ids`` may
    be a queryset of account ids: it stays a subquery, however many accounts a province has."""
    ids = account_ids if isinstance(account_ids, QuerySet) else list(account_ids)
    rows = SlotUse.objects.filter(open_on(day, "valid_from", "valid_to"), account_id__in=ids).values_list(
        "account_id", "occupied", "reserved", "listed"
    )
    return {account_id: (occupied, reserved, listed) for account_id, occupied, reserved, listed in rows}


def use_annotated(*, accounts: QuerySet, day: dt.date) -> QuerySet:
    """The ledger's ``use_annotated`` hook: each account's interval in force on ``day`` joined in (one query for a
    province's ledger, not a second pass)."""
    in_force = FilteredRelation(
        "use_intervals", condition=open_on(day, "use_intervals__valid_from", "use_intervals__valid_to")
    )
    return accounts.alias(use=in_force).annotate(
        occupied=F("use__occupied"), reserved=F("use__reserved"), listed=F("use__listed")
    )


def use_intervals(account_id: int, start: dt.date, end: dt.date) -> list[tuple[dt.date, int, int]]:
    """(from, occupied, reserved) of each interval of the account that overlaps ``[start, end]``, in order."""
    rows = SlotUse.objects.filter(account_id=account_id, valid_from__lte=end).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=start)
    )
    return list(rows.order_by("valid_from").values_list("valid_from", "occupied", "reserved"))
