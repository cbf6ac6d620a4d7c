"""Chinese names of audit actions, for people reading the log; the codes stay as written."""

ACTION_LABELS = {
    "auth.login": "登录",
    "auth.logout": "退出登录",
    "auth.login_failed": "登录失败",
    "auth.locked_out": "账号锁定",
    "accounts.user_created": "创建账号",
    "accounts.access_changed": "变更角色与范围",
    "accounts.user_activated": "启用账号",
    "accounts.user_deactivated": "停用账号",
    "accounts.password_changed": "修改密码",
    "accounts.user_unlocked": "解除锁定",
    "orgs.unit_created": "新建机构",
    "roster.person_updated": "修改人员信息",
    "roster.id_unmasked": "查看完整身份证号",
    "roster.exported": "导出实名制名册",
    "roster.imported": "导入实名制人员",
    "roster.onboarded": "入编",
    "roster.onboarded_override": "入编（未经用编核准）",
    "roster.offboarded": "出编",
    "roster.transferred": "转编",
    "roster.restored": "恢复在编",
    "roster.leave_set": "在编不在岗标记",
    "roster.post_assigned": "配备领导职数",
    "roster.post_released": "免去领导职数",
    "roster.moved_with_unit": "随机构合并划转人员",
    "roster.loan_granted": "借出周转编制",
    "roster.loan_slot_returned": "周转编制归还",
    "roster.loan_extended": "周转期延长",
    "roster.approval_drafted": "起草用编申请",
    "roster.approval_submitted": "提交用编申请",
    "roster.approval_accepted": "受理用编申请",
    "roster.approval_returned": "退回用编申请",
    "roster.approval_rejected": "不予核准",
    "roster.approval_approved": "核准用编",
    "roster.approval_cancelled": "撤销用编申请",
    "roster.approval_expired": "用编核准单过期",
}


def action_label(code: str) -> str:
    return ACTION_LABELS.get(code, code)
