"""The matters register (机构编制事项登记簿) as .xlsx, as the list is filtered; every export is audited."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.audit.services import audit_record
from bianzhi.core.excel import table_workbook
from bianzhi.core.workdays import WorkCalendar
from bianzhi.matters.workflow import next_action

COLUMNS = (
    ("序号", 6),
    ("事项名称", 36),
    ("提出单位", 28),
    ("事项类别", 12),
    ("状态", 10),
    ("审议机构", 14),
    ("审议决定", 12),
    ("批复文号", 24),
    ("实施生效日期", 14),
    ("下一步办理", 12),
    ("期限", 12),
    ("建立日期", 12),
)


def _rows(matters):
    calendar = WorkCalendar.load()
    for number, matter in enumerate(matters.select_related("decision_document").iterator(chunk_size=500), 1):
        action = next_action(matter, calendar=calendar)
        deadline = action.deadline if action else None
        yield [
            number,
            matter.title,
            matter.proposer.name,
            matter.get_kind_display(),
            matter.get_state_display(),
            matter.get_body_display() if matter.body else "",
            matter.get_decision_display() if matter.decision else "",
            matter.decision_document.number if matter.decision_document else "",
            matter.applied_on.isoformat() if matter.applied_on else "",
            action.label if action else "",
            deadline.due.isoformat() if deadline else "",
            timezone.localtime(matter.created_at).date().isoformat(),
        ]


def matters_export(*, actor, matters, description: str) -> tuple[str, bytes]:
    require_capability(actor, Capability.VIEW_BUSINESS)
    today = timezone.localdate()
    content = table_workbook(
        sheet="机构编制事项", title=f"机构编制事项登记簿（{today.isoformat()}）", headers=COLUMNS, rows=_rows(matters)
    )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="matters.exported",
            object_type="matters.export",
            object_repr=description[:255],
            after={"rows": matters.count(), "format": "xlsx"},
        )
    return f"机构编制事项登记簿_{today.isoformat()}.xlsx", content
