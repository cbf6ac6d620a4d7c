"""A statistical table laid out for a page or a printout: header rows, cells with their links, differences from
the year before and the cells a failed check points at."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse

from bianzhi.reports.stats import Column, StatTable, header_rows

if TYPE_CHECKING:
    from bianzhi.reports.forms import StatsQuery


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


def table_grid(
    table: StatTable, query: StatsQuery | None = None, previous: StatTable | None = None, *, unit_rows: int = 800
) -> list[GridPart]:
    """The table's parts as the page shows them; each number links to the rows behind it, except without a query
    (a frozen table: the live rows behind it may have changed since; a printed one). Above ``unit_rows`` units a
    part shows its group rows only: the workbook has them all."""
    base = reverse("reports:stats_cell", args=[table.code])
    county_totals = reverse("quotas:county_totals")
    failed = table.failed_cells
    grids = []
    for index, part in enumerate(table.parts):
        units = sum(1 for row in part.rows if row.unit_id is not None)
        shown = [row for row in part.rows if row.unit_id is None or units <= unit_rows]
        rows = []
        for row in shown:
            before = previous.parts[index].row(row.key) if previous is not None else None
            cells = []
            for column in part.columns:
                value = row.cells.get(column.key)
                cell = Cell(value, text=column.text, failed=(index, row.key, column.key) in failed)
                if not column.text and value is not None:
                    if query is not None and row.county:
                        cell.url = f"{county_totals}?as_of={table.day.isoformat()}"
                    elif query is not None:
                        cell.url = f"{base}?{query.params(part=index, row=row.key, col=column.key)}"
                    cell.previous = before.cells.get(column.key, 0) if before is not None else 0
                cells.append(cell)
            rows.append((row, cells))
        top, bottom = header_rows(part.columns)
        hidden = units if len(shown) < len(part.rows) else 0
        grids.append(GridPart(part.title, part.label_header, top, bottom, rows, hidden))
    return grids
