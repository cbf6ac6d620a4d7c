"""The unit scope: every selector passes its queryset through ``scope_queryset``.

A user sees the whole county, or one unit and its subtree, and only through a business role; an account
with no business role (the 三员 admins included) sees nothing. The system itself (``user=None``) sees all.
"""

from __future__ import annotations

from django.db.models import QuerySet

from bianzhi.accounts.permissions import Capability, has_capability
from bianzhi.core.errors import BianzhiError, CommonError


def scope_queryset(queryset: QuerySet, user, *, path_field: str = "unit__tree_path") -> QuerySet:
    """Restrict ``queryset`` to the rows whose unit lies in the user's scope.

    ``path_field`` names the unit's ``tree_path`` as seen from the queryset's model.
    """
    if user is None:
        return queryset
    if not has_capability(user, Capability.VIEW_BUSINESS):
        return queryset.none()
    if user.scope_county:
        return queryset
    if user.scope_unit_id is None:
        return queryset.none()
    return queryset.filter(**{f"{path_field}__startswith": user.scope_unit.tree_path})


def unit_in_scope(user, unit) -> bool:
    if user is None:
        return True
    if not has_capability(user, Capability.VIEW_BUSINESS):
        return False
    if user.scope_county:
        return True
    return user.scope_unit_id is not None and unit.tree_path.startswith(user.scope_unit.tree_path)


def sees_whole_county(user) -> bool:
    """Whether the user's scope is the county itself: only then are the county's own figures and accounts theirs
    (上级核定总额, 县机动编制, 编制周转池), not only the sum of their units."""
    if user is None:
        return True
    return has_capability(user, Capability.VIEW_BUSINESS) and user.scope_county


def ensure_unit_in_scope(user, unit) -> None:
    if not unit_in_scope(user, unit):
        raise BianzhiError(CommonError.OUT_OF_SCOPE)


def unit_name_for(user, unit) -> str:
    """The unit's name, or "其他单位" for someone whose scope does not reach it: a message may say that something is
    held elsewhere without telling where."""
    return unit.name if unit_in_scope(user, unit) else "其他单位"


def scope_label(user) -> str:
    """What the user's scope covers, in words; ``None`` (the system itself, as the other scoping functions take it)
    sees the whole county."""
    if user is None or user.scope_county:
        return "全县"
    if user.scope_unit_id:
        return f"{user.scope_unit.name}及下属单位"
    return "无业务数据范围"
