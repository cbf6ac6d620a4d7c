"""The published 年度报告 on the public site (brief §6.6 公示): no login, no personal data — the sections with 身份证号,
telephone numbers and birth dates blotted out (``annual.public_sections``), the legal representative by name only,
no attachments. Each client address may open a limited number of pages a minute."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from bianzhi.registration import annual, selectors
from bianzhi.registration.public_views import public_page  # one limit for every public page of the register


@require_safe
@public_page
def annual_report_list(request):
    query = request.GET.get("q", "")[:100]
    page = Paginator(annual.published_annual_reports(query), 50).get_page(request.GET.get("page"))
    return render(request, "registration/public_annual_list.html", {"page": page, "query": query})


@require_safe
@public_page
def annual_report_detail(request, pk: int):
    report = annual.published_annual_report(pk)
    if report is None:
        return render(request, "registration/public_annual_not_found.html", status=404)
    version = selectors.institution_as_of(report.institution, dt.date(report.year, 12, 31))
    context = {
        "report": report,
        "name": version.name if version else report.institution.unit.name,
        "legal_representative": version.legal_representative if version else "",
        "sections": annual.public_sections(report),
    }
    return render(request, "registration/public_annual_detail.html", context)
