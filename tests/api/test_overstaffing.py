"""POST /movements that would leave a unit 超编: 409 with the shortfall and nothing applied; applied once the request
says ``confirm_overstaffing`` with a reason."""

from __future__ import annotations

import datetime as dt

import pytest

from bianzhi.quotas.models import Movement
from bianzhi.roster import staffing
from tests.api.conftest import movement_body
from tests.api.test_movements import ledger_state, unit_side
from tests.roster.support import entry_doc, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def staffed(county):
    """The finance bureau's 8 slots held by 7 people."""
    for _ in range(7):
        staffing.occupancy_start(
            actor=None,
            data=person(),
            slot=staffing.Slot(unit=county["finance"], quota_type="XZ", funding_form="QE", override_reason="补录"),
            start_date=dt.date(2021, 4, 1),
            entry_mode="KL",
            document=entry_doc(dt.date(2021, 4, 1)),
        )
    return county


def test_a_movement_leaving_a_unit_short_answers_409_and_applies_once_confirmed(api, staffed, tokens):
    body = movement_body(
        unit_side(staffed["finance"]),
        unit_side(staffed["education"]),
        kind="HUAZHUAN",
        amount=3,
        effective_date="2021-05-06",
    )
    before = ledger_state()
    refused = api.post("/movements", body, tokens["bianban"])
    assert refused.status == 409
    assert refused.body["code"] == "quotas.would_overstaff"
    assert refused.body["message"].startswith("将导致超编 2 名")
    assert refused.body["details"]["shortfall"] == 2
    assert (refused.body["details"]["approved"], refused.body["details"]["occupied"]) == (5, 7)
    assert ledger_state() == before

    no_reason = api.post("/movements", {**body, "confirm_overstaffing": True}, tokens["bianban"])
    assert (no_reason.status, no_reason.body["code"]) == (400, "quotas.overstaff_reason_required")
    assert ledger_state() == before

    done = api.post("/movements", {**body, "confirm_overstaffing": True, "reason": "职能划转"}, tokens["bianban"])
    assert done.status == 201 and done.body["overstaffing"] == 2
    assert Movement.objects.get(pk=done.body["id"]).overstaffing == 2


def test_the_confirmation_is_a_strict_boolean(api, staffed, tokens):
    body = movement_body(unit_side(staffed["finance"]), unit_side(staffed["education"]), kind="HUAZHUAN", amount=3)
    answer = api.post("/movements", {**body, "confirm_overstaffing": "yes", "reason": "x"}, tokens["bianban"])
    assert answer.status == 422
