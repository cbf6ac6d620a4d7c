"""Stable error codes with Chinese messages, shared by the UI, the API and the CLI.

Each domain declares an ``ErrorCode`` enum whose members carry a stable English code (the value)
and a Chinese message template. Code raises ``BianzhiError(SomeError.MEMBER, key=value)``; whoever
catches it shows ``.message`` to people and ``.code`` to programs.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any


class ErrorCode(enum.Enum):
    """Base of the error enums: ``MEMBER = ("stable.code", "中文消息模板{placeholder}")``."""

    def __new__(cls, code: str, template: str):
        member = object.__new__(cls)
        member._value_ = code
        member.template = template
        return member

    @property
    def code(self) -> str:
        return self.value

    def format(self, **params: Any) -> str:
        return self.template.format(**params) if params else self.template


class BianzhiError(Exception):
    """An expected failure that users must understand: bad input, a refused change, a missing thing."""

    def __init__(self, error: ErrorCode, *, details: dict[str, Any] | None = None, **params: Any):
        self.error = error
        self.code = error.code
        self.message = error.format(**params)
        self.details = details or {}
        super().__init__(f"[{self.code}] {self.message}")

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


@dataclass(frozen=True)
class Advisory:
    """Something a service did but asks its caller to check: a stable code and a Chinese message, like a refusal's."""

    code: str
    message: str

    @classmethod
    def of(cls, error: ErrorCode, **params: Any) -> Advisory:
        return cls(error.code, error.format(**params))


class CommonError(ErrorCode):
    PERMISSION_DENIED = ("common.permission_denied", "您没有权限执行此操作，如需办理请联系安全管理员。")
    OUT_OF_SCOPE = ("common.out_of_scope", "该数据不在您的管理范围内。")
    NOT_FOUND = ("common.not_found", "未找到{what}。")
    INVALID_INPUT = ("common.invalid_input", "输入有误：{reason}")
    BAD_REQUEST = ("common.bad_request", "请求无效，请检查后重试。")
    PAGE_NOT_FOUND = ("common.page_not_found", "您访问的页面不存在或已被移除。")
    CSRF_FAILED = ("common.csrf_failed", "页面已过期或来源无法确认，请刷新页面后重试。")
    CHANGED_MEANWHILE = ("common.changed_meanwhile", "{what}刚被其他操作更改，本次未作任何改动；请刷新页面核对后重试。")


_HTTP_STATUS = {
    CommonError.PERMISSION_DENIED: 403,
    CommonError.OUT_OF_SCOPE: 403,
    CommonError.NOT_FOUND: 404,
    CommonError.CHANGED_MEANWHILE: 409,
}


def http_status_for(error: BianzhiError) -> int:
    """The HTTP status of a refusal, the same for pages and the API: 403, 404, or 400 for everything else."""
    return _HTTP_STATUS.get(error.error, 400)
