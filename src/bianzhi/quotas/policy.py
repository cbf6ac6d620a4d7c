"""Who may use the quota ledger's pages (see ``core/policy.py``)."""

from bianzhi.core.policy import BIANBAN_OBJECT, BIANBAN_WORK, READ, page

RULES = [
    page("quotas:county_totals", "GET", READ, "全县总量只给全县范围的账号看，其余账号看本范围合计"),
    page("quotas:movement_list", "GET", READ),
    page("quotas:movement_new", "GET", BIANBAN_WORK),
    page("quotas:movement_new", "POST", BIANBAN_OBJECT, "转入他单位时拒绝"),
    page("quotas:movement_preview", "POST", BIANBAN_WORK, "他单位的变动在预览中提示不在管理范围"),
    page("quotas:movement_reverse", "GET", BIANBAN_OBJECT),
    page("quotas:movement_reverse", "POST", BIANBAN_OBJECT),
    page("quotas:post_movement_new", "GET", BIANBAN_OBJECT),
    page("quotas:post_movement_new", "POST", BIANBAN_OBJECT),
]
