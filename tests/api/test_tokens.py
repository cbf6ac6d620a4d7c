"""Issuing and revoking tokens: the services, what is stored, the audit trail and the ``apitoken`` command."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.accounts.services import user_set_active
from bianzhi.api.models import ApiToken
from bianzhi.api.services import api_token_issue, api_token_revoke
from bianzhi.api.tokens import token_digest
from bianzhi.audit.models import AuditEvent
from bianzhi.core.errors import BianzhiError
from tests.api.conftest import unit_body
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_only_a_keyed_hash_of_the_token_is_stored(users):
    security = make_user("anquan", Role.SECURITY_ADMIN)
    token, plaintext = api_token_issue(actor=security, user=users["caizheng"], name="财政局预算系统")
    assert plaintext.startswith("bz_") and len(plaintext) > 40
    assert token.prefix == plaintext[:11]
    assert token.digest == token_digest(plaintext) and len(token.digest) == 64
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not any(plaintext in str(value) for value in stored.values())
    event = AuditEvent.objects.get(action="api.token_issued", object_id=str(token.pk))
    assert event.actor_name == "anquan"
    assert event.after == {
        "name": "财政局预算系统",
        "prefix": token.prefix,
        "user": "caizheng",
        "expires_at": None,
        "scopes": ["full"],
        "calls_per_minute": None,
    }
    assert plaintext not in str(event.after)


def test_the_same_text_never_yields_two_tokens(users):
    _, first = api_token_issue(actor=None, user=users["caizheng"], name="一")
    _, second = api_token_issue(actor=None, user=users["caizheng"], name="二")
    assert first != second


@pytest.mark.parametrize("issuer", ["bianban", "caizheng", "jiaoyu"])
def test_only_the_security_admin_issues_and_revokes_tokens(users, issuer):
    """Scopes are access granted, like roles: 安全管理员, not 系统管理员, under 三员分立."""
    token, _ = api_token_issue(actor=None, user=users["caizheng"], name="对接")
    before = (ApiToken.objects.count(), AuditEvent.objects.count())
    for actor in (users[issuer], users["xitong"]):
        with pytest.raises(BianzhiError) as caught:
            api_token_issue(actor=actor, user=users["caizheng"], name="越权")
        assert caught.value.code == "common.permission_denied"
        with pytest.raises(BianzhiError) as caught:
            api_token_revoke(actor=actor, token=token)
        assert caught.value.code == "common.permission_denied"
    assert (ApiToken.objects.count(), AuditEvent.objects.count()) == before
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_revoking_is_audited_and_happens_once(users):
    token, _ = api_token_issue(actor=None, user=users["caizheng"], name="对接")
    security = make_user("anquan", Role.SECURITY_ADMIN)
    api_token_revoke(actor=security, token=token, reason="合作结束")
    event = AuditEvent.objects.get(action="api.token_revoked")
    assert (event.actor_name, event.reason, event.object_id) == ("anquan", "合作结束", str(token.pk))
    with pytest.raises(BianzhiError) as caught:
        api_token_revoke(actor=security, token=token)
    assert caught.value.code == "api.token_already_revoked"
    assert token.prefix in caught.value.message


@pytest.mark.parametrize(
    ("name", "expires_in", "code"),
    [
        ("  ", None, "api.token_name_required"),
        ("x" * 101, None, "common.invalid_input"),
        ("对接", dt.timedelta(seconds=-1), "api.token_expiry_past"),
    ],
)
def test_refused_issue_leaves_nothing(users, name, expires_in, code):
    expires_at = timezone.now() + expires_in if expires_in else None
    with pytest.raises(BianzhiError) as caught:
        api_token_issue(actor=None, user=users["caizheng"], name=name, expires_at=expires_at)
    assert caught.value.code == code
    assert not ApiToken.objects.exists()


def test_no_token_for_an_inactive_account(users):
    user_set_active(actor=None, user=users["caizheng"], active=False)
    with pytest.raises(BianzhiError) as caught:
        api_token_issue(actor=None, user=users["caizheng"], name="对接")
    assert caught.value.code == "api.token_user_inactive"


def test_a_token_stops_working_when_it_expires(api, county, users):
    token, plaintext = api_token_issue(
        actor=None, user=users["caizheng"], name="临时", expires_at=timezone.now() + dt.timedelta(days=1)
    )
    assert api.get("/units", plaintext).status == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    assert api.get("/units", plaintext).status == 401


def test_use_is_recorded_without_a_write_per_request(api, county, users, tokens):
    assert ApiToken.objects.get(user=users["caizheng"]).last_used_at is None
    api.get("/units", tokens["caizheng"])
    first = ApiToken.objects.get(user=users["caizheng"]).last_used_at
    assert first is not None
    api.get("/units", tokens["caizheng"])
    assert ApiToken.objects.get(user=users["caizheng"]).last_used_at == first


def test_the_token_acts_as_its_user_in_the_audit_log(api, county, tokens):
    assert api.post("/units", unit_body(), tokens["bianban"]).status == 201
    event = AuditEvent.objects.get(action="orgs.unit_created", object_repr="锦绣县数据局")
    assert event.actor_name == "bianban"
    assert event.request_id


# ---------------------------------------------------------------- the command


def run(*args) -> str:
    out = StringIO()
    call_command("apitoken", *args, stdout=out)
    return out.getvalue()


def test_command_issues_a_token_shown_once_that_works(api, county, users):
    output = run("issue", "caizheng", "--name", "财政局预算系统", "--expires-on", "2099-12-31")
    plaintext = output.strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert token.prefix in output and "2099-12-31" in output and "只显示这一次" in output
    assert timezone.localtime(token.expires_at) == timezone.make_aware(dt.datetime(2100, 1, 1))
    assert api.get("/units", plaintext).status == 200
    listing = run("list")
    assert token.prefix in listing and "财政局预算系统" in listing and plaintext not in listing


def test_command_revokes_by_prefix(api, county, users):
    plaintext = run("issue", "caizheng", "--name", "对接").strip().splitlines()[-1]
    prefix = ApiToken.objects.get().prefix
    assert "已吊销" in run("revoke", prefix, "--reason", "合作结束")
    assert api.get("/units", plaintext).status == 401
    assert "已吊销" in run("list", "caizheng")
    assert AuditEvent.objects.get(action="api.token_revoked").reason == "合作结束"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("issue", "nobody", "--name", "x"), "common.not_found"),
        (("revoke", "bz_nothing"), "common.not_found"),
        (("issue", "caizheng", "--name", " "), "api.token_name_required"),
        (("issue", "caizheng", "--name", "x", "--expires-on", "2020-01-01"), "api.token_expiry_past"),
    ],
)
def test_command_refusals_are_domain_errors(users, args, code):
    with pytest.raises(BianzhiError) as caught:
        run(*args)
    assert caught.value.code == code
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("issue", "caizheng"), "缺少必需的参数"),
        (("issue", "caizheng", "--name", "x", "--expires-on", "明年"), "日期「明年」无效"),
        (("rotate",), "无效"),
    ],
)
def test_command_argument_errors_are_in_chinese(users, args, message):
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert "[cli.bad_arguments]" in str(caught.value)
    assert message in str(caught.value)
