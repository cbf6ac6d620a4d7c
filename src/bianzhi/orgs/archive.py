"""The document archive's writes: a document's file (its PDF or scan) and the correction of a mistyped title or
issuer. The 文号 never changes: records cite the document by it."""

from __future__ import annotations

from pathlib import PurePath

from django.db import transaction
from django.utils import timezone

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.audit.services import audit_record
from bianzhi.core.errors import BianzhiError
from bianzhi.core.excel import table_workbook
from bianzhi.core.files import PDF, Upload, check_upload, content_type_of, file_store, pdf_text
from bianzhi.core.locks import lock_row
from bianzhi.orgs.documents import document_search_text
from bianzhi.orgs.errors import DocumentError, OrgError
from bianzhi.orgs.models import Document
from bianzhi.orgs.selectors import document_for

# What a document is kept as: the issued file (PDF, OFD) or a scan of the paper one.
DOCUMENT_SUFFIXES = (".pdf", ".ofd", ".jpg", ".jpeg", ".png", ".tif", ".tiff")


def check_document_upload(upload: Upload) -> str:
    """The upload's content type, or a refusal naming the file: a kind the store does not keep (``files.*``), or a
    kind it keeps but that is no document's file (a Word draft, a spreadsheet)."""
    content_type_of(upload.name)
    if PurePath(upload.name).suffix.lower() not in DOCUMENT_SUFFIXES:
        raise BianzhiError(DocumentError.FILE_KIND, name=upload.name)
    return check_upload(upload)


def attach_file(document: Document, upload: Upload) -> bool:
    """Stores ``upload`` as the document's file (replacing any earlier one) and reads a PDF's text; True when the
    PDF had text to read. For the callers below, inside their transaction, with the upload checked."""
    stored = file_store(upload)
    document.file, document.file_name = stored, PurePath(upload.name).name[:255]
    document.file_text = pdf_text(upload.content) if stored.content_type == PDF else ""
    document.search_text = document_search_text(document)
    document.save(update_fields=["file", "file_name", "file_text", "search_text"])
    return bool(document.file_text)


def _file_facts(document: Document) -> dict | None:
    if document.file is None:
        return None
    return {"file_name": document.file_name, "sha256": document.file.sha256, "size": document.file.size}


def document_file_attach(*, actor, document: Document, upload: Upload) -> Document:
    """Keeps ``upload`` as the document's file, replacing any earlier one (which stays in the store, and in the
    audit log, for whoever else holds it)."""
    require_capability(actor, Capability.MANAGE_ORGS)
    check_document_upload(upload)
    with transaction.atomic():
        document = document_for(actor, document.pk)
        document = lock_row(Document.objects.select_related("file").filter(pk=document.pk))
        before = _file_facts(document)
        attach_file(document, upload)
        audit_record(
            actor=actor,
            action="orgs.document_file_replaced" if before else "orgs.document_file_attached",
            obj=document,
            before=before,
            after={**_file_facts(document), "pdf_text_chars": len(document.file_text)},
        )
    return document


def document_update(*, actor, document: Document, title: str, issuer: str, reason: str = "") -> Document:
    """Corrects the title or issuer of a document registered with a typing mistake; the 文号 and date stay."""
    require_capability(actor, Capability.MANAGE_ORGS)
    title, issuer = " ".join(title.split()), " ".join(issuer.split())
    for label, value, field in (("文件标题", title, "title"), ("发文机关", issuer, "issuer")):
        limit = Document._meta.get_field(field).max_length
        if not value:
            raise BianzhiError(DocumentError.DETAIL_REQUIRED, field=label)
        if len(value) > limit:
            raise BianzhiError(OrgError.TOO_LONG, field=label, limit=limit)
    with transaction.atomic():
        document = document_for(actor, document.pk)
        document = lock_row(Document.objects.filter(pk=document.pk))
        before = {"title": document.title, "issuer": document.issuer}
        after = {"title": title, "issuer": issuer}
        if before == after:
            raise BianzhiError(OrgError.NOTHING_CHANGED)
        document.title, document.issuer = title, issuer
        document.search_text = document_search_text(document)
        document.save(update_fields=["title", "issuer", "search_text"])
        audit_record(
            actor=actor,
            action="orgs.document_updated",
            obj=document,
            before={k: v for k, v in before.items() if after[k] != v},
            after={k: v for k, v in after.items() if before[k] != v},
            reason=reason,
        )
    return document


EXPORT_COLUMNS = (("序号", 6), ("文号", 26), ("文件标题", 48), ("发文日期", 12), ("发文机关", 28), ("文件", 30))


def documents_export(*, actor, documents, description: str) -> tuple[str, bytes]:
    """The archive's list as filtered, as .xlsx; audited like every export."""
    require_capability(actor, Capability.VIEW_BUSINESS)
    today = timezone.localdate()
    rows = (
        [n, d.number, d.title, d.issued_on.isoformat(), d.issuer, d.file_name]
        for n, d in enumerate(documents.iterator(chunk_size=1_000), 1)
    )
    content = table_workbook(
        sheet="批准文件", title=f"批准文件目录（{today.isoformat()}）", headers=EXPORT_COLUMNS, rows=rows
    )
    with transaction.atomic():
        audit_record(
            actor=actor, action="orgs.documents_exported", object_type="orgs.document", object_repr=description[:255]
        )
    return f"批准文件目录-{today.isoformat()}.xlsx", content
