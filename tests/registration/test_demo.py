"""The demo county registers its 事业单位: each with a valid code (the one it already held), a current 正本 and
副本, and a few credit entries; built twice it is the same."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from bianzhi.core.ids import validate_uscc
from bianzhi.demo.county import DemoSpec, build_demo
from bianzhi.orgs.choices import UnitKind, UnitStatus
from bianzhi.orgs.models import Unit
from bianzhi.registration.annual import overdue_institutions
from bianzhi.registration.choices import (
    AnnualReportState,
    ApplicationState,
    CreditState,
    DrawState,
    InspectionResult,
    SanctionStep,
)
from bianzhi.registration.credit import credit_state
from bianzhi.registration.draws import draw_verify
from bianzhi.registration.models import (
    AnnualReport,
    AnnualReportSanction,
    Application,
    Certificate,
    CreditEntry,
    InspectionDraw,
    Inspector,
    Institution,
)

TODAY = dt.date(2026, 6, 1)


@pytest.mark.django_db
@pytest.mark.demo_content
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
    assert states.count(CreditState.WARNED) == 2  # one of them for not sending its 年度报告
    assert states.count(CreditState.NORMAL) == len(institutions) - 2

    # last year's 年度报告, as of the demo date (after the window): most published, three overdue, one warned
    reports = AnnualReport.objects.filter(year=2025)
    # (one body was registered this year, through its 设立 application: it reports next year)
    assert reports.filter(state=AnnualReportState.PUBLISHED).count() == len(institutions) - 9
    assert reports.filter(state=AnnualReportState.RETURNED).count() == 2
    assert reports.filter(state=AnnualReportState.SUBMITTED).count() == 3
    assert all(dt.date(2026, 1, 1) <= r.first_submitted_on <= dt.date(2026, 3, 31) for r in reports)
    assert overdue_institutions(2025, TODAY).count() == 3
    assert AnnualReportSanction.objects.get().step == SanctionStep.WARNING

    # an inspector pool and last year's draw, published (one demo county for all: it takes a while to build)
    assert 6 <= Inspector.objects.count() <= 8
    draw = InspectionDraw.objects.get()
    assert (draw.year, draw.state) == (TODAY.year - 1, DrawState.PUBLISHED)
    results = list(draw.targets.values_list("result", flat=True))
    assert InspectionResult.RECTIFY in results and "" not in results
    assert draw_verify(draw) == []

    # registration applications: several in every state; the 设立 one registered its body; a missed promise
    by_state = Counter(Application.objects.values_list("state", flat=True))
    assert set(by_state) == set(ApplicationState.values) and min(by_state.values()) >= 2
    setup = Application.objects.get(kind="SETUP")
    assert setup.state == ApplicationState.CLOSED and setup.institution.unit == setup.unit
    assert CreditEntry.objects.filter(action="promise").count() == 2
