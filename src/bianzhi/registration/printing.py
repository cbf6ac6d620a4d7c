"""The printed papers of the register: the 事业单位法人证书 (brief §6.1), 正本 landscape in a frame and 副本
portrait, with the registered items in force on the day the certificate took effect and a QR code leading to its
public verification page (a void one with a large 已作废 across it); and the 《事业单位法人公示信息抽查通知书》 of each
object of a draw (brief §6.7, sent before the inspection). Every print is in the audit log."""

from __future__ import annotations

import segno
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.audit.services import SYSTEM_ACTOR_NAME, audit_record
from bianzhi.core.errors import BianzhiError
from bianzhi.core.excel import county_name
from bianzhi.core.pdf import pdf_render
from bianzhi.registration.choices import CertificateKind
from bianzhi.registration.errors import RegistrationError
from bianzhi.registration.models import Certificate, DrawObject
from bianzhi.registration.public import CertificateStatus, certificate_status
from bianzhi.registration.selectors import institution_as_of


def certificate_verify_url(certificate: Certificate) -> str:
    """The absolute address of the certificate's public verification page (``BIANZHI_PUBLIC_BASE_URL``), with the
    serial's Chinese characters percent-encoded, as a phone's camera opens it."""
    path = reverse("registration_public:certificate_verify", args=[certificate.institution.uscc, certificate.serial])
    return settings.BIANZHI_PUBLIC_BASE_URL.rstrip("/") + path


def qr_svg(payload: str) -> str:
    """``payload`` as a QR code (error correction M), an inline ``<svg class="qr">`` sized by the stylesheet."""
    return segno.make(payload, error="m", micro=False).svg_inline(svgclass="qr", lineclass=None, omitsize=True)


def registration_authority() -> str:
    return f"{county_name()}事业单位登记管理局"


def certificate_pdf(*, actor, certificate: Certificate) -> tuple[str, bytes]:
    """The certificate as a PDF and its file name; refused when the institution had no registered items yet on the
    day the certificate took effect (an imported certificate dated before its registration)."""
    require_capability(actor, Capability.VIEW_BUSINESS)
    institution = certificate.institution
    items = institution_as_of(institution, certificate.valid_from)
    if items is None:
        raise BianzhiError(RegistrationError.NO_ITEMS_ON, serial=certificate.serial, day=certificate.valid_from)
    url = certificate_verify_url(certificate)
    void = certificate_status(certificate) == CertificateStatus.VOID
    context = {
        "certificate": certificate,
        "institution": institution,
        "items": items,
        "original": certificate.kind == CertificateKind.ORIGINAL,
        "void": void,
        "authority": registration_authority(),
        "verify_url": url,
        "qr": qr_svg(url),
        "printer": str(actor) if actor is not None else SYSTEM_ACTOR_NAME,
        "printed_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }
    content = pdf_render("registration/pdf/certificate.html", context)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="registration.certificate_printed",
            obj=institution,
            after={"serial": certificate.serial, "kind": certificate.kind, "void": void},
        )
    return f"事业单位法人证书（{certificate.get_kind_display()}）-{certificate.serial}.pdf", content


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
