"""Files for the archive's tests: a blank one-page PDF (no text layer, like a scan) and PDFs with Chinese text."""

from __future__ import annotations

import functools
import io

from pypdf import PdfWriter
from weasyprint import HTML


@functools.cache
def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@functools.cache
def text_pdf(text: str) -> bytes:
    return HTML(string=f"<html><body><p>{text}</p></body></html>").write_pdf()
