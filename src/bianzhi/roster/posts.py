"""Leadership posts filled (实配) against those approved (核定), invariant I7: no over-filling without a document
that approves it (高配/超配, flagged for 整改)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, Q

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.accounts.scoping import ensure_unit_in_scope
from bianzhi.audit.services import audit_record
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.locks import lock_row, lock_rows
from bianzhi.orgs.documents import DocumentRef, check_effective_date, document_resolve
from bianzhi.orgs.models import Document, Unit
from bianzhi.quotas.ledger import balances_as_of
from bianzhi.quotas.models import LeadershipAccount, LeadershipBalance
from bianzhi.quotas.services import post_unit_account
from bianzhi.roster.choices import PersonStatus
from bianzhi.roster.errors import RosterError
from bianzhi.roster.models import Person, PostAssignment
from bianzhi.roster.usage import open_on


def posts_filled(account_ids, day: dt.date) -> dict[int, int]:
    rows = (
        PostAssignment.objects.filter(open_on(day), account_id__in=list(account_ids))
        .values("account_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["account_id"]: row["n"] for row in rows}


def lowest_posts(account: LeadershipAccount, start: dt.date) -> tuple[dt.date, int, int] | None:
    """The ledger's ``quotas.lowest_posts`` hook: (day, approved, filled) on the first day from ``start`` on with
    the most posts filled beyond those approved (or the fewest left), walked over the days anything changes."""
    intervals = sorted(
        LeadershipBalance.objects.filter(account=account).values_list("valid_from", "balance"), reverse=True
    )
    held = list(
        PostAssignment.objects.filter(account=account)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=start))
        .values_list("start_date", "end_date")
    )
    days = {start, *(d for d, _b in intervals), *(d for pair in held for d in pair if d)}
    lowest = None
    for day in sorted(d for d in days if d >= start):
        approved = next((b for d, b in intervals if d <= day), 0)
        filled = sum(1 for s, e in held if s <= day and (e is None or e > day))
        if lowest is None or approved - filled < lowest[1] - lowest[2]:
            lowest = (day, approved, filled)
    return lowest


@transaction.atomic
def post_assign(
    *,
    actor,
    person: Person,
    level: str,
    grade: str,
    start_date: dt.date,
    document: DocumentRef | Document,
    gaopei_document: DocumentRef | Document | None = None,
) -> PostAssignment:
    require_capability(actor, Capability.DECIDE_QUOTA_USE)
    seen = Person.objects.select_related("unit").get(pk=person.pk)
    ensure_unit_in_scope(actor, seen.unit)
    account = post_unit_account(seen.unit, level, grade)
    lock_rows(Unit, [seen.unit_id])
    lock_rows(LeadershipAccount, [account.pk])
    person = lock_row(Person.objects.select_related("unit").filter(pk=person.pk))
    if person.unit_id != seen.unit_id:
        raise BianzhiError(CommonError.CHANGED_MEANWHILE, what=f"{person.name}的占编情况")
    ensure_unit_in_scope(actor, person.unit)
    if person.status != PersonStatus.IN_QUOTA:
        raise BianzhiError(RosterError.POST_NOT_IN_UNIT, name=person.name, unit=person.unit.name)
    doc = document_resolve(document)
    check_effective_date(doc, start_date)
    approved = balances_as_of(LeadershipBalance, [account.pk], start_date).get(account.pk, 0)
    filled = posts_filled([account.pk], start_date).get(account.pk, 0)
    current = PostAssignment.objects.filter(person=person, end_date__isnull=True).first()
    if current is not None and current.account_id == account.pk:
        filled -= 1
    exception = None
    if filled + 1 > approved:
        if gaopei_document is None:
            raise BianzhiError(
                RosterError.POST_FULL,
                post=f"{person.unit.name}{account.get_grade_display()}{account.get_level_display()}",
                approved=approved,
                filled=filled,
            )
        exception = document_resolve(gaopei_document)
    if current is not None:
        current.end_date = max(start_date, current.start_date)
        current.save(update_fields=["end_date"])
    assignment = PostAssignment.objects.create(
        person=person,
        account=account,
        start_date=start_date,
        document=doc,
        gaopei_document=exception,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="roster.post_assigned",
        obj=person,
        after={
            "post": str(account),
            "start_date": start_date.isoformat(),
            "document": doc.number,
            "over_filled_by": exception.number if exception else None,
        },
    )
    return assignment
