"""Who may use the pages of the legal-person register (see ``core/policy.py``): every business role reads within
its scope; the 编办 and the 登记管理 staff write; a unit applies for its own registration business."""

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
# a unit's own applications (单位经办 within its scope; the 编办 and the 登记管理 staff may file for a unit too)
APPLY_WORK = UNIT_WORK.but(registration=Outcome.ALLOW)
APPLY_OBJECT = UNIT_WORK_OBJECT.but(registration=Outcome.ALLOW)

RULES = [
    page("registration:institution_list", "GET", READ),
    page("registration:institution_export", "GET", READ),
    page("registration:institution_detail", "GET", READ_OBJECT),
    page("registration:institution_new", "GET", REGISTRATION_WORK),
    page("registration:institution_new", "POST", REGISTRATION_OBJECT, "登记的机构须在其管理范围内"),
    page("registration:institution_change", "GET", REGISTRATION_OBJECT),
    page("registration:institution_change", "POST", REGISTRATION_OBJECT),
    page("registration:certificate_issue", "POST", REGISTRATION_OBJECT),
    page("registration:certificate_pdf", "GET", READ_OBJECT),
    page("registration:credit_record", "POST", REGISTRATION_OBJECT),
    page("registration:filing_record", "POST", APPLY_OBJECT),
    page("registration:filing_file", "GET", READ_OBJECT),
    page("registration:application_list", "GET", READ),
    page("registration:application_export", "GET", READ),
    page("registration:application_new", "GET", APPLY_WORK),
    page("registration:application_new", "POST", APPLY_OBJECT, "申请单位须在其管理范围内"),
    page("registration:application_detail", "GET", READ_OBJECT),
    page("registration:application_edit", "GET", APPLY_OBJECT),
    page("registration:application_edit", "POST", APPLY_OBJECT),
    page(
        "registration:application_step",
        "POST",
        APPLY_OBJECT,
        "申请单位一方的步骤（提交、撤回）；受理、审查、核准、发证等由登记管理机关一方办理，见 applications.STEPS",
    ),
    page("registration:application_material_upload", "POST", APPLY_OBJECT),
    page("registration:application_material_defer", "POST", APPLY_OBJECT),
    page("registration:application_material_file", "GET", READ_OBJECT),
    # the published register (registration/public_urls.py): no login
    page("registration_public:institution_search", "GET", PUBLIC),
    page("registration_public:institution_detail", "GET", PUBLIC),
    page("registration_public:certificate_verify", "GET", PUBLIC),
    page("registration_public:credit_list", "GET", PUBLIC),
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

# 双随机一公开: draws and the inspector pool cover the whole county, so accounts limited to a subtree do not see them
COUNTY_READ = READ.but(bianban_scoped=Outcome.REFUSE, unit_own=Outcome.REFUSE, unit_other=Outcome.REFUSE)
RULES += [
    page("registration:draw_list", "GET", COUNTY_READ),
    page("registration:draw_new", "GET", REGISTRATION_OBJECT),
    page("registration:draw_new", "POST", REGISTRATION_OBJECT),
    page("registration:draw_detail", "GET", COUNTY_READ),
    page("registration:draw_notify", "POST", REGISTRATION_OBJECT),
    page("registration:draw_publish", "POST", REGISTRATION_OBJECT),
    page("registration:draw_export", "GET", COUNTY_READ),
    page("registration:draw_object_record", "POST", REGISTRATION_OBJECT),
    page("registration:draw_notice", "GET", REGISTRATION_OBJECT),
    page("registration:draw_object_file", "GET", COUNTY_READ),
    page("registration:inspector_list", "GET", COUNTY_READ),
    page("registration:inspector_list", "POST", REGISTRATION_OBJECT),
    page("registration:inspector_deactivate", "POST", REGISTRATION_OBJECT),
    page("registration:inspector_relation", "POST", REGISTRATION_OBJECT),
    page("registration_public:inspection_results", "GET", PUBLIC),
]
