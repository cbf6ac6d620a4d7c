"""The demo county at any size ``bianzhi demo --units N`` is asked for, even when the budget runs out part way
through a department and its internal bodies."""

from __future__ import annotations

import datetime as dt

import pytest

from bianzhi.core.integrity import run_all
from bianzhi.demo.county import DEPARTMENTS, DemoSpec, build_demo
from bianzhi.orgs.choices import UnitKind
from bianzhi.orgs.models import Unit
from tests.conftest import USES_POSTGRES

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 28)


# the sizes that once ran out of names; on PostgreSQL one of them (decision 0004): naming is decided in Python
@pytest.mark.parametrize("units", [31] if USES_POSTGRES else [20, 30, 31, 45])
def test_a_small_demo_county_builds_and_nothing_drifts(units):
    # 30 and 20 once ran out within a department's internal bodies (锦绣县民政局社会救助股, 锦绣县发展和改革局投资股)
    counts = build_demo(DemoSpec(units=units, roster=True, today=TODAY))
    assert units - 3 <= counts["units"] <= units + 1  # the 2023 split adds one
    built = set(Unit.objects.filter(kind=UnitKind.NEISHE).values_list("name", flat=True))
    for department, *_attributes, bodies in DEPARTMENTS:  # a department comes with all its bodies, or none
        names = {f"{department}{body}" for body in bodies}
        assert names <= built or not names & built, department
    assert {name: found for name, found in run_all().items() if found} == {}
