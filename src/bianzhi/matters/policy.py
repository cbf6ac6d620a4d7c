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
