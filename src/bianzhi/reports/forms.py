from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from bianzhi.core.errors import BianzhiError
from bianzhi.core.forms import DATE_FORMAT, DateInput, StyledFormMixin
from bianzhi.orgs.documents import DocumentRef
from bianzhi.orgs.errors import UnitImportError
from bianzhi.orgs.imports import MAX_FILE_BYTES, accepted_headers_help, file_size_label
from bianzhi.reports.errors import ReportError


class LedgerExportForm(StyledFormMixin, forms.Form):
    as_of = forms.DateField(
        label="截至日期",
        required=False,
        input_formats=[DATE_FORMAT],
        widget=DateInput(),
        help_text="不填为今天。",
    )
    unit = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean_as_of(self) -> dt.date:
        day = self.cleaned_data["as_of"] or timezone.localdate()
        if day > timezone.localdate():
            raise forms.ValidationError(ReportError.FUTURE_DATE.format(value=day), code="future")
        return day

    def query(self) -> tuple[dt.date, int | None]:
        """The date and unit asked for; bad input raises a ``BianzhiError`` (a Chinese 400 with a stable code)."""
        if self.is_valid():
            return self.cleaned_data["as_of"], self.cleaned_data["unit"]
        if self.has_error("as_of", "future"):
            raise BianzhiError(ReportError.FUTURE_DATE, value=self.data.get("as_of"))
        if self.has_error("as_of"):
            raise BianzhiError(ReportError.BAD_DATE, value=str(self.data.get("as_of", ""))[:40])
        raise BianzhiError(ReportError.BAD_UNIT, value=str(self.data.get("unit", ""))[:40])


class UnitImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label="导入文件", help_text=accepted_headers_help())
    document_number = forms.CharField(label="批准文件文号", max_length=100, help_text="例如：锦编发〔2026〕12号。")
    document_title = forms.CharField(label="文件标题", max_length=300, required=False, help_text="文号尚未登记时必填。")
    document_issued_on = forms.DateField(
        label="发文日期",
        required=False,
        input_formats=[DATE_FORMAT],
        widget=DateInput(),
        help_text="文号尚未登记时必填。",
    )
    document_issuer = forms.CharField(
        label="发文机关", max_length=100, required=False, help_text="文号尚未登记时必填。"
    )
    effective_date = forms.DateField(
        label="生效日期",
        required=False,
        input_formats=[DATE_FORMAT],
        widget=DateInput(),
        help_text="导入的机构自该日起设立；不填与发文日期相同。",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:  # refused before it is read into memory
            raise forms.ValidationError(UnitImportError.TOO_LARGE.format(size=file_size_label(upload.size)))
        return upload

    def document(self) -> DocumentRef:
        data = self.cleaned_data
        return DocumentRef(
            data["document_number"], data["document_title"], data["document_issued_on"], data["document_issuer"]
        )
