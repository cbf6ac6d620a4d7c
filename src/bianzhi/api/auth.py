from __future__ import annotations

from ninja.security import HttpBearer

from bianzhi.api.selectors import usable_token
from bianzhi.api.services import api_token_record_use


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; the request then acts as the token's user (``request.auth``)."""

    def authenticate(self, request, token: str):
        found = usable_token(token.strip())
        if found is None:
            return None
        api_token_record_use(found)
        return found.user
