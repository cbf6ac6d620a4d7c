"""The ledger engine shared by quota slots and leadership posts.

Each account's balance is kept as a run of dated intervals ``[valid_from, valid_to)``. Posting ``delta`` from a
date splits the interval containing that date and shifts every interval from it onwards, so a balance as of any
date is one indexed lookup, however many movements came before. ``bianzhi check`` replays the movements and
compares (see ``replay_intervals``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class BalanceIntervalBase(models.Model):
    """Concrete subclasses add ``account = ForeignKey(<account model>, related_name="intervals")``."""

    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("终止日期"), null=True, blank=True)
    balance = models.IntegerField(_("余额"))

    class Meta:
        abstract = True


class MovementBase(models.Model):
    """Concrete subclasses add ``from_account``/``to_account`` and ``reverses``; rows are never changed."""

    amount = models.PositiveIntegerField(_("数量"))
    effective_date = models.DateField(_("生效日期"), db_index=True)
    document = models.ForeignKey(
        "orgs.Document", verbose_name=_("批准文件"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("事由"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("登记人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True


def _containing(day: dt.date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day))


def apply_delta(interval_model, account, delta: int, start: dt.date) -> None:
    """Adds ``delta`` to the account's balance on every date from ``start`` on."""
    intervals = interval_model.objects.filter(account=account)
    containing = intervals.filter(_containing(start)).first()
    if containing is None:
        first = intervals.order_by("valid_from").first()
        interval_model.objects.create(
            account=account, valid_from=start, valid_to=first.valid_from if first else None, balance=0
        )
    elif containing.valid_from < start:
        interval_model.objects.create(
            account=account, valid_from=start, valid_to=containing.valid_to, balance=containing.balance
        )
        intervals.filter(pk=containing.pk).update(valid_to=start)
    intervals.filter(valid_from__gte=start).update(balance=F("balance") + delta)


def lowest_from(interval_model, account, start: dt.date):
    """The interval with the lowest balance from ``start`` on (the day a balance would go most negative)."""
    return (
        interval_model.objects.filter(account=account, valid_from__gte=start).order_by("balance", "valid_from").first()
    )


def balances_as_of(interval_model, account_ids: Iterable[int] | None, day: dt.date) -> dict[int, int]:
    """Balance of each account on ``day`` (accounts with no balance yet are absent: read them as 0)."""
    rows = interval_model.objects.filter(_containing(day))
    if account_ids is not None:
        rows = rows.filter(account_id__in=list(account_ids))
    return dict(rows.values_list("account_id", "balance"))


def interval_filter_as_of(day: dt.date, prefix: str = "") -> Q:
    """The condition that picks, per account, the interval in force on ``day`` (for joins and aggregates)."""
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


def replay_intervals(deltas: Iterable[tuple[dt.date, int]]) -> list[tuple[dt.date, int]]:
    """From (date, delta) pairs, the balance at each date where it changes: what the interval table must hold."""
    by_day: dict[dt.date, int] = {}
    for day, delta in deltas:
        by_day[day] = by_day.get(day, 0) + delta
    running, result = 0, []
    for day in sorted(by_day):
        running += by_day[day]
        result.append((day, running))
    return result
