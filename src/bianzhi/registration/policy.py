"""Who may use the pages of the legal-person register (see ``core/policy.py``): every business role reads within
its scope; the 编办 and the 登记管理 staff write."""

from bianzhi.core.policy import (
    BIANBAN_OBJECT,
    BIANBAN_WORK,
    PUBLIC,
    READ,
    READ_OBJECT,
    UNIT_WORK,
    UNIT_WORK_OBJECT,
    Outcome,
    page,
)

# the 登记管理 staff besides the 编办 (county-wide accounts in the table)
REGISTRATION_WORK = BIANBAN_WORK.but(registration=Outcome.ALLOW)
REGISTRATION_OBJECT = BIANBAN_OBJECT.but(registration=Outcome.ALLOW)

RULES = [
    page("registration:institution_list", "GET", READ),
    page("registration:institution_export", "GET", READ),
    page("registration:institution_detail", "GET", READ_OBJECT),
    page("registration:institution_new", "GET", REGISTRATION_WORK),
    page("registration:institution_new", "POST", REGISTRATION_OBJECT, "登记的机构须在其管理范围内"),
    page("registration:institution_change", "GET", REGISTRATION_OBJECT),
    page("registration:institution_change", "POST", REGISTRATION_OBJECT),
    page("registration:certificate_issue", "POST", REGISTRATION_OBJECT),
    page("registration:credit_record", "POST", REGISTRATION_OBJECT),
]

# 年度报告: units (and the 登记管理 staff, the 编办) fill in and send their institutions' reports within their
# scope; the 登记管理 staff and the 编办 review, publish, list and sanction; the published reports are public
ANNUAL_APPLY = UNIT_WORK.but(registration=Outcome.ALLOW)
ANNUAL_APPLY_OBJECT = UNIT_WORK_OBJECT.but(registration=Outcome.ALLOW)
RULES += [
    page("registration:annual_report_list", "GET", REGISTRATION_WORK),
    page("registration:annual_report_export", "GET", REGISTRATION_WORK),
    page("registration:annual_overdue", "GET", REGISTRATION_WORK),
    page("registration:annual_sanction", "POST", REGISTRATION_OBJECT),
    page("registration:annual_mine", "GET", ANNUAL_APPLY),
    page("registration:annual_report_edit", "GET", ANNUAL_APPLY_OBJECT),
    page("registration:annual_report_edit", "POST", ANNUAL_APPLY_OBJECT),
    page("registration:annual_report_detail", "GET", ANNUAL_APPLY_OBJECT),
    page("registration:annual_report_file", "GET", ANNUAL_APPLY_OBJECT),
    page("registration:annual_attachment_remove", "POST", ANNUAL_APPLY_OBJECT),
    page("registration:annual_report_accept", "POST", REGISTRATION_OBJECT),
    page("registration:annual_report_return", "POST", REGISTRATION_OBJECT),
    page("registration:annual_report_publish", "POST", REGISTRATION_OBJECT),
    page("registration_public:annual_report_list", "GET", PUBLIC),
    page("registration_public:annual_report_detail", "GET", PUBLIC),
]
