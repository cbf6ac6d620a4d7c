"""Who may use the pages of 数据共享 (see ``core/policy.py``)."""

RULES: list = []

# the three-way reconciliation: the office (监督检查 or the 编办), county-wide only: the files list the whole county
from bianzhi.core.policy import BIANBAN_WORK, Outcome, page  # noqa: E402

RECONCILERS = BIANBAN_WORK.but(bianban_scoped=Outcome.REFUSE, oversight=Outcome.ALLOW)

RULES += [
    page("exchange:reconciliation_list", "GET", RECONCILERS),
    page("exchange:reconciliation_new", "GET", RECONCILERS),
    page("exchange:reconciliation_new", "POST", RECONCILERS, "上传统发工资名册和人事名册，比对在后台进行"),
    page("exchange:reconciliation_detail", "GET", RECONCILERS),
    page("exchange:reconciliation_progress", "GET", RECONCILERS),
    page("exchange:reconciliation_export", "GET", RECONCILERS, "导出记入审计日志"),
    page("exchange:reconciliation_finding_review", "POST", RECONCILERS, "说明和排除须写明理由"),
    page("exchange:reconciliation_finding_rectify", "POST", RECONCILERS, "转入整改台账，来源为统计核查与数据比对"),
]
