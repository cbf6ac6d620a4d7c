"""Exports. Each is recorded in the audit log: what left the system, for whom, as of which date."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.accounts.scoping import ensure_unit_in_scope
from bianzhi.audit.services import audit_record
from bianzhi.core.excel import county_name
from bianzhi.core.pdf import pdf_render
from bianzhi.orgs.models import Unit
from bianzhi.reports.excel import file_name_part, ledger_file_name, ledger_workbook
from bianzhi.reports.selectors import stats_table
from bianzhi.reports.stat_excel import stats_workbook
from bianzhi.reports.stat_grid import table_grid
from bianzhi.reports.stats import TABLES, StatTable


def ledger_export(
    *, actor, day: dt.date, unit: Unit | None = None, hide_empty_internal: bool = False
) -> tuple[str, bytes]:
    """台账 as .xlsx (file name, content) for what ``actor`` may see, as of ``day``; ``hide_empty_internal`` leaves
    out the internal bodies without any figure."""
    require_capability(actor, Capability.VIEW_BUSINESS)
    if unit is not None:
        ensure_unit_in_scope(actor, unit)
    # Built outside the transaction: on SQLite a transaction holds the write lock, the audit row needs it only briefly.
    content = ledger_workbook(actor, day, unit, hide_empty_internal=hide_empty_internal)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="reports.ledger_exported",
            obj=unit,
            object_type="" if unit is not None else "reports.ledger",
            object_repr="" if unit is not None else "编制台账（全部管理范围）",
            after={
                "as_of": day.isoformat(),
                "unit": unit.name if unit is not None else None,
                "format": "xlsx",
                **({"hide_empty_internal": True} if hide_empty_internal else {}),
            },
        )
    return ledger_file_name(day, unit), content


# a printed table lists its units up to this many; beyond, its group rows (the workbook has every unit)
PRINTED_UNIT_ROWS = 2_000


def stats_export(
    *, actor, code: str, day: dt.date, system: str = "", unit_id: int | None = None, fmt: str = "xlsx"
) -> tuple[str, bytes]:
    """One statistical table (``code`` T1–T7), or all seven (``ALL``), as .xlsx or PDF (``fmt``): file name and
    content, for what ``actor`` may see on ``day``; recorded in the audit log like every export."""
    require_capability(actor, Capability.VIEW_BUSINESS)
    codes = list(TABLES) if code == "ALL" else [code]
    tables = [stats_table(actor, each, day, system=system, unit_id=unit_id) for each in codes]
    content = stats_workbook(tables) if fmt == "xlsx" else stats_pdf(tables)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="reports.stats_exported",
            object_type="reports.stats",
            object_repr=f"机构编制统计 {code}（{tables[0].scope}）",
            after={"as_of": day.isoformat(), "tables": codes, "scope": tables[0].scope, "format": fmt},
        )
    title = "全部统计表" if code == "ALL" else f"{code}{TABLES[code]}"
    holder = file_name_part(tables[0].scope)
    return f"机构编制统计-{title}-{holder}-{day.isoformat()}.{fmt}", content


def stats_pdf(tables: list[StatTable]) -> bytes:
    """The tables printed, A4 landscape, one after another (``reports/pdf/stat_tables.html``)."""
    printed = timezone.localtime()
    laid_out = [(table, table_grid(table, unit_rows=PRINTED_UNIT_ROWS)) for table in tables]
    return pdf_render(
        "reports/pdf/stat_tables.html",
        {"tables": laid_out, "county": county_name(), "printed": f"导出时间：{printed:%Y-%m-%d %H:%M}"},
    )
