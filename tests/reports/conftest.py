"""A small county with a history, built through the services: units, quota grants, a transfer and a rename."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from bianzhi.core.models import Installation
from bianzhi.orgs.choices import InstitutionClass, UnitKind, UnitRank
from bianzhi.orgs.services import unit_rename
from bianzhi.quotas.models import AccountKind, FundingForm, MovementKind
from bianzhi.quotas.services import county_account, movement_post, unit_account
from tests.factories import doc, make_unit

GRANTED = dt.date(2020, 3, 1)
CHANGED = dt.date(2024, 6, 1)


def _grant(to_account, amount: int, day: dt.date = GRANTED, source=None):
    code = to_account.quota_type_id
    movement_post(
        actor=None,
        kind=MovementKind.HUAZHUAN if source else MovementKind.HEZENG,
        from_account=source or county_account(AccountKind.POOL, code),
        to_account=to_account,
        amount=amount,
        effective_date=day,
        document=doc(day),
    )


@pytest.fixture(autouse=True)
def _staging_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def county(db):
    Installation.objects.create(county_name="锦绣县", region_code="610999")
    for code in ("XZ", "ZFZX", "SY", "GQ"):
        movement_post(
            actor=None,
            kind=MovementKind.HEZENG,
            from_account=county_account(AccountKind.AUTHORITY, code),
            to_account=county_account(AccountKind.POOL, code),
            amount=500,
            effective_date=dt.date(2020, 1, 1),
            document=doc(),
        )
    finance = make_unit("锦绣县财政局", code="A01")
    budget = make_unit("锦绣县财政局预算股", finance, kind=UnitKind.NEISHE, rank=UnitRank.GUJI, code="A0101")
    treasury = make_unit("锦绣县国库集中支付中心", finance, kind=UnitKind.SHIYE, rank=UnitRank.GUJI, code="A0102")
    police = make_unit("锦绣县公安局", zhengfa=True, code="A02")
    education = make_unit("锦绣县教育局", code="A03")
    primary = make_unit("锦绣县第一小学", education, kind=UnitKind.SHIYE, rank=UnitRank.GUJI, code="A0301")
    middle = make_unit(
        "锦绣县第二中学", education, kind=UnitKind.SHIYE, rank=UnitRank.GUJI, cls=InstitutionClass.GY2, code="A0302"
    )
    _grant(unit_account(finance, "XZ", FundingForm.QE), 10)
    _grant(unit_account(finance, "GQ", FundingForm.QE), 2)
    _grant(unit_account(treasury, "SY", FundingForm.QE), 5)
    _grant(unit_account(police, "ZFZX", FundingForm.QE), 30)
    _grant(unit_account(police, "XZ", FundingForm.QE), 4)
    _grant(unit_account(education, "XZ", FundingForm.QE), 12)
    _grant(unit_account(primary, "SY", FundingForm.QE), 40)
    _grant(unit_account(middle, "SY", FundingForm.QE), 20)
    _grant(unit_account(middle, "SY", FundingForm.CE), 8)
    # 2024: three slots move from the primary school to the middle school, which is renamed the same day
    _grant(unit_account(middle, "SY", FundingForm.QE), 3, CHANGED, source=unit_account(primary, "SY", FundingForm.QE))
    middle = unit_rename(actor=None, unit=middle, name="锦绣县实验中学", document=doc(CHANGED), effective_date=CHANGED)
    newcomer = make_unit("锦绣县数据局", day=dt.date(2025, 1, 1), code="A04")
    return SimpleNamespace(
        finance=finance,
        budget=budget,
        treasury=treasury,
        police=police,
        education=education,
        primary=primary,
        middle=middle,
        newcomer=newcomer,
    )
