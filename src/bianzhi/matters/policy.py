"""Who may use the pages of the 机构编制事项 (see ``core/policy.py``)."""

from bianzhi.core.policy import BIANBAN_OBJECT, READ, READ_OBJECT, UNIT_WORK, UNIT_WORK_OBJECT, page

RULES = [
    page("matters:matter_list", "GET", READ),
    page("matters:matter_export", "GET", READ),
    page("matters:matter_new", "GET", UNIT_WORK),
    page("matters:matter_new", "POST", UNIT_WORK_OBJECT, "为他单位提出时拒绝"),
    page("matters:matter_detail", "GET", READ_OBJECT),
    page(
        "matters:matter_act", "POST", UNIT_WORK_OBJECT, "按环节：单位一方的环节单位和编办可办，编办一方的环节只有编办"
    ),
    page("matters:matter_review", "POST", BIANBAN_OBJECT),
    page("matters:matter_apply", "POST", BIANBAN_OBJECT),
    page("matters:step_new", "GET", UNIT_WORK_OBJECT),
    page("matters:step_new", "POST", UNIT_WORK_OBJECT),
    page("matters:step_remove", "POST", UNIT_WORK_OBJECT),
]
