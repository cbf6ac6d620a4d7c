"""The printed papers of a draw: the 《事业单位法人公示信息抽查通知书》 for each object (brief §6.7, sent before the
inspection). Every print is in the audit log."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.audit.services import SYSTEM_ACTOR_NAME, audit_record
from bianzhi.core.excel import county_name
from bianzhi.core.pdf import pdf_render
from bianzhi.registration.models import DrawObject

NOTICE_TITLE = "事业单位法人公示信息抽查通知书"


def notice_serial(drawn: DrawObject) -> str:
    """抽查编号 and the object's place in USCC order: the same on every reprint."""
    place = drawn.draw.targets.filter(uscc__lte=drawn.uscc).count()
    return f"抽查〔{drawn.draw.number}〕{place:03d}号"


def draw_notice(*, actor, drawn: DrawObject) -> tuple[str, bytes]:
    """The notice of one object as a PDF: what will be checked, how, by whom and by when."""
    require_capability(actor, Capability.MANAGE_REGISTRATION)
    draw = drawn.draw
    serial = notice_serial(drawn)
    context = {
        "county": county_name(),
        "printer": str(actor) if actor is not None else SYSTEM_ACTOR_NAME,
        "printed_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "title": NOTICE_TITLE,
        "serial": serial,
        "unit": drawn.institution.unit,
        "drawn": drawn,
        "draw": draw,
        "inspectors": list(drawn.inspectors.select_related("unit").order_by("pk")),
        "issuer": f"{county_name()}机构编制委员会办公室",
        "issued_on": drawn.notice_sent_on or timezone.localdate(),
        "copies_to": f"{county_name()}事业单位登记管理局",
    }
    content = pdf_render("registration/pdf/draw_notice.html", context)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="registration.draw_notice_printed",
            obj=draw,
            object_repr=f"{draw} {drawn.institution.unit.name}"[:255],
            after={"serial": serial, "uscc": drawn.uscc},
        )
    return f"{NOTICE_TITLE}-{drawn.institution.unit.name}.pdf", content
