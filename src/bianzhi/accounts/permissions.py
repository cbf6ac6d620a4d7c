"""What each role may do. Views, services and the API ask ``has_capability``; nothing checks role names."""

from __future__ import annotations

import enum

from bianzhi.accounts.roles import BUSINESS_ROLES, Role
from bianzhi.core.errors import BianzhiError, CommonError


class Capability(enum.StrEnum):
    VIEW_BUSINESS = "view_business"  # read organisations, quotas, people within the user's scope
    MANAGE_ORGS = "manage_orgs"  # create and change units (编办)
    MANAGE_QUOTAS = "manage_quotas"  # post quota and leadership-post movements (编办)
    MANAGE_ACCOUNTS = "manage_accounts"  # 系统管理员: create, deactivate accounts, reset passwords
    ASSIGN_ROLES = "assign_roles"  # 安全管理员: roles, scopes, unlocking
    VIEW_AUDIT = "view_audit"  # 审计管理员: read the audit log
    USE_QUOTA = "use_quota"  # ask for slots, onboard against an approval, offboard, keep own people's details
    DECIDE_QUOTA_USE = "decide_quota_use"  # 编办: approve, override, transfer, restore, loans, locked fields
    VIEW_PERSONAL_DATA = "view_personal_data"  # see full ID numbers, one record at a time, audited
    MANAGE_CALENDAR = "manage_calendar"  # 系统管理员: the working-day calendar (法定节假日, 调休)
    PROPOSE_MATTERS = "propose_matters"  # draft a 机构编制事项 and its change set for a unit in scope
    DECIDE_MATTERS = "decide_matters"  # 编办: review, record decisions, apply a decided change set
    REVIEW_NORMATIVE = "review_normative"  # 编办: 规范性文件审核 (other departments' drafts), county-wide
    SUBMIT_REPORTS = "submit_reports"  # send a unit's 机构编制报告 (its scheduled report tasks, within scope)
    MANAGE_REPORTS = "manage_reports"  # 编办: schedule report tasks, accept or return what units sent
    MANAGE_REGISTRATION = "manage_registration"  # 事业单位法人登记: codes, registered items, certificates, credit
    APPLY_REGISTRATION = "apply_registration"  # a 事业单位's own registration applications and annual reports
    HANDLE_COMPLAINTS = "handle_complaints"  # 12310 举报: confidential, county-wide; the complainant's identity audited
    SUPERVISE = "supervise"  # 监督检查: inspections, the 整改台账 (notices, 销号, 约谈/通报/移送), evaluations
    RECTIFY = "rectify"  # a unit's own rectification items: its plan, measures and evidence


_BIANBAN = {
    Capability.VIEW_BUSINESS,
    Capability.MANAGE_ORGS,
    Capability.MANAGE_QUOTAS,
    Capability.USE_QUOTA,
    Capability.DECIDE_QUOTA_USE,
    Capability.VIEW_PERSONAL_DATA,
    Capability.PROPOSE_MATTERS,
    Capability.DECIDE_MATTERS,
    Capability.REVIEW_NORMATIVE,
    Capability.SUBMIT_REPORTS,
    Capability.MANAGE_REPORTS,
    Capability.MANAGE_REGISTRATION,
    Capability.APPLY_REGISTRATION,
    Capability.HANDLE_COMPLAINTS,
    Capability.SUPERVISE,
    Capability.RECTIFY,
}

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    **{role: frozenset({Capability.VIEW_BUSINESS}) for role in BUSINESS_ROLES},
    Role.BIANBAN_ADMIN: frozenset(_BIANBAN),
    Role.BIANBAN_OPERATOR: frozenset(_BIANBAN),
    Role.UNIT_OPERATOR: frozenset(
        {
            Capability.VIEW_BUSINESS,
            Capability.USE_QUOTA,
            Capability.PROPOSE_MATTERS,
            Capability.SUBMIT_REPORTS,
            Capability.APPLY_REGISTRATION,
            Capability.RECTIFY,
        }
    ),
    Role.REGISTRATION: frozenset(
        {Capability.VIEW_BUSINESS, Capability.MANAGE_REGISTRATION, Capability.APPLY_REGISTRATION}
    ),
    Role.OVERSIGHT: frozenset({Capability.VIEW_BUSINESS, Capability.HANDLE_COMPLAINTS, Capability.SUPERVISE}),
    Role.SYSTEM_ADMIN: frozenset({Capability.MANAGE_ACCOUNTS, Capability.MANAGE_CALENDAR}),
    Role.SECURITY_ADMIN: frozenset({Capability.ASSIGN_ROLES}),
    Role.AUDIT_ADMIN: frozenset({Capability.VIEW_AUDIT}),
}


def capabilities_of(user) -> frozenset[Capability]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    return frozenset().union(*(ROLE_CAPABILITIES.get(role, frozenset()) for role in user.roles))


def has_capability(user, capability: Capability) -> bool:
    """``user=None`` is the system itself (the CLI, the demo builder, scheduled tasks) and may do anything."""
    return user is None or capability in capabilities_of(user)


def require_capability(user, capability: Capability) -> None:
    if not has_capability(user, capability):
        raise BianzhiError(CommonError.PERMISSION_DENIED)
