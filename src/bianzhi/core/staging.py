"""Uploaded files kept between an import's preview and its confirmation.

The bytes go to ``var/imports/<token>`` (mode 0600), not into the session: sessions are saved on every request.
The token is listed in the uploader's session, so a token from another session or user is refused like a stale one.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path

from django.conf import settings

from bianzhi.core.errors import BianzhiError, StagingError

SESSION_KEY = "staged_imports"
MAX_AGE_SECONDS = 4 * 3600
MAX_PER_SESSION = 5
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


def _directory() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def staged_path(token: str) -> Path | None:
    """Where the upload staged under ``token`` is kept, for a process with no session to ask by (the import
    worker); None when the token is malformed or the file was cleaned up."""
    path = _directory() / token
    return path if _TOKEN.fullmatch(token or "") and path.is_file() else None


def _write(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _remove(token: str) -> None:
    for path in _directory().glob(f"{token}*"):
        path.unlink(missing_ok=True)


def staged_files_prune(*, today=None) -> int:
    """Files of previews never confirmed (the session expired, the browser was closed), once ``MAX_AGE_SECONDS``
    old; run on every upload and by the daily job (core.daily). Returns how many were removed."""
    limit = time.time() - MAX_AGE_SECONDS
    removed = 0
    for path in _directory().iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # removed meanwhile by another process
            continue
    return removed


def keep(data: bytes) -> str:
    """Keeps ``data`` under a new token for a process that finds it by the token alone (``staged_path``): the
    roster import's worker, whose record holds the token. Removed after ``MAX_AGE_SECONDS`` like the rest."""
    staged_files_prune()
    token = secrets.token_urlsafe(24)
    _write(_directory() / token, data)
    return token


def stage(request, data: bytes, meta: dict) -> str:
    """Keeps ``data`` for this session; ``meta`` (JSON-serialisable) comes back with it."""
    staged = request.session.get(SESSION_KEY, {})
    while len(staged) >= MAX_PER_SESSION:  # the oldest previews of this session give way
        oldest = next(iter(staged))
        del staged[oldest]
        _remove(oldest)
    token = keep(data)
    staged[token] = {"user": request.user.pk, "staged_at": time.time(), "meta": meta}
    request.session[SESSION_KEY] = staged
    return token


def _entry(request, token: str) -> dict:
    entry = request.session.get(SESSION_KEY, {}).get(token) if _TOKEN.fullmatch(token or "") else None
    if entry is None or entry["user"] != request.user.pk or time.time() - entry["staged_at"] > MAX_AGE_SECONDS:
        raise BianzhiError(StagingError.STALE)
    return entry


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise BianzhiError(StagingError.STALE) from exc


def load(request, token: str) -> tuple[bytes, dict]:
    entry = _entry(request, token)
    return _read(_directory() / token), entry["meta"]


def save_report(request, token: str, report: bytes) -> None:
    _entry(request, token)
    _write(_directory() / f"{token}.errors.xlsx", report)


def load_report(request, token: str) -> bytes:
    _entry(request, token)
    return _read(_directory() / f"{token}.errors.xlsx")


def discard(request, token: str) -> None:
    staged = request.session.get(SESSION_KEY, {})
    if staged.pop(token, None) is not None:
        _remove(token)
        request.session[SESSION_KEY] = staged
