"""File downloads: one place for the content types and the Chinese-safe Content-Disposition."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(file_name: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, file_name)
    return response


def pdf_response(file_name: str, content: bytes) -> HttpResponse:
    """A printable PDF, shown in the browser (inline) for printing, saved under ``file_name``."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, file_name)
    return response
