"""机构编制报告: the bad inputs first (refused with a code and a Chinese message, nothing kept), then scheduling (per
unit, skipping those that have the task), who may send, accept and return (a unit only its own subtree), the overdue
selector, the to-do lists and the register."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.audit.models import AuditEvent
from bianzhi.core.files import Upload
from bianzhi.core.models import StoredFile
from bianzhi.core.todo import todo_for
from bianzhi.matters.choices import ReportKind, ReportState
from bianzhi.matters.models import ReportAttachment, ReportTask
from bianzhi.matters.reporting import (
    report_task_accept,
    report_task_for,
    report_task_list,
    report_task_return,
    report_task_submit,
    report_tasks_schedule,
    reports_export,
    reports_overdue,
)
from bianzhi.orgs.choices import UnitKind
from bianzhi.orgs.models import Unit
from tests.factories import make_unit, make_user
from tests.matters.support import files_on_disk, refused

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
PDF = b"%PDF-1.4 report"


@pytest.fixture
def county():
    education = make_unit("锦绣县教育局")
    school = make_unit("锦绣县第一中学", education, kind=UnitKind.SHIYE)
    finance = make_unit("锦绣县财政局")
    return {
        "education": education,
        "school": school,
        "finance": finance,
        "bianban": make_user("bianban", Role.BIANBAN_OPERATOR, scope_county=True),
        "scoped": make_user("bianban_jy", Role.BIANBAN_OPERATOR, scope_unit=education),
        "unit": make_user("jiaoyu", Role.UNIT_OPERATOR, scope_unit=education),
        "school_op": make_user("yizhong", Role.UNIT_OPERATOR, scope_unit=school),
        "finance_op": make_user("caizheng", Role.UNIT_OPERATOR, scope_unit=finance),
        "oversight": make_user("jiandu", Role.OVERSIGHT, scope_county=True),
    }


def schedule(actor, **changes):
    fields = {
        "kind": ReportKind.ANNUAL,
        "title": "2025 年度机构编制执行情况报告",
        "year": 2025,
        "due_on": TODAY() + dt.timedelta(days=30),
        **changes,
    }
    return report_tasks_schedule(actor=actor, **fields)


def task_of(unit, kind=ReportKind.ANNUAL) -> ReportTask:
    return ReportTask.objects.get(unit=unit, kind=kind)


# ---------------------------------------------------------------- bad input, nothing kept


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"kind": "WEEKLY"}, "report_tasks.bad_kind"),
        ({"title": " "}, "matters.missing_param"),
        ({"year": 1899}, "report_tasks.bad_year"),
        ({"year": "2025"}, "report_tasks.bad_year"),
        ({"due_on": None}, "matters.missing_param"),
        ({"due_on": dt.date(2020, 3, 31)}, "report_tasks.due_in_past"),
    ],
)
def test_a_bad_schedule_is_refused_and_schedules_nothing(county, changes, code):
    refused(code, schedule, county["bianban"], **changes)
    assert ReportTask.objects.count() == 0 and not AuditEvent.objects.filter(action="matters.reports_scheduled")


@pytest.mark.parametrize(
    ("files", "code"),
    [
        ([], "report_tasks.no_files"),
        ([Upload("报告.pdf", b"")], "files.empty"),
        ([Upload("报告.exe", b"MZ")], "files.unsupported_type"),
        ([Upload("报告.pdf", PDF + b" never kept 1"), Upload("附表.xlsx", b"")], "files.empty"),
        ([Upload("报告.pdf", PDF + b" never kept 2"), Upload("附表.bat", b"echo")], "files.unsupported_type"),
    ],
)
def test_a_bad_submission_is_refused_and_keeps_nothing(county, files, code):
    schedule(county["bianban"])
    task = task_of(county["education"])
    before = files_on_disk()
    refused(code, report_task_submit, actor=county["unit"], task=task, files=files)
    task.refresh_from_db()
    assert task.state == ReportState.PENDING and task.submitted_on is None
    assert ReportAttachment.objects.count() == 0 and StoredFile.objects.count() == 0 and files_on_disk() == before


def test_return_needs_a_reason(county):
    schedule(county["bianban"])
    task = task_of(county["education"])
    report_task_submit(actor=county["unit"], task=task, files=[Upload("报告.pdf", PDF)])
    refused("report_tasks.no_reason", report_task_return, actor=county["bianban"], task=task, reason="  ")
    task.refresh_from_db()
    assert task.state == ReportState.SUBMITTED


# ---------------------------------------------------------------- scheduling


def test_scheduling_makes_one_task_per_active_unit_and_skips_those_that_have_one(county):
    abolished = make_unit("锦绣县已撤销办公室")
    Unit.objects.filter(pk=abolished.pk).update(status="ABOLISHED")
    make_unit("锦绣县教育局办公室", county["education"], kind=UnitKind.NEISHE)
    first = schedule(county["bianban"], units=county["education"])
    assert (first.created, first.skipped) == (2, 0)
    assert set(ReportTask.objects.values_list("unit__name", flat=True)) == {"锦绣县教育局", "锦绣县第一中学"}
    again = schedule(county["bianban"])
    assert (again.created, again.skipped) == (1, 2)
    assert ReportTask.objects.filter(unit=abolished).count() == 0
    error = refused("report_tasks.all_skipped", schedule, county["bianban"])
    assert "2025" in error.message and "年度执行情况报告" in error.message
    assert ReportTask.objects.count() == 3
    other_kind = schedule(county["bianban"], kind=ReportKind.MAJOR, title="重大事项报告")
    assert other_kind.created == 3
    event = AuditEvent.objects.filter(action="matters.reports_scheduled").order_by("seq").first()
    assert event.after["created"] == 2 and event.after["root"] == "锦绣县教育局"


def test_a_bianban_operator_limited_to_a_subtree_schedules_within_it(county):
    done = schedule(county["scoped"])
    assert done.created == 2 and not ReportTask.objects.filter(unit=county["finance"]).exists()
    refused("common.out_of_scope", schedule, county["scoped"], kind=ReportKind.MAJOR, units=county["finance"])


@pytest.mark.parametrize("who", ["unit", "oversight"])
def test_only_the_bianban_schedules(county, who):
    refused("common.permission_denied", schedule, county[who])
    assert ReportTask.objects.count() == 0


# ---------------------------------------------------------------- sending, accepting, returning


def test_a_unit_sends_the_bianban_returns_the_unit_sends_again_the_bianban_accepts(county):
    schedule(county["bianban"])
    task = task_of(county["school"])
    report_task_submit(
        actor=county["school_op"], task=task, files=[Upload("报告.pdf", PDF), Upload("附表.xlsx", b"PK")], note="初报"
    )
    task.refresh_from_db()
    assert (task.state, task.submitted_on, task.submitted_by) == (ReportState.SUBMITTED, TODAY(), county["school_op"])
    assert [a.name for a in task.attachments.all()] == ["报告.pdf", "附表.xlsx"]
    refused(
        "report_tasks.wrong_state", report_task_submit, actor=county["unit"], task=task, files=[Upload("a.pdf", PDF)]
    )
    report_task_return(actor=county["bianban"], task=task, reason="缺少编制使用情况附表")
    task.refresh_from_db()
    assert task.state == ReportState.PENDING and task.return_reason == "缺少编制使用情况附表"
    assert task.submitted_on is None and task.attachments.count() == 2
    refused("report_tasks.wrong_state", report_task_accept, actor=county["bianban"], task=task)
    # the parent unit's operator may send for a unit of its subtree
    report_task_submit(actor=county["unit"], task=task, files=[Upload("报告（修改）.pdf", PDF + b" v2")])
    report_task_accept(actor=county["bianban"], task=task)
    task.refresh_from_db()
    assert (task.state, task.accepted_on, task.return_reason) == (ReportState.ACCEPTED, TODAY(), "")
    refused("report_tasks.wrong_state", report_task_return, actor=county["bianban"], task=task, reason="再看看")
    actions = list(
        AuditEvent.objects.filter(object_type="matters.reporttask", object_id=str(task.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "matters.report_submitted",
        "matters.report_returned",
        "matters.report_submitted",
        "matters.report_accepted",
    ]


def test_a_unit_cannot_see_or_act_on_another_units_report(county):
    schedule(county["bianban"])
    finance_task, school_task = task_of(county["finance"]), task_of(county["school"])
    unit = county["unit"]
    assert set(report_task_list(unit, today=TODAY()).values_list("unit__name", flat=True)) == {
        "锦绣县教育局",
        "锦绣县第一中学",
    }
    refused("common.out_of_scope", report_task_for, unit, finance_task.pk)
    refused("common.out_of_scope", report_task_submit, actor=unit, task=finance_task, files=[Upload("a.pdf", PDF)])
    # a school's operator does not reach up to its parent either
    refused("common.out_of_scope", report_task_for, county["school_op"], task_of(county["education"]).pk)
    report_task_submit(actor=county["school_op"], task=school_task, files=[Upload("a.pdf", PDF)])
    for call, kwargs in ((report_task_accept, {}), (report_task_return, {"reason": "不行"})):
        refused("common.permission_denied", call, actor=unit, task=school_task, **kwargs)
        refused("common.out_of_scope", call, actor=county["scoped"], task=finance_task, **kwargs)
    refused("common.permission_denied", report_task_for, county["oversight"], school_task.pk)
    finance_task.refresh_from_db()
    school_task.refresh_from_db()
    assert finance_task.state == ReportState.PENDING and school_task.state == ReportState.SUBMITTED


# ---------------------------------------------------------------- overdue and to-do


def _due(task: ReportTask, day: dt.date) -> None:
    ReportTask.objects.filter(pk=task.pk).update(due_on=day)


def test_overdue_reports_are_the_unsent_past_their_due_date(county):
    schedule(county["bianban"])
    late = dt.date(2026, 3, 31)
    for unit in ("education", "school", "finance"):
        _due(task_of(county[unit]), late)
    report_task_submit(actor=None, task=task_of(county["school"]), files=[Upload("a.pdf", PDF)])
    as_of = dt.date(2026, 4, 1)
    assert [t.unit.name for t in reports_overdue(as_of)] == ["锦绣县教育局", "锦绣县财政局"]
    assert list(reports_overdue(late)) == []  # due that day is not yet late
    assert [t.unit.name for t in reports_overdue(as_of, user=county["unit"])] == ["锦绣县教育局"]
    assert [t.unit.name for t in report_task_list(county["bianban"], today=as_of, overdue=True)] == [
        "锦绣县教育局",
        "锦绣县财政局",
    ]


def test_to_do_lists_units_their_tasks_overdue_first_and_the_bianban_what_awaits_acceptance(county):
    schedule(county["bianban"])
    schedule(county["bianban"], kind=ReportKind.MAJOR, title="重大事项报告")
    _due(task_of(county["education"], ReportKind.MAJOR), TODAY() - dt.timedelta(days=3))
    items = [item for item in todo_for(county["unit"], TODAY()) if item.kind == "机构编制报告"]
    assert [item.title for item in items] == [
        "锦绣县教育局：重大事项报告",
        "锦绣县教育局：2025 年度机构编制执行情况报告",
        "锦绣县第一中学：2025 年度机构编制执行情况报告",
        "锦绣县第一中学：重大事项报告",
    ]
    assert items[0].overdue(TODAY()) and not items[1].overdue(TODAY())
    assert not [item for item in todo_for(county["bianban"], TODAY()) if item.kind == "机构编制报告"]
    for unit in ("education", "school"):
        report_task_submit(actor=None, task=task_of(county[unit]), files=[Upload("a.pdf", PDF)])
    office = [item for item in todo_for(county["bianban"], TODAY()) if item.kind == "机构编制报告"]
    assert [(item.title, item.action) for item in office] == [("年度执行情况报告（2025 年度）：2 份", "确认或退回")]
    assert "state=SUBMITTED" in office[0].url
    assert [item for item in todo_for(county["oversight"], TODAY()) if item.kind == "机构编制报告"] == []


def test_the_register_exports_the_filtered_tasks(county):
    schedule(county["bianban"])
    report_task_submit(actor=None, task=task_of(county["school"]), files=[Upload("a.pdf", PDF), Upload("b.pdf", PDF)])
    _due(task_of(county["finance"]), dt.date(2026, 3, 31))
    tasks = report_task_list(county["bianban"], today=TODAY(), year=2025)
    name, content = reports_export(actor=county["bianban"], tasks=tasks, description="year=2025")
    assert name.endswith(".xlsx")
    rows = [row for row in openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]
    body = {row[1]: row for row in rows if row and row[1] in ("锦绣县教育局", "锦绣县第一中学", "锦绣县财政局")}
    assert body["锦绣县第一中学"][6] == "已报送" and body["锦绣县第一中学"][9] == 2
    assert body["锦绣县财政局"][7] == "逾期未报" and body["锦绣县教育局"][7] in ("", None)
    assert AuditEvent.objects.filter(action="matters.reports_exported").count() == 1
    refused("common.permission_denied", reports_export, actor=county["oversight"], tasks=tasks, description="")
