import datetime as dt
import re

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.audit.models import AuditEvent
from bianzhi.core.middleware import SessionRenewalMiddleware
from tests.factories import PASSWORD, make_unit, make_user

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def login(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def test_login_page_is_chinese_and_secure(client):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "机构编制管理系统" in html and "账号登录" in html and 'lang="zh-CN"' in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_successful_login_is_audited_and_shows_the_shell(client):
    unit = make_unit("锦绣县教育局")
    user = make_user("jiaoyu", Role.UNIT_OPERATOR, scope_unit=unit)
    response = login(client, "jiaoyu")
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/").content.decode()
    assert "单位经办 · 锦绣县教育局及下属单位" in home
    assert "退出登录" in home
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor == user and event.request_id and event.client_ip == "127.0.0.1"


def test_session_cookie_is_http_only_secure_and_expires_after_30_idle_minutes(client, settings):
    settings.SESSION_COOKIE_SECURE = True  # as with BIANZHI_HTTPS=1 (tests/core/test_cookies.py)
    make_user("u", Role.OVERSIGHT, scope_county=True)
    login(client, "u")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["secure"]
    assert settings.SESSION_COOKIE_AGE == 1800
    assert client.session.get_expiry_age() == 1800


def test_the_idle_timeout_slides_on_use_without_a_write_per_page(client):
    make_user("u", Role.OVERSIGHT, scope_county=True)
    login(client, "u")
    key = client.session.session_key
    assert client.get("/").status_code == 200
    first = Session.objects.get(session_key=key).expire_date
    assert first > timezone.now() + dt.timedelta(minutes=29)
    client.get("/")  # within the minute: the row is not written again
    assert Session.objects.get(session_key=key).expire_date == first
    # 25 idle minutes later (the session as it would stand): the next page renews the full 30 minutes
    session = client.session
    session[SessionRenewalMiddleware.STAMP] -= 25 * 60
    session.save()
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + dt.timedelta(minutes=5))
    client.get("/")
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed > timezone.now() + dt.timedelta(minutes=29)


def test_wrong_password_says_so_in_chinese_and_is_audited(client):
    make_user("u")
    response = login(client, "u", "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.object_repr == "u" and event.actor is None


def test_five_failures_lock_the_account_for_30_minutes(client):
    make_user("u")
    for _ in range(5):
        login(client, "u", "wrong-password")
    response = login(client, "u")  # even the right password is refused now
    assert response.status_code == 429
    html = response.content.decode()
    assert "账号已锁定" in html and "auth.locked_out" in html
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.locked_out", object_repr="u").exists()


def test_security_admin_unlocks_a_locked_account(client):
    make_user("u")
    security = make_user("anquan", Role.SECURITY_ADMIN)
    for _ in range(5):
        login(client, "u", "wrong-password")
    client.force_login(security)
    page = client.get(reverse("accounts:user_list")).content.decode()
    assert "已锁定" in page
    target = security.__class__.objects.get(username="u")
    client.post(reverse("accounts:user_unlock", args=[target.pk]), {"reason": "本人来电核实"})
    client.logout()
    assert login(client, "u").status_code == 302
    assert AuditEvent.objects.filter(action="accounts.user_unlocked", reason="本人来电核实").exists()


def test_anonymous_users_are_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_logout_is_audited(client):
    user = make_user("u", Role.OVERSIGHT, scope_county=True)
    client.force_login(user)
    client.post(reverse("accounts:logout"))
    assert AuditEvent.objects.filter(action="auth.logout", actor=user).exists()


def test_business_user_gets_a_chinese_403_on_admin_pages(client):
    client.force_login(make_user("u", Role.BIANBAN_ADMIN, scope_county=True))
    for url in (reverse("accounts:user_list"), reverse("audit:event_list"), reverse("accounts:user_create")):
        response = client.get(url)
        assert response.status_code == 403
        html = response.content.decode()
        assert "无权访问" in html and "common.permission_denied" in html


def test_unknown_page_is_a_chinese_404(client):
    client.force_login(make_user("u", Role.OVERSIGHT, scope_county=True))
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_password_change_page_refuses_a_weak_password_and_accepts_a_good_one(client):
    user = make_user("u", Role.OVERSIGHT, scope_county=True)
    client.force_login(user)
    url = reverse("accounts:password_change")
    weak = client.post(url, {"old_password": PASSWORD, "new_password1": "abcdefgh", "new_password2": "abcdefgh"})
    assert weak.status_code == 200 and "至少 3 类" in weak.content.decode()
    good = client.post(url, {"old_password": PASSWORD, "new_password1": "New#Secret9", "new_password2": "New#Secret9"})
    assert good.status_code == 302
    user.refresh_from_db()
    assert user.check_password("New#Secret9")
    assert AuditEvent.objects.filter(action="accounts.password_changed", actor=user).exists()
