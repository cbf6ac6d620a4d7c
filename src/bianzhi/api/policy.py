"""Who may call each API operation (see ``core/policy.py``). Every operation needs a token; the list operations
answer any token, each within its account's scope (a 三员 token gets empty lists)."""

from bianzhi.core.policy import (
    BIANBAN_OBJECT,
    NOWHERE,
    PUBLIC,
    READ_OBJECT,
    SIGNED_IN,
    UNIT_WORK_OBJECT,
    operation,
    page,
)

RULES = [
    page("bianzhi-api-v1:openapi-json", "GET", PUBLIC, "接口说明文档，不含业务数据"),
    page("bianzhi-api-v1:api-root", "GET", NOWHERE, "没有接口文档页面"),
    operation("list_units", "GET", SIGNED_IN),
    operation("create_unit", "POST", BIANBAN_OBJECT, "上级机构为他单位时拒绝"),
    operation("get_unit", "GET", READ_OBJECT),
    operation("get_ledger", "GET", READ_OBJECT),
    operation("list_movements", "GET", SIGNED_IN),
    operation("post_movement", "POST", BIANBAN_OBJECT, "转入他单位时拒绝"),
    operation("list_persons", "GET", SIGNED_IN),
    operation("get_person", "GET", READ_OBJECT),
    operation("update_person", "PATCH", UNIT_WORK_OBJECT),
    operation("list_approvals", "GET", SIGNED_IN),
    operation("create_approval", "POST", UNIT_WORK_OBJECT, "为他单位申请时拒绝"),
    operation("get_approval", "GET", READ_OBJECT),
    operation("act_on_approval", "POST", UNIT_WORK_OBJECT, "以撤回为例；受理、核准等另需编办"),
    operation("onboard_person", "POST", UNIT_WORK_OBJECT, "凭他单位的核准单时拒绝"),
    operation("offboard_person", "POST", UNIT_WORK_OBJECT),
    operation("transfer_person", "POST", BIANBAN_OBJECT),
    operation("list_matters", "GET", SIGNED_IN),
    operation("create_matter", "POST", UNIT_WORK_OBJECT, "为他单位提出时拒绝"),
    operation("get_matter", "GET", READ_OBJECT),
    operation("transition_matter", "POST", UNIT_WORK_OBJECT, "以动议为例；编办一方的环节只有编办"),
    operation("add_attachment", "POST", UNIT_WORK_OBJECT),
    operation("list_institutions", "GET", SIGNED_IN),
    operation("get_institution", "GET", READ_OBJECT),
    operation("list_annual_reports", "GET", SIGNED_IN, "单位和登记管理人员只见管理范围内的报告，其他账号为空列表"),
]
