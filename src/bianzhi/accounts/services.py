from __future__ import annotations

from collections.abc import Iterable

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from bianzhi.accounts.errors import AccountError
from bianzhi.accounts.models import User, UserRole
from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.accounts.roles import ADMIN_ROLES, BUSINESS_ROLES, Role
from bianzhi.audit.services import audit_record
from bianzhi.core.errors import BianzhiError
from bianzhi.core.locks import lock_rows


def _access_snapshot(user: User) -> dict:
    return {
        "roles": sorted(user.roles),
        "scope_county": user.scope_county,
        "scope_unit_id": user.scope_unit_id,
    }


def _validate_access(roles: set[str], scope_unit, scope_county: bool) -> None:
    for role in roles:
        if role not in Role.values:
            raise BianzhiError(AccountError.UNKNOWN_ROLE, role=role)
    admin = roles & ADMIN_ROLES
    if admin and (len(admin) > 1 or roles & BUSINESS_ROLES):
        raise BianzhiError(AccountError.ADMIN_ROLES_EXCLUSIVE)
    if scope_county and scope_unit is not None:
        raise BianzhiError(AccountError.SCOPE_AMBIGUOUS)
    if roles & BUSINESS_ROLES and not (scope_county or scope_unit is not None):
        raise BianzhiError(AccountError.SCOPE_REQUIRED)
    if Role.UNIT_OPERATOR in roles and scope_unit is None:
        raise BianzhiError(AccountError.UNIT_OPERATOR_NEEDS_UNIT)


def _validate_new_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise BianzhiError(AccountError.WEAK_PASSWORD, reasons="".join(exc.messages)) from exc


@transaction.atomic
def user_create(*, actor, username: str, password: str, full_name: str = "") -> User:
    """Creates an account with no role (系统管理员); 安全管理员 then grants roles and scope."""
    require_capability(actor, Capability.MANAGE_ACCOUNTS)
    username = username.strip()
    if User.objects.filter(username=username).exists():
        raise BianzhiError(AccountError.USERNAME_TAKEN, username=username)
    user = User(username=username, full_name=full_name.strip())
    _validate_new_password(password, user)
    user.set_password(password)
    user.save()
    audit_record(
        actor=actor,
        action="accounts.user_created",
        obj=user,
        after={"username": username, "full_name": full_name},
    )
    return user


@transaction.atomic
def api_account_create(*, actor, username: str, full_name: str) -> User:
    """An account a partner department's tokens act as (api.partners): 合作部门只读 for the whole county, with no
    usable password, so that no one can sign in with it. Granted by the 安全管理员: it is access, not a person's
    account to run the system with."""
    require_capability(actor, Capability.ASSIGN_ROLES)
    username = username.strip()
    if User.objects.filter(username=username).exists():
        raise BianzhiError(AccountError.USERNAME_TAKEN, username=username)
    user = User(username=username, full_name=full_name.strip(), scope_county=True)
    user.set_unusable_password()
    user.save()
    UserRole.objects.create(user=user, role=Role.PARTNER_READONLY)
    audit_record(
        actor=actor,
        action="accounts.user_created",
        obj=user,
        after={
            "username": username,
            "full_name": user.full_name,
            "roles": [Role.PARTNER_READONLY],
            "scope_county": True,
        },
        reason="合作部门接口账号",
    )
    return user


@transaction.atomic
def user_set_access(
    *, actor, user: User, roles: Iterable[str], scope_unit=None, scope_county: bool = False, reason: str = ""
) -> User:
    """Replaces the user's roles and scope. The 三员 admin roles get no business scope."""
    require_capability(actor, Capability.ASSIGN_ROLES)
    if actor is not None and actor.pk == user.pk:
        raise BianzhiError(AccountError.SELF_GRANT)
    roles = set(roles)
    if roles and roles <= ADMIN_ROLES:
        scope_unit, scope_county = None, False
    _validate_access(roles, scope_unit, scope_county)

    user = lock_rows(User, [user.pk])[0]
    before = _access_snapshot(user)
    user.scope_unit, user.scope_county = scope_unit, scope_county
    user.save(update_fields=["scope_unit", "scope_county"])
    user.role_grants.exclude(role__in=roles).delete()
    UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in roles - set(before["roles"])])
    user.__dict__.pop("roles", None)
    audit_record(
        actor=actor,
        action="accounts.access_changed",
        obj=user,
        before=before,
        after=_access_snapshot(user),
        reason=reason,
    )
    return user


@transaction.atomic
def user_set_active(*, actor, user: User, active: bool, reason: str = "") -> User:
    require_capability(actor, Capability.MANAGE_ACCOUNTS)
    if actor is not None and actor.pk == user.pk:
        raise BianzhiError(AccountError.SELF_GRANT)
    before = user.is_active
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="accounts.user_activated" if active else "accounts.user_deactivated",
        obj=user,
        before={"is_active": before},
        after={"is_active": active},
        reason=reason,
    )
    return user


@transaction.atomic
def user_change_password(*, actor, user: User, new_password: str) -> User:
    """The user's own change (actor is the user) or a reset by 系统管理员."""
    if actor is None or actor.pk != user.pk:
        require_capability(actor, Capability.MANAGE_ACCOUNTS)
    _validate_new_password(new_password, user)
    user.set_password(new_password)
    user.save()
    audit_record(actor=actor, action="accounts.password_changed", obj=user)
    return user


@transaction.atomic
def user_unlock(*, actor, user: User, reason: str = "") -> User:
    """Lifts a lockout after repeated failed logins before its 30 minutes are over."""
    require_capability(actor, Capability.ASSIGN_ROLES)
    axes_reset(username=user.get_username())
    audit_record(actor=actor, action="accounts.user_unlocked", obj=user, reason=reason)
    return user
