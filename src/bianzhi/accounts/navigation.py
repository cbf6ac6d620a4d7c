"""The module menu: what a user sees depends on their capabilities; modules not yet open are shown greyed."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bianzhi.accounts.permissions import Capability, has_capability
from bianzhi.accounts.scoping import scope_label
from bianzhi.core.todo import todo_for_request


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str | None
    active: bool = False
    children: tuple[NavItem, ...] = ()  # the module's other pages, in a menu beside its link


# the to-do items the header's drop-down lists; the home page lists them all
NOTIFICATIONS = 8
# (label, url name or None while the module is being built, capability needed)
_MODULES = (
    (gettext_lazy("首页"), "home", None),
    (gettext_lazy("机构"), "orgs:unit_list", Capability.VIEW_BUSINESS),
    (gettext_lazy("编制总量"), "quotas:county_totals", Capability.VIEW_BUSINESS),
    (gettext_lazy("编制变动"), "quotas:movement_list", Capability.VIEW_BUSINESS),
    (gettext_lazy("实名制"), "roster:person_list", Capability.VIEW_BUSINESS),
    (gettext_lazy("编委事项"), "matters:matter_list", Capability.VIEW_BUSINESS),
    (gettext_lazy("批准文件"), "orgs:document_list", Capability.VIEW_BUSINESS),
    (gettext_lazy("事业单位登记"), "registration:institution_list", Capability.VIEW_BUSINESS),
    (
        gettext_lazy("监督检查"),
        "supervision:index",
        (Capability.HANDLE_COMPLAINTS, Capability.SUPERVISE, Capability.RECTIFY),
    ),
    (gettext_lazy("数据共享"), "exchange:reconciliation_list", Capability.SUPERVISE),
    (gettext_lazy("报表与导入"), "reports:index", Capability.VIEW_BUSINESS),
    (gettext_lazy("用户管理"), "accounts:user_list", (Capability.MANAGE_ACCOUNTS, Capability.ASSIGN_ROLES)),
    (gettext_lazy("合作部门与接口"), "partners:partner_list", Capability.ASSIGN_ROLES),
    (gettext_lazy("工作日历"), "accounts:calendar", Capability.MANAGE_CALENDAR),
    (gettext_lazy("审计日志"), "audit:event_list", Capability.VIEW_AUDIT),
)


# the pages of a module reached from its menu (module url name → (label, url name, capability needed))
_SUBMODULES = {
    "matters:matter_list": (
        (gettext_lazy("机构编制事项"), "matters:matter_list", Capability.VIEW_BUSINESS),
        (gettext_lazy("会议"), "matters:meeting_list", Capability.DECIDE_MATTERS),
        (gettext_lazy("审议机构规则"), "matters:body_rules", Capability.VIEW_BUSINESS),
        (gettext_lazy("规范性文件审核"), "matters:normative_list", Capability.REVIEW_NORMATIVE),
        (
            gettext_lazy("机构编制报告"),
            "matters:report_list",
            (Capability.SUBMIT_REPORTS, Capability.MANAGE_REPORTS),
        ),
    ),
    "registration:institution_list": (
        (gettext_lazy("法人登记簿"), "registration:institution_list", Capability.VIEW_BUSINESS),
        (gettext_lazy("登记申请"), "registration:application_list", Capability.VIEW_BUSINESS),
        (gettext_lazy("法人登记公示"), "registration_public:institution_search", Capability.VIEW_BUSINESS),
        (gettext_lazy("年度报告"), "registration:annual_report_list", Capability.MANAGE_REGISTRATION),
        (gettext_lazy("本单位年度报告"), "registration:annual_mine", Capability.APPLY_REGISTRATION),
        (gettext_lazy("双随机抽查"), "registration:draw_list", Capability.MANAGE_REGISTRATION),
    ),
    "reports:index": (
        (gettext_lazy("报表与导入"), "reports:index", Capability.VIEW_BUSINESS),
        (gettext_lazy("统计分析"), "reports:dashboards", Capability.VIEW_BUSINESS),
    ),
    "supervision:index": (
        (gettext_lazy("监督概览"), "supervision:overview", Capability.SUPERVISE),
        (gettext_lazy("整改台账"), "supervision:rectification_list", (Capability.SUPERVISE, Capability.RECTIFY)),
        (gettext_lazy("12310 举报"), "supervision:complaint_list", Capability.HANDLE_COMPLAINTS),
        (gettext_lazy("检查活动"), "supervision:inspection_list", Capability.SUPERVISE),
        (gettext_lazy("评估"), "supervision:evaluation_list", Capability.SUPERVISE),
    ),
}


def _allowed(user, needed) -> bool:
    if needed is None:
        return True
    wanted = needed if isinstance(needed, tuple) else (needed,)
    return any(has_capability(user, c) for c in wanted)


def _children(user, name: str | None, path: str) -> tuple[NavItem, ...]:
    """A module's pages the user may open; none when that is only the module's own page."""
    pages = [(label, reverse(page)) for label, page, needed in _SUBMODULES.get(name, ()) if _allowed(user, needed)]
    if len(pages) < 2:
        return ()
    current = max((url for _label, url in pages if path.startswith(url)), key=len, default=None)
    return tuple(NavItem(label, url, active=url == current) for label, url in pages)


def navigation(request) -> dict:
    user = request.user
    if not user.is_authenticated:
        return {}
    entries = [
        (label, reverse(name) if name else None, name) for label, name, needed in _MODULES if _allowed(user, needed)
    ]
    # the longest menu address that the current page starts with is the active one
    matching = [
        url
        for _label, url, _name in entries
        if url and (request.path == url or (url != "/" and request.path.startswith(url)))
    ]
    current = max(matching, key=len, default=None)
    items = [
        NavItem(label, url, active=url is not None and url == current, children=_children(user, name, request.path))
        for label, url, name in entries
    ]
    roles = "、".join(user.role_labels) or _("未授予角色")
    summary = f"{roles} · {scope_label(user)}" if has_capability(user, Capability.VIEW_BUSINESS) else roles
    today = timezone.localdate()
    todo = todo_for_request(request, today)
    overdue = sum(item.overdue(today) for item in todo)
    latest = [(item, item.overdue(today)) for item in todo[:NOTIFICATIONS]]  # overdue first, then by deadline
    return {
        "nav": {
            "items": items,
            "role_summary": summary,
            "todo": len(todo),
            "todo_overdue": overdue,
            "todo_items": latest,
        }
    }
