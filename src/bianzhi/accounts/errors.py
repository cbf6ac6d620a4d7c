"""The accounts app's refusals, each with a stable code and a Chinese message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bianzhi.core.errors import ErrorCode


class AccountError(ErrorCode):
    USERNAME_TAKEN = ("accounts.username_taken", _("用户名 {username} 已被使用。"))
    WEAK_PASSWORD = ("accounts.weak_password", _("密码不符合要求：{reasons}"))
    UNKNOWN_ROLE = ("accounts.unknown_role", _("未知角色：{role}。"))
    ADMIN_ROLES_EXCLUSIVE = (
        "accounts.admin_roles_exclusive",
        _("系统管理员、安全管理员、审计管理员三个角色互斥，且不能与业务角色同时授予同一账号。"),
    )
    SCOPE_REQUIRED = ("accounts.scope_required", _("业务角色须指定管理范围（全县或某一机构及下属单位）。"))
    SCOPE_AMBIGUOUS = ("accounts.scope_ambiguous", _("管理范围只能是全县或某一机构，二者选其一。"))
    UNIT_OPERATOR_NEEDS_UNIT = (
        "accounts.unit_operator_needs_unit",
        _("单位经办的管理范围须为某一机构及其下属单位，不能是全县。"),
    )
    SELF_GRANT = ("accounts.self_grant", _("不能修改自己账号的角色或范围，请由另一名安全管理员办理。"))
