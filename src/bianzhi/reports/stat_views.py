"""机构编制统计: the tables T1–T7 as pages, the rows behind each number, and their workbooks."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.core.downloads import xlsx_response
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
from bianzhi.reports.stats import TABLES, Column, StatTable

# above this many unit rows a page shows the group rows only: the workbook has them all
UNIT_ROWS_ON_PAGE = 800
PEOPLE_PER_PAGE = 50


@dataclass
class Cell:
    value: object
    url: str = ""
    failed: bool = False
    previous: object = None
    text: bool = False

    @property
    def difference(self) -> int | None:
        if self.text or not isinstance(self.value, int) or not isinstance(self.previous, int):
            return None
        return self.value - self.previous


@dataclass
class GridPart:
    title: str
    label_header: str
    top: list[tuple[str, int, int]]  # (label, colspan, rowspan) of the first header row
    bottom: list[Column]  # the columns under a group
    rows: list[tuple[object, list[Cell]]]
    hidden_units: int = 0


def _headers(columns: list[Column]) -> tuple[list[tuple[str, int, int]], list[Column]]:
    top, bottom = [], []
    for column in columns:
        if not column.group:
            top.append((column.label, 1, 2))
        elif top and top[-1][0] == column.group and top[-1][2] == 1:
            top[-1] = (column.group, top[-1][1] + 1, 1)
            bottom.append(column)
        else:
            top.append((column.group, 1, 1))
            bottom.append(column)
    return top, bottom


def _grid(table: StatTable, query: StatsQuery | None, previous: StatTable | None) -> list[GridPart]:
    """The table's parts as the page shows them; each number links to the rows behind it, except without a query
    (a frozen table: the live rows behind it may have changed since)."""
    base = reverse("reports:stats_cell", args=[table.code])
    failed = table.failed_cells
    grids = []
    for index, part in enumerate(table.parts):
        units = sum(1 for row in part.rows if row.unit_id is not None)
        shown = [row for row in part.rows if row.unit_id is None or units <= UNIT_ROWS_ON_PAGE]
        rows = []
        for row in shown:
            before = previous.parts[index].row(row.key) if previous is not None else None
            cells = []
            for column in part.columns:
                value = row.cells.get(column.key)
                cell = Cell(value, text=column.text, failed=(index, row.key, column.key) in failed)
                if not column.text and value is not None:
                    if query is not None:
                        cell.url = f"{base}?{query.params(part=index, row=row.key, col=column.key)}"
                    cell.previous = before.cells.get(column.key, 0) if before is not None else 0
                cells.append(cell)
            rows.append((row, cells))
        top, bottom = _headers(part.columns)
        hidden = units if len(shown) < len(part.rows) else 0
        grids.append(GridPart(part.title, part.label_header, top, bottom, rows, hidden))
    return grids


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
        "grid": _grid(table, query, previous),
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
def stats_xlsx(request, code: str):
    query = _query(request)
    file_name, content = stats_export(
        actor=request.user, code=code, day=query.day, system=query.system, unit_id=query.unit_id
    )
    return xlsx_response(file_name, content)
