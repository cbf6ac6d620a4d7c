"""The document archive's pages: the searchable list, a document with its file and every record citing it, and the
bulk load of historical documents (upload, a dry run shown as a preview or every problem, then confirmation)."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bianzhi.accounts.permissions import Capability, has_capability, require_capability
from bianzhi.core import staging
from bianzhi.core.downloads import xlsx_response
from bianzhi.core.errors import BianzhiError
from bianzhi.core.files import Upload, file_response
from bianzhi.core.forms import call_service
from bianzhi.core.replica import reads_from_replica
from bianzhi.orgs import archive, selectors
from bianzhi.orgs.document_load import Bundle, LoadResult, documents_load
from bianzhi.orgs.errors import DocumentError
from bianzhi.orgs.forms import DocumentEditForm, DocumentFileForm, DocumentLoadForm

PER_PAGE = 50
PREVIEW_ROWS = 500
_INDEX, _FILES = "index/", "files/"


def _year(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) == 4 else None


def _filtered(request):
    query = request.GET.get("q", "").strip()
    issuer = request.GET.get("issuer", "").strip()
    year = _year(request.GET.get("year", ""))
    documents = selectors.document_search(request.user, query, issuer=issuer, year=year)
    return documents, {"query": query, "issuer": issuer, "year": year}


@login_required
@require_GET
@reads_from_replica
def document_list(request):
    require_capability(request.user, Capability.VIEW_BUSINESS)
    documents, filters = _filtered(request)
    context = {
        **filters,
        "page": Paginator(documents, PER_PAGE).get_page(request.GET.get("page")),
        "issuers": selectors.document_issuers(request.user),
        "years": selectors.document_years(request.user),
        "can_load": has_capability(request.user, Capability.MANAGE_ORGS) and request.user.scope_county,
    }
    return render(request, "orgs/document_list.html", context)


@login_required
@require_GET
def document_export(request):
    require_capability(request.user, Capability.VIEW_BUSINESS)
    documents, _filters = _filtered(request)
    name, content = archive.documents_export(
        actor=request.user, documents=documents, description=f"批准文件 {request.GET.urlencode()}"
    )
    return xlsx_response(name, content)


def _detail(request, document, *, file_form=None, status=200):
    can_manage = has_capability(request.user, Capability.MANAGE_ORGS)
    context = {
        "document": document,
        "citations": selectors.document_citations(request.user, document),
        "can_manage": can_manage,
        "file_form": file_form or (DocumentFileForm() if can_manage else None),
    }
    return render(request, "orgs/document_detail.html", context, status=status)


@login_required
@require_GET
def document_detail(request, pk: int):
    return _detail(request, selectors.document_for(request.user, pk))


@login_required
@require_GET
def document_file(request, pk: int):
    """The document's file, checked against its checksum first (a damaged one is refused: files.corrupt)."""
    document = selectors.document_for(request.user, pk)
    if document.file is None:
        raise BianzhiError(DocumentError.NO_FILE, number=document.number)
    return file_response(document.file, name=document.file_name)


@login_required
@require_POST
def document_upload(request, pk: int):
    require_capability(request.user, Capability.MANAGE_ORGS)
    document = selectors.document_for(request.user, pk)
    form = DocumentFileForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        attached = call_service(
            form,
            archive.document_file_attach,
            actor=request.user,
            document=document,
            upload=Upload(upload.name, upload.read()),
        )
        if attached is not None:
            messages.success(request, _("已保存文件「{name}」。").format(name=attached.file_name))
            return redirect("orgs:document_detail", pk=document.pk)
    return _detail(request, document, file_form=form, status=400)


@login_required
def document_edit(request, pk: int):
    require_capability(request.user, Capability.MANAGE_ORGS)
    document = selectors.document_for(request.user, pk)
    form = DocumentEditForm(request.POST or None, initial={"title": document.title, "issuer": document.issuer})
    if request.method == "POST" and form.is_valid():
        updated = call_service(
            form, archive.document_update, actor=request.user, document=document, **form.cleaned_data
        )
        if updated is not None:
            messages.success(request, _("已更正 {number} 的标题和发文机关。").format(number=updated.number))
            return redirect("orgs:document_detail", pk=document.pk)
    return render(request, "orgs/document_edit.html", {"document": document, "form": form})


# ---------------------------------------------------------------- bulk load


def _pack(index_name: str, index: bytes, bundle: Bundle) -> bytes:
    """The index and the files in one zip, kept between the preview and the confirmation (core.staging)."""
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_STORED) as archive_file:
        archive_file.writestr(_INDEX + index_name, index)
        for name, content in bundle.files.items():
            archive_file.writestr(_FILES + name, content)
    return packed.getvalue()


def _unpack(data: bytes) -> tuple[str, bytes, Bundle]:
    with zipfile.ZipFile(io.BytesIO(data)) as packed:
        names = packed.namelist()
        index_name = next(name for name in names if name.startswith(_INDEX))
        files = {name.removeprefix(_FILES): packed.read(name) for name in names if name.startswith(_FILES)}
        return index_name.removeprefix(_INDEX), packed.read(index_name), Bundle(files)


def _bundle(uploads) -> Bundle:
    if len(uploads) == 1 and PurePosixPath(uploads[0].name).suffix.lower() == ".zip":
        return Bundle.from_zip(uploads[0].read(), uploads[0].name)
    return Bundle({PurePosixPath(upload.name).name: upload.read() for upload in uploads})


def _preview(request, token: str, result: LoadResult):
    context = {
        "token": token,
        "result": result,
        "rows": result.rows[:PREVIEW_ROWS],
        "issues": result.issues[:PREVIEW_ROWS],
        "failed_rows": len({issue.row for issue in result.issues}),
        "preview_rows": PREVIEW_ROWS,
    }
    return render(request, "orgs/document_load_preview.html", context)


def _require_loader(user) -> None:
    require_capability(user, Capability.MANAGE_ORGS)
    if not user.scope_county:
        raise BianzhiError(DocumentError.LOAD_COUNTY_ONLY)


def _load(request, data: bytes, *, dry_run: bool) -> LoadResult:
    index_name, index, bundle = _unpack(data)
    return documents_load(actor=request.user, index_name=index_name, index=index, read=bundle.read, dry_run=dry_run)


@login_required
def document_load(request):
    """Upload: a dry run shows what would be registered and kept (or every problem) before anything is written."""
    _require_loader(request.user)
    form = DocumentLoadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        index = form.cleaned_data["index"]
        try:
            data = _pack(index.name, index.read(), _bundle(form.cleaned_data["files"]))
            result = _load(request, data, dry_run=True)
        except BianzhiError as exc:
            form.add_error(None, f"{exc.message}（{exc.code}）")
        else:
            return _preview(request, staging.stage(request, data, {"index": index.name}), result)
    return render(request, "orgs/document_load.html", {"form": form})


@login_required
@require_POST
def document_load_confirm(request, token: str):
    _require_loader(request.user)
    try:
        data, _meta = staging.load(request, token)
        result = _load(request, data, dry_run=False)
    except BianzhiError as exc:
        messages.error(request, f"{exc.message}（{exc.code}）")
        return redirect("orgs:document_load")
    if not result.loaded:  # the archive changed since the preview
        return _preview(request, token, result)
    staging.discard(request, token)
    messages.success(
        request,
        _("已从「{index}」导入：新登记 {created} 件文件，保存 {files} 个文件，从 {texts} 个 PDF 中读取了文字。").format(
            index=result.index_name, created=result.created, files=result.attached, texts=result.pdf_text
        ),
    )
    return redirect("orgs:document_list")
