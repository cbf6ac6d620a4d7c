"""The error pages: the same Chinese message and code as everywhere else."""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from bianzhi.core.errors import BianzhiError, CommonError, ErrorCode, is_disk_full

logger = logging.getLogger(__name__)


def _error_page(request, error: ErrorCode, status: int, title: str = ""):
    if not hasattr(request, "user"):  # refused before the session was read (a Host header not allowed)
        request.user = AnonymousUser()
    context = {"error": BianzhiError(error), "status": status, "title": title}
    return render(request, "error.html", context, status=status)


def bad_request(request, exception=None):
    return _error_page(request, CommonError.BAD_REQUEST, 400)


def permission_denied(request, exception=None):
    return _error_page(request, CommonError.PERMISSION_DENIED, 403)


def page_not_found(request, exception=None):
    return _error_page(request, CommonError.PAGE_NOT_FOUND, 404)


def csrf_failure(request, reason: str = ""):
    # A browser neither keeps nor returns a Secure cookie over plain http: every form then fails here, login first.
    insecure = not request.is_secure() and (settings.CSRF_COOKIE_SECURE or settings.SESSION_COOKIE_SECURE)
    error = CommonError.CSRF_INSECURE_COOKIES if insecure else CommonError.CSRF_FAILED
    return _error_page(request, error, 403, title=_("无法提交"))  # not a matter of rights


def server_error(request):
    """An unexpected error: the plain 500 page. A full disk is not unexpected: it gets its own code and 507, from a
    page that reads nothing from the database (even saving the session may be what failed)."""
    page = loader.get_template("500.html")  # no context processors: they read the database
    if is_disk_full(sys.exc_info()[1]):
        logger.error("磁盘已满，请求 %s 未能保存", getattr(request, "request_id", ""))
        context = {"error": BianzhiError(CommonError.DISK_FULL), "title": _("磁盘已满"), "request": request}
        return HttpResponse(page.render(context), status=507)
    return HttpResponse(page.render({"request": request}), status=500)
