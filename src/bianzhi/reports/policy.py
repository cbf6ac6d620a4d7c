"""Who may use the reports (see ``core/policy.py``)."""

from bianzhi.core.policy import BIANBAN_WORK, READ, READ_OBJECT, R, page

RULES = [
    page("reports:index", "GET", READ),
    page("reports:dashboards", "GET", READ),
    page("reports:ledger_xlsx", "GET", READ_OBJECT, "导出某机构及下属时，该机构须在范围内"),
    page("reports:stats_index", "GET", READ),
    page("reports:stats_table", "GET", READ, "按本人管理范围生成；指定单位时该单位须在范围内"),
    page("reports:stats_cell", "GET", READ, "明细只列本人管理范围内的单位和人员"),
    page("reports:stats_xlsx", "GET", READ, "按本人管理范围导出，记入审计日志"),
    page("reports:stats_pdf", "GET", READ, "按本人管理范围导出，记入审计日志"),
]

# the county's annual statistics round: its tables hold every unit, so county-wide readers only; the 编办 acts
COUNTY_READ = READ.but(bianban_scoped=R, unit_own=R, unit_other=R)
COUNTY_OFFICE = BIANBAN_WORK.but(bianban_scoped=R)
RULES += [
    page("reports:round_list", "GET", COUNTY_READ, "全县范围的账号可查看；编办可建立新年度"),
    page("reports:round_create", "POST", COUNTY_OFFICE),
    page("reports:round_detail", "GET", COUNTY_READ, "定稿后显示冻结的统计表"),
    page("reports:round_check", "POST", COUNTY_OFFICE),
    page("reports:round_finalise", "POST", COUNTY_OFFICE),
    page("reports:round_submit", "POST", COUNTY_OFFICE),
    page("reports:round_correct", "POST", COUNTY_OFFICE),
    page("reports:round_xlsx", "GET", COUNTY_READ, "由快照导出，记入审计日志"),
    page("reports:round_pdf", "GET", COUNTY_READ, "由快照生成打印版，记入审计日志"),
    page("reports:round_letter", "GET", COUNTY_OFFICE, "仅逾期报送的版本有迟报说明；打印记入审计日志"),
]
