"""Who may use the reports and the unit import (see ``core/policy.py``)."""

from bianzhi.core.policy import BIANBAN_WORK, READ, READ_OBJECT, page

RULES = [
    page("reports:index", "GET", READ),
    page("reports:ledger_xlsx", "GET", READ_OBJECT, "导出某机构及下属时，该机构须在范围内"),
    page("reports:unit_import", "GET", BIANBAN_WORK),
    page("reports:unit_import", "POST", BIANBAN_WORK, "文件中范围外的上级机构逐行报错"),
    page("reports:unit_import_template", "GET", BIANBAN_WORK),
    page("reports:unit_import_confirm", "POST", BIANBAN_WORK),
    page("reports:unit_import_errors", "GET", BIANBAN_WORK),
]
