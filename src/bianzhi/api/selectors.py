"""Reads for the API: tokens, paging, and the ledger view composed from the register and ledger selectors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from bianzhi.api.models import ApiCall, ApiToken, Partner, Webhook, WebhookDelivery
from bianzhi.api.partners import partner_of
from bianzhi.api.tokens import looks_like_token, token_digest
from bianzhi.exchange.selectors import feed_head
from bianzhi.orgs.selectors import unit_for, version_as_of
from bianzhi.quotas.selectors import LedgerRow, PostRow, unit_ledger, unit_posts


def usable_token(plaintext: str) -> ApiToken | None:
    """The token with this text, if it is neither revoked nor expired and its account (and partner department, if
    it is one's) is active."""
    if not looks_like_token(plaintext):
        return None
    token = (
        ApiToken.objects.select_related("user", "user__scope_unit", "user__partner")
        .prefetch_related("user__role_grants")
        .filter(digest=token_digest(plaintext))
        .first()
    )
    if token is None or not token.is_usable(timezone.now()) or not token.user.is_active:
        return None
    partner = partner_of(token.user)
    return None if partner is not None and not partner.active else token


def tokens_listed(username: str = "") -> QuerySet[ApiToken]:
    tokens = ApiToken.objects.select_related("user")
    return tokens.filter(user__username=username) if username else tokens


@dataclass
class PartnerRow:
    partner: Partner
    active_tokens: int
    last_call: dt.datetime | None
    recent_calls: int  # in the last RECENT_DAYS days
    last_seq_read: int | None  # the furthest any of its tokens has read the event feed
    behind: int | None  # events the feed holds after that number


RECENT_DAYS = 30
RECENT_CALLS = 100
RECENT_DELIVERIES = 20


def partners_listed() -> list[PartnerRow]:
    """Every partner department with its tokens' use: a few grouped queries, whatever the number of calls."""
    now = timezone.now()
    partners = list(Partner.objects.select_related("user").order_by("pk"))  # in the order they were registered
    users = [partner.user_id for partner in partners]
    usable = Q(revoked_at__isnull=True) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    tokens = {
        row["user_id"]: row
        for row in ApiToken.objects.filter(user_id__in=users)
        .values("user_id")
        .annotate(active=Count("pk", filter=usable), seq=Max("last_seq_read"))
    }
    since = now - dt.timedelta(days=RECENT_DAYS)
    calls = {
        row["token__user_id"]: row
        for row in ApiCall.objects.filter(token__user_id__in=users)
        .values("token__user_id")
        .annotate(last=Max("at"), recent=Count("pk", filter=Q(at__gte=since)))
    }
    head = feed_head()
    rows = []
    for partner in partners:
        mine, used = tokens.get(partner.user_id, {}), calls.get(partner.user_id, {})
        seq = mine.get("seq")
        rows.append(
            PartnerRow(
                partner=partner,
                active_tokens=mine.get("active", 0),
                last_call=used.get("last"),
                recent_calls=used.get("recent", 0),
                last_seq_read=seq,
                behind=max(head - seq, 0) if seq is not None else None,
            )
        )
    return rows


def partner_tokens(partner: Partner) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user_id=partner.user_id)


def partner_webhooks(partner: Partner) -> dict[int, Webhook]:
    """The partner's pushes, by token."""
    return {hook.token_id: hook for hook in Webhook.objects.filter(token__user_id=partner.user_id)}


def partner_deliveries(partner: Partner) -> list[WebhookDelivery]:
    return list(
        WebhookDelivery.objects.filter(webhook__token__user_id=partner.user_id).select_related("webhook__token")[
            :RECENT_DELIVERIES
        ]
    )


def partner_recent_calls(partner: Partner) -> list[ApiCall]:
    return list(ApiCall.objects.filter(token__user_id=partner.user_id).select_related("token")[:RECENT_CALLS])


def page(queryset: QuerySet, *, limit: int, offset: int) -> dict:
    return {
        "count": queryset.count(),
        "limit": limit,
        "offset": offset,
        "items": list(queryset[offset : offset + limit]),
    }


@dataclass
class LedgerSnapshot:
    unit_id: int
    current_name: str
    name: str | None  # the name the unit bore on ``as_of``; None before it was established
    as_of: dt.date
    quotas: list[LedgerRow]
    posts: list[PostRow]


def ledger_snapshot(user, unit_id: int, day: dt.date) -> LedgerSnapshot:
    unit = unit_for(user, unit_id)
    version = version_as_of(unit, day)
    return LedgerSnapshot(
        unit_id=unit.pk,
        current_name=unit.name,
        name=version.name if version else None,
        as_of=day,
        quotas=unit_ledger(user, unit, day),
        posts=unit_posts(user, unit, day),
    )
