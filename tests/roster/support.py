"""Builders for roster tests: funded unit accounts, valid ID numbers, approvals ready to use."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import re

from django.test import Client

from bianzhi.demo.codes import id_number
from bianzhi.quotas.models import AccountKind, MovementKind
from bianzhi.quotas.services import county_account, movement_post, unit_account
from bianzhi.roster import approvals
from bianzhi.roster.persons import PersonData
from tests.quotas.support import document, fund_pool

REGION = "610999"
ENTRY_DAY = dt.date(2022, 3, 1)
_people = itertools.count(1)
_rng = random.Random(20261128)


def new_id(*, male: bool = True, birth: dt.date | None = None) -> str:
    """A check-digit-valid ID number no other call returns. Without a birth date, a day from 1990-05-17 on: one
    day holds only 500 numbers per gender, fewer than a whole test run asks for."""
    day = birth or dt.date(1990, 5, 17) + dt.timedelta(days=len(_issued) // 200)
    for _ in range(10_000):
        number = id_number(_rng, region_code=REGION, birth=day, male=male)
        if number not in _issued:
            _issued.add(number)
            return number
    raise RuntimeError(f"no ID number left for {day}")


_issued: set[str] = set()


def person(name: str | None = None, **kwargs) -> PersonData:
    number = kwargs.pop("id_number", None) or new_id(male=kwargs.pop("male", True))
    return PersonData(name=name or f"张{'一二三四五六七八九'[next(_people) % 9]}", id_number=number, **kwargs)


def give_slots(unit, amount: int, *, type_code: str = "XZ", funding: str = "QE", day: dt.date = dt.date(2021, 1, 4)):
    """``amount`` slots from the county pool (funded first) to the unit's account."""
    fund_pool(type_code, amount, day)
    account = unit_account(unit, type_code, funding)
    movement_post(
        actor=None,
        kind=MovementKind.HEZENG,
        from_account=county_account(AccountKind.POOL, type_code),
        to_account=account,
        amount=amount,
        effective_date=day,
        document=document(day),
    )
    return account


def cut(unit, amount: int, day: dt.date, *, type_code: str = "XZ", funding: str = "QE", **kwargs):
    """核减 ``amount`` of the unit's slots back to the county pool from ``day``."""
    return movement_post(
        actor=None,
        kind=MovementKind.HEJIAN,
        from_account=unit_account(unit, type_code, funding),
        to_account=county_account(AccountKind.POOL, type_code),
        amount=amount,
        effective_date=day,
        document=document(day),
        **kwargs,
    )


def approved(unit, count: int, *, type_code: str = "XZ", funding: str = "QE", actor=None, today=None):
    """An approval of ``count`` slots, drafted, submitted and approved."""
    draft = approvals.approval_draft(
        actor=actor,
        unit=unit,
        quota_type=type_code,
        funding_form=funding,
        count=count,
        entry_mode="KL",
        purpose="补充业务骨干",
    )
    approvals.approval_submit(actor=actor, approval=draft)
    return approvals.approval_approve(actor=actor, approval=draft, comment="同意", today=today)


def entry_doc(day: dt.date = ENTRY_DAY):
    return document(day, "录用审批表", "测试县委组织部")


def hire(unit, count: int, day: dt.date = ENTRY_DAY, override: str = "补录") -> None:
    """``count`` people into the unit's 行政编制 without an approval (补录): enough to leave it 超编 on purpose."""
    from bianzhi.roster import staffing

    for _ in range(count):
        staffing.occupancy_start(
            actor=None,
            data=person(),
            slot=staffing.Slot(unit=unit, quota_type="XZ", funding_form="QE", override_reason=override),
            start_date=day,
            entry_mode="KL",
            document=entry_doc(day),
        )


def client_for(user) -> Client:
    """A test client signed in as ``user``."""
    client = Client()
    client.force_login(user)
    return client


def selected_option(html: str, name: str) -> str:
    """The value chosen in the page's ``<select name=…>``."""
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return re.search(r'<option value="([^"]*)" selected>', select).group(1)
