"""The complaints list (12310 举报登记表, without the complainant's identity) and the 整改台账 as .xlsx; every export
is audited."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from bianzhi.audit.services import audit_record
from bianzhi.core.excel import table_workbook
from bianzhi.core.workdays import WorkCalendar
from bianzhi.supervision.complaints import deadlines
from bianzhi.supervision.rectification import overdue
from bianzhi.supervision.selectors import require_handler

COLUMNS = (
    ("查询码", 16),
    ("收到日期", 12),
    ("举报方式", 8),
    ("实名/匿名", 8),
    ("问题类别", 36),
    ("被举报单位", 30),
    ("状态", 14),
    ("办理方式", 8),
    ("承办单位", 24),
    ("拟办期限", 12),
    ("办结期限", 12),
    ("逾期", 6),
    ("调查结论", 10),
)


def accused_of(complaint) -> str:
    return "、".join(
        [u.name for u in complaint.accused_units.all()] + [complaint.accused_text] * bool(complaint.accused_text)
    )


def _rows(complaints, today: dt.date):
    calendar = WorkCalendar.load()
    for complaint in complaints:
        times = deadlines(complaint, calendar, today=today)
        handler = complaint.handling_unit.name if complaint.handling_unit else complaint.handling_party
        yield [
            complaint.code,
            complaint.received_on.isoformat(),
            complaint.get_channel_display(),
            "匿名" if complaint.anonymous else "实名",
            complaint.get_category_display(),
            accused_of(complaint),
            complaint.get_state_display(),
            complaint.get_handling_type_display(),
            handler,
            times.plan_due.isoformat(),
            times.conclude_due.isoformat() if times.conclude_due else "",
            "是" if times.overdue(complaint.state, today) else "",
            complaint.get_finding_display(),
        ]


def complaints_export(*, actor, complaints, today: dt.date, description: str) -> tuple[str, bytes]:
    require_handler(actor)
    complaints = list(complaints.prefetch_related("events"))
    content = table_workbook(
        sheet="12310举报",
        title=f"12310 举报登记表（{today.isoformat()}）",
        headers=COLUMNS,
        rows=_rows(complaints, today),
    )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="supervision.complaints_exported",
            object_type="supervision.export",
            object_repr=description[:255],
            after={"rows": len(complaints), "format": "xlsx"},
        )
    return f"12310举报登记表_{today.isoformat()}.xlsx", content


RECTIFICATION_COLUMNS = (
    ("编号", 8),
    ("整改单位", 30),
    ("问题来源", 12),
    ("来源说明", 24),
    ("问题类别", 30),
    ("问题描述", 48),
    ("发现日期", 12),
    ("整改通知书", 22),
    ("整改期限", 12),
    ("状态", 18),
    ("逾期", 6),
    ("问责措施", 10),
    ("销号日期", 12),
)


def rectifications_export(*, actor, items, today: dt.date, description: str) -> tuple[str, bytes]:
    """整改台账 as the office keeps it on paper: one row per item, in the list's filter and order."""
    items = list(items)
    rows = (
        [
            item.pk,
            item.unit.name,
            item.get_source_display(),
            item.source_ref,
            item.get_category_display(),
            item.finding,
            item.opened_on.isoformat(),
            item.notice_serial,
            item.deadline.isoformat() if item.deadline else "",
            item.get_state_display(),
            "是" if overdue(item, today) else "",
            item.get_escalation_display(),
            item.closed_on.isoformat() if item.closed_on else "",
        ]
        for item in items
    )
    content = table_workbook(
        sheet="整改台账", title=f"问题整改台账（{today.isoformat()}）", headers=RECTIFICATION_COLUMNS, rows=rows
    )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="supervision.rectifications_exported",
            object_type="supervision.export",
            object_repr=description[:255],
            after={"rows": len(items), "format": "xlsx"},
        )
    return f"问题整改台账_{today.isoformat()}.xlsx", content
