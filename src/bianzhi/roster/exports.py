"""The roster as .xlsx, for what the user may see; ID numbers masked; every export is audited (等保 audit)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.audit.services import audit_record
from bianzhi.core.excel import table_workbook
from bianzhi.roster.models import Occupancy

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
    ("入编时间", 12),
    ("状态", 10),
)


def _rows(persons):
    current = Occupancy.objects.filter(person_id__in=[p.pk for p in persons], end_date__isnull=True)
    open_slots = {o.person_id: o for o in current.select_related("account__quota_type")}
    for number, person in enumerate(persons, start=1):
        slot = open_slots.get(person.pk)
        yield [
            number,
            person.name,
            person.get_gender_display(),
            person.id_masked,
            person.unit.name,
            person.internal_body,
            person.position,
            (slot.account.quota_type.name + ("（周转）" if slot.loan_id else "")) if slot else "",
            slot.account.get_funding_form_display() if slot else "",
            slot.start_date.isoformat() if slot else "",
            person.get_status_display() + ("（在编不在岗）" if person.on_leave else ""),
        ]


def roster_export(*, actor, persons, description: str) -> tuple[str, bytes]:
    require_capability(actor, Capability.VIEW_BUSINESS)
    persons = list(persons.select_related("unit")[:100_000])
    today = timezone.localdate()
    content = table_workbook(
        sheet="实名制人员", title=f"实名制人员名册（{today.isoformat()}）", headers=COLUMNS, rows=_rows(persons)
    )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="roster.exported",
            object_type="roster.export",
            object_repr=description[:255],
            after={"rows": len(persons), "format": "xlsx"},
        )
    return f"实名制人员名册_{today.isoformat()}.xlsx", content
