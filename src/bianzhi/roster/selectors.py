"""Reads of the roster, always through the user's unit scope."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from bianzhi.accounts.scoping import ensure_unit_in_scope, scope_queryset
from bianzhi.audit.models import AuditEvent
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.ids import normalize_code
from bianzhi.core.paging import KeysFirst
from bianzhi.orgs.hooks import Citation, CitationGroup, citation_group
from bianzhi.orgs.models import Unit
from bianzhi.quotas.models import AccountKind, FundingForm, QuotaAccount, QuotaType
from bianzhi.quotas.selectors import ledger_rows, quota_type_names, quota_types, unit_ledger
from bianzhi.quotas.services import check_quota_type_fits
from bianzhi.roster import crypto
from bianzhi.roster.choices import UNDECIDED_APPROVAL, LoanStatus, PersonStatus, RosterStatus
from bianzhi.roster.models import Approval, Occupancy, Person, PostAssignment, TurnoverLoan
from bianzhi.roster.persons import check_id_number, normalize_name
from bianzhi.roster.slots import SlotState, slot_state


def persons_visible_to(user) -> QuerySet[Person]:
    return scope_queryset(Person.objects.select_related("unit"), user, path_field="unit__tree_path")


def person_search(user, query: str = "", *, status: str = "", unit_id: int | None = None, quota_type: str = ""):
    """Forgiving search: name or part of it, pinyin (``lisi``) or initials (``ls``), the masked ID as shown
    (``610999********0012``), its last digits, or a full ID number (found by its keyed hash)."""
    persons = persons_visible_to(user)
    if status:
        persons = persons.filter(status=status)
    if unit_id:
        persons = persons.filter(unit_id=unit_id)
    if quota_type:
        persons = persons.filter(occupancies__end_date__isnull=True, occupancies__account__quota_type_id=quota_type)
    return persons.filter(_person_match(query))


def _person_match(query: str, prefix: str = "") -> Q:
    """The condition of ``person_search`` on a person's fields (``prefix`` reaches the person from another model);
    an empty query matches everyone."""
    query = "".join((query or "").split())
    if not query:
        return Q()
    code = normalize_code(query)
    if len(code) in (15, 18) and code[:-1].isdigit():
        try:
            return Q(**{f"{prefix}id_hash": crypto.lookup_hash(check_id_number(code).number)})
        except BianzhiError:
            pass
    if "*" in query:
        return Q(**{f"{prefix}id_masked": code})
    condition = Q(**{f"{prefix}name__grams_contains": normalize_name(query)})
    if query.isascii():
        lowered = query.lower()
        condition |= Q(**{f"{prefix}name_pinyin__startswith": lowered}) | Q(**{f"{prefix}name_initials": lowered})
        if query.isdigit() and len(query) >= 4:
            condition |= Q(**{f"{prefix}id_masked__endswith": query})
        elif query[:-1].isdigit() and query[-1] in "xX" and len(query) >= 4:
            condition |= Q(**{f"{prefix}id_masked__endswith": query.upper()})
    return condition


# ---------------------------------------------------------------- the roster list

# what a column header sorts by; every order ends with the slot's id, so that equal values keep one order
ROSTER_SORTS = {
    "name": ("person__name_pinyin",),
    "gender": ("person__gender",),
    "unit": ("person__unit__tree_path",),
    "position": ("person__position",),
    "quota_type": ("account__quota_type__sort_order", "account__funding_form"),
    "entry_mode": ("entry_mode",),
    "entered": ("start_date",),
    "left": ("end_date",),
    "status": ("person__status", "person__on_leave"),
}
DEFAULT_SORT = "unit"


@dataclass(frozen=True)
class RosterCriteria:
    """The roster list's filters and order, as the list form reads them from the URL."""

    query: str = ""
    status: str = RosterStatus.IN_QUOTA
    unit: Unit | None = None
    include_subunits: bool = True
    quota_type: str = ""
    funding_form: str = ""
    entry_mode: str = ""
    entered_from: dt.date | None = None
    entered_to: dt.date | None = None
    left_from: dt.date | None = None
    left_to: dt.date | None = None
    sort: str = DEFAULT_SORT
    descending: bool = False


def _current_slot() -> Q:
    """The slot a person is listed with: the one they hold, or for those who left, the last one they left (the last
    recorded: a transfer, a merge or a new entry always opens a new slot after the old one ended). The last slots are
    found in one grouped pass, not by a look at each person's history."""
    last_left = (
        Occupancy.objects.filter(person__status=PersonStatus.OUT)
        .values("person_id")
        .annotate(last=Max("pk"))
        .values("last")
    )
    return Q(end_date__isnull=True) | Q(pk__in=last_left)


# the lists of persons in post: one open slot each
IN_POST_STATUSES = (RosterStatus.IN_QUOTA, RosterStatus.ON_LEAVE)


def _person_conditions(criteria: RosterCriteria, prefix: str = "") -> Q:
    """What ``criteria`` asks of the person (unit, search, in post or on leave), ``prefix`` reaching the person."""
    condition = _person_match(criteria.query, prefix)
    if criteria.unit is not None:
        if criteria.include_subunits:
            condition &= Q(**{f"{prefix}unit__tree_path__startswith": criteria.unit.tree_path})
        else:
            condition &= Q(**{f"{prefix}unit": criteria.unit})
    if criteria.status in IN_POST_STATUSES:
        condition &= Q(**{f"{prefix}status": PersonStatus.IN_QUOTA})
        if criteria.status == RosterStatus.ON_LEAVE:
            condition &= Q(**{f"{prefix}on_leave": True})
    return condition


def _slot_conditions(criteria: RosterCriteria) -> dict:
    """What ``criteria`` asks of the slot itself."""
    exact = {
        "account__quota_type_id": criteria.quota_type,
        "account__funding_form": criteria.funding_form,
        "entry_mode": criteria.entry_mode,
        "start_date__gte": criteria.entered_from,
        "start_date__lte": criteria.entered_to,
        "end_date__gte": criteria.left_from,
        "end_date__lte": criteria.left_to,
    }
    return {key: value for key, value in exact.items() if value}


def roster_list(user, criteria: RosterCriteria) -> QuerySet[Occupancy]:
    """One row per person in the user's scope who meets ``criteria``: the person's current (or last) slot, with the
    person, unit and quota type at hand, in the order asked for. Persons in post are those with an open slot, so the
    default list needs no look at anyone's history."""
    slots = Occupancy.objects.select_related("person__unit", "account__quota_type")
    rows = scope_queryset(slots, user, path_field="person__unit__tree_path")
    if criteria.status in IN_POST_STATUSES:
        rows = rows.filter(end_date__isnull=True)
    elif criteria.status == RosterStatus.OUT:
        rows = rows.filter(person__status=PersonStatus.OUT).filter(_current_slot())
    else:
        rows = rows.filter(_current_slot())
    rows = rows.filter(_person_conditions(criteria, prefix="person__"), **_slot_conditions(criteria))
    order = ROSTER_SORTS[criteria.sort]
    if criteria.descending:
        return rows.order_by(*(F(field).desc(nulls_last=True) for field in order), "-pk")
    return rows.order_by(*(F(field).asc(nulls_last=True) for field in order), "pk")


def _roster_persons(user, criteria: RosterCriteria) -> QuerySet[Person] | None:
    """The persons of ``roster_list`` when it asks nothing of the slot and lists persons in post: as many as its
    rows (a person in post holds exactly one open slot: the ``one_open_slot`` constraint and ``bianzhi check``), and
    counted on one table instead of a join of two province-sized ones."""
    if criteria.status not in IN_POST_STATUSES or _slot_conditions(criteria):
        return None
    return scope_queryset(Person.objects.all(), user, path_field="unit__tree_path").filter(_person_conditions(criteria))


def person_for(user, pk: int) -> Person:
    person = Person.objects.select_related("unit").filter(pk=pk).first()
    if person is None:
        raise BianzhiError(CommonError.NOT_FOUND, what="该人员")
    ensure_unit_in_scope(user, person.unit)
    return person


def person_occupancies(person: Person) -> list[Occupancy]:
    return list(
        person.occupancies.select_related(
            "account__unit", "account__quota_type", "approval", "loan", "entry_document", "exit_document"
        ).order_by("start_date", "pk")
    )


def person_history(person: Person) -> QuerySet[AuditEvent]:
    """Everything recorded about the person: entries, exits, transfers, changes of details, views of the ID."""
    return AuditEvent.objects.filter(object_type="roster.person", object_id=str(person.pk)).order_by("-id")


def approvals_visible_to(user) -> QuerySet[Approval]:
    return scope_queryset(
        Approval.objects.select_related("unit", "account__quota_type"), user, path_field="unit__tree_path"
    )


def approval_for(user, pk: int) -> Approval:
    """One approval: a Chinese 404 if there is none, 403 if its unit is outside the user's scope (like units)."""
    approval = Approval.objects.select_related("unit", "account__quota_type").filter(pk=pk).first()
    if approval is None:
        raise BianzhiError(CommonError.NOT_FOUND, what="该用编核准单")
    ensure_unit_in_scope(user, approval.unit)
    return approval


def loans_visible_to(user) -> QuerySet[TurnoverLoan]:
    return scope_queryset(
        TurnoverLoan.objects.select_related("unit", "pool__quota_type", "document"), user, path_field="unit__tree_path"
    )


def loan_for(user, pk: int) -> TurnoverLoan:
    """One loan: a Chinese 404 if there is none, 403 if the borrower is outside the user's scope (like approvals)."""
    loan = TurnoverLoan.objects.select_related("unit", "pool__quota_type", "document").filter(pk=pk).first()
    if loan is None:
        raise BianzhiError(CommonError.NOT_FOUND, what="该周转编制借用")
    ensure_unit_in_scope(user, loan.unit)
    return loan


def loans_due(user, *, within_days: int = 60, today: dt.date | None = None) -> QuerySet[TurnoverLoan]:
    today = today or timezone.localdate()
    return loans_visible_to(user).filter(status=LoanStatus.ACTIVE, due_date__lte=today + dt.timedelta(days=within_days))


def roster_page(user, criteria: RosterCriteria | None, *, number, size: int) -> Page:
    """Page ``number`` (as typed: anything not a page number gives the first or last page) of ``roster_list``, cut
    in SQL; no criteria (the filters did not validate) gives an empty page."""
    if criteria is None:
        return Paginator(Occupancy.objects.none(), size).get_page(number)
    rows = KeysFirst(roster_list(user, criteria), counted=_roster_persons(user, criteria))
    return Paginator(rows, size).get_page(number)


@dataclass
class OverQuota:
    unit: Unit
    quota_type: str
    approved: int
    occupied: int

    @property
    def over(self) -> int:
        return self.occupied - self.approved

    @property
    def label(self) -> str:
        return quota_type_names().get(self.quota_type, self.quota_type)


def over_quota_units(user, day: dt.date) -> list[OverQuota]:
    """超编 units (per quota type, all funding forms together, as I5 counts them), the furthest over first."""
    per_type: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for row in ledger_rows(user, day):
        totals = per_type[(row.unit_id, row.quota_type)]
        totals[0] += row.approved
        totals[1] += row.occupied
    units = Unit.objects.in_bulk([unit_id for unit_id, _t in per_type])
    found = [
        OverQuota(units[unit_id], code, approved, occupied)
        for (unit_id, code), (approved, occupied) in per_type.items()
        if occupied > approved
    ]
    return sorted(found, key=lambda row: (-row.over, row.unit.name))


def with_occupants(loans) -> list[TurnoverLoan]:
    """Loans with ``held``: how many of their slots someone occupies now."""
    return list(loans.annotate(held=Count("occupancies", filter=Q(occupancies__end_date__isnull=True))))


# ---------------------------------------------------------------- 用编: the figures an application is weighed on


@dataclass(frozen=True)
class SlotOutlook:
    """One (unit, quota type, funding form) today, as an application for ``count`` slots is weighed: the figures
    now and, while the application is undecided, what approving it would leave (the same slots, ``count`` more of
    them promised). ``unfit`` says why the type or funding form cannot be used in the unit at all."""

    unit: Unit
    quota_type: QuotaType
    funding_form: str
    now: SlotState
    count: int = 0
    unfit: str = ""
    after: SlotState | None = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "after", self.now.reserving(self.count) if self.count else None)

    @property
    def funding_label(self) -> str:
        return FundingForm(self.funding_form).label

    @property
    def shortfall(self) -> int:
        """How many of the slots asked for are beyond 可用编制 (0 when they fit)."""
        return max(0, self.count - self.now.available) if self.count else 0


def _fits(unit: Unit, quota_type: QuotaType, funding_form: str) -> str:
    """Why the type or funding form cannot be used in the unit, or "" when it can (invariant I2)."""
    try:
        check_quota_type_fits(unit, quota_type, funding_form)
    except BianzhiError as exc:
        return exc.message
    return ""


def slot_outlook(
    user, *, unit: Unit, quota_type: str, funding_form: str, count: int = 0, day: dt.date | None = None
) -> SlotOutlook:
    """The figures of the unit's (type, funding form) account on ``day`` (all 0 for an account never opened), from
    the ledger's own ``slot_state``: an account is never counted a second way."""
    ensure_unit_in_scope(user, unit)
    day = day or timezone.localdate()
    kind = QuotaType.objects.get(code=quota_type)
    account = QuotaAccount.objects.filter(
        kind=AccountKind.UNIT, unit=unit, quota_type=kind, funding_form=funding_form
    ).first()
    now = slot_state(account, day) if account else SlotState(0, 0, 0, 0)
    return SlotOutlook(unit, kind, funding_form, now, count, _fits(unit, kind, funding_form))


def approval_outlook(user, approval: Approval, *, day: dt.date | None = None) -> SlotOutlook:
    """The outlook of an application's account; what approving would leave only while it is undecided."""
    return slot_outlook(
        user,
        unit=approval.unit,
        quota_type=approval.account.quota_type_id,
        funding_form=approval.account.funding_form,
        count=approval.count if approval.status in UNDECIDED_APPROVAL else 0,
        day=day,
    )


def slot_defaults(user, unit: Unit, *, day: dt.date | None = None) -> tuple[str, str]:
    """The quota type and funding form an application of ``unit`` most likely asks for: the first type that fits the
    unit (a 事业单位 事业编制, a 机关 行政编制), preferring one it holds slots of; the funding form when only one is
    possible: the unit holds slots of that type in one funding form only, or only one fits it. "" when unsure."""
    ensure_unit_in_scope(user, unit)
    held = [row for row in unit_ledger(user, unit, day or timezone.localdate()) if row.approved > 0]
    fitting = [kind for kind in quota_types() if not _fits(unit, kind, FundingForm.QE)]
    if not fitting:
        return "", ""
    held_types = [kind for kind in fitting if any(row.quota_type == kind.code for row in held)]
    kind = (held_types or fitting)[0]
    fundings = [row.funding_form for row in held if row.quota_type == kind.code]
    fundings = fundings or [form for form in FundingForm.values if not _fits(unit, kind, form)]
    return kind.code, fundings[0] if len(set(fundings)) == 1 else ""


def document_ids_cited_by_units(*, units) -> list[QuerySet]:
    """The documents the occupancies, leadership posts and turnover loans of the persons and units of ``units`` cite."""
    occupancies = Occupancy.objects.filter(person__unit__in=units)
    posts = PostAssignment.objects.filter(person__unit__in=units)
    return [
        occupancies.values("entry_document_id"),
        occupancies.filter(exit_document__isnull=False).values("exit_document_id"),
        posts.values("document_id"),
        posts.filter(gaopei_document__isnull=False).values("gaopei_document_id"),
        TurnoverLoan.objects.filter(unit__in=units).values("document_id"),
    ]


def document_citations(*, user, document) -> list[CitationGroup]:
    """The entries, exits, leadership posts and loans citing ``document`` that the user may see; each person's row
    links to the person's page (where the occupancy is listed), a loan to the loans' list."""
    persons = persons_visible_to(user).values("pk")
    occupancies = (
        Occupancy.objects.filter(Q(entry_document=document) | Q(exit_document=document), person__in=persons)
        .select_related("person", "account__unit", "account__quota_type")
        .order_by("start_date", "pk")
    )
    posts = (
        PostAssignment.objects.filter(Q(document=document) | Q(gaopei_document=document), person__in=persons)
        .select_related("person", "account")
        .order_by("start_date", "pk")
    )
    loans = loans_visible_to(user).filter(document=document).order_by("start_date", "pk")

    def person_url(person_pk: int) -> str:
        return reverse("roster:person_detail", args=[person_pk])

    def occupancy_row(o: Occupancy) -> Citation:
        exit_ = o.exit_document_id == document.pk
        what, day = ("出编", o.end_date) if exit_ else ("入编", o.start_date)
        return Citation(
            f"{o.person.name} · {what} · {o.account.unit.name}·{o.account.quota_type.name}",
            person_url(o.person_id),
            day,
        )

    return [
        citation_group("入编、出编", occupancies, occupancy_row, 40),
        citation_group(
            "领导职数配备",
            posts,
            lambda a: Citation(
                f"{a.person.name} · {a.account.get_grade_display()}{a.account.get_level_display()}",
                person_url(a.person_id),
                a.start_date,
            ),
            45,
        ),
        citation_group(
            "周转编制借用",
            loans,
            lambda loan: Citation(
                f"{loan.serial} · {loan.unit.name} {loan.count} 名", reverse("roster:loan_list"), loan.start_date
            ),
            48,
        ),
    ]
