"""编制周转池 loans (brief §2.7): slots of the pool lent to a unit for a term, held by persons listed separately
(单列). A loan slot comes back to the pool in the transaction in which its person leaves, transfers, or moves
into a normal vacancy of the borrower."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.accounts.scoping import ensure_unit_in_scope
from bianzhi.audit.services import audit_record
from bianzhi.core.errors import BianzhiError
from bianzhi.core.locks import lock_row, lock_rows
from bianzhi.orgs.documents import DocumentRef, check_effective_date, document_resolve
from bianzhi.orgs.models import Document, Unit
from bianzhi.quotas.errors import QuotaError
from bianzhi.quotas.ledger import balances_as_of, lowest_from
from bianzhi.quotas.models import AccountKind, QuotaAccount, QuotaBalance
from bianzhi.quotas.services import county_account, unit_account
from bianzhi.roster.choices import EntryMode, HireKind, LoanPurpose, LoanStatus
from bianzhi.roster.errors import RosterError
from bianzhi.roster.models import Occupancy, Person, TurnoverLoan
from bianzhi.roster.slots import ensure_available, next_serial, occupancy_succeed, slot_state

MAX_LOAN = 200


def loan_account(loan: TurnoverLoan) -> QuotaAccount:
    """The borrower's account of the pool's type and the loan's funding form: loan occupants are counted there,
    apart from the normal ones."""
    return unit_account(loan.unit, loan.pool.quota_type, loan.funding_form)


def lent_from(pool: QuotaAccount) -> int:
    return (
        TurnoverLoan.objects.filter(pool=pool, status=LoanStatus.ACTIVE)
        .aggregate(total=Sum("count") - Sum("returned"))
        .get("total")
        or 0
    )


def check_pool_covers_loans(*, account: QuotaAccount, effective_date: dt.date) -> None:
    """Slots lent out cannot leave the turnover pool ``account``: its balance stays at least what is lent, from
    ``effective_date`` on."""
    pool = account
    lent = lent_from(pool)
    low = lowest_from(QuotaBalance, pool, effective_date)
    if lent and low is not None and low.balance < lent:
        raise BianzhiError(
            RosterError.POOL_BELOW_LOANS, type=pool.quota_type.name, lent=lent, date=low.valid_from, balance=low.balance
        )


@transaction.atomic
def loan_grant(
    *,
    actor,
    unit: Unit,
    quota_type: str,
    funding_form: str,
    count: int,
    purpose: str,
    start_date: dt.date,
    due_date: dt.date,
    document: DocumentRef | Document,
    today: dt.date | None = None,
) -> TurnoverLoan:
    require_capability(actor, Capability.DECIDE_QUOTA_USE)
    today = today or timezone.localdate()
    ensure_unit_in_scope(actor, unit)
    if not isinstance(count, int) or isinstance(count, bool) or not 0 < count <= MAX_LOAN:
        raise BianzhiError(QuotaError.AMOUNT_INVALID, max=MAX_LOAN)
    if purpose not in LoanPurpose.values:
        raise BianzhiError(RosterError.CHOICE_INVALID, field="用途")
    if due_date <= start_date:
        raise BianzhiError(RosterError.LOAN_TERM)
    doc = document_resolve(document)
    check_effective_date(doc, start_date)
    unit_account(unit, quota_type, funding_form)  # the type must fit the borrower (I2)
    pool = county_account(AccountKind.TURNOVER, quota_type)
    lock_rows(QuotaAccount, [pool.pk])
    balance = balances_as_of(QuotaBalance, [pool.pk], max(start_date, today)).get(pool.pk, 0)
    lent = lent_from(pool)
    if balance - lent < count:
        raise BianzhiError(
            RosterError.POOL_SHORT,
            type=pool.quota_type.name,
            balance=balance,
            lent=lent,
            available=max(0, balance - lent),
            count=count,
        )
    loan = TurnoverLoan.objects.create(
        serial=next_serial("loan", today),
        pool=pool,
        unit=unit,
        funding_form=funding_form,
        count=count,
        purpose=purpose,
        start_date=start_date,
        due_date=due_date,
        document=doc,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="roster.loan_granted",
        obj=loan,
        after={"unit": unit.name, "type": quota_type, "count": count, "due": due_date.isoformat(), "doc": doc.number},
    )
    return loan


def _occupied(loan: TurnoverLoan) -> int:
    return Occupancy.objects.filter(loan=loan, end_date__isnull=True).count()


def claim(loan_pk: int, day: dt.date) -> TurnoverLoan:
    """One free slot of an active loan for a person entering on ``day`` (inside the onboarding transaction)."""
    loan = lock_rows(TurnoverLoan, [loan_pk])[0]
    if loan.status != LoanStatus.ACTIVE:
        raise BianzhiError(RosterError.LOAN_CLOSED, serial=loan.serial)
    if not loan.start_date <= day <= loan.due_date:
        raise BianzhiError(
            RosterError.LOAN_PERIOD, date=day, serial=loan.serial, start=loan.start_date, due=loan.due_date
        )
    if _occupied(loan) >= loan.outstanding:
        raise BianzhiError(RosterError.LOAN_FULL, serial=loan.serial, count=loan.outstanding)
    return loan


def give_back(loan_pk: int, day: dt.date, *, actor, why: str, slots: int = 1) -> TurnoverLoan:
    """Returns slots to the pool; the loan closes when none are left."""
    loan = lock_rows(TurnoverLoan, [loan_pk])[0]
    loan.returned += slots
    if loan.returned >= loan.count:
        loan.status, loan.closed_on = LoanStatus.RETURNED, day
    loan.save(update_fields=["returned", "status", "closed_on"])
    audit_record(
        actor=actor,
        action="roster.loan_slot_returned",
        obj=loan,
        after={"returned": loan.returned, "count": loan.count, "status": loan.status, "date": day.isoformat()},
        reason=why,
    )
    return loan


def _convert(actor, occupancy: Occupancy, day: dt.date, document: Document) -> Occupancy:
    converted = occupancy_succeed(
        occupancy,
        account=occupancy.account,
        day=day,
        what="转正时间",
        entry_mode=EntryMode.QT,
        hire_kind=HireKind.BACKFILL,
        document=document,
        actor=actor,
    )
    give_back(occupancy.loan_id, day, actor=actor, why="借用单位有空编，转为正式编制")
    return converted


def convert_into_vacancy(*, actor, account: QuotaAccount, day: dt.date, today: dt.date, document: Document) -> None:
    """When the borrower's own slot frees up, its longest-serving person on a loan slot takes it (the loan slot
    goes back to the pool) — the usual local rule that a borrower uses its own vacancies first."""
    # the caller holds the account and its loans (staffing._lock_person_change), so this slot cannot change
    waiting = lock_row(
        Occupancy.objects.filter(
            account=account, loan__isnull=False, end_date__isnull=True, start_date__lte=day
        ).order_by("start_date", "pk")
    )
    if waiting is not None and slot_state(account, today).available >= 1:
        _convert(actor, waiting, day, document)


@transaction.atomic
def loan_convert(*, actor, occupancy: Occupancy, day: dt.date, document: DocumentRef | Document) -> Occupancy:
    """Moves one person from a loan slot into a vacancy the borrower has now (编办)."""
    require_capability(actor, Capability.DECIDE_QUOTA_USE)
    seen = Occupancy.objects.select_related("account").get(pk=occupancy.pk)
    lock_rows(Unit, [seen.account.unit_id])
    lock_rows(QuotaAccount, [seen.account_id])
    lock_rows(TurnoverLoan, [seen.loan_id] if seen.loan_id else [])
    lock_rows(Person, [seen.person_id])
    occupancy = lock_row(Occupancy.objects.select_related("account__unit", "person").filter(pk=occupancy.pk))
    ensure_unit_in_scope(actor, occupancy.account.unit)
    if occupancy.loan_id is None or occupancy.end_date is not None:
        raise BianzhiError(RosterError.NO_LOAN_OCCUPANT, name=occupancy.person.name)
    doc = document_resolve(document)
    check_effective_date(doc, day)
    ensure_available(occupancy.account, day, 1, until=timezone.localdate())
    if day < occupancy.start_date:
        raise BianzhiError(RosterError.EXIT_BEFORE_ENTRY, what="转正时间", date=day, start=occupancy.start_date)
    return _convert(actor, occupancy, day, doc)


def _locked_loan(actor, loan: TurnoverLoan) -> TurnoverLoan:
    """The loan as it is now, locked, if the actor decides on loans of its unit and it is still running."""
    require_capability(actor, Capability.DECIDE_QUOTA_USE)
    loan = lock_row(TurnoverLoan.objects.select_related("unit").filter(pk=loan.pk))
    ensure_unit_in_scope(actor, loan.unit)
    if loan.status != LoanStatus.ACTIVE:
        raise BianzhiError(RosterError.LOAN_CLOSED, serial=loan.serial)
    return loan


@transaction.atomic
def loan_recall(*, actor, loan: TurnoverLoan, day: dt.date, reason: str = "") -> TurnoverLoan:
    """At the end of the term the 编办 takes back the slots nobody holds (收回); occupied ones stay until their
    person leaves or converts."""
    loan = _locked_loan(actor, loan)
    free = loan.outstanding - _occupied(loan)
    if free > 0:
        loan = give_back(loan.pk, day, actor=actor, why=reason or "周转期满收回", slots=free)
    return loan


@transaction.atomic
def loan_extend(*, actor, loan: TurnoverLoan, due_date: dt.date, document: DocumentRef | Document) -> TurnoverLoan:
    loan = _locked_loan(actor, loan)
    if due_date <= loan.start_date:
        raise BianzhiError(RosterError.LOAN_TERM)
    doc = document_resolve(document)
    before, loan.due_date = loan.due_date, due_date
    loan.save(update_fields=["due_date"])
    audit_record(
        actor=actor,
        action="roster.loan_extended",
        obj=loan,
        before={"due": before.isoformat()},
        after={"due": due_date.isoformat(), "doc": doc.number},
    )
    return loan
