"""The 整改通知书 as a PDF: numbered when the notice was issued (``rectification`` step ``notify``), the same on
every reprint. Every print is in the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bianzhi.audit.services import SYSTEM_ACTOR_NAME, audit_record
from bianzhi.core.errors import BianzhiError
from bianzhi.core.excel import county_name
from bianzhi.core.pdf import pdf_render
from bianzhi.supervision.choices import RectificationState
from bianzhi.supervision.errors import RectificationError
from bianzhi.supervision.models import RectificationItem


def rectification_notice(*, actor, item: RectificationItem) -> tuple[str, bytes]:
    if not item.notice_serial:
        raise BianzhiError(
            RectificationError.NOT_ALLOWED, state=RectificationState(item.state).label, action="打印整改通知书"
        )
    context = {
        "item": item,
        "unit": item.unit,
        "title": "整改通知书",
        "serial": item.notice_serial,
        "issuer": f"中共{county_name()}委机构编制委员会办公室",
        "issued_on": item.notice_on,
        "plan_days": settings.BIANZHI_RECTIFICATION_DAYS["plan"],
        "copies_to": "县纪委监委、县委组织部",
        "county": county_name(),
        "printer": str(actor) if actor is not None else SYSTEM_ACTOR_NAME,
        "printed_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }
    content = pdf_render("supervision/pdf/rectification_notice.html", context)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="supervision.rectification_notice_printed",
            obj=item,
            after={"serial": item.notice_serial},
        )
    return f"整改通知书-{item.unit.name}-{item.notice_serial}.pdf", content
