"""入编, 出编, 转编, 恢复 (brief §2.2, §2.3): the only ways a person enters, leaves or moves between quota slots.

Each runs in one transaction that locks the quota account (and the approval or loan) before it counts, so racing
clients queue for the last slot; the audit event and the notice serial are written in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from bianzhi.accounts.permissions import Capability, has_capability, require_capability
from bianzhi.accounts.scoping import ensure_unit_in_scope, unit_name_for
from bianzhi.audit.services import audit_record
from bianzhi.core.errors import Advisory, BianzhiError, CommonError
from bianzhi.core.locks import lock_all, lock_row, lock_rows
from bianzhi.orgs.documents import DocumentRef, check_effective_date, document_resolve
from bianzhi.orgs.models import Document, Unit
from bianzhi.orgs.services import ensure_unit_usable
from bianzhi.quotas.models import QuotaAccount
from bianzhi.quotas.services import unit_account
from bianzhi.roster import approvals, loans
from bianzhi.roster.choices import EntryMode, ExitReason, HireKind, LoanStatus, PersonStatus
from bianzhi.roster.errors import RosterError
from bianzhi.roster.models import Approval, Occupancy, Person, PostAssignment, TurnoverLoan
from bianzhi.roster.persons import PersonData, namesakes_listed, person_for_entry, same_name_and_birth
from bianzhi.roster.slots import ensure_available, ensure_unit_not_over, next_serial, occupancy_succeed


@dataclass(frozen=True)
class Slot:
    """Where an onboarding goes: an approval's account, a loan's, or (编办 override) a named unit account."""

    approval: Approval | None = None
    loan: TurnoverLoan | None = None
    unit: Unit | None = None
    quota_type: str = ""
    funding_form: str = ""
    override_reason: str = ""


def _check_dates(what: str, day: dt.date, today: dt.date) -> None:
    if day > today:
        raise BianzhiError(RosterError.DATE_IN_FUTURE, what=what, date=day)


def _check_choice(value: str, choices, label: str) -> None:
    if value not in choices.values:
        raise BianzhiError(RosterError.CHOICE_INVALID, field=label)


def _usable_unit(unit_id: int, day: dt.date) -> Unit:
    unit = lock_rows(Unit, [unit_id])[0]
    ensure_unit_usable(unit, day)
    return unit


def _target(actor, slot: Slot) -> QuotaAccount:
    if slot.approval is not None:
        return slot.approval.account
    if slot.loan is not None:
        return loans.loan_account(slot.loan)
    if not has_capability(actor, Capability.DECIDE_QUOTA_USE) or slot.unit is None:
        raise BianzhiError(RosterError.APPROVAL_REQUIRED)
    if not slot.override_reason.strip():
        raise BianzhiError(RosterError.OVERRIDE_REASON_REQUIRED)
    return unit_account(slot.unit, slot.quota_type, slot.funding_form)


def _claim(actor, slot: Slot, account: QuotaAccount, day: dt.date, today: dt.date, *, approval: Approval | None = None):
    """Takes one slot of ``account`` (locked by the caller): from the approval (the caller's locked copy, if it
    holds one), the loan, or a free vacancy."""
    if slot.approval is not None:
        approval = approval or lock_rows(Approval, [slot.approval.pk])[0]
        approvals.check_usable(approval, day, today)
        approvals.consume(approval, day)
        return approval, None
    if slot.loan is not None:
        loan = loans.claim(slot.loan.pk, day)
        return None, loan
    ensure_unit_not_over(account, today)
    ensure_available(account, day, 1, until=today)
    return None, None


def _last_exit(person: Person) -> dt.date | None:
    ended = person.occupancies.filter(end_date__isnull=False).order_by("-end_date")
    return ended.values_list("end_date", flat=True).first()


def _already_in_slot(person: Person, actor) -> BianzhiError:
    """Names the unit that holds the person only to someone who may see that unit."""
    current = person.occupancies.filter(end_date__isnull=True).select_related("account__unit").first()
    unit = unit_name_for(actor, current.account.unit) if current else "其他单位"
    return BianzhiError(RosterError.ALREADY_IN_SLOT, name=person.name, masked=person.id_masked, unit=unit)


@transaction.atomic
def occupancy_start(
    *,
    actor,
    data: PersonData,
    slot: Slot,
    start_date: dt.date,
    entry_mode: str,
    document: DocumentRef | Document,
    hire_kind: str = HireKind.NEW,
    confirm_namesake: bool = True,
    today: dt.date | None = None,
) -> Occupancy:
    """入编: one person into one slot, against an approval (or a loan, or a reasoned 编办 override).

    Someone else of the same name and birth date on the roster may be this person under a mistyped ID number. With
    ``confirm_namesake`` the caller says that was checked: the entry is made and the occupancy's ``warnings`` name
    them (``roster.namesake``); without it the entry is refused until confirmed (``roster.namesake_unconfirmed``).
    """
    require_capability(actor, Capability.USE_QUOTA)
    today = today or timezone.localdate()
    _check_choice(entry_mode, EntryMode, "进入方式")
    _check_choice(hire_kind, HireKind, "补缺或新增")
    _check_dates("入编时间", start_date, today)
    data.checked()  # a bad name or ID number is reported before anything else
    account = _target(actor, slot)
    doc = document_resolve(document)
    check_effective_date(doc, start_date)
    unit = _usable_unit(account.unit_id, start_date)
    ensure_unit_in_scope(actor, unit)
    account = lock_row(QuotaAccount.objects.select_related("quota_type").filter(pk=account.pk))
    account.unit = unit  # the locked copy: the audit event names them without reading them again
    approval = lock_rows(Approval, [slot.approval.pk])[0] if slot.approval else None
    lock_rows(TurnoverLoan, [slot.loan.pk] if slot.loan else [])
    person, created = person_for_entry(data, unit)
    if not created:
        if person.status == PersonStatus.IN_QUOTA:
            raise _already_in_slot(person, actor)
        last_exit = _last_exit(person)
        if last_exit and start_date < last_exit:
            raise BianzhiError(RosterError.ENTRY_BEFORE_LAST_EXIT, date=start_date, end=last_exit)
    approval, loan = _claim(actor, slot, account, start_date, today, approval=approval)
    namesakes = same_name_and_birth(person.name, person.birth_date, exclude_hash=person.id_hash)
    if namesakes and not confirm_namesake:  # asked last: confirming is all that is left to do
        raise BianzhiError(RosterError.NAMESAKE_UNCONFIRMED, listed=namesakes_listed(actor, namesakes))
    person.status, person.on_leave = PersonStatus.IN_QUOTA, False
    try:
        with transaction.atomic():
            person.save()
            occupancy = Occupancy.objects.create(
                person=person,
                account=account,
                loan=loan,
                approval=approval,
                start_date=start_date,
                entry_mode=entry_mode,
                hire_kind=hire_kind,
                entry_document=doc,
                entry_serial=next_serial("entry", today),
                override_reason=slot.override_reason.strip() if approval is None and loan is None else "",
                created_by=actor,
            )
    except IntegrityError:  # a concurrent onboarding of the same ID number got there first
        raise _already_in_slot(Person.objects.get(id_hash=person.id_hash), actor) from None
    audit_record(
        actor=actor,
        action="roster.onboarded" if approval or loan else "roster.onboarded_override",
        obj=person,
        after={
            "account": str(account),
            "start_date": start_date.isoformat(),
            "entry_mode": entry_mode,
            "hire_kind": hire_kind,
            "approval": approval.serial if approval else None,
            "loan": loan.serial if loan else None,
            "document": doc.number,
            "serial": occupancy.entry_serial,
        },
        reason=occupancy.override_reason,
    )
    occupancy.warnings = (
        [Advisory.of(RosterError.NAMESAKE, listed=namesakes_listed(actor, namesakes))] if namesakes else []
    )
    return occupancy


def _open_occupancy(person: Person) -> Occupancy | None:
    return (
        Occupancy.objects.select_related("account__unit", "account__quota_type", "loan")
        .filter(person=person, end_date__isnull=True)
        .first()
    )


def _last_closed_occupancy(person: Person) -> Occupancy | None:
    return (
        Occupancy.objects.select_related("account__unit", "account__quota_type")
        .filter(person=person, end_date__isnull=False, transferred_to__isnull=True)
        .order_by("-end_date", "-pk")
        .first()
    )


def _lock_person_change(
    actor,
    person: Person,
    capability: Capability,
    find,
    *,
    units: tuple[int, ...] = (),
    accounts: tuple[int, ...] = (),
    approval: Approval | None = None,
) -> tuple[Person, Occupancy | None]:
    """Locks, in core.locks order, what a change of ``person``'s slot will touch: the units and accounts of the
    slot ``find`` returns and of the target, the approval, the loans that may give a slot back, then the person
    and that slot. Refuses if the slot changed between the first look and the locks."""
    require_capability(actor, capability)
    seen = find(person)
    unit_ids, account_ids, loan_ids = set(units), set(accounts), set()
    if seen is not None:
        unit_ids.add(seen.account.unit_id)
        account_ids.add(seen.account_id)
        # leaving frees a slot that the unit's own people on loan slots move into (loans.convert_into_vacancy)
        loan_ids.update(
            Occupancy.objects.filter(account_id=seen.account_id, loan__isnull=False, end_date__isnull=True)
            .values_list("loan_id", flat=True)
            .distinct()
        )
    lock_rows(Unit, unit_ids)
    lock_rows(QuotaAccount, account_ids)
    if approval is not None:
        lock_rows(Approval, [approval.pk])
    lock_rows(TurnoverLoan, loan_ids)
    person = lock_row(Person.objects.select_related("unit").filter(pk=person.pk))
    ensure_unit_in_scope(actor, person.unit)
    # read again under the locks: whoever changes a slot holds its account's lock, and its person's
    current = find(person)
    if (current and current.pk) != (seen and seen.pk):
        raise BianzhiError(CommonError.CHANGED_MEANWHILE, what=f"{person.name}的占编情况")
    if current is not None:
        lock_rows(Occupancy, [current.pk])
    return person, current


def _require_slot(person: Person, occupancy: Occupancy | None, action: str) -> None:
    if occupancy is None:
        raise BianzhiError(RosterError.NOT_IN_QUOTA, name=person.name, action=action)


def _close_posts(person: Person, day: dt.date) -> None:
    PostAssignment.objects.filter(person=person, end_date__isnull=True).update(end_date=day)


def _end(occupancy: Occupancy, day: dt.date, what: str) -> None:
    if day < occupancy.start_date:
        raise BianzhiError(RosterError.EXIT_BEFORE_ENTRY, what=what, date=day, start=occupancy.start_date)
    occupancy.end_date = day


def _locked_person(actor, person: Person, capability: Capability) -> Person:
    require_capability(actor, capability)
    person = lock_row(Person.objects.select_related("unit").filter(pk=person.pk))
    ensure_unit_in_scope(actor, person.unit)
    return person


@transaction.atomic
def occupancy_end(
    *,
    actor,
    person: Person,
    end_date: dt.date,
    reason: str,
    document: DocumentRef | Document,
    note: str = "",
    today: dt.date | None = None,
) -> Occupancy:
    """出编: the slot is free from ``end_date`` (or the unit's overrun shrinks); a loan slot goes back to the pool,
    and a person of the unit on a loan slot moves into the vacancy."""
    today = today or timezone.localdate()
    person, occupancy = _lock_person_change(actor, person, Capability.USE_QUOTA, _open_occupancy)
    _check_choice(reason, ExitReason, "出编原因")
    _check_dates("出编时间", end_date, today)
    _require_slot(person, occupancy, "出编")
    doc = document_resolve(document)
    check_effective_date(doc, end_date)
    _end(occupancy, end_date, "出编时间")
    occupancy.exit_reason, occupancy.exit_document = reason, doc
    occupancy.exit_serial = next_serial("exit", today)
    occupancy.save(update_fields=["end_date", "exit_reason", "exit_document", "exit_serial"])
    person.status, person.on_leave = PersonStatus.OUT, False
    person.save(update_fields=["status", "on_leave", "updated_at"])
    _close_posts(person, end_date)
    audit_record(
        actor=actor,
        action="roster.offboarded",
        obj=person,
        after={
            "account": str(occupancy.account),
            "end_date": end_date.isoformat(),
            "reason": reason,
            "document": doc.number,
            "serial": occupancy.exit_serial,
            "loan": occupancy.loan.serial if occupancy.loan_id else None,
        },
        reason=note,
    )
    if occupancy.loan_id:
        loans.give_back(occupancy.loan_id, end_date, actor=actor, why="人走编收")
    else:
        loans.convert_into_vacancy(actor=actor, account=occupancy.account, day=end_date, today=today, document=doc)
    return occupancy


@transaction.atomic
def occupancy_transfer(
    *,
    actor,
    person: Person,
    unit: Unit,
    quota_type: str,
    funding_form: str,
    effective_date: dt.date,
    document: DocumentRef | Document,
    approval: Approval | None = None,
    reason: str = "",
    today: dt.date | None = None,
) -> Occupancy:
    """转编 inside the county: out of the old slot and into the new one in the same step, or neither."""
    today = today or timezone.localdate()
    require_capability(actor, Capability.DECIDE_QUOTA_USE)
    ensure_unit_in_scope(actor, unit)
    target = unit_account(unit, quota_type, funding_form)
    person, occupancy = _lock_person_change(
        actor,
        person,
        Capability.DECIDE_QUOTA_USE,
        _open_occupancy,
        units=(unit.pk,),
        accounts=(target.pk,),
        approval=approval,
    )
    _check_dates("转编时间", effective_date, today)
    _require_slot(person, occupancy, "转编")
    if approval is not None and approval.account_id != target.pk:
        raise BianzhiError(RosterError.APPROVAL_MISMATCH, serial=approval.serial or "", account=str(approval.account))
    if target.pk == occupancy.account_id and not occupancy.loan_id:
        raise BianzhiError(RosterError.TRANSFER_SAME)
    doc = document_resolve(document)
    check_effective_date(doc, effective_date)
    new_unit = _usable_unit(target.unit_id, effective_date)
    _end(occupancy, effective_date, "转编时间")
    claimed, _loan = _claim(actor, Slot(approval=approval), target, effective_date, today)
    moved = occupancy_succeed(
        occupancy,
        account=target,
        day=effective_date,
        what="转编时间",
        entry_mode=EntryMode.DR,
        hire_kind=HireKind.NEW,
        document=doc,
        actor=actor,
        approval=claimed,
        entry_serial=next_serial("entry", today),
    )
    person.unit = new_unit
    person.save(update_fields=["unit", "updated_at"])
    _close_posts(person, effective_date)
    audit_record(
        actor=actor,
        action="roster.transferred",
        obj=person,
        before={"account": str(occupancy.account), "loan": occupancy.loan.serial if occupancy.loan_id else None},
        after={"account": str(target), "effective_date": effective_date.isoformat(), "document": doc.number},
        reason=reason,
    )
    if occupancy.loan_id:
        loans.give_back(occupancy.loan_id, effective_date, actor=actor, why="转编")
    else:
        loans.convert_into_vacancy(
            actor=actor, account=occupancy.account, day=effective_date, today=today, document=doc
        )
    return moved


@transaction.atomic
def occupancy_restore(*, actor, person: Person, reason: str, today: dt.date | None = None) -> Occupancy:
    """恢复: undoes a mistaken 出编 (data correction, 编办 only), if the slot is still free and nobody else holds
    this ID number in a slot."""
    today = today or timezone.localdate()
    person, occupancy = _lock_person_change(actor, person, Capability.DECIDE_QUOTA_USE, _last_closed_occupancy)
    if not (reason or "").strip():
        raise BianzhiError(RosterError.RESTORE_REASON)
    if person.status == PersonStatus.IN_QUOTA:
        raise BianzhiError(RosterError.ALREADY_IN_QUOTA, name=person.name)
    _require_slot(person, occupancy, "恢复")
    if occupancy.loan_id:
        raise BianzhiError(RosterError.RESTORE_LOAN)
    unit = _usable_unit(occupancy.account.unit_id, occupancy.start_date)
    ensure_available(occupancy.account, occupancy.end_date, 1, until=today)
    before = {"end_date": occupancy.end_date.isoformat(), "exit_reason": occupancy.exit_reason}
    occupancy.end_date, occupancy.exit_reason, occupancy.exit_document, occupancy.exit_serial = None, "", None, ""
    try:
        with transaction.atomic():
            occupancy.save(update_fields=["end_date", "exit_reason", "exit_document", "exit_serial"])
    except IntegrityError:
        raise _already_in_slot(person, actor) from None
    person.status, person.unit = PersonStatus.IN_QUOTA, unit
    person.save(update_fields=["status", "unit", "updated_at"])
    audit_record(
        actor=actor,
        action="roster.restored",
        obj=person,
        before=before,
        after={"account": str(occupancy.account)},
        reason=reason.strip(),
    )
    return occupancy


@transaction.atomic
def person_set_on_leave(*, actor, person: Person, on_leave: bool, reason: str = "") -> Person:
    """在编不在岗 (long leave, 离岗待退): the person keeps the slot."""
    person = _locked_person(actor, person, Capability.USE_QUOTA)
    if person.status != PersonStatus.IN_QUOTA:
        raise BianzhiError(RosterError.NOT_IN_QUOTA, name=person.name, action="标记在编不在岗")
    before, person.on_leave = person.on_leave, bool(on_leave)
    person.save(update_fields=["on_leave", "updated_at"])
    audit_record(
        actor=actor,
        action="roster.leave_set",
        obj=person,
        before={"on_leave": before},
        after={"on_leave": person.on_leave},
        reason=reason,
    )
    return person


def occupancies_hand_over(
    *,
    actor,
    unit: Unit,
    successor: Unit | None,
    document: Document,
    effective_date: dt.date,
    assignments: dict[int, Unit] | None = None,
) -> None:
    """A unit's people as the unit changes (the unit is locked by the caller, so nobody else changes its slots).

    Closing (``successor`` or none): it takes nobody with it. On a merge everyone moves to the successor with the
    slots that were just handed over (no vacancy check: the slots came along); otherwise closing is refused until
    they have been transferred or have left. 分设 (``assignments``, person id → new unit): the people named move to
    the new unit's account of the same type and funding form, which must have room for them from that day on."""
    splitting = assignments is not None
    open_slots = Occupancy.objects.filter(account__unit=unit, end_date__isnull=True)
    if splitting:
        open_slots = open_slots.filter(person_id__in=assignments)
    seen = list(open_slots.select_related("account"))
    if splitting:
        missing = set(assignments) - {o.person_id for o in seen}
        if missing:
            name = Person.objects.filter(pk__in=missing).values_list("name", flat=True).first() or "该人员"
            raise BianzhiError(RosterError.NOT_IN_UNIT, name=name, unit=unit.name, action="分设")
    elif not seen:
        return
    elif successor is None:
        raise BianzhiError(RosterError.UNIT_HAS_PERSONS, unit=unit.name, count=len(seen))
    destination = {o.pk: successor or assignments[o.person_id] for o in seen}
    targets = {o.pk: unit_account(destination[o.pk], o.account.quota_type_id, o.account.funding_form) for o in seen}
    # the unit's own accounts too: their slot-use intervals are rebuilt as the people leave them (decision 0009)
    lock_rows(QuotaAccount, [*(t.pk for t in targets.values()), *(o.account_id for o in seen)])
    loans_held = [] if splitting else lock_all(TurnoverLoan.objects.filter(unit=unit, status=LoanStatus.ACTIVE))
    lock_rows(Person, [o.person_id for o in seen])
    occupancies = lock_all(Occupancy.objects.filter(pk__in=[o.pk for o in seen]).select_related("account", "person"))
    if splitting:
        for occupancy in occupancies:
            if occupancy.loan_id:
                raise BianzhiError(RosterError.SPLIT_LOAN_OCCUPANT, name=occupancy.person.name)
        arriving = Counter(targets[o.pk] for o in occupancies)
        for target, count in arriving.items():
            ensure_available(target, effective_date, count, until=timezone.localdate())
    for occupancy in occupancies:
        occupancy_succeed(
            occupancy,
            account=targets[occupancy.pk],
            day=effective_date,
            what="分设时间" if splitting else "合并时间",
            entry_mode=EntryMode.QT,
            hire_kind=HireKind.NEW,
            document=document,
            actor=actor,
            loan_id=occupancy.loan_id,
        )
    TurnoverLoan.objects.filter(pk__in=[loan.pk for loan in loans_held]).update(unit=successor)
    for new_unit in set(destination.values()):
        persons = [o.person_id for o in occupancies if destination[o.pk] == new_unit]
        Person.objects.filter(pk__in=persons).update(unit=new_unit)
        audit_record(
            actor=actor,
            action="roster.moved_with_unit",
            obj=new_unit,
            after={"from": unit.name, "persons": len(persons), "document": document.number},
        )
