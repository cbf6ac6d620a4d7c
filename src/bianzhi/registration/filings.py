"""备案 after a certificate (brief §6.1: within 60 working days of 领证, the seal's impression, the basic bank account
and the legal representative's signature): recorded with their scan, and what is still due, by when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bianzhi.accounts.permissions import Capability, has_capability, require_capability
from bianzhi.accounts.scoping import ensure_unit_in_scope
from bianzhi.audit.services import audit_record
from bianzhi.core.errors import BianzhiError
from bianzhi.core.files import Upload, file_store
from bianzhi.core.locks import lock_row
from bianzhi.core.todo import TodoItem
from bianzhi.core.workdays import Deadline, WorkCalendar, add_working_days
from bianzhi.registration.applications import days
from bianzhi.registration.choices import FilingKind, InstitutionStatus
from bianzhi.registration.errors import RegistrationError
from bianzhi.registration.models import Filing, Institution
from bianzhi.registration.selectors import institutions_visible_to


@dataclass(frozen=True)
class FilingDue:
    kind: FilingKind
    last: Filing | None  # the one on file, if any
    deadline: Deadline | None  # set while a filing is owed for the live certificate

    def overdue(self, today: dt.date) -> bool:
        return self.deadline is not None and self.deadline.due < today


def filings_due(institution: Institution, calendar: WorkCalendar | None = None) -> list[FilingDue]:
    """Each kind of 备案 with the one on file and, when it is owed (none since the live certificate was issued), the
    day it is due."""
    live = institution.certificates.filter(voided_on__isnull=True).order_by("-valid_from").first()
    rows = []
    for kind in FilingKind:
        last = institution.filings.filter(kind=kind).order_by("-filed_on", "-pk").first()
        owed = live is not None and institution.status == InstitutionStatus.REGISTERED
        owed = owed and (last is None or last.filed_on < live.valid_from)
        deadline = add_working_days(live.valid_from, days("filing"), calendar=calendar) if owed else None
        rows.append(FilingDue(kind, last, deadline))
    return rows


@transaction.atomic
def filing_record(
    *, actor, institution: Institution, kind: str, details: str, upload: Upload | None, filed_on: dt.date
) -> Filing:
    """One 备案, by the institution itself or the registration staff, with the scan of what is filed."""
    require_capability(actor, Capability.APPLY_REGISTRATION)
    institution = lock_row(Institution.objects.select_related("unit").filter(pk=institution.pk))
    ensure_unit_in_scope(actor, institution.unit)
    if kind not in FilingKind.values:
        raise BianzhiError(RegistrationError.BAD_FILING_KIND, value=kind)
    if institution.status != InstitutionStatus.REGISTERED:
        raise BianzhiError(RegistrationError.NOT_REGISTERED, status=institution.get_status_display(), action="备案")
    details = " ".join(details.split())
    if not details:
        raise BianzhiError(RegistrationError.REASON_REQUIRED, what=f"{FilingKind(kind).label}的备案内容")
    if upload is None:
        raise BianzhiError(RegistrationError.FILING_FILE_REQUIRED, kind=FilingKind(kind).label)
    if filed_on > timezone.localdate():
        raise BianzhiError(RegistrationError.FUTURE_DATE, day=filed_on)
    stored = file_store(upload)
    filing = Filing.objects.create(
        institution=institution,
        kind=kind,
        details=details[:200],
        file=stored,
        file_name=upload.name[:200],
        filed_on=filed_on,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="registration.filed",
        obj=institution,
        after={"kind": kind, "details": filing.details, "filed_on": filed_on.isoformat(), "sha256": stored.sha256},
    )
    return filing


def filings_todo(*, user, today: dt.date) -> list[TodoItem]:
    """The 备案 a unit still owes for its live certificate (unit operators only: the staff see them on the pages)."""
    if has_capability(user, Capability.MANAGE_REGISTRATION) or not has_capability(user, Capability.APPLY_REGISTRATION):
        return []
    institutions = list(institutions_visible_to(user).filter(status=InstitutionStatus.REGISTERED))
    calendar = WorkCalendar.load() if institutions else None
    items = []
    for institution in institutions:
        for row in filings_due(institution, calendar):
            if row.deadline is not None:
                items.append(
                    TodoItem(
                        kind="事业单位登记",
                        title=institution.unit.name,
                        action=f"{row.kind.label}备案",
                        url=reverse("registration:institution_detail", args=[institution.pk]) + "#filings",
                        due=row.deadline.due,
                        note=row.deadline.note,
                    )
                )
    return items
