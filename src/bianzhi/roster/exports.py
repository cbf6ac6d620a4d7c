"""The roster as .xlsx, for what the user may see; ID numbers masked; every export is audited (等保 audit)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.audit.services import audit_record
from bianzhi.core.errors import BianzhiError
from bianzhi.core.excel import table_workbook
from bianzhi.roster.errors import RosterError

# a workbook is written while the request waits; beyond this many rows, a narrower filter is asked for
EXPORT_LIMIT = 100_000

COLUMNS = (
    ("序号", 6),
    ("姓名", 10),
    ("性别", 6),
    ("公民身份号码", 22),
    ("所在单位", 30),
    ("所在机构", 16),
    ("职务", 16),
    ("编制类型", 14),
    ("经费形式", 10),
    ("进入方式", 12),
    ("入编时间", 12),
    ("出编时间", 12),
    ("状态", 10),
)


def _rows(rows):
    """One line per row of ``roster_list``: the person and the slot they are listed with."""
    for number, slot in enumerate(rows.iterator(chunk_size=2_000), start=1):
        person = slot.person
        yield [
            number,
            person.name,
            person.get_gender_display(),
            person.id_masked,
            person.unit.name,
            person.internal_body,
            person.position,
            slot.account.quota_type.name + ("（周转）" if slot.loan_id else ""),
            slot.account.get_funding_form_display(),
            slot.get_entry_mode_display(),
            slot.start_date.isoformat(),
            slot.end_date.isoformat() if slot.end_date else "",
            person.get_status_display() + ("（在编不在岗）" if person.on_leave else ""),
        ]


def roster_export(*, actor, rows, description: str) -> tuple[str, bytes]:
    """``rows`` (from ``selectors.roster_list``) as a workbook, in their order, written as they are read."""
    require_capability(actor, Capability.VIEW_BUSINESS)
    count = rows.count()
    if count > EXPORT_LIMIT:
        raise BianzhiError(RosterError.EXPORT_TOO_LARGE, count=count, limit=EXPORT_LIMIT)
    today = timezone.localdate()
    content = table_workbook(
        sheet="实名制人员", title=f"实名制人员名册（{today.isoformat()}）", headers=COLUMNS, rows=_rows(rows)
    )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="roster.exported",
            object_type="roster.export",
            object_repr=description[:255],
            after={"rows": count, "format": "xlsx"},
        )
    return f"实名制人员名册_{today.isoformat()}.xlsx", content
