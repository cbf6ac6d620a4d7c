"""Intranet without TLS: cookie security follows the https setting, and a login that fails because a Secure cookie
cannot live over plain http says exactly that and how to fix it, instead of a vague CSRF message."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from django.test import Client

from tests.conftest import USES_POSTGRES
from tests.factories import PASSWORD, make_user
from tests.processes import served

LOGIN = "/accounts/login/"
INSECURE = "本系统设置为只通过 HTTPS 保存登录凭据（安全 Cookie），而本页面是通过 http:// 打开的"


@pytest.mark.no_database
@pytest.mark.parametrize(
    ("env", "secure"),
    [
        ({}, False),  # plain http, as an intranet install starts
        ({"BIANZHI_HTTPS": "1"}, True),
        ({"BIANZHI_HTTPS": "1", "BIANZHI_SECURE_COOKIES": "0"}, False),
        ({"BIANZHI_SECURE_COOKIES": "1"}, True),
    ],
)
def test_cookie_security_follows_https_unless_set_apart(tmp_path, env, secure):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("BIANZHI_")}
    script = "from bianzhi import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**environment, "BIANZHI_HOME": str(tmp_path), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == [str(secure)] * 2


def _post_without_the_cookie(**extra):
    """What a browser sends when it would not keep a Secure csrftoken cookie: the form, without the cookie."""
    return Client(enforce_csrf_checks=True).post(LOGIN, {"username": "u", "password": "x"}, **extra)


@pytest.mark.django_db
def test_a_refused_form_over_http_with_secure_cookies_says_why_and_what_to_set(settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    response = _post_without_the_cookie()
    page = response.content.decode()
    assert response.status_code == 403
    assert INSECURE in page and "common.csrf_insecure_cookies" in page
    assert "无法提交" in page and "无权访问" not in page  # a matter of the connection, not of rights
    assert "BIANZHI_SECURE_COOKIES=0" in page and "https://" in page and "BIANZHI_HTTPS=1" in page


@pytest.mark.django_db
@pytest.mark.parametrize("over_https", [True, False])
def test_other_csrf_refusals_keep_the_plain_message(settings, over_https):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = over_https  # https with them, http without
    response = _post_without_the_cookie(secure=over_https)
    page = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期或来源无法确认" in page and "common.csrf_failed" in page and INSECURE not in page


def _log_in_over_http(base: str, username: str) -> tuple[int, str]:
    """As a browser does: the login page, then the form with its token; a Secure cookie is not sent back over http."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    login = opener.open(f"{base}{LOGIN}", timeout=60).read().decode()
    token = login.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD})
    request = urllib.request.Request(f"{base}{LOGIN}", data=form.encode(), headers={"Referer": base + LOGIN})
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.mark.argon2  # the server checks the password with the production hashers
@pytest.mark.django_db(transaction=True)
# both settings on SQLite; on PostgreSQL the default one (decision 0004): cookies do not depend on the database
@pytest.mark.parametrize("secure_cookies", [None] if USES_POSTGRES else ["1", None])
def test_logging_in_to_the_real_server_over_http(secure_cookies):
    make_user("jingban", scope_county=True)
    env = {"BIANZHI_SECURE_COOKIES": secure_cookies} if secure_cookies else {}
    with served(1, **env) as base:
        status, page = _log_in_over_http(base, "jingban")
    if secure_cookies:
        assert status == 403 and INSECURE in page and "BIANZHI_SECURE_COOKIES=0" in page
    else:  # the default without BIANZHI_HTTPS: the login goes through to the home page
        assert status == 200 and "退出登录" in page, page[-2000:]
