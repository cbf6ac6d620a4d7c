"""Who may call each API operation (see ``core/policy.py``). Every operation needs a token; the list operations
answer any token, each within its account's scope (a 三员 token gets empty lists)."""

from bianzhi.core.policy import (
    BIANBAN_OBJECT,
    BIANBAN_WORK,
    NOWHERE,
    PUBLIC,
    READ_OBJECT,
    SECURITY_ADMIN,
    SIGNED_IN,
    UNIT_WORK,
    UNIT_WORK_OBJECT,
    Outcome,
    operation,
    page,
)
from bianzhi.exchange.policy import RECONCILERS

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
    operation("list_registration_applications", "GET", SIGNED_IN),
    operation(
        "create_registration_application",
        "POST",
        UNIT_WORK_OBJECT.but(registration=Outcome.ALLOW),
        "为他单位申请时拒绝",
    ),
    operation("get_registration_application", "GET", READ_OBJECT),
    operation(
        "list_complaints",
        "GET",
        BIANBAN_OBJECT.but(oversight=Outcome.ALLOW),
        "12310 举报保密：只有编办和监督检查人员（全县范围）；不含举报人信息",
    ),
    operation(
        "list_evaluations",
        "GET",
        BIANBAN_WORK.but(oversight=Outcome.ALLOW),
        "编办和监督检查人员，各在管理范围内；单位账号拒绝",
    ),
    operation("get_evaluation", "GET", BIANBAN_OBJECT.but(oversight=Outcome.ALLOW)),
    operation("list_annual_reports", "GET", SIGNED_IN, "单位和登记管理人员只见管理范围内的报告，其他账号为空列表"),
    operation(
        "list_rectifications",
        "GET",
        UNIT_WORK.but(oversight=Outcome.ALLOW),
        "监督检查部门、编办和单位，各在管理范围内；单位只见已下达通知的事项",
    ),
    operation(
        "list_events",
        "GET",
        BIANBAN_WORK.but(bianban_scoped=Outcome.REFUSE),
        "数据共享事件：令牌须含 events 授权范围，或为全县范围编办账号的 full 令牌；单位账号的 full 令牌拒绝",
    ),
]

# the three-way reconciliation: the office's full tokens (as on its pages), or a partner's reconcile.upload token,
# which the table's full tokens are not
RULES += [
    operation("start_reconciliation", "POST", RECONCILERS, "合作部门凭 reconcile.upload 令牌上传的另见 test_partners"),
    operation("get_reconciliation", "GET", RECONCILERS, "合作部门只见自己上传的比对"),
]

# 合作部门与接口 (api.partner_views): registering partners and granting token scopes is granting access (安全管理员)
RULES += [
    page("partners:partner_list", "GET", SECURITY_ADMIN),
    page("partners:partner_new", "GET", SECURITY_ADMIN),
    page("partners:partner_new", "POST", SECURITY_ADMIN, "自动创建不能用密码登录的只读接口账号"),
    page("partners:partner_detail", "GET", SECURITY_ADMIN),
    page("partners:partner_edit", "GET", SECURITY_ADMIN),
    page("partners:partner_edit", "POST", SECURITY_ADMIN),
    page("partners:token_new", "GET", SECURITY_ADMIN),
    page("partners:token_new", "POST", SECURITY_ADMIN, "令牌只在本次应答中显示"),
    page("partners:token_revoke", "POST", SECURITY_ADMIN, "须写明原因"),
    page("partners:webhook_set", "POST", SECURITY_ADMIN, "签名密钥只在本次应答中显示；未启用推送时拒绝并说明"),
    page("partners:webhook_stop", "POST", SECURITY_ADMIN, "须写明原因"),
]
