"""Every error the API gives has one shape, ``{"code", "message", "details"}``, with a Chinese message."""

from __future__ import annotations

import functools
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from bianzhi.core.errors import BianzhiError, CommonError, ErrorCode, http_status_for, is_disk_full

logger = logging.getLogger(__name__)


class ApiError(ErrorCode):
    UNAUTHENTICATED = (
        "api.unauthenticated",
        _(
            "未提供有效的访问令牌。请在请求头中加入 Authorization: Bearer <令牌>；"
            "令牌可能已吊销、已过期或所属账号已停用。"
        ),
    )
    INVALID_INPUT = ("api.invalid_input", _("请求参数有误：{summary}"))
    MALFORMED_BODY = ("api.malformed_body", _("请求体不是有效的 JSON。"))
    METHOD_NOT_ALLOWED = ("api.method_not_allowed", _("该接口不支持 {method} 请求，可用的请求方法：{allowed}。"))
    TOO_LARGE = ("api.too_large", _("请求体过大，单次请求不能超过 {limit} 字节。"))
    UNSUPPORTED_MEDIA_TYPE = (
        "api.unsupported_media_type",
        _("请求体须为 JSON，请设置 Content-Type: application/json。"),
    )
    INTERNAL = ("api.internal", _("服务器内部错误，已记录日志。请把请求编号 {request_id} 告知系统管理员。"))
    TOKEN_NAME_REQUIRED = ("api.token_name_required", _("请填写令牌名称（用途或使用单位）。"))
    TOKEN_EXPIRY_PAST = ("api.token_expiry_past", _("有效期截止时间 {expires_at} 早于当前时间。"))
    TOKEN_USER_INACTIVE = ("api.token_user_inactive", _("账号 {username} 已停用，不能签发令牌。"))
    TOKEN_ALREADY_REVOKED = ("api.token_already_revoked", _("令牌 {prefix} 已于 {revoked_at} 吊销。"))
    SCOPE_MISSING = (
        "api.scope_missing",
        _("该令牌的授权范围不含此接口（需要 {needed}；令牌的授权范围：{held}）。请联系安全管理员签发相应范围的令牌。"),
        403,
    )
    RATE_LIMITED = (
        "api.rate_limited",
        _("该令牌每分钟最多调用 {limit} 次，已达上限，请 {seconds} 秒后再试。"),
        429,
    )
    SCOPE_UNKNOWN = ("api.scope_unknown", _("授权范围「{scope}」不存在，可选：{known}。"))
    SCOPE_NEEDS_COUNTY = (
        "api.scope_needs_county",
        _("授权范围 {scope} 可读取全县的数据，只能签发给全县范围、有业务角色的账号；账号 {username} 不是。"),
    )
    SCOPE_REQUIRED = ("api.scope_required", _("请至少选择一项授权范围。"))
    CALL_LIMIT_RANGE = (
        "api.call_limit_range",
        _("每分钟调用上限须为 1 至 {most} 之间的整数（填写的是 {value}）；不填则按系统设置。"),
    )
    WEBHOOKS_OFF = (
        "api.webhooks_off",
        _("本系统未启用事件推送（设置 BIANZHI_WEBHOOKS）。合作部门可按序号读取 GET /api/v1/events。"),
    )
    WEBHOOK_URL = ("api.webhook_url", _("推送地址「{url}」无效：须以 http:// 或 https:// 开头并写明主机。"))
    WEBHOOK_NO_EVENTS = (
        "api.webhook_no_events",
        _("令牌 {prefix} 无权读取数据共享事件（需要授权范围 events），不能设置事件推送。"),
    )
    TOKEN_NOT_USABLE = ("api.token_not_usable", _("令牌 {prefix} 已吊销或已过期。"))
    WEBHOOK_NONE = ("api.webhook_none", _("令牌 {prefix} 未设置事件推送。"))
    ADDRESS_REFUSED = (
        "api.address_refused",
        _("来源地址 {address} 不在该令牌允许的网络范围内，调用被拒绝。请联系安全管理员核对允许的来源网络。"),
        403,
    )
    NETWORK_INVALID = (
        "api.network_invalid",
        _("第 {line} 行「{value}」不是有效的网络地址，请按 10.1.0.0/16 或 192.168.3.7 的格式每行填写一个。"),
    )
    PARTNER_NAME_REQUIRED = ("api.partner_name_required", _("请填写合作部门名称。"))
    PARTNER_NAME_TAKEN = ("api.partner_name_taken", _("合作部门「{name}」已登记。"))
    PARTNER_ACCOUNT_TAKEN = (
        "api.partner_account_taken",
        _("账号 {username} 已是合作部门「{partner}」的接口账号，一个账号只能对应一个合作部门。"),
    )
    PARTNER_ACCOUNT_UNFIT = (
        "api.partner_account_unfit",
        _("账号 {username} 持有{roles}角色，不能作为合作部门的接口账号；请填写新的用户名，系统将自动创建只读账号。"),
    )
    PARTNER_INACTIVE = ("api.partner_inactive", _("合作部门「{name}」已停用，不能签发令牌。"))


class UnsupportedMediaType(Exception):
    pass


class JsonParser(Parser):
    """Bodies must say they are JSON: a form post that happens to parse is still a client mistake."""

    def parse_body(self, request: HttpRequest):
        if request.content_type != "application/json" and not request.content_type.endswith("+json"):
            raise UnsupportedMediaType(request.content_type)
        return super().parse_body(request)


# pydantic error types (by prefix) -> what to tell a person about the field
_FIELD_MESSAGES = (
    ("missing", "必填"),
    ("extra_forbidden", "不是可接受的字段"),
    ("string_too_long", "最多 {max_length} 个字符"),
    ("string_too_short", "至少 {min_length} 个字符"),
    ("string_unicode", "含有无法存储的字符（不成对的代理码位）"),
    ("string", "须为字符串"),
    ("too_long", "最多 {max_length} 项"),
    ("list", "须为数组"),
    ("greater_than_equal", "不能小于 {ge}"),
    ("less_than_equal", "不能大于 {le}"),
    ("greater_than", "须大于 {gt}"),
    ("less_than", "须小于 {lt}"),
    ("int", "须为整数"),
    ("bool", "须为 true 或 false"),
    ("date", "须为 YYYY-MM-DD 格式的有效日期"),
    ("enum", "须为以下取值之一：{expected}"),
    ("union_tag_invalid", "{discriminator} 的取值「{tag}」无效"),
    ("union_tag_not_found", "须填写 {discriminator}"),
    ("literal_error", "须为以下取值之一：{expected}"),
    ("model", "须为 JSON 对象"),
    ("dict", "须为 JSON 对象"),
    ("value_error", "{error}"),
    ("assertion_error", "{error}"),
)


def _field_message(error: dict[str, Any]) -> str:
    kind, context = error.get("type", ""), dict(error.get("ctx") or {})
    if "expected" in context:  # pydantic lists choices as "'A', 'B' or 'C'"
        context["expected"] = str(context["expected"]).replace(" or ", ", ")
    for prefix, template in _FIELD_MESSAGES:
        if kind.startswith(prefix):
            try:
                return template.format(**context)
            except (KeyError, IndexError):
                break
    return "取值无效"


def _field_name(location: tuple) -> tuple[str, str]:
    """``("body", "payload", "from", "unit_id")`` -> ``("body", "from.unit_id")``: the handler's argument name
    is an implementation detail, not something the caller sent."""
    source, *path = location
    if source == "body" and path:
        path = path[1:]
    return source, ".".join(str(p) for p in path)


def _validation_details(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    fields = []
    for error in errors:
        source, name = _field_name(tuple(error.get("loc", ("body",))))
        fields.append({"location": source, "field": name, "message": _field_message(error)})
    return fields


def _respond(api: NinjaAPI, request: HttpRequest, error: BianzhiError, status: int) -> HttpResponse:
    return api.create_response(request, error.as_dict(), status=status)


def install_error_handlers(api: NinjaAPI) -> None:
    def on_domain_error(request, exc: BianzhiError):
        response = _respond(api, request, exc, http_status_for(exc))
        if "retry_after" in exc.details:
            response["Retry-After"] = str(exc.details["retry_after"])
        return response

    def on_validation_error(request, exc: ValidationError):
        fields = _validation_details(exc.errors)
        summary = "；".join(f"{f['field'] or '请求体'} {f['message']}" for f in fields[:5])
        error = BianzhiError(ApiError.INVALID_INPUT, details={"fields": fields}, summary=summary)
        return _respond(api, request, error, 422)

    def on_unauthenticated(request, exc: AuthenticationError):
        response = _respond(api, request, BianzhiError(ApiError.UNAUTHENTICATED), 401)
        response["WWW-Authenticate"] = 'Bearer realm="bianzhi"'
        return response

    def on_http_error(request, exc: HttpError):
        # ninja turns any failure to read the body into a 400 "Cannot parse request body", keeping the cause
        if isinstance(exc.__cause__, UnsupportedMediaType):
            return _respond(api, request, BianzhiError(ApiError.UNSUPPORTED_MEDIA_TYPE), 415)
        if exc.status_code == 400 and exc.__cause__ is not None:
            return _respond(api, request, BianzhiError(ApiError.MALFORMED_BODY), 400)
        return _respond(api, request, BianzhiError(CommonError.BAD_REQUEST), exc.status_code)

    def on_suspicious(request, exc: SuspiciousOperation):
        # raised by Django while reading the request, before ninja has parsed anything
        if isinstance(exc, RequestDataTooBig):
            error = BianzhiError(ApiError.TOO_LARGE, limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
            return _respond(api, request, error, 413)
        return _respond(api, request, BianzhiError(CommonError.BAD_REQUEST), 400)

    def on_not_found(request, exc: Http404):
        return _respond(api, request, BianzhiError(CommonError.NOT_FOUND, what="所请求的资源"), 404)

    def on_unexpected(request, exc: Exception):
        request_id = getattr(request, "request_id", "")
        if is_disk_full(exc):  # nothing was saved, and the caller can tell it from a fault of ours
            logger.error("API request %s: disk full", request_id)
            return _respond(api, request, BianzhiError(CommonError.DISK_FULL), 507)
        logger.exception("API request %s failed", request_id)
        error = BianzhiError(ApiError.INTERNAL, details={"request_id": request_id}, request_id=request_id)
        return _respond(api, request, error, 500)

    api.add_exception_handler(BianzhiError, on_domain_error)
    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(AuthenticationError, on_unauthenticated)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(SuspiciousOperation, on_suspicious)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(Exception, on_unexpected)


def with_json_method_errors(api: NinjaAPI, view):
    """ninja answers a wrong method with a plain-text 405 outside its exception handlers; give it the error shape."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != 405:
            return response
        allowed = response["Allow"]
        error = BianzhiError(ApiError.METHOD_NOT_ALLOWED, method=request.method, allowed=allowed)
        shaped = _respond(api, request, error, 405)
        shaped["Allow"] = allowed
        return shaped

    return wrapper
