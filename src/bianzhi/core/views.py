from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from bianzhi.accounts.permissions import Capability, has_capability
from bianzhi.accounts.scoping import scope_label
from bianzhi.core.errors import BianzhiError, CommonError, ErrorCode
from bianzhi.orgs.selectors import units_visible_to


@login_required
def home(request):
    user = request.user
    context = {
        "sees_business": has_capability(user, Capability.VIEW_BUSINESS),
        "scope": scope_label(user),
        "unit_count": units_visible_to(user).count(),
        "can_manage_accounts": has_capability(user, Capability.MANAGE_ACCOUNTS)
        or has_capability(user, Capability.ASSIGN_ROLES),
        "can_view_audit": has_capability(user, Capability.VIEW_AUDIT),
    }
    return render(request, "core/home.html", context)


def _error_page(request, error: ErrorCode, status: int):
    return render(request, "error.html", {"error": BianzhiError(error), "status": status}, status=status)


def bad_request(request, exception=None):
    return _error_page(request, CommonError.BAD_REQUEST, 400)


def permission_denied(request, exception=None):
    return _error_page(request, CommonError.PERMISSION_DENIED, 403)


def page_not_found(request, exception=None):
    return _error_page(request, CommonError.PAGE_NOT_FOUND, 404)


def csrf_failure(request, reason: str = ""):
    return _error_page(request, CommonError.CSRF_FAILED, 403)
