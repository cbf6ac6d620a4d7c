"""Who may use the pages of the 机构编制事项 (see ``core/policy.py``)."""

from bianzhi.core.policy import (
    BIANBAN_OBJECT,
    BIANBAN_WORK,
    READ,
    READ_OBJECT,
    UNIT_WORK,
    UNIT_WORK_OBJECT,
    page,
)

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
    page("matters:step_check", "POST", UNIT_WORK_OBJECT),
    page("matters:attachment_add", "POST", UNIT_WORK_OBJECT),
    page("matters:attachment_download", "GET", READ_OBJECT),
    page("matters:attachment_remove", "POST", UNIT_WORK_OBJECT),
    page("matters:document_link", "POST", UNIT_WORK_OBJECT),
    page("matters:document_unlink", "POST", UNIT_WORK_OBJECT),
    page("matters:consultation_new", "POST", BIANBAN_OBJECT),
    page("matters:consultation_reply", "POST", BIANBAN_OBJECT),
    page("matters:notice_pdf", "GET", BIANBAN_OBJECT),
    page("matters:meeting_list", "GET", BIANBAN_WORK),
    page("matters:meeting_new", "GET", BIANBAN_WORK),
    page("matters:meeting_new", "POST", BIANBAN_WORK),
    page("matters:meeting_detail", "GET", BIANBAN_WORK),
    page("matters:meeting_item_add", "POST", BIANBAN_OBJECT),
    page("matters:meeting_item_remove", "POST", BIANBAN_WORK),
    page("matters:meeting_record", "POST", BIANBAN_WORK, "议题事项须在其管理范围内"),
    page("matters:meeting_pack", "GET", BIANBAN_WORK),
    page("matters:body_rules", "GET", READ),
    page("matters:body_rules", "POST", BIANBAN_WORK),
]

# 规范性文件审核: the 编办's work as a whole, no unit's object (a 编办 operator limited to a subtree reviews too)
RULES += [
    page(f"matters:normative_{name}", method, BIANBAN_WORK)
    for name, method in (
        ("list", "GET"),
        ("export", "GET"),
        ("new", "GET"),
        ("new", "POST"),
        ("detail", "GET"),
        ("draft", "GET"),
        ("letter", "GET"),
        ("clause_add", "POST"),
        ("clause_edit", "GET"),
        ("clause_edit", "POST"),
        ("clause_remove", "POST"),
        ("reply", "POST"),
        ("withdraw", "POST"),
    )
]

# 机构编制报告: units send their own (within their scope), the 编办 schedules, accepts and returns
RULES += [
    page("matters:report_list", "GET", UNIT_WORK, "单位看本单位及下属单位的任务"),
    page("matters:report_export", "GET", UNIT_WORK),
    page("matters:report_schedule", "GET", BIANBAN_WORK),
    page("matters:report_schedule", "POST", BIANBAN_WORK, "限于本人管理范围内的单位"),
    page("matters:report_detail", "GET", UNIT_WORK_OBJECT),
    page("matters:report_file", "GET", UNIT_WORK_OBJECT),
    page("matters:report_submit", "POST", UNIT_WORK_OBJECT),
    page("matters:report_accept", "POST", BIANBAN_OBJECT),
    page("matters:report_return", "POST", BIANBAN_OBJECT),
]
