"""Writes of the legal-person register: registration (with its code), changes of the registered items as dated
versions, and certificates. Each runs in one transaction with its audit event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.accounts.scoping import ensure_unit_in_scope
from bianzhi.audit.services import audit_record
from bianzhi.core.dates import years_later
from bianzhi.core.errors import BianzhiError
from bianzhi.core.locks import lock_row
from bianzhi.orgs.choices import UnitStatus
from bianzhi.orgs.documents import DocumentRef, check_effective_date, document_resolve
from bianzhi.orgs.models import Document, Unit
from bianzhi.registration.choices import AUTHORITY, CertificateKind, FundingSource, InstitutionStatus
from bianzhi.registration.codes import checked_uscc, counter_next, county_region_code, uscc_issue
from bianzhi.registration.credit import ensure_registration_allowed
from bianzhi.registration.errors import RegistrationError
from bianzhi.registration.models import ITEM_FIELDS, Certificate, Institution, InstitutionVersion, IssuedCode

ITEM_LABELS = {name: str(InstitutionVersion._meta.get_field(name).verbose_name) for name in ITEM_FIELDS}
REQUIRED_TEXT = ("name", "address", "purpose", "legal_representative")


def clean_items(items: dict) -> dict:
    """The registered items, checked: every text item given, 开办资金 a non-negative amount, a known 经费来源."""
    unknown = sorted(set(items) - set(ITEM_FIELDS))
    if unknown:
        raise BianzhiError(RegistrationError.UNKNOWN_ITEM, name=unknown[0])
    cleaned = {}
    for name in REQUIRED_TEXT:
        value = (
            " ".join(str(items.get(name) or "").split()) if name != "purpose" else str(items.get(name) or "").strip()
        )
        if not value:
            raise BianzhiError(RegistrationError.MISSING_ITEM, label=ITEM_LABELS[name])
        cleaned[name] = value
    raw = items.get("capital")
    try:
        capital = Decimal(str(raw)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise BianzhiError(RegistrationError.BAD_CAPITAL, value=raw) from None
    if raw is None or capital < 0 or not capital.is_finite() or capital >= Decimal(10) ** 12:
        raise BianzhiError(RegistrationError.BAD_CAPITAL, value=raw)
    cleaned["capital"] = capital
    if items.get("funding_source") not in FundingSource.values:
        raise BianzhiError(RegistrationError.MISSING_ITEM, label=ITEM_LABELS["funding_source"])
    cleaned["funding_source"] = items["funding_source"]
    sponsor = items.get("sponsor")
    if sponsor is not None and not isinstance(sponsor, Unit):
        sponsor = Unit.objects.get(pk=sponsor)
    cleaned["sponsor"] = sponsor
    return cleaned


def items_of(version: InstitutionVersion) -> dict:
    return {name: getattr(version, name) for name in ITEM_FIELDS}


def _audit_items(items: dict) -> dict:
    shown = {name: value for name, value in items.items() if name != "sponsor"}
    shown["capital"] = str(items["capital"])
    shown["sponsor"] = items["sponsor"].name if items["sponsor"] else ""
    return shown


def _code_for_unit(*, actor, unit: Unit, category: str) -> tuple[str, str]:
    """The unit's own valid code (recorded as issued, so the allocator never gives it again), or a new one."""
    if not unit.uscc:
        issued = uscc_issue(actor=actor, category=category, unit=unit)
        Unit.objects.filter(pk=unit.pk).update(uscc=issued.code)
        return issued.code, category
    code = checked_uscc(unit.uscc).normalized
    if code[0] != AUTHORITY:
        raise BianzhiError(RegistrationError.BAD_USCC, value=code, reason="不是机构编制部门赋予的代码（首位应为 1）")
    recorded = IssuedCode.objects.filter(code=code).first()
    if recorded is None:
        IssuedCode.objects.create(code=code, category=code[1], unit=unit, imported=True, issued_by=actor)
    elif recorded.unit_id not in (None, unit.pk):
        raise BianzhiError(RegistrationError.USCC_TAKEN, value=code)
    elif recorded.unit_id is None:
        IssuedCode.objects.filter(pk=recorded.pk).update(unit=unit)
    return code, code[1]


@transaction.atomic
def institution_register(
    *,
    actor,
    unit: Unit,
    items: dict,
    document: DocumentRef | Document,
    effective_date: dt.date,
    category: str = "2",
) -> Institution:
    """设立登记: the unit's legal person with its first registered items, under the unit's own valid code or a new
    one from the allocator (``category`` is used only for a new code)."""
    require_capability(actor, Capability.MANAGE_REGISTRATION)
    unit = lock_row(Unit.objects.filter(pk=unit.pk))
    ensure_unit_in_scope(actor, unit)
    existing = Institution.objects.filter(unit=unit).first()
    if existing is not None:
        raise BianzhiError(RegistrationError.ALREADY_REGISTERED, unit=unit.name, uscc=existing.uscc)
    if unit.status != UnitStatus.ACTIVE:
        raise BianzhiError(RegistrationError.UNIT_NOT_ACTIVE, unit=unit.name)
    cleaned = clean_items(items)
    document = document_resolve(document)
    check_effective_date(document, effective_date)
    code, category = _code_for_unit(actor=actor, unit=unit, category=category)
    institution = Institution.objects.create(unit=unit, uscc=code, category=category, registered_on=effective_date)
    InstitutionVersion.objects.create(
        institution=institution, valid_from=effective_date, document=document, recorded_by=actor, **cleaned
    )
    audit_record(
        actor=actor,
        action="registration.registered",
        obj=institution,
        after={"uscc": code, "day": effective_date.isoformat(), "document": document.number, **_audit_items(cleaned)},
    )
    return institution


@transaction.atomic
def institution_change(
    *,
    actor,
    institution: Institution,
    changes: dict,
    document: DocumentRef | Document,
    effective_date: dt.date,
    remedies: bool = False,
) -> InstitutionVersion:
    """变更登记: closes the current registered items on ``effective_date`` and opens the changed ones from it.
    ``remedies``: the change corrects what the institution is listed for, so a listing does not refuse it."""
    require_capability(actor, Capability.MANAGE_REGISTRATION)
    institution = lock_row(Institution.objects.select_related("unit").filter(pk=institution.pk))
    ensure_unit_in_scope(actor, institution.unit)
    if institution.status != InstitutionStatus.REGISTERED:
        raise BianzhiError(
            RegistrationError.NOT_REGISTERED, status=institution.get_status_display(), action="办理变更登记"
        )
    ensure_registration_allowed(institution, remedies=remedies)
    current = institution.versions.get(valid_to__isnull=True)
    before = items_of(current)
    cleaned = clean_items({**before, **changes})
    if cleaned == before:
        raise BianzhiError(RegistrationError.NO_CHANGE)
    if effective_date <= current.valid_from:
        raise BianzhiError(RegistrationError.DATE_BEFORE_CURRENT, day=effective_date, current=current.valid_from)
    document = document_resolve(document)
    check_effective_date(document, effective_date)
    InstitutionVersion.objects.filter(pk=current.pk).update(valid_to=effective_date)
    version = InstitutionVersion.objects.create(
        institution=institution, valid_from=effective_date, document=document, recorded_by=actor, **cleaned
    )
    changed = [name for name in ITEM_FIELDS if cleaned[name] != before[name]]
    audit_record(
        actor=actor,
        action="registration.changed",
        obj=institution,
        before={name: value for name, value in _audit_items(before).items() if name in changed},
        after={
            "day": effective_date.isoformat(),
            "document": document.number,
            "remedies": remedies,
            **{name: value for name, value in _audit_items(cleaned).items() if name in changed},
        },
    )
    return version


@transaction.atomic
def certificate_issue(
    *,
    actor,
    institution: Institution,
    kind: str,
    valid_from: dt.date,
    legacy_number: str = "",
    reason: str = "换发新证书",
) -> Certificate:
    """发证 / 换证: a new certificate of ``kind`` valid ``BIANZHI_CERTIFICATE_YEARS`` years; the live one of that
    kind, if any, is void from ``valid_from``."""
    require_capability(actor, Capability.MANAGE_REGISTRATION)
    if kind not in CertificateKind.values:
        raise BianzhiError(RegistrationError.BAD_CERTIFICATE_KIND, value=kind)
    institution = lock_row(Institution.objects.select_related("unit").filter(pk=institution.pk))
    ensure_unit_in_scope(actor, institution.unit)
    if institution.status != InstitutionStatus.REGISTERED:
        raise BianzhiError(RegistrationError.NOT_REGISTERED, status=institution.get_status_display(), action="发证")
    ensure_registration_allowed(institution)
    if valid_from > timezone.localdate():
        raise BianzhiError(RegistrationError.FUTURE_DATE, day=valid_from)
    live = institution.certificates.filter(kind=kind, voided_on__isnull=True).first()
    if live is not None:
        Certificate.objects.filter(pk=live.pk).update(voided_on=valid_from, void_reason=reason.strip()[:200])
    region = county_region_code()
    number = counter_next("certificate", f"{region}{valid_from.year}")
    certificate = Certificate.objects.create(
        institution=institution,
        kind=kind,
        serial=f"事证第{region}{valid_from.year}{number:05d}号",
        valid_from=valid_from,
        valid_until=years_later(valid_from, settings.BIANZHI_CERTIFICATE_YEARS),
        legacy_number=legacy_number.strip(),
        issued_by=actor,
    )
    audit_record(
        actor=actor,
        action="registration.certificate_issued",
        obj=institution,
        before={"serial": live.serial} if live else None,
        after={"serial": certificate.serial, "kind": kind, "valid_until": certificate.valid_until.isoformat()},
    )
    return certificate


@transaction.atomic
def institution_cancel(
    *, actor, institution: Institution, document: DocumentRef | Document, effective_date: dt.date
) -> Institution:
    """注销登记: the legal person ends on ``effective_date`` (its registered items close then); its certificates are
    collected separately (``certificates_collect``)."""
    require_capability(actor, Capability.MANAGE_REGISTRATION)
    institution = lock_row(Institution.objects.select_related("unit").filter(pk=institution.pk))
    ensure_unit_in_scope(actor, institution.unit)
    if institution.status != InstitutionStatus.REGISTERED:
        raise BianzhiError(RegistrationError.NOT_REGISTERED, status=institution.get_status_display(), action="注销")
    current = institution.versions.get(valid_to__isnull=True)
    if effective_date <= current.valid_from:
        raise BianzhiError(RegistrationError.DATE_BEFORE_CURRENT, day=effective_date, current=current.valid_from)
    document = document_resolve(document)
    check_effective_date(document, effective_date)
    InstitutionVersion.objects.filter(pk=current.pk).update(valid_to=effective_date)
    Institution.objects.filter(pk=institution.pk).update(status=InstitutionStatus.CANCELLED)
    institution.status = InstitutionStatus.CANCELLED
    audit_record(
        actor=actor,
        action="registration.cancelled",
        obj=institution,
        before={"status": InstitutionStatus.REGISTERED},
        after={"status": InstitutionStatus.CANCELLED, "day": effective_date.isoformat(), "document": document.number},
    )
    return institution


@transaction.atomic
def certificates_collect(*, actor, institution: Institution, day: dt.date, reason: str) -> list[str]:
    """收缴: every live certificate of the institution is void from ``day``; the serials collected."""
    require_capability(actor, Capability.MANAGE_REGISTRATION)
    institution = lock_row(Institution.objects.select_related("unit").filter(pk=institution.pk))
    ensure_unit_in_scope(actor, institution.unit)
    live = list(institution.certificates.filter(voided_on__isnull=True).values_list("serial", flat=True))
    institution.certificates.filter(voided_on__isnull=True).update(voided_on=day, void_reason=reason.strip()[:200])
    audit_record(
        actor=actor,
        action="registration.certificates_collected",
        obj=institution,
        after={"serials": live, "day": day.isoformat()},
        reason=reason,
    )
    return live
