"""The demo county registers its 事业单位: each with a valid code (the one it already held), a current 正本 and
副本, and a few credit entries; built twice it is the same."""

from __future__ import annotations

import datetime as dt

import pytest

from bianzhi.core.ids import validate_uscc
from bianzhi.demo.county import DemoSpec, build_demo
from bianzhi.orgs.choices import UnitKind, UnitStatus
from bianzhi.orgs.models import Unit
from bianzhi.registration.choices import CreditState
from bianzhi.registration.credit import credit_state
from bianzhi.registration.models import Certificate, Institution

TODAY = dt.date(2026, 6, 1)


@pytest.mark.django_db
def test_every_active_institution_of_the_demo_is_registered_with_certificates():
    counts = build_demo(DemoSpec(units=120, today=TODAY))
    shiye = Unit.objects.filter(kind=UnitKind.SHIYE, status=UnitStatus.ACTIVE)
    assert counts["institutions"] == shiye.count() > 0
    institutions = list(Institution.objects.select_related("unit"))
    assert {i.unit_id for i in institutions} == set(shiye.values_list("pk", flat=True))
    for institution in institutions:
        assert validate_uscc(institution.uscc).valid and institution.uscc == institution.unit.uscc
        live = Certificate.objects.filter(institution=institution, voided_on__isnull=True)
        assert sorted(live.values_list("kind", flat=True)) == ["COPY", "ORIGINAL"]
        assert all(c.valid_from <= TODAY < c.valid_until for c in live)
    states = [credit_state(i, TODAY) for i in institutions]
    assert states.count(CreditState.WARNED) == 1
    assert states.count(CreditState.NORMAL) == len(institutions) - 1


@pytest.mark.django_db
def test_the_demo_has_an_inspector_pool_and_last_years_draw_published():
    from bianzhi.registration.choices import DrawState, InspectionResult
    from bianzhi.registration.draws import draw_verify
    from bianzhi.registration.models import InspectionDraw, Inspector

    build_demo(DemoSpec(units=120, today=TODAY))
    assert 6 <= Inspector.objects.count() <= 8
    draw = InspectionDraw.objects.get()
    assert (draw.year, draw.state) == (TODAY.year - 1, DrawState.PUBLISHED)
    results = list(draw.targets.values_list("result", flat=True))
    assert InspectionResult.RECTIFY in results and "" not in results
    assert draw_verify(draw) == []
