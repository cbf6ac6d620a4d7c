"""Reads of the ledger, as of any date, always through the user's scope."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import connections
from django.db.models import F, FilteredRelation, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse

from bianzhi.accounts.permissions import Capability, has_capability
from bianzhi.accounts.scoping import ensure_unit_in_scope, scope_queryset, sees_whole_county
from bianzhi.core.bulk import fetch_rows
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.origins import with_origins
from bianzhi.orgs.choices import UnitRank
from bianzhi.orgs.hooks import Citation, CitationGroup, citation_group
from bianzhi.orgs.models import Unit
from bianzhi.orgs.selectors import subtree_ids_as_of, unit_for
from bianzhi.quotas import hooks
from bianzhi.quotas.ledger import balance_on, balances_as_of, in_force_on, touching
from bianzhi.quotas.models import (
    AccountKind,
    FundingForm,
    LeadershipAccount,
    LeadershipBalance,
    LeadershipMovement,
    Movement,
    PostLevel,
    QuotaAccount,
    QuotaBalance,
    QuotaType,
)


def slot_figures(approved: int, occupied: int, reserved: int) -> tuple[int, int, int]:
    """空编, 可用编制 and 超编 of one account, the one definition every page, workbook and API answer uses.

    空编 = 核定 − 实有 (the official meaning); 可用编制 = 空编 − 已核准未入编, what can still be approved or entered;
    超编 = 实有 − 核定. None is ever below 0."""
    # conditionals, not max(): a province's ledger computes this 60,000 times a page
    vacant = approved - occupied if approved > occupied else 0
    return vacant, (vacant - reserved if vacant > reserved else 0), (occupied - approved if occupied > approved else 0)


@dataclass(slots=True)
class LedgerRow:
    """核定 / 实有 / 已核准未入编 / 空编 / 可用编制 / 超编 of one (unit, type, funding form), or a total of several.

    A total sums each row's vacancies and overruns: one unit's vacancy never hides another unit's overrun.
    """

    quota_type: str
    funding_form: str = ""
    approved: int = 0
    occupied: int = 0
    reserved: int = 0
    unit_id: int | None = None
    vacant: int = 0
    over: int = 0
    listed: int = 0  # 单列: persons on slots lent from the turnover pool, outside 核定 and 实有
    usable: int = 0

    @classmethod
    def leaf(cls, quota_type: str, funding_form: str, approved: int, occupied: int, reserved: int, unit_id, listed=0):
        vacant, usable, over = slot_figures(approved, occupied, reserved)
        return cls(quota_type, funding_form, approved, occupied, reserved, unit_id, vacant, over, listed, usable)

    @property
    def label(self) -> str:
        return quota_type_names().get(self.quota_type, self.quota_type)

    @property
    def funding_label(self) -> str:
        return FundingForm(self.funding_form).label if self.funding_form else ""

    def add(self, other: LedgerRow) -> None:
        self.approved += other.approved
        self.occupied += other.occupied
        self.reserved += other.reserved
        self.vacant += other.vacant
        self.usable += other.usable
        self.over += other.over
        self.listed += other.listed

    def as_dict(self) -> dict:
        return {
            "quota_type": self.quota_type,
            "funding_form": self.funding_form,
            "approved": self.approved,
            "occupied": self.occupied,
            "reserved": self.reserved,
            "vacant": self.vacant,
            "over": self.over,
            "listed": self.listed,
        }


def with_use(accounts: QuerySet, day: dt.date) -> QuerySet:
    """``accounts`` annotated with ``occupied``, ``reserved`` and ``listed`` on ``day`` by the real-name roster (None
    where nothing is used, or no roster is installed)."""
    none = Value(None, output_field=IntegerField())
    return hooks.use_annotated.ask(
        accounts=accounts, day=day, default=accounts.annotate(occupied=none, reserved=none, listed=none)
    )


def quota_types() -> list[QuotaType]:
    return list(QuotaType.objects.order_by("sort_order"))


def quota_type_names() -> dict[str, str]:
    # four rows that never change at run time; one query per process
    global _QUOTA_TYPE_NAMES
    if not _QUOTA_TYPE_NAMES:
        _QUOTA_TYPE_NAMES = dict(QuotaType.objects.values_list("code", "name"))
    return _QUOTA_TYPE_NAMES


_QUOTA_TYPE_NAMES: dict[str, str] = {}


def _with_figures(accounts: QuerySet, day: dt.date) -> QuerySet:
    """``accounts`` with ``approved``, ``occupied``, ``reserved`` and ``listed`` on ``day`` (None where the account
    has no interval then): each account's balance and use intervals in force joined in, one query however large
    the county."""
    in_force = FilteredRelation("intervals", condition=in_force_on(day, "intervals__"))
    return with_use(accounts.alias(in_force=in_force).annotate(approved=F("in_force__balance")), day)


def _rows_for(accounts, day: dt.date, *, with_empty: bool = False) -> list[LedgerRow]:
    """One row per unit account with slots (or people) on ``day``. With ``with_empty``, also the accounts that
    exist on ``day`` but hold nothing (核定 0 after a 核减, say): a real 0."""
    values = _with_figures(accounts, day).values_list(
        "unit_id", "quota_type_id", "funding_form", "approved", "occupied", "reserved", "listed"
    )
    rows = []
    for unit_id, type_code, funding, approved, occupied, reserved, listed in fetch_rows(values):
        if approved or occupied or reserved or listed or (with_empty and approved is not None):
            rows.append(
                LedgerRow.leaf(type_code, funding, approved or 0, occupied or 0, reserved or 0, unit_id, listed or 0)
            )
    return rows


SUMMED = ("approved", "occupied", "reserved", "listed", "vacant", "usable", "over")


def _account_figures(accounts: QuerySet, day: dt.date) -> QuerySet:
    """``accounts`` with each figure of ``SUMMED`` on ``day`` computed by the database (``figure_*``), as
    ``slot_figures`` defines them."""
    zero = Value(0)
    approved, occupied, reserved, listed = (Coalesce(name, zero) for name in SUMMED[:4])
    vacant = Greatest(approved - occupied, zero)
    return _with_figures(accounts, day).annotate(
        figure_approved=approved,
        figure_occupied=occupied,
        figure_reserved=reserved,
        figure_listed=listed,
        figure_vacant=vacant,
        figure_usable=Greatest(vacant - reserved, zero),
        figure_over=Greatest(occupied - approved, zero),
    )


def _summed(accounts: QuerySet, day: dt.date, *group: str) -> QuerySet:
    """The ledger rows of ``accounts`` on ``day`` summed by the database per ``group`` (``sum_*``), as
    ``LedgerRow.add`` sums them: each account's 空编, 可用编制 and 超编 are taken first, so that a vacancy in one
    account never hides an overrun in another. A province's totals without a province of rows in Python."""
    sums = {f"sum_{name}": Sum(f"figure_{name}") for name in SUMMED}
    return _account_figures(accounts, day).order_by().values(*group).annotate(**sums)


def _summed_row(quota_type: str, sums: dict) -> LedgerRow:
    row = LedgerRow(quota_type)
    for name in SUMMED:
        setattr(row, name, sums[f"sum_{name}"] or 0)
    return row


def _unit_accounts(unit_ids: Iterable[int] | None = None):
    accounts = QuotaAccount.objects.filter(kind=AccountKind.UNIT)
    if unit_ids is not None:
        accounts = accounts.filter(unit_id__in=list(unit_ids))
    return accounts


def unit_ledger(user, unit: Unit, day: dt.date) -> list[LedgerRow]:
    ensure_unit_in_scope(user, unit)
    return sorted(_rows_for(_unit_accounts([unit.pk]), day), key=_row_order)


def _row_order(row: LedgerRow) -> tuple:
    return (QUOTA_ORDER.get(row.quota_type, 99), FUNDING_ORDER.get(row.funding_form, 9), row.unit_id or 0)


QUOTA_ORDER = {"XZ": 1, "ZFZX": 2, "SY": 3, "GQ": 4}
FUNDING_ORDER = {f: i for i, f in enumerate(FundingForm.values)}


def ledger_rows(user, day: dt.date, *, unit: Unit | None = None, with_empty: bool = False) -> list[LedgerRow]:
    """Every (unit, type, funding) row in scope on ``day``; with ``unit``, its subtree as the tree stood then;
    ``with_empty``: see ``_rows_for``."""
    accounts = scope_queryset(_unit_accounts(), user, path_field="unit__tree_path")
    if unit is not None:
        ensure_unit_in_scope(user, unit)
        accounts = accounts.filter(unit_id__in=subtree_ids_as_of(unit, day))
    return sorted(_rows_for(accounts, day, with_empty=with_empty), key=_row_order)


def ledger_totals(user, day: dt.date) -> list[LedgerRow]:
    """``totals_by_type(ledger_rows(user, day))``, summed by the database: the types with slots or people."""
    accounts = scope_queryset(_unit_accounts(), user, path_field="unit__tree_path")
    totals = [_summed_row(sums["quota_type_id"], sums) for sums in _summed(accounts, day, "quota_type_id")]
    return sorted((row for row in totals if row.approved or row.occupied or row.reserved or row.listed), key=_row_order)


_ROWS_AND_TOTALS = """
WITH base AS ({base})
SELECT 'row', unit_id, quota_type_id, funding_form, {row_figures} FROM base
WHERE figure_approved <> 0 OR figure_occupied <> 0 OR figure_reserved <> 0 OR figure_listed <> 0
UNION ALL SELECT 'type', NULL, quota_type_id, NULL, {type_sums} FROM base GROUP BY quota_type_id
"""


def ledger_rows_and_totals_of(units: QuerySet, day: dt.date) -> tuple[list[LedgerRow], dict[str, LedgerRow]]:
    """Every account row on ``day`` of the units whose ids ``units`` selects (a ``values("…id")`` queryset, already
    scoped by the caller: the statistics' own choice of units), and ``ledger_totals_of`` the same units, from one
    statement that joins the ledger once: the rows with their 空编 and 超编 worked out here, the totals summed by
    the database (a second way to the figures the rows add up to). At province scale the join is most of the cost."""
    base = _account_figures(_unit_accounts().filter(unit_id__in=units), day).order_by()
    base = base.values("unit_id", "quota_type_id", "funding_form", *(f"figure_{name}" for name in SUMMED))
    base_sql, base_params = base.query.sql_with_params()
    statement = _ROWS_AND_TOTALS.format(
        base=base_sql,
        row_figures=", ".join(f"figure_{name}" for name in SUMMED),
        type_sums=", ".join(f"SUM(figure_{name})" for name in SUMMED),
    )
    with connections[base.db].cursor() as cursor:
        cursor.execute(statement, base_params)
        found = cursor.fetchall()
    rows, totals = [], {}
    for kind, unit_id, quota_type, funding, *figures in found:
        if kind == "row":
            approved, occupied, reserved, listed = figures[:4]  # SUMMED's order
            rows.append(LedgerRow.leaf(quota_type, funding, approved, occupied, reserved, unit_id, listed))
        else:
            totals[quota_type] = _summed_row(quota_type, {f"sum_{n}": v for n, v in zip(SUMMED, figures, strict=True)})
    return rows, totals


def ledger_totals_of(units: QuerySet, day: dt.date) -> dict[str, LedgerRow]:
    """The same accounts summed by the database per type: a second way to the totals, for balance checks."""
    sums = _summed(_unit_accounts().filter(unit_id__in=units), day, "quota_type_id")
    return {row["quota_type_id"]: _summed_row(row["quota_type_id"], row) for row in sums}


def ledger_sums_by_unit(units: QuerySet, day: dt.date) -> list[LedgerRow]:
    """The accounts of the units ``units`` selects summed by the database per unit on ``day`` (all types together,
    each account's 空编 and 超编 taken first): one row per unit, ``unit_id`` set, for grouping units by their facts."""
    sums = _summed(_unit_accounts().filter(unit_id__in=units), day, "unit_id")
    return [_unit_sums(row) for row in sums]


def _unit_sums(sums: dict) -> LedgerRow:
    row = _summed_row("", sums)
    row.unit_id = sums["unit_id"]
    return row


def totals_by_type(rows: Iterable[LedgerRow]) -> list[LedgerRow]:
    totals: dict[str, LedgerRow] = {}
    for row in rows:
        totals.setdefault(row.quota_type, LedgerRow(row.quota_type)).add(row)
    return sorted(totals.values(), key=_row_order)


def grand_total(rows: Iterable[LedgerRow]) -> LedgerRow:
    total = LedgerRow("")
    for row in rows:
        total.add(row)
    return total


@dataclass
class CountyTypeSummary:
    quota_type: QuotaType
    set_from_above: int  # what the upper level has granted the county (minus the authority balance)
    pool: int  # 县机动编制, not yet allocated
    turnover: int  # 编制周转池
    held: LedgerRow  # the units' accounts summed: 已核定到单位 (approved), 实有, 已核准未入编, 空编, 可用编制, 超编
    baseline: int | None = None

    @property
    def allocated(self) -> int:
        return self.held.approved

    @property
    def over_baseline(self) -> bool:
        return self.baseline is not None and self.set_from_above > self.baseline


def county_summary(day: dt.date, *, held_totals: list[LedgerRow] | None = None) -> list[CountyTypeSummary]:
    """County totals by type against the total set from above, with the county pool and the turnover pool: figures
    of the county itself, shown only to accounts whose scope is the county (``sees_whole_county``).

    What the units hold is the sum of their accounts' ledger rows, as in the 编制台账's 合计: a vacancy in one unit
    does not fill an overrun in another. A caller that has summed every unit's rows on ``day`` already (a
    county-wide user's ``ledger_rows`` through ``totals_by_type``) passes those totals as ``held_totals``."""
    by_kind: dict[tuple[str, str], int] = defaultdict(int)
    county = QuotaAccount.objects.exclude(kind=AccountKind.UNIT).annotate(on_day=balance_on(QuotaBalance, day))
    for kind, type_code, balance in county.values_list("kind", "quota_type_id", "on_day"):
        by_kind[(kind, type_code)] += balance or 0
    if held_totals is None:
        held_totals = ledger_totals(None, day)
    held = {row.quota_type: row for row in held_totals}
    return [
        CountyTypeSummary(
            quota_type=quota_type,
            set_from_above=-by_kind[(AccountKind.AUTHORITY, quota_type.code)],
            pool=by_kind[(AccountKind.POOL, quota_type.code)],
            turnover=by_kind[(AccountKind.TURNOVER, quota_type.code)],
            held=held.get(quota_type.code) or LedgerRow(quota_type.code),
            baseline=quota_type.baseline_total,
        )
        for quota_type in quota_types()
    ]


@dataclass
class PostRow:
    level: str
    grade: str
    approved: int
    filled: int = 0  # 实配: people holding these posts on the day

    @property
    def level_label(self) -> str:
        return PostLevel(self.level).label

    @property
    def grade_label(self) -> str:
        return UnitRank(self.grade).label

    @property
    def vacant(self) -> int:
        return max(0, self.approved - self.filled)

    @property
    def over(self) -> int:
        """超职数: posts filled beyond those approved."""
        return max(0, self.filled - self.approved)


def unit_posts(user, unit: Unit, day: dt.date) -> list[PostRow]:
    ensure_unit_in_scope(user, unit)
    accounts = list(LeadershipAccount.objects.filter(kind=AccountKind.UNIT, unit=unit))
    balances = balances_as_of(LeadershipBalance, [a.pk for a in accounts], day)
    filled = hooks.posts_filled.ask(account_ids=[a.pk for a in accounts], day=day, default={})
    rows = [
        PostRow(a.level, a.grade, balances.get(a.pk, 0), filled.get(a.pk, 0))
        for a in accounts
        if balances.get(a.pk, 0) or filled.get(a.pk, 0)
    ]
    return sorted(rows, key=lambda r: (r.level != PostLevel.ZHENG, r.grade))


def posts_over(day: dt.date, *, unit: Unit | None = None) -> list[tuple[Unit, PostRow]]:
    """超职数 across the county (or in one unit) on ``day``: each unit's (level, grade) with more holders than
    approved posts, for the checks that look at every unit at once (supervision's rectification items)."""
    accounts = LeadershipAccount.objects.filter(kind=AccountKind.UNIT).select_related("unit")
    if unit is not None:
        accounts = accounts.filter(unit=unit)
    accounts = list(accounts)
    ids = [a.pk for a in accounts]
    balances = balances_as_of(LeadershipBalance, ids, day)
    filled = hooks.posts_filled.ask(account_ids=ids, day=day, default={})
    found = []
    for account in accounts:
        row = PostRow(account.level, account.grade, balances.get(account.pk, 0), filled.get(account.pk, 0))
        if row.over:
            found.append((account.unit, row))
    return sorted(found, key=lambda pair: (-pair[1].over, pair[0].name))


def unit_movements(user, unit: Unit) -> list:
    """Quota and post movements touching the unit, newest first, for its history timeline."""
    ensure_unit_in_scope(user, unit)
    slots = movement_journal(user, unit_id=unit.pk)
    posts = LeadershipMovement.objects.filter(touching(LeadershipMovement, unit)).select_related(
        "document", "from_account__unit", "to_account__unit"
    )
    return sorted([*slots, *posts], key=lambda m: (m.effective_date, m.created_at), reverse=True)


def movements_visible_to(user):
    """The movement journal, restricted to movements touching at least one unit in scope (or none, for pools)."""
    movements = Movement.objects.select_related(
        "document",
        "from_account__unit",
        "to_account__unit",
        "from_account__quota_type",
        "to_account__quota_type",
        "reverses",
        "reversed_by__document",
    )
    if user is None:
        return movements
    if not has_capability(user, Capability.VIEW_BUSINESS):
        return movements.none()
    if user.scope_county:
        return movements
    visible = scope_queryset(Unit.objects.all(), user, path_field="tree_path").values("pk")
    return movements.filter(Q(from_account__unit__in=visible) | Q(to_account__unit__in=visible))


def movement_journal(
    user,
    *,
    q: str = "",
    unit_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[Movement]:
    """The movement journal as the web page and the API list it: in the user's scope, newest first (by effective
    date, then as entered). ``q`` matches the document number or either side's unit name; ``unit_id`` keeps the
    movements touching that unit (403 outside the scope, 404 if there is none); ``since``/``until`` bound the
    effective date."""
    movements = movements_visible_to(user)
    query = q.strip()
    if query:
        movements = movements.filter(
            Q(document__number__icontains=query)
            | Q(from_account__unit__name__icontains=query)
            | Q(to_account__unit__name__icontains=query)
        )
    if unit_id is not None:
        unit = unit_for(user, unit_id)
        movements = movements.filter(touching(Movement, unit))
    if since is not None:
        movements = movements.filter(effective_date__gte=since)
    if until is not None:
        movements = movements.filter(effective_date__lte=until)
    return movements.order_by("-effective_date", "-pk")


def movement_for(user, pk: int) -> Movement:
    """One movement: a Chinese 404 if there is none, 403 if it touches no unit in the user's scope (like units)."""
    movement = movements_visible_to(user).filter(pk=pk).first()
    if movement is not None:
        return movement
    if Movement.objects.filter(pk=pk).exists():
        raise BianzhiError(CommonError.OUT_OF_SCOPE)
    raise BianzhiError(CommonError.NOT_FOUND, what="该编制变动")


@dataclass
class LedgerOverview:
    """What the home page shows of the ledger in a scope: totals by type, and the units with the most vacant slots
    and those most over quota (per unit, all types)."""

    totals: list[LedgerRow]
    most_vacant: list[tuple[Unit, LedgerRow]]
    most_over: list[tuple[Unit, LedgerRow]]


# Over the accounts' figures (``base``), computed once: the sums by type, then the top units both ways.
_OVERVIEW = """
WITH base AS ({base}),
units AS (SELECT unit_id, {unit_sums} FROM base GROUP BY unit_id)
SELECT 'type', quota_type_id, NULL, {type_sums} FROM base GROUP BY quota_type_id
UNION ALL SELECT * FROM (SELECT 'vacant', NULL, unit_id, {unit_columns} FROM units WHERE sum_vacant > 0
                         ORDER BY sum_vacant DESC, unit_id LIMIT %s) AS most_vacant
UNION ALL SELECT * FROM (SELECT 'over', NULL, unit_id, {unit_columns} FROM units WHERE sum_over > 0
                         ORDER BY sum_over DESC, unit_id LIMIT %s) AS most_over
"""


def ledger_overview(user, day: dt.date, *, limit: int = 10) -> LedgerOverview:
    """``ledger_totals`` and the ``limit`` units with the most vacant slots and the most over quota on ``day``, in
    the user's scope: one statement that joins the ledger once and returns a few rows."""
    return _overview(scope_queryset(_unit_accounts(), user, path_field="unit__tree_path"), day, limit)


def ledger_overview_of(units: QuerySet, day: dt.date, *, limit: int = 10) -> LedgerOverview:
    """The same for the units whose ids ``units`` selects (a ``values("…id")`` queryset, already scoped by the
    caller: the statistics' own choice of units)."""
    return _overview(_unit_accounts().filter(unit_id__in=units), day, limit)


def _overview(accounts: QuerySet, day: dt.date, limit: int) -> LedgerOverview:
    base = (
        _account_figures(accounts, day).order_by().values("unit_id", "quota_type_id", *(f"figure_{n}" for n in SUMMED))
    )
    base_sql, base_params = base.query.sql_with_params()
    statement = _OVERVIEW.format(
        base=base_sql,
        unit_sums=", ".join(f"SUM(figure_{name}) AS sum_{name}" for name in SUMMED),
        type_sums=", ".join(f"SUM(figure_{name})" for name in SUMMED),
        unit_columns=", ".join(f"sum_{name}" for name in SUMMED),
    )
    with connections[base.db].cursor() as cursor:
        cursor.execute(statement, [*base_params, limit, limit])
        found = cursor.fetchall()
    units = Unit.objects.using(base.db).in_bulk([unit_id for _, _, unit_id, *_ in found if unit_id is not None])
    overview = LedgerOverview([], [], [])
    for kind, quota_type, unit_id, *figures in found:
        row = LedgerRow(quota_type or "", **{name: value or 0 for name, value in zip(SUMMED, figures, strict=True)})
        if kind == "type":
            if row.approved or row.occupied or row.reserved or row.listed:
                overview.totals.append(row)
        else:
            (overview.most_vacant if kind == "vacant" else overview.most_over).append((units[unit_id], row))
    overview.totals.sort(key=_row_order)
    return overview


def document_ids_cited_by_units(*, units: QuerySet[Unit]) -> list[QuerySet]:
    """The documents the quota and leadership-post movements of ``units`` cite (the archive of a unit's account)."""
    return [
        model.objects.filter(Q(from_account__unit__in=units) | Q(to_account__unit__in=units)).values("document_id")
        for model in (Movement, LeadershipMovement)
    ]


def _post_movements_visible_to(user) -> QuerySet[LeadershipMovement]:
    movements = LeadershipMovement.objects.select_related("from_account__unit", "to_account__unit")
    if sees_whole_county(user):
        return movements
    visible = scope_queryset(Unit.objects.all(), user, path_field="tree_path").values("pk")
    return movements.filter(Q(from_account__unit__in=visible) | Q(to_account__unit__in=visible))


def document_citations(*, user, document) -> list[CitationGroup]:
    """The movements citing ``document`` that the user may see, and the control baselines it set (the county's)."""
    journal = f"{reverse('quotas:movement_list')}?{urlencode({'q': document.number})}"
    movements = movements_visible_to(user).filter(document=document).order_by("effective_date", "pk")
    posts = _post_movements_visible_to(user).filter(document=document).order_by("effective_date", "pk")
    baselines = QuotaType.objects.filter(baseline_document=document)
    if not sees_whole_county(user):
        baselines = baselines.none()

    def post_row(movement: LeadershipMovement) -> Citation:
        unit = movement.to_account.unit or movement.from_account.unit
        url = f"{reverse('orgs:unit_detail', args=[unit.pk])}?tab=history" if unit else journal
        text = f"{movement.get_kind_display()} {movement.amount} 名 · {movement.subject_label} · {unit or ''}"
        return Citation(text, url, movement.effective_date)

    return [
        citation_group(
            "编制变动",
            movements,
            lambda m: Citation(
                f"{m.get_kind_display()} {m.amount} 名 · {m.from_account} → {m.to_account}",
                f"{journal}#movement-{m.pk}",
                m.effective_date,
            ),
            30,
            more_url=journal,
        ),
        citation_group("领导职数变动", posts, post_row, 35),
        citation_group(
            "编制控制基数",
            baselines,
            lambda t: Citation(f"{t.name} 控制基数 {t.baseline_total} 名", reverse("quotas:county_totals")),
            38,
        ),
    ]


def unit_document_ids(*, unit: Unit) -> set[int]:
    """The documents the unit's quota and leadership-post movements cite (the unit page's 文件 tab)."""
    ids = set()
    for model in (Movement, LeadershipMovement):
        ids |= set(model.objects.filter(touching(model, unit)).values_list("document_id", flat=True))
    return ids


@dataclass(frozen=True)
class Shortfall:
    """A unit's (type, funding form) or post with more people, or promises, than slots on a day, and the movement
    confirmed as leaving it so (None when the shortfall came some other way: an override, an old record)."""

    label: str
    over: int  # 超编 / 超职数: people beyond the approved number
    unhonoured: int  # 已核准未入编 slots with no vacancy left to use
    cause: Movement | LeadershipMovement | None


def _confirmed_causes(model, unit: Unit, day: dt.date) -> dict:
    """The latest movement out of each of the unit's accounts that was confirmed as leaving it short, by account."""
    confirmed = (
        model.objects.filter(
            from_account__unit=unit, overstaffing__isnull=False, effective_date__lte=day, reversed_by__isnull=True
        )
        .select_related("document", "to_account__unit")
        .order_by("effective_date", "pk")
    )
    return {movement.from_account_id: movement for movement in confirmed}


def unit_shortfalls(unit: Unit, rows: list[LedgerRow], posts: list[PostRow], day: dt.date) -> list[Shortfall]:
    """超编 and 超职数 on the unit's ledger tab, each with the movement that caused it where one was confirmed."""
    found = []
    if any(row.occupied + row.reserved > row.approved for row in rows):
        accounts = {
            (a.quota_type_id, a.funding_form): a.pk
            for a in QuotaAccount.objects.filter(unit=unit, kind=AccountKind.UNIT)
        }
        causes = _confirmed_causes(Movement, unit, day)
        for row in rows:
            if row.occupied + row.reserved > row.approved:
                label = f"{row.label}（{row.funding_label}）" if row.funding_label else row.label
                cause = causes.get(accounts.get((row.quota_type, row.funding_form)))
                unhonoured = min(row.reserved, row.occupied + row.reserved - row.approved)
                found.append(Shortfall(label, row.over, unhonoured, cause))
    if any(post.over for post in posts):
        accounts = {
            (a.level, a.grade): a.pk for a in LeadershipAccount.objects.filter(unit=unit, kind=AccountKind.UNIT)
        }
        causes = _confirmed_causes(LeadershipMovement, unit, day)
        for post in posts:
            if post.over:
                cause = causes.get(accounts.get((post.level, post.grade)))
                found.append(Shortfall(f"{post.grade_label}{post.level_label}职数", post.over, 0, cause))
    return found


def unit_page_context(*, user, unit: Unit, day: dt.date, tab: str) -> dict:
    """The ledger's part of the unit page: its slots and posts (基本信息, 编制台账), its movements (历史)."""
    context: dict = {}
    if tab in ("info", "ledger"):
        rows = unit_ledger(user, unit, day)
        context.update(rows=rows, totals=totals_by_type(rows), grand_total=grand_total(rows))
        context["posts"] = unit_posts(user, unit, day)
        context["shortfalls"] = unit_shortfalls(unit, rows, context["posts"], day)
    if tab == "ledger":
        context["subtree_totals"] = totals_by_type(ledger_rows(user, day, unit=unit))
    if tab == "history":
        context["movements"] = with_origins(unit_movements(user, unit))
    return context
