"""How many slots an account has, holds, has promised and has lent, on a date; and the serial numbers of notices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q, QuerySet

from bianzhi.core.errors import BianzhiError
from bianzhi.quotas.ledger import balances_as_of
from bianzhi.quotas.models import QuotaAccount, QuotaBalance
from bianzhi.quotas.selectors import slot_figures
from bianzhi.roster.errors import RosterError
from bianzhi.roster.models import Approval, Occupancy, SerialCounter


def open_on(day: dt.date, start: str = "start_date", end: str = "end_date") -> Q:
    return Q(**{f"{start}__lte": day}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": day}))


def _use_counts(day: dt.date, key: str, **scope) -> dict:
    """(occupied, reserved, listed) on ``day`` grouped by ``key`` (an account or a quota type), for the
    occupancies and approvals matching ``scope`` (lookups relative to the account). Plain tuples and one dict:
    a province's ledger groups 60,000 accounts here."""
    account_scope = {f"account__{lookup}": value for lookup, value in scope.items()}
    occupancies = (
        Occupancy.objects.filter(open_on(day), **account_scope)
        .values(f"account__{key}")
        .annotate(normal=Count("pk", filter=Q(loan__isnull=True)), lent=Count("pk", filter=Q(loan__isnull=False)))
        .values_list(f"account__{key}", "normal", "lent")
        .order_by()
    )
    counts = {group: (normal, 0, lent) for group, normal, lent in occupancies}
    approvals = (
        Approval.objects.filter(open_on(day, "approved_on", "closed_on"), **account_scope)
        .annotate(used_by=Count("occupancies", filter=Q(occupancies__start_date__lte=day)))
        .values_list(f"account__{key}", "count", "used_by")
    )
    for group, count, used_by in approvals:
        occupied, reserved, listed = counts.get(group, (0, 0, 0))
        counts[group] = (occupied, reserved + count - used_by, listed)
    return counts


def occupancy_counts(account_ids: Iterable[int] | QuerySet, day: dt.date) -> dict[int, tuple[int, int, int]]:
    """(occupied, reserved, listed) per account on ``day``: persons in normal slots (N), approved but not yet used
    slots of open approvals (R), and persons on slots lent from the turnover pool (单列, L). ``account_ids`` may be
    a queryset of account ids: it stays a subquery, however many accounts a province has."""
    return _use_counts(day, "pk", pk__in=account_ids if isinstance(account_ids, QuerySet) else list(account_ids))


@dataclass(frozen=True)
class SlotState:
    approved: int
    occupied: int
    reserved: int
    listed: int

    @property
    def vacant(self) -> int:
        """空编, as the ledger shows it."""
        return slot_figures(self.approved, self.occupied, self.reserved)[0]

    @property
    def free(self) -> int:
        """可用编制 before clamping: negative when people and promises exceed the slots."""
        return self.approved - self.occupied - self.reserved

    @property
    def available(self) -> int:
        """可用编制, as the ledger shows it."""
        return slot_figures(self.approved, self.occupied, self.reserved)[1]

    @property
    def over(self) -> int:
        return slot_figures(self.approved, self.occupied, self.reserved)[2]

    def reserving(self, count: int) -> SlotState:
        """The state once ``count`` more slots are promised (an application approved)."""
        return replace(self, reserved=self.reserved + count)


def slot_state(account: QuotaAccount, day: dt.date) -> SlotState:
    approved = balances_as_of(QuotaBalance, [account.pk], day).get(account.pk, 0)
    occupied, reserved, listed = occupancy_counts([account.pk], day).get(account.pk, (0, 0, 0))
    return SlotState(approved, occupied, reserved, listed)


def lowest_state(account: QuotaAccount, start: dt.date, end: dt.date) -> SlotState:
    """The state with the fewest free slots on any day from ``start`` to ``end``: a back-dated entry must have
    found a free slot on every day since, not only today."""
    found = lowest_day(account, start, end)
    return found[1] if found else slot_state(account, start)


def lowest_use(account: QuotaAccount, start: dt.date) -> tuple[dt.date, int, int, int] | None:
    """The ledger's ``quotas.lowest_use`` hook: (day, approved, occupied, reserved) on the day from ``start`` on
    with the fewest free slots, the one a reduction of the account would leave 超编 first."""
    found = lowest_day(account, start, dt.date.max)
    if found is None:
        return None
    day, state = found
    return day, state.approved, state.occupied, state.reserved


def lowest_day(account: QuotaAccount, start: dt.date, end: dt.date) -> tuple[dt.date, SlotState] | None:
    """The first day from ``start`` to ``end`` with the fewest free slots, and the state on it. Three queries;
    the days on which something changes are walked in Python."""
    intervals = list(QuotaBalance.objects.filter(account=account).values_list("valid_from", "balance"))
    held = list(
        Occupancy.objects.filter(account=account, loan__isnull=True, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=start))
        .values_list("start_date", "end_date")
    )
    promised = list(
        Approval.objects.filter(account=account, approved_on__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=start))
        .values_list("pk", "count", "approved_on", "closed_on")
    )
    used = list(
        Occupancy.objects.filter(approval_id__in=[a[0] for a in promised]).values_list("approval_id", "start_date")
    )
    days = {start, *(d for d, _b in intervals), *(d for pair in held for d in pair if d), *(u for _a, u in used)}
    days |= {d for a in promised for d in a[2:] if d}
    intervals.sort(reverse=True)
    lowest = None
    for day in sorted(d for d in days if start <= d <= end):
        approved = next((b for d, b in intervals if d <= day), 0)
        occupied = sum(1 for s, e in held if s <= day and (e is None or e > day))
        reserved = sum(
            count - sum(1 for a, u in used if a == pk and u <= day)
            for pk, count, opened, closed in promised
            if opened <= day and (closed is None or closed > day)
        )
        state = SlotState(approved, occupied, reserved, 0)
        if lowest is None or state.free < lowest[1].free:
            lowest = (day, state)
    return lowest


def ensure_available(account: QuotaAccount, day: dt.date, count: int, *, until: dt.date | None = None) -> SlotState:
    """Refuses unless ``count`` slots are free on ``day`` and, with ``until``, on every day up to it (call with
    the account locked)."""
    state = lowest_state(account, day, until) if until and until > day else slot_state(account, day)
    if state.available < count:
        raise BianzhiError(
            RosterError.NO_VACANCY,
            account=str(account),
            available=state.available,
            approved=state.approved,
            occupied=state.occupied,
            reserved=state.reserved,
            count=count,
        )
    return state


def ensure_unit_not_over(account: QuotaAccount, day: dt.date) -> None:
    """I5: a unit over quota in this type (any funding form) takes nobody new until it is back within quota."""
    siblings = list(
        QuotaAccount.objects.filter(unit_id=account.unit_id, quota_type_id=account.quota_type_id).values_list(
            "pk", flat=True
        )
    )
    approved = sum(balances_as_of(QuotaBalance, siblings, day).values())
    occupied = sum(n for n, _r, _l in occupancy_counts(siblings, day).values())
    if occupied > approved:
        raise BianzhiError(
            RosterError.UNIT_OVER_QUOTA, unit=account.unit.name, type=account.quota_type.name, over=occupied - approved
        )


SERIAL_PREFIX = {"approval": "用编核", "entry": "入编", "exit": "出编", "loan": "周转"}


def _bump_serial(kind: str, year: int) -> int | None:
    # one statement (PostgreSQL, SQLite ≥ 3.35): the counter row stays locked only from here to the commit, so
    # services number their document last, just before the audit event
    table = SerialCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET last = last + 1 WHERE kind = %s AND year = %s RETURNING last", [kind, year])
        row = cursor.fetchone()
    return row[0] if row else None


def next_serial(kind: str, day: dt.date) -> str:
    """``入编〔2026〕0012号``: numbered per kind and year without gaps, safe against concurrent callers."""
    last = _bump_serial(kind, day.year)
    while last is None:
        try:
            with transaction.atomic():
                SerialCounter.objects.create(kind=kind, year=day.year, last=1)
            last = 1
        except IntegrityError:  # another transaction created the year's counter first
            last = _bump_serial(kind, day.year)
    return f"{SERIAL_PREFIX[kind]}〔{day.year}〕{last:04d}号"


def occupancy_succeed(
    occupancy: Occupancy,
    *,
    account: QuotaAccount,
    day: dt.date,
    what: str,
    entry_mode: str,
    hire_kind: str,
    document,
    actor,
    **fields,
) -> Occupancy:
    """Ends ``occupancy`` on ``day`` and opens the one that follows it (转编, 转正, a unit's hand-over): the person
    is never in two slots and never in none."""
    if day < occupancy.start_date:
        raise BianzhiError(RosterError.EXIT_BEFORE_ENTRY, what=what, date=day, start=occupancy.start_date)
    occupancy.end_date = day
    occupancy.save(update_fields=["end_date"])
    return Occupancy.objects.create(
        person_id=occupancy.person_id,
        account=account,
        start_date=day,
        entry_mode=entry_mode,
        hire_kind=hire_kind,
        entry_document=document,
        transferred_from=occupancy,
        created_by=actor,
        **fields,
    )
