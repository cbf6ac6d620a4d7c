"""Roster import pages: upload, a progress page the browser polls (htmx), the result, confirmation after a clean
dry run, and the error report. The work itself runs in the background task (``import_tasks``)."""

from __future__ import annotations

from pathlib import Path, PurePath

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.core.downloads import xlsx_response
from bianzhi.core.errors import BianzhiError, CommonError, TabularError, WorkerError
from bianzhi.core.forms import DATE_FORMAT, DateInput, StyledFormMixin, call_service
from bianzhi.core.selectors import worker_alive
from bianzhi.core.tabular import SUFFIXES, file_size_label
from bianzhi.orgs.documents import DocumentRef
from bianzhi.roster.errors import RosterImportError
from bianzhi.roster.import_tasks import (
    roster_import_confirm,
    roster_import_retry,
    roster_import_start,
    settle_interrupted,
)
from bianzhi.roster.imports import MAX_FILE_BYTES, accepted_headers_help
from bianzhi.roster.models import RosterImport

RECENT = 10
_NEW_DOCUMENT = gettext_lazy("文号尚未登记时必填。")


class RosterImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=gettext_lazy("导入文件"), help_text=accepted_headers_help())
    document_number = forms.CharField(
        label=gettext_lazy("入编依据文号"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("不填时，系统登记一份“实名制数据初始导入”作为全部人员的入编依据。"),
    )
    document_title = forms.CharField(
        label=gettext_lazy("文件标题"), max_length=300, required=False, help_text=_NEW_DOCUMENT
    )
    document_issued_on = forms.DateField(
        label=gettext_lazy("发文日期"),
        required=False,
        input_formats=[DATE_FORMAT],
        widget=DateInput(),
        help_text=_NEW_DOCUMENT,
    )
    document_issuer = forms.CharField(
        label=gettext_lazy("发文机关"), max_length=100, required=False, help_text=_NEW_DOCUMENT
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("仅检查，不导入"),
        required=False,
        initial=True,
        help_text=gettext_lazy("检查通过后，在结果页确认导入。不勾选时检查通过即直接导入。"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in SUFFIXES:
            raise forms.ValidationError(TabularError.UNSUPPORTED_TYPE.format(name=upload.name))
        if upload.size > MAX_FILE_BYTES:  # refused before it is read into memory
            size, limit = file_size_label(upload.size), file_size_label(MAX_FILE_BYTES)
            raise forms.ValidationError(RosterImportError.TOO_LARGE.format(size=size, limit=limit))
        return upload

    def document_ref(self) -> DocumentRef | None:
        data = self.cleaned_data
        if not data.get("document_number"):
            return None
        return DocumentRef(
            data["document_number"], data["document_title"], data["document_issued_on"], data["document_issuer"]
        )


def _record(request, pk: int) -> RosterImport:
    """One of the user's own imports (an import's file and findings are its uploader's)."""
    require_capability(request.user, Capability.DECIDE_QUOTA_USE)
    record = RosterImport.objects.filter(pk=pk, created_by=request.user).first()
    if record is None:
        raise BianzhiError(CommonError.NOT_FOUND, what=_("该导入记录"))
    return record


@login_required
def import_start(request):
    require_capability(request.user, Capability.DECIDE_QUOTA_USE)
    form = RosterImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        record = call_service(
            form,
            roster_import_start,
            actor=request.user,
            file_name=upload.name,
            content=upload.read(),
            dry_run=form.cleaned_data["dry_run"],
            document=form.document_ref(),
        )
        if record is not None:
            return redirect("roster:import_status", pk=record.pk)
    recent = RosterImport.objects.filter(created_by=request.user)[:RECENT]
    return render(request, "roster/import_start.html", {"form": form, "recent": recent})


def _context(record: RosterImport) -> dict:
    summary = settle_interrupted(record).summary
    waiting = record.state == RosterImport.State.QUEUED
    return {
        "record": record,
        # said plainly: a queue nobody works through looks the same as a busy one otherwise
        "no_worker": BianzhiError(WorkerError.NOT_RUNNING) if waiting and not worker_alive() else None,
        "error": summary.get("error"),
        "issues": summary.get("issues", []),
        "warnings": summary.get("warnings", []),
        "accounts": summary.get("accounts", []),
        "more_issues": record.error_count > len(summary.get("issues", [])),
        "has_report": bool(record.error_report) and Path(record.error_report).is_file(),
    }


@login_required
@require_GET
def import_status(request, pk: int):
    return render(request, "roster/import_status.html", _context(_record(request, pk)))


@login_required
@require_GET
def import_progress(request, pk: int):
    """The part of the status page the browser polls every second until the import has finished."""
    return render(request, "roster/import_progress.html", _context(_record(request, pk)))


@login_required
@require_POST
def import_confirm(request, pk: int):
    """After a clean dry run: the same staged file, checked again and, if still clean, written."""
    dry = _record(request, pk)
    return _run_again(request, dry, lambda: roster_import_confirm(actor=request.user, dry_run=dry))


@login_required
@require_POST
def import_retry(request, pk: int):
    """After an interruption: the same staged file queued again, as a new run."""
    old = _record(request, pk)
    return _run_again(request, old, lambda: roster_import_retry(actor=request.user, record=old))


def _run_again(request, old: RosterImport, start):
    """The new run's page, or the old one's with the reason it was refused."""
    try:
        record = start()
    except BianzhiError as exc:
        messages.error(request, f"{exc.message}（{exc.code}）")
        return redirect("roster:import_status", pk=old.pk)
    return redirect("roster:import_status", pk=record.pk)


@login_required
@require_GET
def import_errors(request, pk: int):
    record = _record(request, pk)
    if not _context(record)["has_report"]:
        messages.error(request, RosterImportError.REPORT_GONE.format())
        return redirect("roster:import_status", pk=record.pk)
    stem = PurePath(record.file_name).stem
    return xlsx_response(f"实名制导入错误报告-{stem}.xlsx", Path(record.error_report).read_bytes())
