"""Who is asking, for audit events written deep inside services: the request id and the client address."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    request_id: str = ""
    client_ip: str | None = None


_current: contextvars.ContextVar[RequestInfo | None] = contextvars.ContextVar("bianzhi_request", default=None)


def current_request_info() -> RequestInfo:
    return _current.get() or RequestInfo()


def set_request_info(info: RequestInfo) -> contextvars.Token:
    return _current.set(info)


def reset_request_info(token: contextvars.Token) -> None:
    _current.reset(token)
