"""The quota-use workflow end to end at the service level: approve, onboard, offboard, and the ledger counts."""

from __future__ import annotations

import datetime as dt

import pytest

from bianzhi.core.integrity import run_all
from bianzhi.quotas.selectors import unit_ledger
from bianzhi.roster import staffing
from bianzhi.roster.choices import ApprovalStatus, PersonStatus
from bianzhi.roster.models import Person
from tests.factories import make_unit
from tests.roster.support import ENTRY_DAY, approved, entry_doc, give_slots, person

pytestmark = pytest.mark.django_db


def test_approve_onboard_offboard_moves_the_ledger():
    unit = make_unit("锦绣县财政局")
    give_slots(unit, 5)
    approval = approved(unit, 2, today=dt.date(2022, 2, 1))
    [row] = unit_ledger(None, unit, dt.date(2022, 2, 2))
    assert (row.approved, row.occupied, row.reserved, row.usable) == (5, 0, 2, 3)

    occupancy = staffing.occupancy_start(
        actor=None,
        data=person("李四"),
        slot=staffing.Slot(approval=approval),
        start_date=ENTRY_DAY,
        entry_mode="KL",
        document=entry_doc(),
        today=ENTRY_DAY,
    )
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.PARTIALLY_USED
    assert occupancy.entry_serial.startswith("入编〔")
    [row] = unit_ledger(None, unit, ENTRY_DAY)
    assert (row.approved, row.occupied, row.reserved, row.vacant) == (5, 1, 1, 4)

    staffing.occupancy_end(
        actor=None, person=occupancy.person, end_date=dt.date(2023, 1, 1), reason="TX", document=entry_doc()
    )
    assert Person.objects.get().status == PersonStatus.OUT
    [row] = unit_ledger(None, unit, dt.date(2023, 1, 1))
    assert (row.occupied, row.reserved) == (0, 1)
    # as of a date in between, the person is still counted
    [row] = unit_ledger(None, unit, dt.date(2022, 12, 31))
    assert row.occupied == 1
    assert not any(run_all().values())
