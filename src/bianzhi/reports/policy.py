"""Who may use the reports (see ``core/policy.py``)."""

from bianzhi.core.policy import READ, READ_OBJECT, page

RULES = [
    page("reports:index", "GET", READ),
    page("reports:dashboards", "GET", READ),
    page("reports:ledger_xlsx", "GET", READ_OBJECT, "导出某机构及下属时，该机构须在范围内"),
]
