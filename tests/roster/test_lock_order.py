"""Every pair of writers that touch one unit's quota account, racing: each finishes or is refused with a stable
code, none deadlocks or crashes, and the ledger still balances. On PostgreSQL this is what the one lock order of
``core/locks.py`` buys; on SQLite the IMMEDIATE transactions queue the writers.

Each writer prepares its own objects before the race (a person to let go, an approval to decide, …) and runs
twice at once, so a pair is four threads on one account."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from django.utils import timezone

from bianzhi.lifecycle.services import unit_merge
from bianzhi.orgs.services import unit_move
from bianzhi.quotas.models import AccountKind, MovementKind
from bianzhi.quotas.services import county_account, movement_post, movement_reverse
from bianzhi.roster import approvals, loans, staffing
from bianzhi.roster.models import Approval, Person
from tests.factories import make_unit
from tests.quotas.support import document, fund_pool
from tests.quotas.test_concurrency import assert_ledger_clean, race, shared_database  # noqa: F401  (fixture)
from tests.roster.support import approved, entry_doc, give_slots, person

TODAY = timezone.localdate()
DAY = TODAY - dt.timedelta(days=30)
COPIES = 2

pytestmark = pytest.mark.django_db(transaction=True)


class County:
    """The account everyone races on (锦绣县统计局, 行政编制 全额) and what the writers need around it."""

    def __init__(self):
        self.unit = make_unit("锦绣县统计局", day=dt.date(2020, 1, 1))
        self.other = make_unit("锦绣县审计局", day=dt.date(2020, 1, 1))
        self.parents = iter(make_unit(f"锦绣县第{i}工委", day=dt.date(2020, 1, 1)) for i in range(2 * COPIES))
        self.account = give_slots(self.unit, 12, day=dt.date(2021, 1, 4))
        give_slots(self.other, 6, day=dt.date(2021, 1, 4))
        fund_pool("XZ", 6, dt.date(2021, 1, 4))
        self.pool = county_account(AccountKind.POOL, "XZ")
        self.serial = itertools.count(1)

    def hire(self, unit=None, *, day: dt.date = DAY) -> Person:
        occupancy = staffing.occupancy_start(
            actor=None,
            data=person(),
            slot=staffing.Slot(unit=unit or self.unit, quota_type="XZ", funding_form="QE", override_reason="测试"),
            start_date=day,
            entry_mode="KL",
            document=entry_doc(day),
        )
        return occupancy.person

    def doc(self):
        return document(DAY, f"关于第{next(self.serial)}项调整的通知")


def _submitted(c: County):
    draft = approvals.approval_draft(
        actor=None, unit=c.unit, quota_type="XZ", funding_form="QE", count=1, entry_mode="KL", purpose="统计员"
    )
    return approvals.approval_submit(actor=None, approval=draft)


def _loan(c: County):
    fund_pool("XZ", 1, dt.date(2021, 1, 4))
    movement_post(
        actor=None,
        kind=MovementKind.RUCHI,
        from_account=c.pool,
        to_account=county_account(AccountKind.TURNOVER, "XZ"),
        amount=1,
        effective_date=dt.date(2021, 1, 4),
        document=document(dt.date(2021, 1, 4)),
    )
    return loans.loan_grant(
        actor=None,
        unit=c.unit,
        quota_type="XZ",
        funding_form="QE",
        count=1,
        purpose="URGENT",
        start_date=DAY,
        due_date=TODAY + dt.timedelta(days=365),
        document=c.doc(),
    )


def _grant(c: County, amount: int = 1):
    return movement_post(
        actor=None,
        kind=MovementKind.HEZENG,
        from_account=c.pool,
        to_account=c.account,
        amount=amount,
        effective_date=DAY,
        document=c.doc(),
    )


def _onboard(c: County, slot: staffing.Slot):
    data = person()
    return lambda: staffing.occupancy_start(
        actor=None, data=data, slot=slot, start_date=TODAY, entry_mode="KL", document=entry_doc(TODAY)
    )


def w_approve(c):
    approval = _submitted(c)
    return lambda: approvals.approval_approve(actor=None, approval=approval, comment="同意")


def w_cancel(c):
    approval = approved(c.unit, 1)
    return lambda: approvals.approval_cancel(actor=None, approval=approval, comment="不再需要")


def w_expire(c):
    approval = approved(c.unit, 1)
    Approval.objects.filter(pk=approval.pk).update(valid_until=TODAY - dt.timedelta(days=1))  # due today
    return lambda: approvals.approvals_expire(today=TODAY)


def w_onboard_approval(c):
    return _onboard(c, staffing.Slot(approval=approved(c.unit, 1)))


def w_onboard_override(c):
    return _onboard(c, staffing.Slot(unit=c.unit, quota_type="XZ", funding_form="QE", override_reason="急需"))


def w_onboard_loan(c):
    return _onboard(c, staffing.Slot(loan=_loan(c)))


def w_offboard(c):
    leaver = c.hire()
    doc = c.doc()
    return lambda: staffing.occupancy_end(actor=None, person=leaver, end_date=TODAY, reason="TX", document=doc)


def w_transfer_in(c):
    mover = c.hire(c.other)
    doc = c.doc()
    return lambda: staffing.occupancy_transfer(
        actor=None, person=mover, unit=c.unit, quota_type="XZ", funding_form="QE", effective_date=TODAY, document=doc
    )


def w_transfer_out(c):
    mover = c.hire()
    doc = c.doc()
    return lambda: staffing.occupancy_transfer(
        actor=None, person=mover, unit=c.other, quota_type="XZ", funding_form="QE", effective_date=TODAY, document=doc
    )


def w_restore(c):
    leaver = c.hire()
    staffing.occupancy_end(actor=None, person=leaver, end_date=DAY, reason="TX", document=c.doc())
    return lambda: staffing.occupancy_restore(actor=None, person=leaver, reason="误操作出编")


def w_loan_convert(c):
    loan = _loan(c)
    borrower = staffing.occupancy_start(
        actor=None,
        data=person(),
        slot=staffing.Slot(loan=loan),
        start_date=DAY,
        entry_mode="KL",
        document=entry_doc(DAY),
    )
    doc = c.doc()
    return lambda: loans.loan_convert(actor=None, occupancy=borrower, day=TODAY, document=doc)


def w_grant(c):
    doc = c.doc()
    return lambda: movement_post(
        actor=None,
        kind=MovementKind.HEZENG,
        from_account=c.pool,
        to_account=c.account,
        amount=1,
        effective_date=TODAY,
        document=doc,
    )


def w_reduce(c):
    doc = c.doc()
    return lambda: movement_post(
        actor=None,
        kind=MovementKind.HEJIAN,
        from_account=c.account,
        to_account=c.pool,
        amount=1,
        effective_date=TODAY,
        document=doc,
    )


def w_reverse(c):
    movement = _grant(c)
    doc = c.doc()
    return lambda: movement_reverse(actor=None, movement=movement, document=doc, reason="文号错误")


def w_merge(c):
    absorbed = make_unit(f"锦绣县统计调查队{next(c.serial)}", day=dt.date(2020, 1, 1))
    give_slots(absorbed, 2, day=dt.date(2021, 1, 4))
    c.hire(absorbed)
    doc = c.doc()
    return lambda: unit_merge(actor=None, unit=absorbed, successor=c.unit, document=doc, effective_date=TODAY)


def w_move(c):
    parent = next(c.parents)
    doc = c.doc()
    return lambda: unit_move(actor=None, unit=c.unit, new_parent=parent, document=doc, effective_date=TODAY)


WRITERS = {name[2:]: writer for name, writer in globals().items() if name.startswith("w_")}
PAIRS = list(itertools.combinations_with_replacement(WRITERS, 2))


@pytest.mark.parametrize(("first", "second"), PAIRS, ids=["+".join(pair) for pair in PAIRS])
def test_writers_on_one_account_never_deadlock(shared_database, first, second):  # noqa: F811
    county = County()
    jobs = [WRITERS[name](county) for name in (first, second) for _ in range(COPIES)]

    outcomes = race(shared_database, jobs)

    crashes = [outcome for outcome in outcomes if outcome != "ok" and not _is_code(outcome)]
    assert not crashes, crashes
    assert_ledger_clean()


def _is_code(outcome: str) -> bool:
    return "." in outcome and " " not in outcome and "(" not in outcome


def test_only_core_locks_takes_row_locks():
    """Row locks taken anywhere else could come in another order; ``core/locks.py`` is where the order is kept."""
    source = Path(__file__).resolve().parents[2] / "src" / "bianzhi"
    lockers = sorted(
        str(path.relative_to(source))
        for path in source.rglob("*.py")
        if "select_for_update" in path.read_text(encoding="utf-8") and path.name != "locks.py"
    )
    assert lockers == []
