"""How many slots an account has, holds, has promised and has lent, on a date; and the serial numbers of notices."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.db import IntegrityError, connection, transaction

from bianzhi.core.errors import BianzhiError
from bianzhi.quotas.ledger import balances_as_of
from bianzhi.quotas.models import QuotaAccount, QuotaBalance
from bianzhi.quotas.selectors import slot_figures
from bianzhi.roster.errors import RosterError
from bianzhi.roster.models import Occupancy, SerialCounter
from bianzhi.roster.usage import use_as_of, use_intervals


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
    occupied, reserved, listed = use_as_of([account.pk], day).get(account.pk, (0, 0, 0))
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
    """The first day from ``start`` to ``end`` with the fewest free slots, and the state on it: the days on which
    the balance or the use changes, from two reads of intervals."""
    balances = list(
        QuotaBalance.objects.filter(account=account, valid_from__lte=end).values_list("valid_from", "balance")
    )
    uses = use_intervals(account.pk, start, end)
    days = sorted({start, *(d for d, _b in balances if d > start), *(d for d, _o, _r in uses if d > start)})
    balances.sort(reverse=True)
    uses.sort(reverse=True)
    lowest = None
    for day in (d for d in days if d <= end):
        approved = next((b for d, b in balances if d <= day), 0)
        occupied, reserved = next(((o, r) for d, o, r in uses if d <= day), (0, 0))
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
    occupied = sum(n for n, _r, _l in use_as_of(siblings, day).values())
    if occupied > approved:
        raise BianzhiError(
            RosterError.UNIT_OVER_QUOTA, unit=account.unit.name, type=account.quota_type.name, over=occupied - approved
        )


# "decision": the 批复 of a decided 机构编制事项 (matters) and "rectify": the 整改通知书 (supervision), numbered with
# the same counters
SERIAL_PREFIX = {
    "approval": "用编核",
    "entry": "入编",
    "exit": "出编",
    "loan": "周转",
    "decision": "编委批",
    "rectify": "编办整改",
}


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
