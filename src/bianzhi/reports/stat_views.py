"""机构编制统计: the tables T1–T7 as pages, the rows behind each number, and their workbooks."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.core.downloads import pdf_response, xlsx_response
from bianzhi.core.errors import BianzhiError
from bianzhi.core.replica import reads_from_replica
from bianzhi.orgs.selectors import unit_for
from bianzhi.reports import stat_drill
from bianzhi.reports.errors import ReportError
from bianzhi.reports.forms import StatsQuery, StatsQueryForm
from bianzhi.reports.rounds import sees_rounds
from bianzhi.reports.selectors import stats_table, stats_universe
from bianzhi.reports.services import stats_export
from bianzhi.reports.stat_facts import years_before
from bianzhi.reports.stat_grid import table_grid
from bianzhi.reports.stats import TABLES

PEOPLE_PER_PAGE = 50


def _query(request) -> StatsQuery:
    require_capability(request.user, Capability.VIEW_BUSINESS)
    return StatsQueryForm(request.GET).query()


@login_required
@require_GET
@reads_from_replica
def stats_index(request):
    query = _query(request)
    unit = unit_for(request.user, query.unit_id) if query.unit_id else None
    context = {
        "form": StatsQueryForm(initial=StatsQueryForm.initial_for(query)),
        "query": query,
        "tables": [(code, title, query.params()) for code, title in TABLES.items()],
        "unit": unit,
        "sees_rounds": sees_rounds(request.user),
    }
    return render(request, "reports/stats_index.html", context)


@login_required
@require_GET
@reads_from_replica
def stats_table_page(request, code: str):
    query = _query(request)
    table = stats_table(request.user, code, query.day, system=query.system, unit_id=query.unit_id)
    previous = None
    if query.compare:
        previous = stats_table(
            request.user, code, years_before(query.day, 1), system=query.system, unit_id=query.unit_id
        )
    context = {
        "table": table,
        "previous": previous,
        "grid": table_grid(table, query, previous),
        "query": query,
        "form": StatsQueryForm(initial={**StatsQueryForm.initial_for(query), "compare": query.compare}),
        "tables": [(c, t, query.params()) for c, t in TABLES.items()],
    }
    return render(request, "reports/stats_table.html", context)


@login_required
@require_GET
@reads_from_replica
def stats_cell(request, code: str):
    query = _query(request)
    try:
        part = int(request.GET.get("part", "0"))
    except ValueError:
        raise BianzhiError(ReportError.BAD_CELL) from None
    row_key, column = request.GET.get("row", ""), request.GET.get("col", "")
    table = stats_table(request.user, code, query.day, system=query.system, unit_id=query.unit_id)
    scope = stats_universe(request.user, query.day, system=query.system, unit_id=query.unit_id)
    found = stat_drill.drill(table, scope, part, row_key, column)
    row = table.parts[part].row(row_key)
    heading = next(c for c in table.parts[part].columns if c.key == column)
    context = {
        "table": table,
        "query": query,
        "part": table.parts[part],
        "row": row,
        "column": heading,
        "value": row.cells.get(column),
        "drill": found,
        "back": f"{reverse('reports:stats_table', args=[code])}?{query.params()}",
    }
    if query.compare:
        day = years_before(query.day, 1)
        previous = stats_table(request.user, code, day, system=query.system, unit_id=query.unit_id)
        before = stats_universe(request.user, day, system=query.system, unit_id=query.unit_id)
        context["explanation"] = stat_drill.explain(table, previous, scope, before, part, row_key, column)
        context["previous_day"] = day
    context["headers"] = stat_drill.HEADERS[found.kind]
    if found.queryset is not None:
        page = Paginator(stat_drill.ordered(found), PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
        context.update(page=page, page_params=query.params(part=part, row=row_key, col=column))
        context["lines"] = [stat_drill.line(found.kind, item) for item in page]
    else:
        context["lines"] = [stat_drill.line(found.kind, item) for item in found.rows]
    return render(request, "reports/stats_cell.html", context)


@login_required
@require_GET
@reads_from_replica
def stats_export_file(request, code: str, fmt: str):
    """The table (or ``ALL``) as .xlsx or PDF, for what the user may see."""
    query = _query(request)
    file_name, content = stats_export(
        actor=request.user, code=code, day=query.day, system=query.system, unit_id=query.unit_id, fmt=fmt
    )
    return (xlsx_response if fmt == "xlsx" else pdf_response)(file_name, content)
