"""The demo county's 规范性文件审核 and 机构编制报告: a few drafts of other departments in review (one overdue, two
answered), and the annual 执行情况报告 for 2025 that every unit owed by 2026-03-31 — most sent and accepted, some
sent late or waiting for acceptance, a few never sent (逾期未报). Deterministic: the same county gives the same
answers.

The reports are history: they are scheduled and sent through the services, then dated back to when they happened
(a service dates a submission today and refuses a due date already past)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bianzhi.core.files import Upload
from bianzhi.core.pdf import pdf_from_html
from bianzhi.matters.choices import ReportKind, ReportState
from bianzhi.matters.models import ReportTask
from bianzhi.matters.normative import (
    normative_clause_add,
    normative_review_create,
    normative_review_reply,
)
from bianzhi.matters.reporting import report_task_accept, report_task_submit, report_tasks_schedule

ANNUAL_DUE = dt.date(2026, 3, 31)
# (title, department, days before today it came in, clauses (reference, quoted, opinion, text), reply)
# reply: None (still in review), "none" (未涉及机构编制事项) or (days after receipt, 文号, overall opinion)
REVIEWS = (
    (
        "关于进一步做好事业单位公开招聘工作的实施办法（送审稿）",
        "县人力资源和社会保障局",
        30,
        (
            (
                "第五条",
                "各事业单位可根据工作需要自行设置内设机构和岗位。",
                "DELETE",
                "内设机构设置须按程序报机构编制部门审批，建议删除。",
            ),
        ),
        None,
    ),
    (
        "锦绣县县域医共体管理办法（送审稿）",
        "县卫生健康局",
        45,
        (
            (
                "第八条",
                "医共体牵头医院统筹使用成员单位编制。",
                "AMEND",
                "改为“在核定的编制总量内统筹使用，报机构编制部门备案”。",
            ),
            ("第十二条", "医共体成员单位领导职数由牵头医院确定。", "DELETE", "领导职数由机构编制部门核定，建议删除。"),
            ("第十五条", "", "AGREE", ""),
        ),
        (4, "锦编函〔2026〕15号", "请按以上意见修改后按程序印发。"),
    ),
    ("锦绣县政府购买服务管理办法（送审稿）", "县财政局", 20, (), "none"),
    ("锦绣县高标准农田建设管理办法（送审稿）", "县农业农村局", 1, (), None),
)


def _pdf(title: str) -> bytes:
    html = f"<html><body><h1 style='font-family: \"Noto Sans CJK SC\"'>{title}</h1><p>（演示文件）</p></body></html>"
    return pdf_from_html(html)


def build_reviews(today: dt.date) -> int:
    """The drafts in review and answered; returns how many."""
    for title, department, days, clauses, reply in REVIEWS:
        received = today - dt.timedelta(days=days)
        review = normative_review_create(
            actor=None,
            title=title,
            department=department,
            received_on=received,
            draft=Upload(f"{title}.pdf", _pdf(title)),
        )
        for reference, quoted, opinion, text in clauses:
            normative_clause_add(
                actor=None, review=review, reference=reference, quoted=quoted, opinion=opinion, opinion_text=text
            )
        if reply == "none":
            normative_review_reply(
                actor=None, review=review, returned_on=received + dt.timedelta(days=3), no_staffing_matters=True
            )
        elif reply is not None:
            after, number, opinion = reply
            normative_review_reply(
                actor=None,
                review=review,
                returned_on=received + dt.timedelta(days=after),
                reply_number=number,
                overall_opinion=opinion,
            )
    return len(REVIEWS)


def build_report_tasks(today: dt.date) -> int:
    """The 2025 annual 执行情况报告 of every unit, due 2026-03-31: of each ten units seven sent in time and accepted,
    one sent late and accepted, one sent and awaiting acceptance, one never sent. Returns how many tasks."""
    if today <= ANNUAL_DUE:  # a demo dated before the due date has no history of it yet
        return 0
    scheduled = report_tasks_schedule(
        actor=None,
        kind=ReportKind.ANNUAL,
        title="2025 年度机构编制执行情况报告",
        year=2025,
        due_on=timezone.localdate(),  # dated back below
    )
    tasks = list(ReportTask.objects.filter(kind=ReportKind.ANNUAL, year=2025).order_by("unit__tree_path"))
    ReportTask.objects.filter(pk__in=[task.pk for task in tasks]).update(due_on=ANNUAL_DUE)
    report = Upload("2025年度机构编制执行情况报告.pdf", _pdf("2025 年度机构编制执行情况报告"))
    for number, task in enumerate(tasks):
        fate = number % 10
        if fate == 3:  # never sent
            continue
        report_task_submit(actor=None, task=task, files=[report], note="")
        sent = ANNUAL_DUE + dt.timedelta(days=8) if fate == 6 else ANNUAL_DUE - dt.timedelta(days=1 + number % 20)
        if fate != 8:  # awaiting acceptance
            report_task_accept(actor=None, task=task)
        state = ReportState.SUBMITTED if fate == 8 else ReportState.ACCEPTED
        accepted = None if fate == 8 else sent + dt.timedelta(days=5)
        ReportTask.objects.filter(pk=task.pk).update(submitted_on=sent, accepted_on=accepted, state=state)
    return scheduled.created
