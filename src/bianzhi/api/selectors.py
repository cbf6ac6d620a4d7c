"""Reads for the API: tokens, paging, and the ledger view composed from the register and ledger selectors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from bianzhi.api.models import ApiToken
from bianzhi.api.partners import partner_of
from bianzhi.api.tokens import looks_like_token, token_digest
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
