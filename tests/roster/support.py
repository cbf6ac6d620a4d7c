"""Builders for roster tests: funded unit accounts, valid ID numbers, approvals ready to use."""

from __future__ import annotations

import collections
import datetime as dt
import itertools
import random

from bianzhi.demo.codes import id_number
from bianzhi.quotas.models import AccountKind, MovementKind
from bianzhi.quotas.services import county_account, movement_post, unit_account
from bianzhi.roster import approvals
from bianzhi.roster.persons import PersonData
from tests.quotas.support import document, fund_pool

REGION = "610999"
ENTRY_DAY = dt.date(2022, 3, 1)
PER_REGION = 500  # sequence numbers of one sex for one region and birth date
_people = itertools.count(1)
_rng = random.Random(20261128)


def new_id(*, male: bool = True, birth: dt.date = dt.date(1990, 5, 17)) -> str:
    """A check-digit-valid ID number no other call returns. One run of many tests uses up the 500 numbers of a
    region, birth date and sex: the next region code (610998, 610997, …) then takes over."""
    key = (birth, male)
    region = int(REGION) - _issued_for[key] // PER_REGION
    while True:
        number = id_number(_rng, region_code=str(region), birth=birth, male=male)
        if number not in _issued:
            _issued.add(number)
            _issued_for[key] += 1
            return number


_issued: set[str] = set()
_issued_for: collections.Counter = collections.Counter()


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
