"""``bianzhi check`` for the roster: statuses, approvals, loans and occupancies agree with one another."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count, F, Q
from django.utils import timezone

from bianzhi.core.integrity import Drift, register
from bianzhi.orgs.choices import UnitStatus
from bianzhi.quotas.ledger import balances_as_of
from bianzhi.quotas.models import QuotaAccount, QuotaBalance
from bianzhi.roster.choices import OPEN_APPROVAL, ApprovalStatus, LoanStatus, PersonStatus
from bianzhi.roster.models import Approval, Occupancy, Person, TurnoverLoan
from bianzhi.roster.usage import use_drifts


@register("roster.persons")
def person_drifts() -> Iterator[Drift]:
    persons = Person.objects.annotate(open_slots=Count("occupancies", filter=Q(occupancies__end_date__isnull=True)))
    for person in persons.filter(
        Q(open_slots__gt=1)
        | Q(status=PersonStatus.IN_QUOTA, open_slots=0)
        | Q(status=PersonStatus.OUT, open_slots__gt=0)
    ).iterator():
        yield Drift(
            "roster.persons",
            str(person),
            f"状态为「{person.get_status_display()}」，占用中的编制 {person.open_slots} 个",
        )
    mismatched = Occupancy.objects.filter(end_date__isnull=True).exclude(account__unit_id=F("person__unit_id"))
    for occupancy in mismatched.select_related("person").iterator():
        yield Drift("roster.persons", str(occupancy.person), "所在单位与占用编制的单位不一致")
    in_closed = Occupancy.objects.filter(end_date__isnull=True).exclude(account__unit__status=UnitStatus.ACTIVE)
    for occupancy in in_closed.select_related("person", "account__unit").iterator():
        yield Drift("roster.persons", str(occupancy.person), f"仍占用已撤并单位「{occupancy.account.unit.name}」的编制")


@register("roster.approvals")
def approval_drifts() -> Iterator[Drift]:
    approvals = Approval.objects.annotate(n=Count("occupancies"))
    for approval in approvals.exclude(n=F("used")).iterator():
        yield Drift("roster.approvals", str(approval), f"记录已使用 {approval.used} 名，实际入编 {approval.n} 名")
    wrong = Approval.objects.filter(
        Q(status=ApprovalStatus.FULLY_USED) & ~Q(used=F("count"))
        | Q(status__in=OPEN_APPROVAL) & Q(used__gte=F("count"))
        | Q(status__in=OPEN_APPROVAL) & Q(approved_on__isnull=True)
    )
    for approval in wrong.iterator():
        yield Drift("roster.approvals", str(approval), f"状态「{approval.get_status_display()}」与使用数不符")
    foreign = Occupancy.objects.filter(approval__isnull=False).exclude(account_id=F("approval__account_id"))
    for occupancy in foreign.select_related("person").iterator():
        yield Drift("roster.approvals", str(occupancy.person), "入编账户与用编核准单核准的账户不一致")


@register("roster.loans")
def loan_drifts() -> Iterator[Drift]:
    loans = TurnoverLoan.objects.annotate(held=Count("occupancies", filter=Q(occupancies__end_date__isnull=True)))
    for loan in loans.filter(held__gt=F("count") - F("returned")).iterator():
        yield Drift("roster.loans", str(loan), f"占用 {loan.held} 名，超过未归还的 {loan.count - loan.returned} 名")
    for loan in loans.filter(status=LoanStatus.RETURNED, held__gt=0).iterator():
        yield Drift("roster.loans", str(loan), "已归还的借用仍有人员占用")
    today = timezone.localdate()
    lent: dict[int, int] = {}
    for loan in TurnoverLoan.objects.filter(status=LoanStatus.ACTIVE).iterator():
        lent[loan.pool_id] = lent.get(loan.pool_id, 0) + loan.count - loan.returned
    balances = balances_as_of(QuotaBalance, list(lent), today)
    for pool_id, amount in lent.items():
        if balances.get(pool_id, 0) < amount:
            held = balances.get(pool_id, 0)
            yield Drift("roster.loans", f"周转池 {pool_id}", f"借出 {amount} 名，池中只有 {held} 名")


@register("roster.slot_use")
def slot_use_drifts() -> Iterator[Drift]:
    drifts = list(use_drifts())
    accounts = QuotaAccount.objects.select_related("unit", "quota_type").in_bulk([pk for pk, _what in drifts])
    for account_id, what in drifts:
        label = str(accounts.get(account_id, f"编制账户 {account_id}"))
        message = "缺少应有的占用区间" if what == "missing" else "存有与人员、核准单不符的占用区间"
        yield Drift("roster.slot_use", label, f"{message}（可运行 bianzhi check --rebuild-derived 重建）")
