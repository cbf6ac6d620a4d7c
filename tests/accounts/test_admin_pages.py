import pytest
from django.urls import reverse

from bianzhi.accounts.models import User
from bianzhi.accounts.roles import Role
from bianzhi.audit.models import AuditEvent
from tests.factories import make_unit, make_user

pytestmark = pytest.mark.django_db


def test_system_admin_creates_an_account_without_roles(client):
    client.force_login(make_user("xitong", Role.SYSTEM_ADMIN))
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "newbie", "full_name": "新同事", "password1": "Good#Pass1", "password2": "Good#Pass1"},
    )
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert user.roles == frozenset() and user.full_name == "新同事"
    assert AuditEvent.objects.filter(action="accounts.user_created", object_id=str(user.pk)).exists()


def test_duplicate_username_is_refused_next_to_the_form(client):
    client.force_login(make_user("xitong", Role.SYSTEM_ADMIN))
    make_user("taken")
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "taken", "full_name": "重复", "password1": "Good#Pass1", "password2": "Good#Pass1"},
    )
    assert response.status_code == 200
    assert "用户名 taken 已被使用" in response.content.decode()


def test_security_admin_grants_a_unit_scope_through_the_form(client):
    unit = make_unit("锦绣县财政局")
    target = make_user("target")
    client.force_login(make_user("anquan", Role.SECURITY_ADMIN))
    url = reverse("accounts:user_access", args=[target.pk])
    refused = client.post(url, {"roles": [Role.UNIT_OPERATOR], "scope": "county", "reason": "测试"})
    assert "单位经办的管理范围须为某一机构" in refused.content.decode()
    assert not target.role_grants.exists()
    response = client.post(
        url, {"roles": [Role.UNIT_OPERATOR], "scope": "unit", "scope_unit": unit.pk, "reason": "新任人事专干"}
    )
    assert response.status_code == 302
    target = User.objects.get(pk=target.pk)
    assert target.roles == {Role.UNIT_OPERATOR} and target.scope_unit == unit


def test_system_admin_deactivates_an_account(client):
    target = make_user("leaver", Role.OVERSIGHT, scope_county=True)
    client.force_login(make_user("xitong", Role.SYSTEM_ADMIN))
    client.post(reverse("accounts:user_toggle_active", args=[target.pk]), {"reason": "调离"})
    target.refresh_from_db()
    assert not target.is_active
    assert AuditEvent.objects.filter(action="accounts.user_deactivated", reason="调离").exists()


def test_audit_admin_reads_and_verifies_the_log(client):
    auditor = make_user("shenji", Role.AUDIT_ADMIN)
    client.force_login(auditor)
    page = client.get(reverse("audit:event_list"), {"action": "accounts.access_changed"}).content.decode()
    assert "变更角色与范围" in page and "审计日志" in page
    verdict = client.post(reverse("audit:chain_verify")).content.decode()
    assert "审计链完整" in verdict


@pytest.mark.parametrize(
    ("role", "visible", "hidden"),
    [
        (Role.BIANBAN_ADMIN, ["机构", "编制总量", "实名制"], ["用户管理", "审计日志", "合作部门与接口"]),
        (Role.SYSTEM_ADMIN, ["用户管理"], ["编制总量", "审计日志", "合作部门与接口"]),
        (Role.SECURITY_ADMIN, ["用户管理", "合作部门与接口"], ["编制总量", "审计日志"]),
        (Role.AUDIT_ADMIN, ["审计日志"], ["编制总量", "用户管理"]),
    ],
)
def test_menu_follows_the_role(client, role, visible, hidden):
    user = make_user("u", role, scope_county=role == Role.BIANBAN_ADMIN)
    client.force_login(user)
    nav = client.get("/").content.decode().split('id="navbar-menu"')[1].split("</ul>")[0]
    assert all(word in nav for word in visible)
    assert not any(word in nav for word in hidden)
