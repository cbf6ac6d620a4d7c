"""The demo county's 规范性文件审核 and 机构编制报告: drafts in each state (one overdue), and the 2025 annual report of
every unit but the internal bodies, due 2026-03-31: most accepted, some awaiting acceptance, a few never sent."""

from __future__ import annotations

import datetime as dt

import pytest

from bianzhi.demo.county import DemoSpec, build_demo
from bianzhi.matters.choices import ReportState, ReviewState
from bianzhi.matters.models import NormativeReview, ReportTask
from bianzhi.matters.normative import review_deadline, review_overdue
from bianzhi.matters.reporting import reports_overdue
from bianzhi.orgs.choices import UnitKind

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 28)


def test_the_demo_has_reviews_in_each_state_and_the_annual_reports_with_a_few_overdue():
    counts = build_demo(DemoSpec(units=30, today=TODAY))
    reviews = list(NormativeReview.objects.all())
    assert counts["normative_reviews"] == len(reviews) == 4
    states = sorted(review.state for review in reviews)
    assert states == sorted([ReviewState.REVIEWING, ReviewState.RECEIVED, ReviewState.REPLIED, ReviewState.REPLIED])
    assert [r.title for r in reviews if review_overdue(r, review_deadline(r), TODAY)] == [
        "关于进一步做好事业单位公开招聘工作的实施办法（送审稿）"
    ]
    tasks = ReportTask.objects.all()
    assert counts["report_tasks"] == tasks.count() > 0
    assert not tasks.filter(unit__kind=UnitKind.NEISHE).exists()
    assert set(tasks.values_list("due_on", flat=True)) == {dt.date(2026, 3, 31)}
    overdue = reports_overdue(TODAY)
    assert 0 < overdue.count() < tasks.count() / 5
    assert tasks.filter(state=ReportState.SUBMITTED).count() > 0
    assert tasks.filter(state=ReportState.ACCEPTED).count() > tasks.count() / 2
    assert all(task.attachments.exists() for task in tasks.exclude(state=ReportState.PENDING))
