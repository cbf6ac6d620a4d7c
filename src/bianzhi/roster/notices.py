"""The printable notices of the quota-use workflow (brief §2.1–§2.3), as PDF: 《核准使用编制通知单》 for an
approved 用编核准单, 《人员入编通知单》 and 《人员出编通知单》 for an occupancy.

They go to the unit and, by 抄送, to 组织部、人社局、财政局 (brief §2.0), who need the full ID number to pay and
insure the person: it is printed in full when the printer's role may see ID numbers (``VIEW_PERSONAL_DATA``), masked
otherwise. A notice is issued once; reprinting gives the same serial and date. Every print is recorded in the audit
log, and the page says who printed it and when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from bianzhi.accounts.permissions import Capability, has_capability
from bianzhi.accounts.scoping import ensure_unit_in_scope
from bianzhi.audit.models import AuditEvent
from bianzhi.audit.services import SYSTEM_ACTOR_NAME, audit_record
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.excel import county_name
from bianzhi.core.pdf import pdf_render
from bianzhi.quotas.models import FundingForm
from bianzhi.roster import crypto
from bianzhi.roster.choices import ApprovalStatus
from bianzhi.roster.errors import NoticeError
from bianzhi.roster.models import Approval, Occupancy, Person

# 抄送 of every notice: the departments that act on it (brief §2.0)
COPIES_TO = ("县委组织部", "县人力资源和社会保障局", "县财政局")
# the notices, by the name of their template; a print of each is recorded as ``roster.<notice>_printed``
NOTICES = ("approval_notice", "entry_notice", "exit_notice")
# approvals printed after they ended say so, so that a reprint is not taken for a live approval
_ENDED_REMARK = {
    ApprovalStatus.EXPIRED: "本通知单已过期失效，仅供存档。",
    ApprovalStatus.CANCELLED: "本通知单已撤销，仅供存档。",
}


@dataclass(frozen=True)
class Notice:
    file_name: str
    content: bytes


def _in_scope(user, queryset: QuerySet, pk: int, what: str, unit_of) -> Model:
    """The row, if it exists (404) and its unit is in the user's scope (403), as ``person_for`` answers; a notice
    link passed to another office should say it is out of their scope, not that it does not exist."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise BianzhiError(CommonError.NOT_FOUND, what=what)
    ensure_unit_in_scope(user, unit_of(found))
    return found


def occupancy_for_notice(user, pk: int) -> Occupancy:
    occupancies = Occupancy.objects.select_related(
        "person", "account__unit", "account__quota_type", "approval", "loan", "entry_document", "exit_document"
    )
    return _in_scope(user, occupancies, pk, "该在编记录", lambda o: o.account.unit)


def _pdf(template: str, context: dict, *, actor) -> bytes:
    county = county_name()
    return pdf_render(
        f"roster/pdf/{template}.html",
        {
            **context,
            "issuer": f"{county}机构编制委员会办公室",
            "copies_to": "、".join(COPIES_TO),
            "printer": str(actor) if actor is not None else SYSTEM_ACTOR_NAME,
            "printed_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        },
    )


def _printed(*, actor, notice: str, record: Model, serial: str, full_id: bool | None = None) -> None:
    """The print in the audit log (after the PDF is made, so the log is not held while it renders)."""
    after = {"serial": serial} if full_id is None else {"serial": serial, "full_id": full_id}
    with transaction.atomic():
        audit_record(actor=actor, action=f"roster.{notice}_printed", obj=record, after=after)


def _id_number(actor, person: Person) -> tuple[str, bool]:
    """The ID number as the printer may see it, and whether it is the full one."""
    if has_capability(actor, Capability.VIEW_PERSONAL_DATA):
        return crypto.decrypt(person.id_cipher), True
    return person.id_masked, False


def _slot_facts(record: Approval | Occupancy) -> dict:
    account = record.account
    return {
        "unit": account.unit,
        "quota_type": account.quota_type.name,
        "funding": FundingForm(account.funding_form).label,
    }


def approval_notice(*, actor, approval: Approval) -> Notice:
    if not approval.serial:
        raise BianzhiError(NoticeError.NOT_APPROVED, status=approval.get_status_display())
    context = {
        **_slot_facts(approval),
        "title": "核准使用编制通知单",
        "serial": approval.serial,
        "approval": approval,
        "issued_on": approval.approved_on,
        "remark": _ENDED_REMARK.get(approval.status, ""),
    }
    content = _pdf("approval_notice", context, actor=actor)
    _printed(actor=actor, notice="approval_notice", record=approval, serial=approval.serial)
    return Notice(f"核准使用编制通知单-{approval.serial}.pdf", content)


def _person_notice(*, actor, occupancy: Occupancy, kind: str, title: str, serial: str, issued_on: dt.date) -> Notice:
    person = occupancy.person
    id_number, full_id = _id_number(actor, person)
    context = {
        **_slot_facts(occupancy),
        "title": title,
        "serial": serial,
        "occupancy": occupancy,
        "person": person,
        "id_number": id_number,
        "issued_on": issued_on,
    }
    content = _pdf(kind, context, actor=actor)
    _printed(actor=actor, notice=kind, record=person, serial=serial, full_id=full_id)
    return Notice(f"{title}-{person.name}-{serial}.pdf", content)


def entry_notice(*, actor, occupancy: Occupancy) -> Notice:
    if not occupancy.entry_serial:
        raise BianzhiError(NoticeError.NO_ENTRY_NOTICE, name=occupancy.person.name)
    return _person_notice(
        actor=actor,
        occupancy=occupancy,
        kind="entry_notice",
        title="人员入编通知单",
        serial=occupancy.entry_serial,
        issued_on=timezone.localdate(occupancy.created_at),
    )


def _exit_issued_on(occupancy: Occupancy) -> dt.date:
    """The day the 出编 was recorded: the audit event that gave the serial (the exit date may lie before it)."""
    at = (
        AuditEvent.objects.filter(
            object_type="roster.person",
            object_id=str(occupancy.person_id),
            action="roster.offboarded",
            after__serial=occupancy.exit_serial,
        )
        .values_list("occurred_at", flat=True)
        .first()
    )
    return timezone.localdate(at) if at else occupancy.end_date


def exit_notice(*, actor, occupancy: Occupancy) -> Notice:
    name = occupancy.person.name
    if occupancy.is_open:
        raise BianzhiError(NoticeError.STILL_IN_SLOT, name=name)
    if not occupancy.exit_serial:
        raise BianzhiError(NoticeError.NO_EXIT_NOTICE, name=name)
    return _person_notice(
        actor=actor,
        occupancy=occupancy,
        kind="exit_notice",
        title="人员出编通知单",
        serial=occupancy.exit_serial,
        issued_on=_exit_issued_on(occupancy),
    )
