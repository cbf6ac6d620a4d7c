"""What the legal-person register publishes (brief §6.1, §6.8): registered items, certificates and their status,
the credit record, the 异常名录 and 黑名单.

No login stands in front of these reads, so they take no user. They read only what may be published: institutions of
units kept off the 公示 (``Unit.disclosure_withheld`` and everything under them) are left out, and no reader of the
roster is used, so no person's ID number, birth date or phone number can reach a public page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import pairwise

from django.db import models
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bianzhi.disclosure.selectors import without_withheld
from bianzhi.registration.choices import CreditState
from bianzhi.registration.models import ITEM_FIELDS, Certificate, CreditEntry, Institution, InstitutionVersion
from bianzhi.registration.selectors import in_force, versions_matching
from bianzhi.registration.services import ITEM_LABELS, items_of

# the credit lists published (brief §6.8), by the state an institution is listed in
PUBLISHED_LISTS = (CreditState.ABNORMAL_LISTED, CreditState.BLACKLISTED)


class CertificateStatus(models.TextChoices):
    VALID = "VALID", _("有效")
    VOID = "VOID", _("已作废")
    EXPIRED = "EXPIRED", _("已过期")


def certificate_status(certificate: Certificate, day: dt.date | None = None) -> CertificateStatus:
    """有效 from ``valid_from`` to ``valid_until`` (both days included) unless a later certificate voided it."""
    day = day or timezone.localdate()
    if certificate.voided_on is not None and certificate.voided_on <= day:
        return CertificateStatus.VOID
    if certificate.valid_until < day:
        return CertificateStatus.EXPIRED
    return CertificateStatus.VALID


def public_institutions() -> QuerySet[Institution]:
    return without_withheld(Institution.objects.select_related("unit"), "unit__tree_path")


def public_search(query: str, day: dt.date | None = None) -> QuerySet[InstitutionVersion]:
    """The registered items in force on ``day`` (today) of every published institution, found as on the staff list:
    by name, pinyin or initials, or code."""
    day = day or timezone.localdate()
    versions = InstitutionVersion.objects.filter(in_force(day), institution__in=public_institutions())
    return versions_matching(versions, query)


def public_institution(uscc: str) -> Institution | None:
    return public_institutions().filter(uscc=uscc.strip().upper()).first()


def public_certificate(uscc: str, serial: str) -> Certificate | None:
    """The certificate a QR code or a typed serial names, if it is one of that published institution's."""
    institution = public_institution(uscc)
    return institution.certificates.filter(serial=serial.strip()).first() if institution else None


@dataclass(frozen=True)
class PublicChange:
    day: dt.date
    what: list[str]  # 设立登记, or the labels of the registered items that changed


def public_history(institution: Institution) -> list[PublicChange]:
    """Each dated step of the registered items, newest first: when, and which items changed (not to what: a
    change of 法定代表人 is a person's business)."""
    versions = list(institution.versions.order_by("valid_from", "pk"))
    changes = [PublicChange(version.valid_from, [str(_("设立登记"))]) for version in versions[:1]]
    for before, after in pairwise(versions):
        old, new = items_of(before), items_of(after)
        changes.append(
            PublicChange(after.valid_from, [ITEM_LABELS[name] for name in ITEM_FIELDS if old[name] != new[name]])
        )
    return changes[::-1]


def _with_registered_name(entries: QuerySet[CreditEntry]) -> QuerySet[CreditEntry]:
    current = InstitutionVersion.objects.filter(institution=OuterRef("institution"), valid_to__isnull=True)
    return entries.select_related("institution").annotate(registered_name=Subquery(current.values("name")[:1]))


def credit_listed(state: str) -> QuerySet[CreditEntry]:
    """The published institutions whose credit state is ``state`` now: the step that listed each, newest first."""
    last = CreditEntry.objects.filter(institution=OuterRef("institution")).order_by("-day", "-pk").values("pk")[:1]
    entries = CreditEntry.objects.filter(pk=Subquery(last), state=state, institution__in=public_institutions())
    return _with_registered_name(entries).order_by("-day", "-pk")


def credit_removed(state: str) -> QuerySet[CreditEntry]:
    """The published removals from the ``state`` list after a verified remedy (移出), newest first."""
    entries = CreditEntry.objects.filter(
        from_state=state, state=CreditState.NORMAL, institution__in=public_institutions()
    )
    return _with_registered_name(entries).order_by("-day", "-pk")
