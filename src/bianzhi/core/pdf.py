"""PDF from a template (WeasyPrint): printable notices, meeting packs, 批复."""

from __future__ import annotations

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher


def pdf_render(template: str, context: dict) -> bytes:
    return pdf_from_html(render_to_string(template, context))


def pdf_from_html(html: str) -> bytes:
    # nothing to fetch: a printed form is self-contained, and a name typed into a record must not reach the network
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
