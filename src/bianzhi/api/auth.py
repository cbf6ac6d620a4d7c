from __future__ import annotations

from ninja.security import HttpBearer

from bianzhi.api.errors import ApiError
from bianzhi.api.partners import address_allowed
from bianzhi.api.scopes import SAFE_METHODS, Scope, scopes_label
from bianzhi.api.selectors import usable_token
from bianzhi.api.services import api_token_record_use
from bianzhi.core.errors import BianzhiError
from bianzhi.core.request_context import current_request_info
from bianzhi.core.throttle import seconds_to_wait
from bianzhi.exchange.selectors import county_feed_reader


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; the request then acts as the token's user (``request.auth``), and
    ``request.api_token`` is the token.

    ``scope`` is what opens the operations guarded by this instance (api.scopes): for reads, unless ``writes``
    says the scope opens writes too; a ``full`` token opens everything except the event feed, which a ``full``
    token reads only for a county-wide 编办 account. Without a scope, only ``full`` opens them. A call from outside
    the networks its partner department (or the setting ``BIANZHI_API_ALLOWED_NETWORKS``) allows is refused 403
    whatever it asks (api.partners.address_allowed). Each token makes
    at most its own ``calls_per_minute``, or else ``BIANZHI_API_CALLS_PER_MINUTE``, calls a minute (core.throttle); one
    more is answered 429."""

    def __init__(self, scope: Scope | None = None, *, writes: bool = False):
        super().__init__()
        self.scope, self.writes = scope, writes

    def _allows(self, token, method: str) -> bool:
        if self.scope == Scope.EVENTS:
            return token.has_scope(Scope.EVENTS) or (token.has_scope(Scope.FULL) and county_feed_reader(token.user))
        if token.has_scope(Scope.FULL):
            return True
        return self.scope is not None and token.has_scope(self.scope) and (self.writes or method in SAFE_METHODS)

    def _needed(self, method: str) -> str:
        if self.scope is not None and (self.writes or method in SAFE_METHODS):
            return scopes_label([self.scope])
        return scopes_label([Scope.FULL])

    def authenticate(self, request, token: str):
        found = usable_token(token.strip())
        if found is None:
            return None
        request.api_token = found  # refused or not, the call is recorded (api.models.ApiCall)
        address = current_request_info().client_ip
        if not address_allowed(found, address):
            raise BianzhiError(ApiError.ADDRESS_REFUSED, address=address or "未知")
        if not self._allows(found, request.method):
            raise BianzhiError(
                ApiError.SCOPE_MISSING,
                details={"scopes": list(found.scopes)},
                needed=self._needed(request.method),
                held=scopes_label(found.scopes) or "无",
            )
        limit = found.call_limit
        wait = seconds_to_wait("api", found.prefix, limit=limit) if limit else 0
        if wait:
            raise BianzhiError(ApiError.RATE_LIMITED, details={"retry_after": wait}, limit=limit, seconds=wait)
        api_token_record_use(found)
        return found.user
