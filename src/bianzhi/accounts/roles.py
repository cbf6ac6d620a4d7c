from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    BIANBAN_ADMIN = "bianban_admin", "编办管理员"
    BIANBAN_OPERATOR = "bianban_operator", "编办经办"
    UNIT_OPERATOR = "unit_operator", "单位经办"
    REGISTRATION = "registration", "登记管理"
    OVERSIGHT = "oversight", "监督检查"
    PARTNER_READONLY = "partner_readonly", "合作部门只读"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"


# 三员: one account holds at most one of these, never together with a business role, and sees no business data.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
BUSINESS_ROLES = frozenset(set(Role) - ADMIN_ROLES)
