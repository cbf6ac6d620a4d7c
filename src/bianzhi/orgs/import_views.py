"""The register's import from a spreadsheet: upload, a dry run shown as a preview (or every problem), then
confirmation; the file waits in ``core.staging`` between the two."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.core import staging
from bianzhi.core.downloads import xlsx_response
from bianzhi.core.errors import BianzhiError
from bianzhi.orgs.documents import DocumentRef
from bianzhi.orgs.forms import UnitImportForm
from bianzhi.orgs.imports import ImportResult, import_error_report, import_template, units_import

PREVIEW_ROWS = 500
# Which field a refusal belongs next to, by its code (first match wins); the rest go on top of the form.
_ERROR_FIELDS = (
    ("imports.", "file"),
    ("documents.future", "document_issued_on"),
    ("documents.effective", "effective_date"),
    ("documents.", "document_number"),
)


def _error_text(exc: BianzhiError) -> str:
    return f"{exc.message}（{exc.code}）"


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _import(request, data: bytes, meta: dict, *, dry_run: bool) -> ImportResult:
    """Runs the import of a file whose form fields were kept (as JSON) alongside it."""
    return units_import(
        actor=request.user,
        file_name=meta["file_name"],
        data=data,
        document=DocumentRef(meta["number"], meta["title"], _date(meta["issued_on"]), meta["issuer"]),
        effective_date=_date(meta["effective_date"]),
        dry_run=dry_run,
    )


def _preview(request, token: str, result: ImportResult):
    if result.issues:
        staging.save_report(request, token, import_error_report(result))
    context = {
        "token": token,
        "result": result,
        "units": result.units[:PREVIEW_ROWS],
        "issues": result.issues[:PREVIEW_ROWS],
        "preview_rows": PREVIEW_ROWS,
    }
    return render(request, "orgs/unit_import_preview.html", context)


@login_required
def unit_import(request):
    """Upload: a dry run shows what would be created (or every problem) before anything is written."""
    require_capability(request.user, Capability.MANAGE_ORGS)
    form = UnitImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload, document = form.cleaned_data["file"], form.document()
        effective = form.cleaned_data["effective_date"]
        meta = {
            "file_name": upload.name,
            "number": document.number,
            "title": document.title,
            "issued_on": document.issued_on.isoformat() if document.issued_on else None,
            "issuer": document.issuer,
            "effective_date": effective.isoformat() if effective else None,
        }
        data = upload.read()
        try:
            result = _import(request, data, meta, dry_run=True)
        except BianzhiError as exc:
            field = next((name for prefix, name in _ERROR_FIELDS if exc.code.startswith(prefix)), None)
            form.add_error(field, _error_text(exc))
        else:
            return _preview(request, staging.stage(request, data, meta), result)
    return render(request, "orgs/unit_import.html", {"form": form})


@login_required
@require_POST
def unit_import_confirm(request, token: str):
    require_capability(request.user, Capability.MANAGE_ORGS)
    try:
        data, meta = staging.load(request, token)
        result = _import(request, data, meta, dry_run=False)
    except BianzhiError as exc:
        messages.error(request, _error_text(exc))
        return redirect("orgs:unit_import")
    if not result.imported:  # the register changed since the preview
        return _preview(request, token, result)
    staging.discard(request, token)
    messages.success(
        request,
        _("已从「{file}」导入 {count} 个机构，依据 {document}，自 {date} 起设立。").format(
            file=result.file_name,
            count=len(result.units),
            document=result.document,
            date=result.effective_date.isoformat(),
        ),
    )
    return redirect("orgs:unit_import")


@login_required
@require_GET
def unit_import_errors(request, token: str):
    require_capability(request.user, Capability.MANAGE_ORGS)
    try:
        content = staging.load_report(request, token)
    except BianzhiError as exc:
        messages.error(request, _error_text(exc))
        return redirect("orgs:unit_import")
    return xlsx_response("机构导入错误报告.xlsx", content)


@login_required
@require_GET
def unit_import_template(request):
    require_capability(request.user, Capability.MANAGE_ORGS)
    return xlsx_response("机构导入模板.xlsx", import_template())
