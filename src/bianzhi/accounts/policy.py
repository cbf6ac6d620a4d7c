"""Who may use the account pages (see ``core/policy.py``)."""

from bianzhi.core.policy import ACCOUNT_ADMINS, PUBLIC, SECURITY_ADMIN, SIGNED_IN, SYSTEM_ADMIN, page

RULES = [
    page("accounts:login", "GET", PUBLIC, "已登录的账号转到首页"),
    page("accounts:login", "POST", PUBLIC),
    page("accounts:logout", "POST", PUBLIC, "未登录时同样转到登录页"),
    page("accounts:password_change", "GET", SIGNED_IN),
    page("accounts:password_change", "POST", SIGNED_IN),
    page("accounts:user_list", "GET", ACCOUNT_ADMINS),
    page("accounts:user_create", "GET", SYSTEM_ADMIN),
    page("accounts:user_create", "POST", SYSTEM_ADMIN),
    page("accounts:user_access", "GET", SECURITY_ADMIN),
    page("accounts:user_access", "POST", SECURITY_ADMIN),
    page("accounts:user_unlock", "POST", SECURITY_ADMIN),
    page("accounts:user_toggle_active", "POST", SYSTEM_ADMIN),
    page("accounts:calendar", "GET", SIGNED_IN, "所有登录用户可查看；导入和更正限系统管理员"),
    page("accounts:calendar_export", "GET", SIGNED_IN),
    page("accounts:calendar_import", "POST", SYSTEM_ADMIN),
    page("accounts:calendar_day", "POST", SYSTEM_ADMIN),
]
