"""The evaluation's 实名制信息准确 indicator (EXEC 2026.2, E8): the differences the latest finished reconciliation on or
before the evaluation's day found in the unit's subtree, less those the office dismissed, one point each."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from bianzhi.exchange.models import ReconciliationRun
from bianzhi.exchange.reconcile_runs import finding_review, reconciliation_execute, reconciliation_start
from bianzhi.supervision.evaluations import evaluation_compute, evaluation_create
from tests.exchange.support import county, hr_file, payroll_file

TODAY = timezone.localdate()
__all__ = ["county"]


@pytest.fixture(autouse=True)
def _staging_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def _e8(unit, day: dt.date):
    evaluation = evaluation_create(actor=None, unit=unit, as_of=day, set_code="EXEC")
    assert evaluation.set_version == "2026.2"
    evaluation_compute(actor=None, evaluation=evaluation)
    return evaluation.scores.get(code="E8")


def test_the_roster_indicator_counts_the_units_open_differences(county):
    roads = county["roads"]
    before = _e8(roads, TODAY)
    assert (before.value, before.score) == (Decimal(0), Decimal(10))
    assert "没有完成的三方比对" in before.detail["summary"]

    run = reconciliation_start(
        actor=None, payroll=("工资.csv", payroll_file(county)), hr=("人事.xlsx", hr_file(county)), queue=False
    )
    run = reconciliation_execute(run)
    assert run.state == ReconciliationRun.State.DONE
    mine = run.findings.filter(unit=roads)
    assert mine.count() >= 3
    finding_review(actor=None, finding=mine.first(), action="dismiss", reason="借调，工资由原单位发放。")

    score = _e8(roads, TODAY)
    expected = mine.exclude(state="DISMISSED").count()
    assert (score.value, score.score) == (Decimal(expected), Decimal(10 - expected))
    assert {row["unit"] for row in score.detail["rows"]} == {roads.name}
    assert "借调" not in str(score.detail["rows"]) and len(score.detail["rows"]) == expected
    assert score.detail["measure"] == "条"
    water = _e8(county["water"], TODAY)
    assert water.value == run.findings.filter(unit=county["water"]).count()
    earlier = _e8(roads, TODAY - dt.timedelta(days=1))  # the run compared the roster as of today
    assert earlier.value == 0
