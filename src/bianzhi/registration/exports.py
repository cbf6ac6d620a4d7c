"""The register (事业单位法人登记簿) as .xlsx, as the list is filtered and dated; every export is audited."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.audit.services import audit_record
from bianzhi.core.excel import table_workbook

COLUMNS = (
    ("序号", 6),
    ("统一社会信用代码", 22),
    ("名称", 32),
    ("住所", 30),
    ("宗旨和业务范围", 40),
    ("法定代表人", 10),
    ("开办资金（万元）", 14),
    ("经费来源", 14),
    ("举办单位", 28),
    ("登记状态", 10),
    ("事项起始日期", 12),
    ("依据文件", 24),
)


def _rows(versions):
    for number, version in enumerate(versions.iterator(chunk_size=500), 1):
        yield [
            number,
            version.institution.uscc,
            version.name,
            version.address,
            version.purpose,
            version.legal_representative,
            version.capital,
            version.get_funding_source_display(),
            version.sponsor.name if version.sponsor else "",
            version.institution.get_status_display(),
            version.valid_from.isoformat(),
            version.document.number,
        ]


def institutions_export(*, actor, versions, day: dt.date, description: str) -> tuple[str, bytes]:
    require_capability(actor, Capability.VIEW_BUSINESS)
    content = table_workbook(
        sheet="事业单位法人",
        title=f"事业单位法人登记簿（截至 {day.isoformat()}）",
        headers=COLUMNS,
        rows=_rows(versions),
    )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="registration.exported",
            object_type="registration.export",
            object_repr=description[:255],
            after={"rows": versions.count(), "format": "xlsx", "as_of": day.isoformat()},
        )
    return f"事业单位法人登记簿_{day.isoformat()}.xlsx", content


APPLICATION_COLUMNS = (
    ("申请编号", 14),
    ("申请单位", 32),
    ("申请类别", 10),
    ("办理状态", 16),
    ("收到申请日期", 12),
    ("受理日期", 12),
    ("办理期限", 12),
    ("是否逾期", 8),
    ("容缺材料", 24),
    ("登记决定文号", 22),
)


def applications_export(*, actor, rows, today: dt.date, description: str) -> tuple[str, bytes]:
    """The application queue as listed (``rows`` from the list page: application, deadline, overdue)."""
    require_capability(actor, Capability.VIEW_BUSINESS)
    lines = []
    for row in rows:
        application = row["application"]
        promised = [m.label for m in application.materials.all() if m.due_on is not None]
        lines.append(
            [
                application.number,
                application.unit.name,
                application.get_kind_display(),
                application.get_state_display() + ("（视为受理）" if row["deemed"] else ""),
                application.received_on.isoformat() if application.received_on else "",
                application.accepted_on.isoformat() if application.accepted_on else "",
                row["deadline"].due.isoformat() if row["deadline"] else "",
                "逾期" if row["overdue"] else "",
                "、".join(promised),
                application.decision_number,
            ]
        )
    content = table_workbook(
        sheet="登记申请", title=f"事业单位登记申请（{today.isoformat()}）", headers=APPLICATION_COLUMNS, rows=lines
    )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="registration.applications_exported",
            object_type="registration.export",
            object_repr=description[:255],
            after={"rows": len(lines), "format": "xlsx"},
        )
    return f"事业单位登记申请_{today.isoformat()}.xlsx", content


DRAW_COLUMNS = (
    ("序号", 6),
    ("统一社会信用代码", 22),
    ("抽查对象", 32),
    ("检查人员", 30),
    ("通知书送达日期", 14),
    ("检查日期", 12),
    ("抽查结果", 20),
    ("检查情况", 40),
    ("须整改", 8),
)


def _draw_rows(objects):
    for number, drawn in enumerate(objects, 1):
        yield [
            number,
            drawn.uscc,
            drawn.institution.unit.name,
            "、".join(f"{i.name}（{i.unit.name}）" for i in drawn.inspectors.all()),
            drawn.notice_sent_on.isoformat() if drawn.notice_sent_on else "",
            drawn.inspected_on.isoformat() if drawn.inspected_on else "",
            drawn.get_result_display(),
            drawn.findings,
            "是" if drawn.rectification_required else "",
        ]


def draw_export(*, actor, draw, objects) -> tuple[str, bytes]:
    """A draw's objects, teams and results as .xlsx."""
    require_capability(actor, Capability.VIEW_BUSINESS)
    content = table_workbook(
        sheet="抽查对象",
        title=f"双随机抽查 {draw.number}（{draw.year} 年度，{draw.get_method_display()}，{draw.get_state_display()}）",
        headers=DRAW_COLUMNS,
        rows=_draw_rows(objects),
    )
    with transaction.atomic():
        audit_record(
            actor=actor, action="registration.draw_exported", obj=draw, after={"rows": len(objects), "format": "xlsx"}
        )
    return f"双随机抽查_{draw.number}.xlsx", content
