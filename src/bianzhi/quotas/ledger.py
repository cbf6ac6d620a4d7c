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
from django.db.models import F, OuterRef, Q, Subquery
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
    # set when the movement was posted although it left the giving unit 超编 (超职数) by this many, on confirmation
    overstaffing = models.PositiveIntegerField(_("确认超编（超职数）"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("登记人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True


def touching(movement_model, unit) -> Q:
    """The movements into or out of any of ``unit``'s accounts, by the accounts' keys: each side's index answers,
    where a join to the accounts of both sides would read every movement of a province."""
    accounts = movement_model._meta.get_field("from_account").related_model
    ids = list(accounts.objects.filter(unit=unit).values_list("pk", flat=True))
    return Q(from_account_id__in=ids) | Q(to_account_id__in=ids)


def in_force_on(day: dt.date, prefix: str = "") -> Q:
    """The interval in force on ``day`` (``prefix``: reached through a relation, ``intervals__``)."""
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


def apply_delta(interval_model, account, delta: int, start: dt.date) -> None:
    """Adds ``delta`` to the account's balance on every date from ``start`` on."""
    intervals = interval_model.objects.filter(account=account)
    containing = intervals.filter(in_force_on(start)).first()
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


def balance_on(interval_model, day: dt.date) -> Subquery:
    """The balance on ``day`` of the account in the outer query.

    Intervals are contiguous, so the one in force is the last one starting on or before ``day``: one backward
    probe of the (account, valid_from) index per account, however many movements the account has had.
    """
    latest = interval_model.objects.filter(account=OuterRef("pk"), valid_from__lte=day).order_by("-valid_from")
    return Subquery(latest.values("balance")[:1])


def balances_as_of(interval_model, accounts: Iterable[int] | models.QuerySet | None, day: dt.date) -> dict[int, int]:
    """Balance of each account on ``day``; ``accounts`` is a queryset of accounts, a list of their ids, or None for
    all. Accounts with no balance yet are absent: read them as 0."""
    account_model = interval_model._meta.get_field("account").related_model
    if accounts is None:
        accounts = account_model.objects.all()
    elif not isinstance(accounts, models.QuerySet):
        accounts = account_model.objects.filter(pk__in=list(accounts))
    rows = accounts.annotate(on_day=balance_on(interval_model, day)).filter(on_day__isnull=False)
    return dict(rows.values_list("pk", "on_day"))


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
