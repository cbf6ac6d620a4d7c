"""实名制公示: public pages and workbooks, no login (brief §1.10). Everything shown comes from
``bianzhi.disclosure.selectors``, which reads only what may be published.

Anyone may ask for the workbooks, so each client address gets a few a minute (``BIANZHI_PUBLIC_DOWNLOADS_PER_MINUTE``),
and the county's workbook, seconds of work, is built once per change of the data (``selectors.county_workbook_key``)
and then served from the cache."""

from __future__ import annotations

from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from bianzhi.core.downloads import xlsx_response
from bianzhi.core.excel import county_name
from bianzhi.core.throttle import rate_limited
from bianzhi.disclosure import excel, selectors
from bianzhi.quotas.selectors import quota_types, unit_posts

public_download = rate_limited(
    "disclosure", setting="BIANZHI_PUBLIC_DOWNLOADS_PER_MINUTE", template="disclosure/rate_limited.html"
)


def _type_names() -> list[tuple[str, str]]:
    return [(t.code, t.name) for t in quota_types()]


def _not_found(request):
    return render(request, "disclosure/not_found.html", status=404)


@require_safe
def unit_list(request):
    today = timezone.localdate()
    type_names = _type_names()
    codes = [code for code, _name in type_names]
    figures = selectors.county_figures(today)
    total = selectors.county_total(figures)
    context = {
        "today": today,
        "type_names": type_names,
        "units": [(unit, unit.cells(codes)) for unit in figures],
        "total_cells": total.cells(codes),
        "total_listed": total.total.listed,
        "columns": 2 * len(codes) + 3,
    }
    return render(request, "disclosure/unit_list.html", context)


@require_safe
def unit_detail(request, pk: int):
    unit = selectors.public_unit(pk)
    if unit is None:
        return _not_found(request)
    today = timezone.localdate()
    context = {
        "today": today,
        "unit": unit,
        "figures": selectors.unit_figures(unit, today),
        "posts": unit_posts(None, unit, today),
        "sanding": selectors.unit_sanding(unit, today),
        "persons": selectors.public_persons(today, unit),
    }
    return render(request, "disclosure/unit_detail.html", context)


@require_safe
@public_download
def unit_xlsx(request, pk: int):
    unit = selectors.public_unit(pk)
    if unit is None:
        return _not_found(request)
    today = timezone.localdate()
    content = excel.unit_workbook(
        selectors.unit_figures(unit, today), unit_posts(None, unit, today), selectors.public_persons(today, unit), today
    )
    return xlsx_response(f"实名制公示-{unit.name}-{today.isoformat()}.xlsx", content)


@require_safe
@public_download
def county_xlsx(request):
    today, county = timezone.localdate(), county_name()
    key = selectors.county_workbook_key(today, county)
    content = cache.get(key)
    if content is None:
        content = excel.county_workbook(
            selectors.county_figures(today), _type_names(), selectors.public_persons(today), today, county
        )
        cache.set(key, content)
    return xlsx_response(f"实名制公示-{county}-{today.isoformat()}.xlsx", content)
