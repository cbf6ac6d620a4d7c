"""``bianzhi check``: recompute every balance from the movements and compare with what the ledger holds."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from django.db.models import F, Q, Sum
from django.utils import timezone

from bianzhi.core.integrity import Drift, register
from bianzhi.orgs.choices import UnitStatus
from bianzhi.quotas.ledger import balances_as_of, replay_intervals
from bianzhi.quotas.models import (
    AccountKind,
    LeadershipAccount,
    LeadershipBalance,
    LeadershipMovement,
    Movement,
    QuotaAccount,
    QuotaBalance,
)

LEDGERS = (
    ("quotas.slots", Movement, QuotaBalance, QuotaAccount, "编制账户"),
    ("quotas.posts", LeadershipMovement, LeadershipBalance, LeadershipAccount, "领导职数账户"),
)


def _deltas(movement_model) -> dict[int, list]:
    deltas: dict[int, list] = defaultdict(list)
    for side, sign in (("from_account_id", -1), ("to_account_id", 1)):
        rows = movement_model.objects.values(side, "effective_date").annotate(total=Sum("amount")).order_by()
        for row in rows.iterator():
            deltas[row[side]].append((row["effective_date"], sign * row["total"]))
    return deltas


def _intervals(interval_model) -> dict[int, list]:
    found: dict[int, list] = defaultdict(list)
    rows = interval_model.objects.order_by("account_id", "valid_from").values_list(
        "account_id", "valid_from", "valid_to", "balance"
    )
    for account_id, valid_from, valid_to, balance in rows.iterator(chunk_size=5000):
        found[account_id].append((valid_from, valid_to, balance))
    return found


def _ledger_drifts(name: str, movement_model, interval_model, account_model, label: str) -> Iterator[Drift]:
    expected_by_account = _deltas(movement_model)
    held_by_account = _intervals(interval_model)
    authority = set(account_model.objects.filter(kind=AccountKind.AUTHORITY).values_list("pk", flat=True))
    for account_id in sorted(set(expected_by_account) | set(held_by_account)):
        expected = replay_intervals(expected_by_account.get(account_id, []))
        held = held_by_account.get(account_id, [])
        starts = [(valid_from, balance) for valid_from, _to, balance in held]
        ends = [valid_to for _from, valid_to, _balance in held]
        subject = f"{label} #{account_id}"
        if starts != expected:
            yield Drift(name, subject, f"余额记录与变动重算结果不符：记录 {starts}，重算 {expected}")
        elif ends != [s for s, _ in starts[1:]] + [None]:
            yield Drift(name, subject, "余额区间不连续")
        if account_id not in authority and any(balance < 0 for _s, balance in expected):
            yield Drift(name, subject, "余额曾为负数")


@register("quotas.balances")
def balances_match_movements() -> Iterator[Drift]:
    for ledger in LEDGERS:
        yield from _ledger_drifts(*ledger)


@register("quotas.conservation")
def totals_are_conserved() -> Iterator[Drift]:
    """Every slot comes from the authority account: all accounts of a type sum to zero on any date."""
    today = timezone.localdate()
    balances = balances_as_of(QuotaBalance, None, today)
    per_type: dict[str, int] = defaultdict(int)
    for account_id, type_code in QuotaAccount.objects.values_list("pk", "quota_type_id"):
        per_type[type_code] += balances.get(account_id, 0)
    for type_code, total in sorted(per_type.items()):
        if total != 0:
            yield Drift("quotas.conservation", f"编制类型 {type_code}", f"全部账户合计为 {total}，应为 0")


@register("quotas.closed_units")
def closed_units_hold_nothing() -> Iterator[Drift]:
    """A merged or abolished unit hands everything over on the day it closes and holds nothing afterwards."""
    for _name, _movements, interval_model, _accounts, label in LEDGERS:
        held = (
            interval_model.objects.filter(account__unit__status__in=[UnitStatus.MERGED, UnitStatus.ABOLISHED])
            .exclude(balance=0)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=F("account__unit__abolished_on")))
            .order_by("account_id", "valid_from")
            .values_list("account_id", "account__unit__name", "account__unit__abolished_on", "valid_from", "balance")
        )
        for account_id, unit_name, closed_on, valid_from, balance in held.iterator():
            since = max(valid_from, closed_on) if closed_on else valid_from
            message = f"{unit_name}已撤销或合并，但自 {since} 起仍有余额 {balance}"
            yield Drift("quotas.closed_units", f"{label} #{account_id}", message)


@register("quotas.reversals")
def reversals_mirror_their_originals() -> Iterator[Drift]:
    for movement_model, label in ((Movement, "编制变动"), (LeadershipMovement, "领导职数变动")):
        pairs = movement_model.objects.filter(reverses__isnull=False).select_related("reverses")
        for m in pairs.iterator():
            o = m.reverses
            if (m.from_account_id, m.to_account_id, m.amount) != (o.to_account_id, o.from_account_id, o.amount):
                yield Drift("quotas.reversals", f"{label} #{m.pk}", f"冲正内容与原业务 #{o.pk} 不对应")
