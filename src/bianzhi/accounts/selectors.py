from __future__ import annotations

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from bianzhi.accounts.models import User, UserRole
from bianzhi.accounts.permissions import Capability, has_capability
from bianzhi.core.errors import BianzhiError, CommonError


def users_for_admin(actor, *, query: str = "") -> QuerySet[User]:
    """Accounts as 系统管理员 and 安全管理员 see them (no business data involved)."""
    if not (has_capability(actor, Capability.MANAGE_ACCOUNTS) or has_capability(actor, Capability.ASSIGN_ROLES)):
        raise BianzhiError(CommonError.PERMISSION_DENIED)
    users = User.objects.select_related("scope_unit").prefetch_related(
        Prefetch("role_grants", queryset=UserRole.objects.order_by("role"))
    )
    if query:
        users = users.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    return users.order_by("username")


def locked_usernames() -> set[str]:
    """Usernames locked out by repeated failures and still within the cool-off period."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    )
    return set(attempts.values_list("username", flat=True))
