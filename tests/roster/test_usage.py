"""The slot-use intervals (decision 0009) against counting the roster's rows day by day.

Random occupancies (back-dated, ended the day they started, on loans, made before or after their approval's day)
and approvals (closed or open, used or not) are written row by row as the services write them; on every day of the
window, the intervals must give the persons in post, the slots promised and the persons listed separately that a
direct count of the rows gives. ``bianzhi check`` must notice rows changed around the roster, and
``--rebuild-derived`` must mend them."""

from __future__ import annotations

import datetime as dt
import itertools
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bianzhi.audit.models import AuditEvent
from bianzhi.core.integrity import run_all
from bianzhi.orgs.documents import document_resolve
from bianzhi.quotas.services import unit_account
from bianzhi.roster.models import Approval, Occupancy, Person, SlotUse, TurnoverLoan
from bianzhi.roster.usage import use_as_of, use_drifts, use_refresh
from tests.factories import make_unit
from tests.roster.support import entry_doc

BASE = dt.date(2024, 3, 1)
WINDOW = 30
_serials = itertools.count(1)


def day(offset: int) -> dt.date:
    return BASE + dt.timedelta(days=offset)


def expected(occupancies: list[Occupancy], approvals: list[Approval], on: dt.date) -> tuple[int, int, int]:
    """The roster's rules, counted directly: in post and 单列 on ``on``, and each open approval's unused slots."""

    def holds(o: Occupancy) -> bool:
        return o.start_date <= on and (o.end_date is None or o.end_date > on)

    occupied = sum(1 for o in occupancies if holds(o) and o.loan_id is None)
    listed = sum(1 for o in occupancies if holds(o) and o.loan_id is not None)
    reserved = 0
    for a in approvals:
        if a.approved_on is not None and a.approved_on <= on and (a.closed_on is None or a.closed_on > on):
            reserved += a.count - sum(1 for o in occupancies if o.approval_id == a.pk and o.start_date <= on)
    return occupied, reserved, listed


@pytest.fixture
def ground(db):
    unit = make_unit("锦绣县用编测试局")
    account = unit_account(unit, "XZ", "QE")
    document = document_resolve(entry_doc())
    loan = TurnoverLoan.objects.create(
        serial="周转〔2024〕0001号",
        pool=account,  # any account: the intervals only ask whether an occupancy is on a loan
        unit=unit,
        funding_form="QE",
        count=9,
        purpose="URGENT",
        start_date=day(0),
        due_date=day(400),
        document=document,
    )
    return unit, account, document, loan


def _person(unit) -> Person:
    n = next(_serials)
    return Person.objects.create(
        name="测试人员",
        id_hash=f"use-{n}",
        id_cipher="-",
        id_masked="-",
        gender="1",
        birth_date=dt.date(1990, 1, 1),
        status="OUT",
        unit=unit,
    )


def _enter(unit, account, document, start: dt.date, **fields) -> Occupancy:
    return Occupancy.objects.create(
        person=_person(unit),
        account=account,
        start_date=start,
        entry_mode="KL",
        hire_kind="NEW",
        entry_document=document,
        **fields,
    )


approval_specs = st.lists(
    st.tuples(
        st.one_of(st.none(), st.integers(0, WINDOW)),  # approved on (None: not approved)
        st.integers(1, 3),  # count
        st.one_of(st.none(), st.integers(0, 12)),  # closed this many days after approval (None: open)
    ),
    max_size=3,
)
occupancy_specs = st.lists(
    st.tuples(
        st.integers(0, WINDOW),  # start
        st.one_of(st.none(), st.integers(0, 10)),  # length (0: left the day it entered; None: still in post)
        st.one_of(st.none(), st.integers(0, 2)),  # the approval it entered on
        st.booleans(),  # on a loan
    ),
    max_size=8,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(approval_specs, occupancy_specs, st.data())
def test_the_intervals_count_what_the_rows_say_on_every_day(ground, approval_rows, occupancy_rows, data):
    unit, account, document, loan = ground
    with transaction.atomic():
        approvals = []
        for approved_on, count, closes_after in approval_rows:
            approval = Approval.objects.create(
                unit=unit,
                account=account,
                count=count,
                entry_mode="KL",
                purpose="测试",
                status="APPROVED" if approved_on is not None else "SUBMITTED",
                approved_on=day(approved_on) if approved_on is not None else None,
            )
            if approved_on is not None and closes_after is not None:
                approval.closed_on = day(approved_on + closes_after)
                approval.save(update_fields=["closed_on"])
            approvals.append(approval)
        occupancies = []
        for start, length, approval_index, on_loan in occupancy_rows:
            used = approvals[approval_index] if approval_index is not None and approval_index < len(approvals) else None
            end = day(start + length) if length is not None else None
            on = loan if on_loan and used is None else None
            occupancies.append(_enter(unit, account, document, day(start), end_date=end, approval=used, loan=on))
        still_in = [o for o in occupancies if o.end_date is None]
        if still_in:  # an exit saved afterwards, as 出编 saves it
            leaving = data.draw(st.sampled_from(still_in))
            leaving.end_date = max(leaving.start_date, day(data.draw(st.integers(0, WINDOW + 5))))
            leaving.save(update_fields=["end_date"])
        for offset in range(-1, WINDOW + 16):
            on = day(offset)
            found = use_as_of([account.pk], on).get(account.pk, (0, 0, 0))
            assert found == expected(occupancies, approvals, on), on
        assert list(use_drifts()) == []
        transaction.set_rollback(True)


@pytest.mark.corrupts_roster
def test_check_finds_rows_changed_around_the_roster_and_the_rebuild_mends_them(ground):
    unit, account, document, loan = ground
    loan.delete()  # lent from a pool that has no slots: the loans check would rightly object
    occupancy = _enter(unit, account, document, day(1))
    assert use_as_of([account.pk], day(5)) == {account.pk: (1, 0, 0)}
    Occupancy.objects.filter(pk=occupancy.pk).update(end_date=day(3))  # by hand, as a database tool would

    drifts = run_all()["roster.slot_use"]
    assert [d.subject for d in drifts] == [str(account)]
    assert "--rebuild-derived" in drifts[0].message

    out = StringIO()
    err = StringIO()
    try:
        call_command("check", "--rebuild-derived", stdout=out, stderr=err)
    except SystemExit:
        raise AssertionError(err.getvalue()) from None
    assert "已重建：编制占用区间 2 段" in out.getvalue()
    assert "数据检查通过" in out.getvalue()
    assert run_all()["roster.slot_use"] == []
    assert use_as_of([account.pk], day(5)) == {account.pk: (0, 0, 0)}
    assert AuditEvent.objects.filter(action="roster.slot_use_rebuilt").count() == 1


def test_a_refresh_of_thousands_of_accounts_is_cut_into_statements_the_drivers_take(ground):
    unit, account, document, _loan = ground
    _enter(unit, account, document, day(1))
    SlotUse.objects.all().delete()
    use_refresh([*range(10_000_000, 10_002_500), account.pk])  # unknown accounts rebuild to nothing
    assert use_as_of([account.pk], day(2)) == {account.pk: (1, 0, 0)}
