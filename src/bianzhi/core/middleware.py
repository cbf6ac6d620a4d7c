from __future__ import annotations

import re
import time
import uuid

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bianzhi.core.errors import BianzhiError, http_status_for
from bianzhi.core.request_context import RequestInfo, reset_request_info, set_request_info

_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestIdMiddleware:
    """Takes a well-formed ``X-Request-ID`` from the proxy or makes one; echoes it in the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        # REMOTE_ADDR only: a forwarded-for header is whatever the client wants it to be
        token = set_request_info(RequestInfo(request_id, request.META.get("REMOTE_ADDR") or None))
        try:
            response = self.get_response(request)
        finally:
            reset_request_info(token)
        response["X-Request-ID"] = request_id
        return response


class SessionRenewalMiddleware:
    """Slides a signed-in session's idle timeout (``SESSION_COOKIE_AGE``) forward at most once every
    ``SESSION_RENEW_SECONDS``, where saving the session on every request would write a row per page view. The
    timeout is then between ``SESSION_COOKIE_AGE`` minus that interval and ``SESSION_COOKIE_AGE``."""

    STAMP = "_renewed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.get("_auth_user_id"):
            now = int(time.time())
            if now - session.get(self.STAMP, 0) >= settings.SESSION_RENEW_SECONDS:
                session[self.STAMP] = now  # modified: SessionMiddleware saves it with a new expiry
        return response


class DomainErrorMiddleware:
    """A ``BianzhiError`` that escapes a view becomes a Chinese error page with its code, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, BianzhiError):
            return None
        status = http_status_for(exception)
        return render(request, "error.html", {"error": exception, "status": status}, status=status)
