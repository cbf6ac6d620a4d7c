"""The credit record of a registered institution as a table of transitions (brief §6.8): 书面警告 → 列入异常名录 →
列入黑名单 → 撤销登记, and removal back to 正常 after a verified remedy. While listed, registration business is
refused (``ensure_registration_allowed``), except a change that remedies the listing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.accounts.scoping import ensure_unit_in_scope
from bianzhi.audit.services import audit_record
from bianzhi.core.dates import years_later
from bianzhi.core.errors import BianzhiError
from bianzhi.core.locks import lock_row
from bianzhi.orgs.documents import DocumentRef, check_effective_date, document_resolve
from bianzhi.orgs.models import Document
from bianzhi.registration.choices import CreditState, InstitutionStatus
from bianzhi.registration.errors import RegistrationError
from bianzhi.registration.models import Certificate, CreditEntry, Institution

C = CreditState


@dataclass(frozen=True)
class CreditTransition:
    name: str
    label: str
    sources: frozenset[str]
    target: str | None  # None: an entry of the record that leaves the state as it is
    manual: bool = True  # offered on the institution's page (the others are written by the procedure)


TRANSITIONS = {
    t.name: t
    for t in (
        CreditTransition("warn", "书面警告", frozenset({C.NORMAL}), C.WARNED),
        CreditTransition("list", "列入异常名录", frozenset({C.NORMAL, C.WARNED}), C.ABNORMAL_LISTED),
        CreditTransition("blacklist", "列入黑名单", frozenset({C.ABNORMAL_LISTED}), C.BLACKLISTED),
        CreditTransition("revoke", "撤销登记", frozenset({C.BLACKLISTED}), C.REVOKED),
        CreditTransition("remove", "整改到位，恢复正常", frozenset({C.WARNED, C.ABNORMAL_LISTED}), C.NORMAL),
        # a 容缺 promise not kept (brief §6.5): on the record, the state unchanged
        CreditTransition(
            "promise",
            "容缺承诺未履行",
            frozenset({C.NORMAL, C.WARNED, C.ABNORMAL_LISTED, C.BLACKLISTED}),
            None,
            manual=False,
        ),
    )
}
# the states in which registration business is suspended (a remedying change excepted)
LISTED = frozenset({C.ABNORMAL_LISTED, C.BLACKLISTED})


def credit_entry_as_of(institution: Institution, day: dt.date | None = None) -> CreditEntry | None:
    day = day or timezone.localdate()
    return institution.credit_entries.filter(day__lte=day).order_by("-day", "-pk").first()


def credit_state(institution: Institution, day: dt.date | None = None) -> str:
    """The credit state on ``day`` (today by default): that of the last step on or before it, else 正常."""
    entry = credit_entry_as_of(institution, day)
    return entry.state if entry else C.NORMAL


def allowed_credit_actions(institution: Institution) -> list[CreditTransition]:
    state = credit_state(institution)
    return [t for t in TRANSITIONS.values() if t.manual and state in t.sources]


def ensure_registration_allowed(institution: Institution, *, remedies: bool = False) -> None:
    """Refuses registration business while the institution is listed (unless the business remedies the listing)
    and for good once its registration is revoked, cancelled or not yet in force."""
    entry = credit_entry_as_of(institution)
    state = entry.state if entry else C.NORMAL
    if state == C.REVOKED:
        raise BianzhiError(RegistrationError.CREDIT_REVOKED, since=entry.day)
    if state in LISTED and not remedies:
        raise BianzhiError(RegistrationError.CREDIT_LISTED, state=C(state).label, since=entry.day)


@transaction.atomic
def credit_record(
    *, actor, institution: Institution, action: str, reason: str, document: DocumentRef | Document, day: dt.date
) -> CreditEntry:
    """One step of the credit record, as the transition table allows from the state the institution is in."""
    require_capability(actor, Capability.MANAGE_REGISTRATION)
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise BianzhiError(RegistrationError.UNKNOWN_CREDIT_ACTION, name=action)
    institution = lock_row(Institution.objects.select_related("unit").filter(pk=institution.pk))
    ensure_unit_in_scope(actor, institution.unit)
    if not reason.strip():
        raise BianzhiError(RegistrationError.REASON_REQUIRED, what="事由（整改情况）" if action == "remove" else "事由")
    if day > timezone.localdate():
        raise BianzhiError(RegistrationError.FUTURE_DATE, day=day)
    last = institution.credit_entries.order_by("-day", "-pk").first()
    if last is not None and day < last.day:
        raise BianzhiError(RegistrationError.CREDIT_DATE_ORDER, day=day, last=last.day)
    state = last.state if last else C.NORMAL
    if state not in transition.sources:
        raise BianzhiError(RegistrationError.CREDIT_TRANSITION, state=C(state).label, action=transition.label)
    document = document_resolve(document)
    check_effective_date(document, day)
    target = transition.target or state
    entry = CreditEntry.objects.create(
        institution=institution,
        action=action,
        from_state=state,
        state=target,
        day=day,
        reason=reason.strip(),
        document=document,
        recorded_by=actor,
    )
    if target == C.REVOKED:
        Institution.objects.filter(pk=institution.pk).update(status=InstitutionStatus.REVOKED)
        Certificate.objects.filter(institution=institution, voided_on__isnull=True).update(
            voided_on=day, void_reason="撤销登记，收缴证书"
        )
    audit_record(
        actor=actor,
        action="registration.credit_recorded",
        obj=institution,
        before={"state": state},
        after={"state": target, "action": action, "day": day.isoformat(), "document": document.number},
        reason=reason.strip(),
    )
    return entry


def credit_clean(institution: Institution | None, today: dt.date) -> CreditEntry | None:
    """The entry that keeps the institution from counting as of clean credit (容缺受理, brief §6.5): its last entry
    within ``BIANZHI_CREDIT_CLEAN_YEARS`` years, or a state other than 正常 now. None: clean (a body not yet
    registered has no record)."""
    if institution is None:
        return None
    last = institution.credit_entries.filter(day__lte=today).order_by("-day", "-pk").first()
    if last is None:
        return None
    years = settings.BIANZHI_CREDIT_CLEAN_YEARS
    return last if last.state != C.NORMAL or last.day > years_later(today, -years) else None
