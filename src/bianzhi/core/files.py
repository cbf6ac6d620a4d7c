"""The file store: attachments and documents' scans, kept once per content under ``var/files/ab/abcdef…`` (the
SHA-256 of the content), each read checked against the checksum registered with it.

A file is written (to a temporary name, flushed, then renamed) before its row is created, so a row never points at
a half-written file; a transaction that rolls back leaves at most an unreferenced file, which the next store of the
same content reuses. ``var/files`` is part of every backup (``core.backup.STORED_FILE_DIRS``).
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath

from django.conf import settings
from django.http import HttpResponse
from django.utils.http import content_disposition_header

from bianzhi.core.errors import BianzhiError, FileError
from bianzhi.core.integrity import Drift, register
from bianzhi.core.models import StoredFile
from bianzhi.core.tabular import file_size_label

logger = logging.getLogger(__name__)

FILES_DIR = "files"
PDF = "application/pdf"
# What an office keeps as attachments and scans, by suffix; anything else is refused.
CONTENT_TYPES = {
    ".pdf": PDF,
    ".ofd": "application/ofd",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".wps": "application/vnd.ms-works",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".txt": "text/plain",
}
# Content a browser may show in place; everything else is offered as a download.
INLINE = {PDF, "image/jpeg", "image/png", "text/plain"}


@dataclass(frozen=True)
class Upload:
    """A file as a user hands it in: its own name and its bytes."""

    name: str
    content: bytes


def upload_of(file) -> Upload | None:
    """A browser's uploaded file as the file store takes it (``None`` when none was chosen)."""
    return Upload(file.name, file.read()) if file else None


def max_file_bytes() -> int:
    return settings.BIANZHI_MAX_FILE_BYTES


def content_type_of(name: str) -> str:
    content_type = CONTENT_TYPES.get(PurePath(name).suffix.lower())
    if content_type is None:
        raise BianzhiError(FileError.UNSUPPORTED_TYPE, name=name)
    return content_type


def check_upload(upload: Upload, *, pdf_only: bool = False) -> str:
    """The upload's content type, or a refusal naming the file: empty, too large, of a kind not kept, or (for
    ``pdf_only``) not a PDF."""
    content_type = content_type_of(upload.name)
    if not upload.content:
        raise BianzhiError(FileError.EMPTY, name=upload.name)
    if len(upload.content) > max_file_bytes():
        size, limit = file_size_label(len(upload.content)), file_size_label(max_file_bytes())
        raise BianzhiError(FileError.TOO_LARGE, name=upload.name, size=size, limit=limit)
    if (pdf_only or content_type == PDF) and not upload.content.lstrip()[:5] == b"%PDF-":
        raise BianzhiError(FileError.NOT_PDF, name=upload.name)
    return content_type


def _path(sha256: str) -> Path:
    return Path(settings.VAR_DIR) / FILES_DIR / sha256[:2] / sha256


def file_store(upload: Upload, *, pdf_only: bool = False) -> StoredFile:
    """The stored file holding ``upload``'s content, stored now unless the same content is already kept. Call it
    inside the caller's transaction."""
    content_type = check_upload(upload, pdf_only=pdf_only)
    sha256 = hashlib.sha256(upload.content).hexdigest()
    path = _path(sha256)
    if not (path.exists() and _digest(path) == sha256):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(upload.content)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    stored, _ = StoredFile.objects.get_or_create(
        sha256=sha256, defaults={"size": len(upload.content), "content_type": content_type}
    )
    return stored


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_read(stored: StoredFile, *, name: str) -> bytes:
    """The file's content, checked against its checksum; ``name`` is what the refusal calls it."""
    path = _path(stored.sha256)
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise BianzhiError(FileError.MISSING, name=name) from None
    if hashlib.sha256(content).hexdigest() != stored.sha256:
        raise BianzhiError(FileError.CORRUPT, name=name)
    return content


def file_response(stored: StoredFile, *, name: str) -> HttpResponse:
    """The file as a download (PDFs and pictures shown in the browser), checked first."""
    response = HttpResponse(file_read(stored, name=name), content_type=stored.content_type)
    response["Content-Disposition"] = content_disposition_header(stored.content_type not in INLINE, name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def pdf_text(content: bytes) -> str:
    """The text layer of a PDF, page after page; empty for a scan without one or a file pypdf cannot read (the
    document is then found by its 文号 and title only). pypdf is loaded here, when needed: not with every process."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(content))
        return "\n".join(page.extract_text() or "" for page in reader.pages).strip()
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        logger.warning("PDF text not extracted: %s", exc)
        return ""


def _problems(files: Iterable[StoredFile]) -> Iterable[Drift]:
    for stored in files:
        path = _path(stored.sha256)
        if not path.exists():
            yield Drift("core.files", stored.sha256, f"文件 {stored.sha256} 不在存储目录中")
        elif path.stat().st_size != stored.size or _digest(path) != stored.sha256:
            yield Drift("core.files", stored.sha256, f"文件 {stored.sha256} 的内容与校验值不一致")


@register("core.files")
def check_stored_files() -> Iterable[Drift]:
    """Every stored file is on disk with the content its checksum says."""
    return _problems(StoredFile.objects.order_by("pk").iterator())
