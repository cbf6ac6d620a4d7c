"""Exports. Each is recorded in the audit log: what left the system, for whom, as of which date."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.accounts.scoping import ensure_unit_in_scope
from bianzhi.audit.services import audit_record
from bianzhi.orgs.models import Unit
from bianzhi.reports.excel import ledger_file_name, ledger_workbook


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
