from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.supervision.complaints import complaint_receive
from tests.factories import make_unit, make_user

NAME, PHONE = "司马檀韵", "13712345678"  # a complainant no page may show before the reveal


@pytest.fixture
def world(db):
    unit = make_unit("锦绣县交通运输局")
    return {
        "unit": unit,
        "handler": make_user("jiandu", Role.OVERSIGHT, scope_county=True),
        "bianban": make_user("bianban", Role.BIANBAN_OPERATOR, scope_county=True),
        "scoped": make_user("bianban_scoped", Role.BIANBAN_OPERATOR, scope_unit=unit),
        "operator": make_user("danwei", Role.UNIT_OPERATOR, scope_unit=unit),
        "partner": make_user("hezuo", Role.PARTNER_READONLY, scope_county=True),
    }


def receive(actor=None, *, days_ago: int = 0, named: bool = False, **extra):
    fields = {
        "received_on": timezone.localdate() - dt.timedelta(days=days_ago),
        "channel": "PHONE",
        "category": "STAFFING",
        "description": "该局超编进人三名。",
        **({"anonymous": False, "name": NAME, "contact": PHONE} if named else {}),
        **extra,
    }
    return complaint_receive(actor=actor, **fields)
