"""Who may use the reports (see ``core/policy.py``)."""

from bianzhi.core.policy import READ, READ_OBJECT, page

RULES = [
    page("reports:index", "GET", READ),
    page("reports:dashboards", "GET", READ),
    page("reports:ledger_xlsx", "GET", READ_OBJECT, "导出某机构及下属时，该机构须在范围内"),
    page("reports:stats_index", "GET", READ),
    page("reports:stats_table", "GET", READ, "按本人管理范围生成；指定单位时该单位须在范围内"),
    page("reports:stats_cell", "GET", READ, "明细只列本人管理范围内的单位和人员"),
    page("reports:stats_xlsx", "GET", READ, "按本人管理范围导出，记入审计日志"),
]
