"""PDF from a template (WeasyPrint): printable notices, meeting packs, 批复.

WeasyPrint is imported when a PDF is made, not with this module: it takes about a second to load (fonts, CSS), and
every ``bianzhi`` command and server process imports this module through the apps' views."""

from __future__ import annotations

from django.template.loader import render_to_string


def pdf_render(template: str, context: dict) -> bytes:
    return pdf_from_html(render_to_string(template, context))


def pdf_from_html(html: str) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # nothing to fetch: a printed form is self-contained, and a name typed into a record must not reach the network
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
