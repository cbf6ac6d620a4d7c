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
}


def action_label(code: str) -> str:
    return ACTION_LABELS.get(code, code)
