"""Issuing and revoking API tokens (安全管理员's work, or the command line): a token's scopes are access granted,
like roles, so under 三员分立 the security admin grants them (``Capability.ASSIGN_ROLES``)."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import DatabaseError, transaction
from django.utils import timezone

from bianzhi.accounts.models import User
from bianzhi.accounts.permissions import Capability, has_capability, require_capability
from bianzhi.api.errors import ApiError
from bianzhi.api.models import ApiCall, ApiToken
from bianzhi.api.partners import partner_of
from bianzhi.api.scopes import COUNTY_SCOPES, Scope, scopes_cleaned
from bianzhi.api.tokens import new_token, token_digest, token_prefix
from bianzhi.audit.services import audit_record
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.locks import lock_row

logger = logging.getLogger(__name__)
# A token's last use is recorded at most this often, so that reads do not each become a write.
USE_RECORD_INTERVAL = dt.timedelta(minutes=5)
NAME_MAX = ApiToken._meta.get_field("name").max_length
MAX_CALLS_PER_MINUTE = 100_000


def expiry_of(last_day: dt.date | None) -> dt.datetime | None:
    """A token valid through the whole of ``last_day``, local time: it expires at the next midnight."""
    if last_day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time.min))


def _snapshot(token: ApiToken) -> dict:
    return {
        "name": token.name,
        "prefix": token.prefix,
        "user": token.user.get_username(),
        "expires_at": token.expires_at.isoformat() if token.expires_at else None,
        "scopes": list(token.scopes),
        "calls_per_minute": token.calls_per_minute,
    }


@transaction.atomic
def api_token_issue(
    *,
    actor,
    user: User,
    name: str,
    expires_at: dt.datetime | None = None,
    scopes=(Scope.FULL,),
    calls_per_minute: int | None = None,
) -> tuple[ApiToken, str]:
    """A new token for ``user`` with ``scopes`` (api.scopes); the plaintext is returned this once and never stored."""
    require_capability(actor, Capability.ASSIGN_ROLES)
    try:
        scopes = scopes_cleaned(scopes)
    except ValueError as unknown:
        raise BianzhiError(ApiError.SCOPE_UNKNOWN, scope=unknown.args[0], known="、".join(Scope.values)) from None
    if not scopes:
        raise BianzhiError(ApiError.SCOPE_REQUIRED)
    county_wide = user.scope_county and has_capability(user, Capability.VIEW_BUSINESS)
    for scope in scopes:
        if scope in COUNTY_SCOPES and not county_wide:
            raise BianzhiError(ApiError.SCOPE_NEEDS_COUNTY, scope=scope, username=user.get_username())
    name = " ".join(name.split())
    if not name:
        raise BianzhiError(ApiError.TOKEN_NAME_REQUIRED)
    if len(name) > NAME_MAX:
        raise BianzhiError(CommonError.INVALID_INPUT, reason=f"令牌名称最多 {NAME_MAX} 个字符。")
    if not user.is_active:
        raise BianzhiError(ApiError.TOKEN_USER_INACTIVE, username=user.get_username())
    partner = partner_of(user)
    if partner is not None and not partner.active:
        raise BianzhiError(ApiError.PARTNER_INACTIVE, name=partner.name)
    if expires_at is not None and expires_at <= timezone.now():
        raise BianzhiError(ApiError.TOKEN_EXPIRY_PAST, expires_at=timezone.localtime(expires_at))
    if calls_per_minute is not None and not 1 <= calls_per_minute <= MAX_CALLS_PER_MINUTE:
        raise BianzhiError(ApiError.CALL_LIMIT_RANGE, value=calls_per_minute, most=MAX_CALLS_PER_MINUTE)
    plaintext = new_token()
    while ApiToken.objects.filter(prefix=token_prefix(plaintext)).exists():
        plaintext = new_token()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=token_prefix(plaintext),
        digest=token_digest(plaintext),
        expires_at=expires_at,
        scopes=scopes,
        calls_per_minute=calls_per_minute,
    )
    audit_record(actor=actor, action="api.token_issued", obj=token, after=_snapshot(token))
    return token, plaintext


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken, reason: str = "") -> ApiToken:
    require_capability(actor, Capability.ASSIGN_ROLES)
    token = lock_row(ApiToken.objects.select_related("user").filter(pk=token.pk))
    if token.revoked_at is not None:
        raise BianzhiError(
            ApiError.TOKEN_ALREADY_REVOKED, prefix=token.prefix, revoked_at=timezone.localtime(token.revoked_at)
        )
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="api.token_revoked",
        obj=token,
        before=_snapshot(token),
        after={"revoked_at": token.revoked_at.isoformat()},
        reason=reason,
    )
    return token


def api_token_record_use(token: ApiToken) -> None:
    """Not audited: it only answers "is this token still in use?"; the server's access log records each request."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= USE_RECORD_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def api_token_record_feed_read(token: ApiToken, last_seq: int) -> None:
    """Where the token's reader is in the event feed (the security admin's list shows how far behind the head it
    is). Not audited here: the read itself is (exchange.events_read)."""
    if token.last_seq_read is None or last_seq > token.last_seq_read:
        ApiToken.objects.filter(pk=token.pk).update(last_seq_read=last_seq)
        token.last_seq_read = last_seq


def id_numbers_read_record(*, actor, token: ApiToken, path: str, count: int) -> None:
    """An answer that showed full ID numbers (a ``roster.id_number`` token), in the audit log: who, which call,
    how many people."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="api.id_numbers_read",
            object_type="roster.person",
            object_repr="实名制人员",
            after={"path": path[:255], "id_numbers": count, "token": token.prefix},
        )


def _rows_in(data) -> int:
    """Rows an answer carries: the items of a list, one for a single object, none for an error."""
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        return len(data["items"])
    if isinstance(data, dict) and {"code", "message", "details"} <= set(data):
        return 0
    return 1 if data else 0


def api_call_record(*, token: ApiToken, method: str, path: str, status: int, data, client_ip: str | None) -> None:
    """Every call made with a token (api.api.BianzhiAPI.create_response); a refused one holds no rows. A database
    that cannot take the record (full disk, a broken connection) does not change the answer: it is logged."""
    try:
        with transaction.atomic():
            ApiCall.objects.create(
                token=token,
                method=method[:8],
                path=path[:255],
                status=status,
                rows=_rows_in(data) if status < 400 else 0,
                client_ip=client_ip,
            )
    except DatabaseError:
        logger.warning("API call %s %s (%s) not recorded", method, path, token.prefix, exc_info=True)
