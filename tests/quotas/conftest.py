from __future__ import annotations

from types import SimpleNamespace

import pytest

from bianzhi.orgs.choices import InstitutionClass, SystemCategory, UnitKind, UnitRank
from tests.factories import START, make_unit
from tests.quotas.support import fund_pool

COUNTY_TOTALS = {"XZ": 50, "ZFZX": 20, "SY": 100, "GQ": 10}


@pytest.fixture
def county(db):
    """A small county: the totals in the pool, two 机关 (one 政法), two 事业单位 and an internal body."""
    for code, amount in COUNTY_TOTALS.items():
        fund_pool(code, amount, START)
    finance = make_unit("锦绣县财政局")
    police = make_unit("锦绣县公安局", zhengfa=True)
    education = make_unit("锦绣县教育局")
    school = make_unit("锦绣县第一小学", education, kind=UnitKind.SHIYE, rank=UnitRank.GUJI)
    hospital = make_unit(
        "锦绣县人民医院",
        kind=UnitKind.SHIYE,
        rank=UnitRank.FUKE,
        cls=InstitutionClass.GY2,
        system_category=SystemCategory.ZHENGFU,
    )
    budget_office = make_unit("锦绣县财政局预算股", finance, kind=UnitKind.NEISHE, rank=UnitRank.GUJI)
    return SimpleNamespace(
        finance=finance,
        police=police,
        education=education,
        school=school,
        hospital=hospital,
        budget_office=budget_office,
    )
