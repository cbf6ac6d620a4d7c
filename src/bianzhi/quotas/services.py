"""Every change to quota slots and leadership posts goes through here: one transaction, one document, one audit
event, and the ledger invariants checked before the transaction commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models, transaction

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.accounts.scoping import ensure_unit_in_scope, sees_whole_county
from bianzhi.audit.services import audit_record
from bianzhi.core.errors import BianzhiError
from bianzhi.core.locks import lock_rows
from bianzhi.orgs.choices import RANK_ORDER, InstitutionClass, UnitRank
from bianzhi.orgs.documents import DocumentRef, check_effective_date, document_resolve
from bianzhi.orgs.models import Document, Unit
from bianzhi.orgs.services import ensure_unit_usable
from bianzhi.quotas import hooks
from bianzhi.quotas.errors import QuotaError, SideError
from bianzhi.quotas.ledger import apply_delta, balances_as_of, lowest_from, touching
from bianzhi.quotas.models import (
    AccountKind,
    FundingForm,
    LeadershipAccount,
    LeadershipBalance,
    LeadershipMovement,
    Movement,
    MovementKind,
    PostLevel,
    PostMovementKind,
    QuotaAccount,
    QuotaBalance,
    QuotaType,
)

MAX_AMOUNT = 100_000


_ROUTE_HINTS = {
    MovementKind.HEZENG: "核增从县机动编制或上级核定总额划入单位（或由上级核定总额下达到县机动编制）。",
    MovementKind.HEJIAN: "核减从单位划回县机动编制。",
    MovementKind.SHOUHUI: "收回从单位、县机动编制或周转池交回上级。",
    MovementKind.HUAZHUAN: "划转在两个单位之间进行。",
    MovementKind.TIAOJI: "调剂在两个单位之间进行。",
    MovementKind.RUCHI: "入池从单位或县机动编制划入编制周转池。",
    MovementKind.CHUCHI: "出池从编制周转池划至单位或县机动编制。",
}
U, P, T, A = AccountKind.UNIT, AccountKind.POOL, AccountKind.TURNOVER, AccountKind.AUTHORITY
QUOTA_ROUTES = {
    MovementKind.HEZENG: {(A, P), (P, U), (A, U), (A, T)},
    MovementKind.HEJIAN: {(U, P)},
    MovementKind.SHOUHUI: {(U, A), (P, A), (T, A)},
    MovementKind.HUAZHUAN: {(U, U)},
    MovementKind.TIAOJI: {(U, U)},
    MovementKind.RUCHI: {(U, T), (P, T)},
    MovementKind.CHUCHI: {(T, U), (T, P)},
}
POST_ROUTES = {
    PostMovementKind.HEDING: {(A, U)},
    PostMovementKind.HEJIAN: {(U, A)},
    PostMovementKind.HUAZHUAN: {(U, U)},
}


@dataclass(frozen=True)
class LedgerSpec:
    """What differs between the quota-slot ledger and the leadership-post ledger."""

    movement_model: type[models.Model]
    interval_model: type[models.Model]
    account_model: type[models.Model]
    routes: dict
    hints: dict
    action: str
    check_posted: Callable[[models.Model], None] | None
    # (unit account, from date) -> (shortfall, message parameters) when the account is short from then on
    shortfall: Callable[[models.Model, dt.date], tuple[int, dict] | None]
    overstaff_error: QuotaError


def _check_quota_posted(movement: Movement) -> None:
    """Beyond non-negative balances, for a movement and a reversal alike: 只减不增, and lent slots stay in the
    turnover pool."""
    source = movement.from_account
    if source.kind == AccountKind.AUTHORITY and not movement.authority_grant:
        _check_baseline(source.quota_type, source, movement.effective_date)
    if source.kind == AccountKind.TURNOVER:
        hooks.turnover_outflow.check(account=source, effective_date=movement.effective_date)


def _slot_shortfall(account: QuotaAccount, start: dt.date) -> tuple[int, dict] | None:
    """超编 left from ``start`` on: people and promised slots beyond the approved ones, on the tightest day."""
    found = hooks.lowest_use.ask(account=account, start=start, default=None)
    if found is None:
        return None
    day, approved, occupied, reserved = found
    if occupied + reserved <= approved:
        return None
    funding = f"（{FundingForm(account.funding_form).label}）" if account.funding_form else ""
    what = f"{account.quota_type.name}{funding}"
    return occupied + reserved - approved, {
        "unit": account.unit.name,
        "what": what,
        "date": day,
        "approved": approved,
        "occupied": occupied,
        "reserved": reserved,
    }


def _post_shortfall(account: LeadershipAccount, start: dt.date) -> tuple[int, dict] | None:
    """超职数 left from ``start`` on: posts filled beyond those approved, on the tightest day."""
    found = hooks.lowest_posts.ask(account=account, start=start, default=None)
    if found is None:
        return None
    day, approved, filled = found
    if filled <= approved:
        return None
    what = f"{account.get_grade_display()}{account.get_level_display()}职数"
    return filled - approved, {
        "unit": account.unit.name,
        "what": what,
        "date": day,
        "approved": approved,
        "filled": filled,
    }


QUOTA_LEDGER = LedgerSpec(
    Movement,
    QuotaBalance,
    QuotaAccount,
    QUOTA_ROUTES,
    _ROUTE_HINTS,
    "quotas.movement_posted",
    _check_quota_posted,
    shortfall=_slot_shortfall,
    overstaff_error=QuotaError.WOULD_OVERSTAFF,
)
POST_LEDGER = LedgerSpec(
    LeadershipMovement,
    LeadershipBalance,
    LeadershipAccount,
    POST_ROUTES,
    {},
    "quotas.post_movement_posted",
    None,
    shortfall=_post_shortfall,
    overstaff_error=QuotaError.WOULD_OVERFILL_POSTS,
)
OVERSTAFF_WORDS = {QuotaError.WOULD_OVERSTAFF: "超编", QuotaError.WOULD_OVERFILL_POSTS: "超职数"}


def ensure_not_overstaffed(account: QuotaAccount, effective_date: dt.date) -> None:
    """For a service that moved slots with ``check_staffing=False`` and then the people: the unit it took slots
    from must not be left 超编."""
    _check_staffing(QUOTA_LEDGER, account, effective_date, confirm=False, reason="")


def _check_staffing(spec: LedgerSpec, account, effective_date: dt.date, *, confirm: bool, reason: str) -> int | None:
    """A unit account giving slots (or posts) away must not be left short of its people without a confirmation
    and a reason; returns the shortfall the caller confirmed, to be kept on the movement."""
    if account.kind != AccountKind.UNIT:
        return None
    found = spec.shortfall(account, effective_date)
    if found is None:
        return None
    shortfall, params = found
    if not confirm:
        details = {"shortfall": shortfall, **params, "date": params["date"].isoformat()}
        raise BianzhiError(spec.overstaff_error, details=details, shortfall=shortfall, **params)
    if not reason.strip():
        raise BianzhiError(QuotaError.OVERSTAFF_REASON_REQUIRED, what=OVERSTAFF_WORDS[spec.overstaff_error])
    return shortfall


# ---------------------------------------------------------------- accounts


def check_quota_type_fits(unit: Unit, quota_type: QuotaType, funding_form: str) -> None:
    """Invariant I2: 行政/政法/工勤 only in 机关 (政法 only in 政法机关), 事业 only in 事业单位."""
    if unit.kind not in quota_type.allowed_kinds:
        allowed = "、".join(dict(Unit._meta.get_field("kind").choices)[k] for k in quota_type.allowed_kinds)
        raise BianzhiError(
            QuotaError.TYPE_NOT_ALLOWED,
            type=quota_type.name,
            unit=unit.name,
            unit_kind=unit.get_kind_display(),
            rule=f"{quota_type.name}只能用于{allowed}。",
        )
    if quota_type.requires_zhengfa and not unit.is_zhengfa:
        raise BianzhiError(
            QuotaError.TYPE_NOT_ALLOWED,
            type=quota_type.name,
            unit=unit.name,
            unit_kind=unit.get_kind_display(),
            rule="政法专项编制只能用于公安、国家安全、法院、检察院、司法行政机关。",
        )
    if funding_form not in FundingForm.values:
        raise BianzhiError(QuotaError.FUNDING_REQUIRED)
    if unit.institution_class == InstitutionClass.GY1 and funding_form != FundingForm.QE:
        raise BianzhiError(QuotaError.FUNDING_GY1, unit=unit.name)


def unit_account(unit: Unit, quota_type: QuotaType | str, funding_form: str) -> QuotaAccount:
    """The account of (unit, type, funding form), opened on first use once the type is known to fit the unit."""
    if isinstance(quota_type, str):
        quota_type = QuotaType.objects.get(code=quota_type)
    check_quota_type_fits(unit, quota_type, funding_form)
    account, _ = QuotaAccount.objects.get_or_create(
        kind=AccountKind.UNIT, unit=unit, quota_type=quota_type, funding_form=funding_form
    )
    return account


def county_account(kind: str, quota_type: QuotaType | str) -> QuotaAccount:
    code = quota_type if isinstance(quota_type, str) else quota_type.code
    account, _ = QuotaAccount.objects.get_or_create(kind=kind, unit=None, quota_type_id=code, funding_form="")
    return account


def _check_post(level: str, grade: str) -> None:
    if level not in PostLevel.values:
        raise BianzhiError(QuotaError.POST_LEVEL)
    if grade not in RANK_ORDER:
        raise BianzhiError(QuotaError.UNRANKED_POST)


def post_unit_account(unit: Unit, level: str, grade: str) -> LeadershipAccount:
    _check_post(level, grade)
    account, _ = LeadershipAccount.objects.get_or_create(kind=AccountKind.UNIT, unit=unit, level=level, grade=grade)
    return account


def post_authority_account(level: str, grade: str) -> LeadershipAccount:
    _check_post(level, grade)
    account, _ = LeadershipAccount.objects.get_or_create(
        kind=AccountKind.AUTHORITY, unit=None, level=level, grade=grade
    )
    return account


# ---------------------------------------------------------------- the posting engine


def _post(
    spec: LedgerSpec,
    *,
    actor,
    kind: str,
    from_account,
    to_account,
    amount: int,
    effective_date: dt.date,
    document: DocumentRef | Document,
    reason: str,
    reverses=None,
    extra: dict | None = None,
    check_target=None,
    confirm_overstaffing: bool = False,
    check_staffing: bool = True,
):
    """Validates, applies both sides, checks non-negativity and the giving unit's staffing, records the movement
    and its audit event.

    Runs inside the caller's transaction; any refusal raises and leaves nothing behind. ``check_target`` is
    called with the receiving unit account once its unit has been read under lock. ``check_staffing`` is off
    only for a caller that moves the people in the same transaction (a unit's hand-over).
    """
    require_capability(actor, Capability.MANAGE_QUOTAS)
    if not isinstance(amount, int) or isinstance(amount, bool) or not 0 < amount <= MAX_AMOUNT:
        raise BianzhiError(QuotaError.AMOUNT_INVALID, max=MAX_AMOUNT)
    if from_account.pk == to_account.pk:
        raise BianzhiError(QuotaError.SAME_ACCOUNT)
    if reverses is None and (from_account.kind, to_account.kind) not in spec.routes.get(kind, ()):
        raise BianzhiError(
            QuotaError.ROUTE,
            kind=dict(spec.movement_model._meta.get_field("kind").choices).get(kind, kind),
            from_kind=from_account.get_kind_display(),
            to_kind=to_account.get_kind_display(),
            hint=spec.hints.get(kind, ""),
        )
    doc = document_resolve(document)
    check_effective_date(doc, effective_date, correction=reverses is not None)
    # The units are read again under lock, so that one merged, abolished or reclassified meanwhile (by another
    # operator, or since the caller loaded the account) is seen as it is now; closing a unit locks it too.
    units = {unit.pk: unit for unit in lock_rows(Unit, [a.unit_id for a in (from_account, to_account) if a.unit_id])}
    for account in (from_account, to_account):
        if account.unit_id:
            account.unit = units[account.unit_id]
            ensure_unit_usable(account.unit, effective_date)
            ensure_unit_in_scope(actor, account.unit)
    if not (from_account.unit_id or to_account.unit_id) and not sees_whole_county(actor):
        raise BianzhiError(QuotaError.COUNTY_SCOPE_REQUIRED)
    if check_target is not None and to_account.kind == AccountKind.UNIT:
        check_target(to_account)

    lock_rows(spec.account_model, [from_account.pk, to_account.pk])
    apply_delta(spec.interval_model, from_account, -amount, effective_date)
    apply_delta(spec.interval_model, to_account, amount, effective_date)
    for account in (from_account, to_account):
        if account.kind == AccountKind.AUTHORITY:
            continue
        low = lowest_from(spec.interval_model, account, effective_date)
        if low is not None and low.balance < 0:
            raise BianzhiError(
                QuotaError.INSUFFICIENT,
                account=str(account),
                date=low.valid_from,
                available=low.balance + amount,
                amount=amount,
            )
    overstaffing = None
    if check_staffing:
        overstaffing = _check_staffing(spec, from_account, effective_date, confirm=confirm_overstaffing, reason=reason)
    movement = spec.movement_model.objects.create(
        kind=kind,
        from_account=from_account,
        to_account=to_account,
        amount=amount,
        effective_date=effective_date,
        document=doc,
        reason=reason,
        reverses=reverses,
        overstaffing=overstaffing,
        created_by=actor,
        **(extra or {}),
    )
    if spec.check_posted is not None:
        spec.check_posted(movement)
    audit_record(
        actor=actor,
        action=f"{spec.action}_overstaffed" if overstaffing else spec.action,
        obj=movement,
        after={
            "kind": kind,
            "from": str(from_account),
            "to": str(to_account),
            "amount": amount,
            "effective_date": effective_date.isoformat(),
            "document": doc.number,
            "reverses": reverses.pk if reverses else None,
            **({"overstaffing": overstaffing} if overstaffing else {}),
            **(extra or {}),
        },
        reason=reason,
    )
    return movement


def _check_baseline(quota_type: QuotaType, authority: QuotaAccount, effective: dt.date) -> None:
    """只减不增: the county total (minus the authority's balance) must stay within the baseline from then on."""
    if quota_type.baseline_total is None:
        return
    low = lowest_from(QuotaBalance, authority, effective)
    if low is not None and -low.balance > quota_type.baseline_total:
        raise BianzhiError(
            QuotaError.BASELINE_EXCEEDED, type=quota_type.name, total=-low.balance, baseline=quota_type.baseline_total
        )


@transaction.atomic
def movement_post(
    *,
    actor,
    kind: str,
    from_account: QuotaAccount,
    to_account: QuotaAccount,
    amount: int,
    effective_date: dt.date,
    document: DocumentRef | Document,
    reason: str = "",
    authority_grant: bool = False,
    confirm_overstaffing: bool = False,
    check_staffing: bool = True,
) -> Movement:
    """Moves ``amount`` slots from one account to another from ``effective_date`` on; a unit left 超编 by it is
    refused (``quotas.would_overstaff``) unless ``confirm_overstaffing`` and a reason say it is meant.

    ``check_staffing=False`` is for a service that moves the people along in the same transaction and checks the
    giving unit afterwards (``ensure_not_overstaffed``): a merger, a split."""
    if from_account.quota_type_id != to_account.quota_type_id:
        raise BianzhiError(
            QuotaError.TYPE_MISMATCH, from_type=from_account.quota_type.name, to_type=to_account.quota_type.name
        )
    if authority_grant and from_account.kind != AccountKind.AUTHORITY:
        raise BianzhiError(QuotaError.GRANT_ONLY_FROM_AUTHORITY)
    movement = _post(
        QUOTA_LEDGER,
        actor=actor,
        kind=kind,
        from_account=from_account,
        to_account=to_account,
        amount=amount,
        effective_date=effective_date,
        document=document,
        reason=reason,
        extra={"authority_grant": authority_grant} if authority_grant else None,
        check_target=lambda account: check_quota_type_fits(account.unit, account.quota_type, account.funding_form),
        confirm_overstaffing=confirm_overstaffing,
        check_staffing=check_staffing,
    )
    return movement


def is_above_unit_rank(grade: str, unit: Unit) -> bool:
    return RANK_ORDER.get(grade, 0) > RANK_ORDER.get(unit.rank, 99)


def _check_gaopei(to_account: LeadershipAccount, is_gaopei: bool) -> None:
    unit = to_account.unit
    if is_above_unit_rank(to_account.grade, unit) and not is_gaopei:
        raise BianzhiError(
            QuotaError.GAOPEI_REQUIRED,
            post=f"{to_account.get_grade_display()}{to_account.get_level_display()}",
            unit=unit.name,
            rank=UnitRank(unit.rank).label,
        )


@transaction.atomic
def post_movement_post(
    *,
    actor,
    kind: str,
    from_account: LeadershipAccount,
    to_account: LeadershipAccount,
    amount: int,
    effective_date: dt.date,
    document: DocumentRef | Document,
    reason: str = "",
    is_gaopei: bool = False,
    confirm_overstaffing: bool = False,
    check_staffing: bool = True,
) -> LeadershipMovement:
    """Approves, reduces or transfers leadership posts; posts above the unit's rank (高配) must say so, and a unit
    left 超职数 must be confirmed with a reason (``check_staffing`` as for ``movement_post``)."""
    if (from_account.level, from_account.grade) != (to_account.level, to_account.grade):
        raise BianzhiError(
            QuotaError.POST_MISMATCH,
            from_post=f"{from_account.get_grade_display()}{from_account.get_level_display()}",
            to_post=f"{to_account.get_grade_display()}{to_account.get_level_display()}",
        )
    return _post(
        POST_LEDGER,
        actor=actor,
        kind=kind,
        from_account=from_account,
        to_account=to_account,
        amount=amount,
        effective_date=effective_date,
        document=document,
        reason=reason,
        extra={"is_gaopei": True} if is_gaopei else None,
        check_target=lambda account: _check_gaopei(account, is_gaopei),
        confirm_overstaffing=confirm_overstaffing,
        check_staffing=check_staffing,
    )


def _reverse(
    spec: LedgerSpec,
    *,
    actor,
    movement,
    document,
    reason: str,
    effective_date: dt.date | None,
    confirm_overstaffing: bool = False,
):
    # the units and accounts before the movement, as _post and every other writer takes them
    movement = spec.movement_model.objects.select_related("from_account", "to_account").get(pk=movement.pk)
    lock_rows(Unit, [a.unit_id for a in (movement.from_account, movement.to_account) if a.unit_id])
    lock_rows(spec.account_model, [movement.from_account_id, movement.to_account_id])
    movement = lock_rows(spec.movement_model, [movement.pk])[0]
    if movement.reverses_id is not None:
        raise BianzhiError(QuotaError.REVERSAL_OF_REVERSAL)
    if spec.movement_model.objects.filter(reverses=movement).exists():
        raise BianzhiError(QuotaError.ALREADY_REVERSED)
    if effective_date is not None and effective_date < movement.effective_date:
        raise BianzhiError(
            QuotaError.REVERSAL_BEFORE_ORIGINAL, effective=effective_date, original=movement.effective_date
        )
    return _post(
        spec,
        actor=actor,
        kind=movement.kind,
        from_account=movement.to_account,
        to_account=movement.from_account,
        amount=movement.amount,
        effective_date=effective_date or movement.effective_date,
        document=document,
        reason=reason,
        reverses=movement,
        confirm_overstaffing=confirm_overstaffing,
    )


@transaction.atomic
def movement_reverse(
    *,
    actor,
    movement: Movement,
    document: DocumentRef | Document,
    reason: str,
    effective_date: dt.date | None = None,
    confirm_overstaffing: bool = False,
) -> Movement:
    """A correction: the same slots back the other way, from the original date unless told otherwise."""
    return _reverse(
        QUOTA_LEDGER,
        actor=actor,
        movement=movement,
        document=document,
        reason=reason,
        effective_date=effective_date,
        confirm_overstaffing=confirm_overstaffing,
    )


@transaction.atomic
def post_movement_reverse(
    *,
    actor,
    movement: LeadershipMovement,
    document: DocumentRef | Document,
    reason: str,
    effective_date: dt.date | None = None,
    confirm_overstaffing: bool = False,
) -> LeadershipMovement:
    return _reverse(
        POST_LEDGER,
        actor=actor,
        movement=movement,
        document=document,
        reason=reason,
        effective_date=effective_date,
        confirm_overstaffing=confirm_overstaffing,
    )


@transaction.atomic
def quota_baseline_set(
    *, actor, quota_type: QuotaType, total: int | None, document: DocumentRef | Document
) -> QuotaType:
    """Sets (or lifts, with ``None``) the 只减不增 baseline of a quota type's county total."""
    require_capability(actor, Capability.MANAGE_QUOTAS)
    doc = document_resolve(document)
    before = quota_type.baseline_total
    quota_type.baseline_total, quota_type.baseline_document = total, doc
    quota_type.save(update_fields=["baseline_total", "baseline_document"])
    audit_record(
        actor=actor,
        action="quotas.baseline_set",
        obj=quota_type,
        before={"baseline": before},
        after={"baseline": total, "document": doc.number},
    )
    return quota_type


# ---------------------------------------------------------------- used by the unit lifecycle


def ensure_no_later_movements(unit: Unit, day: dt.date) -> None:
    later = any(
        model.objects.filter(touching(model, unit), effective_date__gt=day).exists()
        for model in (Movement, LeadershipMovement)
    )
    if later:
        raise BianzhiError(QuotaError.LATER_MOVEMENTS, unit=unit.name, date=day)


def accounts_hand_over(
    *, actor, unit: Unit, successor: Unit | None, document: Document, effective_date: dt.date, reason: str
) -> None:
    """Everything the unit holds on ``effective_date`` goes to ``successor`` (划转), or back to the county pool and
    the authority when there is none (核减)."""
    accounts = list(unit.quota_accounts.select_related("quota_type"))
    balances = balances_as_of(QuotaBalance, [a.pk for a in accounts], effective_date)
    for account in accounts:
        amount = balances.get(account.pk, 0)
        if amount <= 0:
            continue
        if successor is None:
            target, kind = county_account(AccountKind.POOL, account.quota_type), MovementKind.HEJIAN
        else:
            target = unit_account(successor, account.quota_type, account.funding_form)
            kind = MovementKind.HUAZHUAN
        movement_post(
            actor=actor,
            kind=kind,
            from_account=account,
            to_account=target,
            amount=amount,
            effective_date=effective_date,
            document=document,
            reason=reason,
            check_staffing=False,  # the unit closes: its people go to the successor or out in the same change
        )
    posts = list(unit.post_accounts.all())
    post_balances = balances_as_of(LeadershipBalance, [a.pk for a in posts], effective_date)
    for account in posts:
        amount = post_balances.get(account.pk, 0)
        if amount <= 0:
            continue
        if successor is None:
            target, kind = post_authority_account(account.level, account.grade), PostMovementKind.HEJIAN
        else:
            target, kind = post_unit_account(successor, account.level, account.grade), PostMovementKind.HUAZHUAN
        gaopei = successor is not None and is_above_unit_rank(account.grade, successor)
        post_movement_post(
            actor=actor,
            kind=kind,
            from_account=account,
            to_account=target,
            amount=amount,
            effective_date=effective_date,
            document=document,
            reason=reason,
            is_gaopei=gaopei,
            check_staffing=False,
        )


# ---------------------------------------------------------------- forms and the API name accounts by holder


@dataclass(frozen=True)
class AccountSide:
    """One side of a movement as people name it: a holder kind, and for a unit the unit and funding form."""

    kind: str
    unit: Unit | None = None
    funding_form: str = ""

    def describe(self, quota_type: QuotaType) -> str:
        if self.kind == AccountKind.UNIT and self.unit is not None:
            return (
                f"{self.unit.name}（{FundingForm(self.funding_form).label}）" if self.funding_form else self.unit.name
            )
        return AccountKind(self.kind).label if self.kind in AccountKind.values else self.kind


def resolve_account(side: AccountSide, quota_type: QuotaType, *, label: str) -> QuotaAccount:
    """The account a side names, opened if needed (call inside the posting transaction)."""
    if side.kind not in AccountKind.values:
        raise BianzhiError(SideError.UNKNOWN_HOLDER, side=label)
    if side.kind != AccountKind.UNIT:
        return county_account(side.kind, quota_type)
    if side.unit is None:
        raise BianzhiError(SideError.UNIT_REQUIRED, side=label)
    return unit_account(side.unit, quota_type, side.funding_form)


def quota_type_by_code(code: str) -> QuotaType:
    found = QuotaType.objects.filter(code=code).first()
    if found is None:
        raise BianzhiError(SideError.UNKNOWN_TYPE, code=code)
    return found


@transaction.atomic
def movement_post_between(
    *,
    actor,
    kind: str,
    quota_type: str,
    source: AccountSide,
    target: AccountSide,
    amount: int,
    effective_date: dt.date,
    document: DocumentRef | Document,
    reason: str = "",
    authority_grant: bool = False,
    confirm_overstaffing: bool = False,
) -> Movement:
    """``movement_post`` for callers that name holders rather than accounts (forms, the API)."""
    qtype = quota_type_by_code(quota_type)
    return movement_post(
        actor=actor,
        kind=kind,
        from_account=resolve_account(source, qtype, label="划出方"),
        to_account=resolve_account(target, qtype, label="划入方"),
        amount=amount,
        effective_date=effective_date,
        document=document,
        reason=reason,
        authority_grant=authority_grant,
        confirm_overstaffing=confirm_overstaffing,
    )


@dataclass
class MovementPreview:
    summary: str
    sides: list[tuple[str, int, int]]  # (account, balance before, after) on the effective date
    effective_date: dt.date
    overstaffing: BianzhiError | None = None  # the 超编 the movement would leave, to be confirmed with a reason


def movement_preview(**kwargs) -> MovementPreview:
    """Posts the movement in a transaction that is rolled back, to show its effect before anyone confirms it.

    Raises the same ``BianzhiError`` the real posting would, so the form can say what is wrong as it is typed; a
    movement that would leave a unit 超编 is shown with the shortfall, as it would be once confirmed.
    """
    with transaction.atomic():
        day = kwargs["effective_date"]
        qtype = quota_type_by_code(kwargs["quota_type"])
        accounts = [
            resolve_account(kwargs["source"], qtype, label="划出方"),
            resolve_account(kwargs["target"], qtype, label="划入方"),
        ]
        before = balances_as_of(QuotaBalance, [a.pk for a in accounts], day)
        overstaffing = None
        try:
            movement = movement_post_between(**{**kwargs, "confirm_overstaffing": False})
        except BianzhiError as exc:
            if exc.error != QuotaError.WOULD_OVERSTAFF:
                raise
            # the refused posting rolled back to its savepoint; the same again, confirmed, shows its effect
            overstaffing = exc
            movement = movement_post_between(
                **{**kwargs, "confirm_overstaffing": True, "reason": kwargs.get("reason") or "预览"}
            )
        after = balances_as_of(QuotaBalance, [a.pk for a in accounts], day)
        summary = (
            f"将从{kwargs['source'].describe(qtype)}{movement.get_kind_display()} {movement.amount} 名{qtype.name}"
            f"至{kwargs['target'].describe(qtype)}，自 {day} 起生效。"
        )
        sides = [(str(a), before.get(a.pk, 0), after.get(a.pk, 0)) for a in accounts]
        preview = MovementPreview(summary, sides, day, overstaffing)
        transaction.set_rollback(True)
    return preview


@transaction.atomic
def post_movement_for_unit(
    *,
    actor,
    kind: str,
    unit: Unit,
    level: str,
    grade: str,
    amount: int,
    effective_date: dt.date,
    document: DocumentRef | Document,
    from_unit: Unit | None = None,
    is_gaopei: bool = False,
    reason: str = "",
    confirm_overstaffing: bool = False,
) -> LeadershipMovement:
    """核定 (from the authority to ``unit``), 核减 (back from ``unit``) or 划转 (from ``from_unit`` to ``unit``)."""
    if kind == PostMovementKind.HEJIAN:
        source, target = post_unit_account(unit, level, grade), post_authority_account(level, grade)
    elif kind == PostMovementKind.HUAZHUAN and from_unit is not None:
        source, target = post_unit_account(from_unit, level, grade), post_unit_account(unit, level, grade)
    elif kind == PostMovementKind.HUAZHUAN:
        raise BianzhiError(SideError.UNIT_REQUIRED, side="划出方")
    else:
        source, target = post_authority_account(level, grade), post_unit_account(unit, level, grade)
    return post_movement_post(
        actor=actor,
        kind=kind,
        from_account=source,
        to_account=target,
        amount=amount,
        effective_date=effective_date,
        document=document,
        reason=reason,
        is_gaopei=is_gaopei,
        confirm_overstaffing=confirm_overstaffing,
    )


def refuse_gy1_with_other_funding(*, unit: Unit, institution_class: str, effective_date: dt.date) -> None:
    """A 公益一类 unit holds 全额拨款 slots only (I2), from the day it becomes one."""
    if institution_class != InstitutionClass.GY1:
        return
    held = (
        QuotaBalance.objects.filter(account__unit=unit, balance__gt=0, account__kind=AccountKind.UNIT)
        .exclude(account__funding_form=FundingForm.QE)
        .filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=effective_date))
        .select_related("account")
        .order_by("-balance")
        .first()
    )
    if held is not None:
        raise BianzhiError(
            QuotaError.GY1_HOLDS_OTHER_FUNDING,
            unit=unit.name,
            date=max(effective_date, held.valid_from),
            funding=FundingForm(held.account.funding_form).label,
            count=held.balance,
        )
