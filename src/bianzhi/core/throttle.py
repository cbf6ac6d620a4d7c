"""A per-client request limit for the pages anyone may call (the public workbooks), counted in the cache so that every
server process of the machine counts together (settings.CACHES: files under var/cache)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

WINDOW_SECONDS = 60


def seconds_to_wait(scope: str, client: str, *, limit: int, window: int = WINDOW_SECONDS) -> int:
    """Counts one request of ``client``; 0 while it is within ``limit`` requests of the window that its first request
    opened, else the seconds until that window closes.

    Read and written without a lock: two processes counting the same client at the same instant may count once
    for two requests. A limit that lets a few more through under a flood is good enough to keep one client from
    tying up the server; a lock would make every public request queue behind the others."""
    now = time.time()
    key = f"throttle:{scope}:{client}"
    opened, count = cache.get(key) or (now, 0)
    if now - opened >= window:
        opened, count = now, 0
    count += 1
    left = opened + window - now
    cache.set(key, (opened, count), timeout=math.ceil(left))
    return math.ceil(left) if count > limit else 0


def rate_limited(scope: str, *, setting: str, template: str) -> Callable:
    """A view decorator: at most ``settings.<setting>`` requests a minute per client address (0: no limit); one more
    gets ``template`` with status 429 and a ``Retry-After`` header."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def limited(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            limit = getattr(settings, setting)
            # REMOTE_ADDR only: a forwarded-for header is whatever the client wants it to be (core.middleware)
            client = request.META.get("REMOTE_ADDR") or "unknown"
            wait = seconds_to_wait(scope, client, limit=limit) if limit else 0
            if wait:
                response = render(request, template, {"retry_after": wait}, status=429)
                response["Retry-After"] = str(wait)
                return response
            return view(request, *args, **kwargs)

        return limited

    return decorator
