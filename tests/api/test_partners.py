"""Partner departments (合作部门): their accounts, the networks their calls may come from, the ID numbers their
scopes show, and the 安全管理员's pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.hashers import is_password_usable
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.api.models import ApiCall, ApiToken, Partner, PartnerKind
from bianzhi.api.partners import partner_create, partner_update
from bianzhi.api.scopes import Scope
from bianzhi.api.services import api_token_issue
from bianzhi.audit.models import AuditEvent
from bianzhi.core.errors import BianzhiError
from bianzhi.exchange.models import ReconciliationRun
from tests.exchange.support import _hire
from tests.factories import make_unit, make_user
from tests.roster.support import client_for, give_slots

pytestmark = pytest.mark.django_db
FINANCE = {"name": "县财政局", "kind": PartnerKind.FINANCE, "username": "caizhengju"}


@pytest.fixture
def anquan(db):
    return make_user("anquan", Role.SECURITY_ADMIN)


def _refused(code: str, call, *args, **kwargs) -> BianzhiError:
    before = (Partner.objects.count(), ApiToken.objects.count(), AuditEvent.objects.count())
    with pytest.raises(BianzhiError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code
    assert (Partner.objects.count(), ApiToken.objects.count(), AuditEvent.objects.count()) == before
    return caught.value


def test_a_partner_gets_a_read_only_county_account_that_no_password_opens(anquan):
    partner = partner_create(actor=anquan, **FINANCE, allowed_networks=" 10.20.0.7\n\n10.20.0.0/16\n10.20.0.0/16 ")
    user = partner.user
    assert (user.username, user.roles, user.scope_county) == ("caizhengju", {Role.PARTNER_READONLY}, True)
    assert not is_password_usable(user.password)
    assert partner.networks == ["10.20.0.7/32", "10.20.0.0/16"]
    assert AuditEvent.objects.filter(action="api.partner_created", actor_name="anquan").count() == 1
    assert AuditEvent.objects.filter(action="accounts.user_created", object_id=str(user.pk)).count() == 1

    xitong, bianban = (
        make_user("xitong", Role.SYSTEM_ADMIN),
        make_user("bianban", Role.BIANBAN_ADMIN, scope_county=True),
    )
    _refused("common.permission_denied", partner_create, actor=xitong, **{**FINANCE, "name": "县人社局"})
    assert (
        "第 2 行「10.0.0.0/33」"
        in _refused(
            "api.network_invalid",
            partner_create,
            actor=anquan,
            **{**FINANCE, "name": "县人社局", "username": "r"},
            allowed_networks="10.0.0.1\n10.0.0.0/33",
        ).message
    )
    _refused("api.partner_name_taken", partner_create, actor=anquan, **{**FINANCE, "username": "other"})
    _refused("api.partner_account_taken", partner_create, actor=anquan, **{**FINANCE, "name": "县人社局"})
    _refused(
        "api.partner_account_unfit",
        partner_create,
        actor=anquan,
        **{**FINANCE, "name": "县人社局", "username": "bianban"},
    )
    assert not bianban.roles - {Role.BIANBAN_ADMIN}


def _get(client, path: str, plaintext: str, address: str):
    return client.get(path, headers={"Authorization": f"Bearer {plaintext}"}, REMOTE_ADDR=address)


def test_calls_from_outside_the_allowed_networks_are_refused_and_recorded(anquan, client, settings):
    partner = partner_create(actor=anquan, **FINANCE, allowed_networks="10.20.0.0/16")
    _token, plaintext = api_token_issue(actor=anquan, user=partner.user, name="统发", scopes=[Scope.LEDGER_READ])
    assert _get(client, "/api/v1/units", plaintext, "10.20.3.4").status_code == 200
    refused = _get(client, "/api/v1/units", plaintext, "192.168.1.9")
    assert refused.status_code == 403
    assert refused.json()["code"] == "api.address_refused" and "192.168.1.9" in refused.json()["message"]
    assert list(ApiCall.objects.order_by("pk").values_list("status", "client_ip")) == [
        (200, "10.20.3.4"),
        (403, "192.168.1.9"),
    ]
    # a partner that lists no networks falls back on the setting; an empty setting lets any address in
    partner_update(
        actor=anquan, partner=partner, contact_name="", contact_phone="", allowed_networks="", notes="", active=True
    )
    assert _get(client, "/api/v1/units", plaintext, "192.168.1.9").status_code == 200
    settings.BIANZHI_API_ALLOWED_NETWORKS = ["172.16.0.0/12"]
    assert _get(client, "/api/v1/units", plaintext, "192.168.1.9").status_code == 403
    assert _get(client, "/api/v1/units", plaintext, "172.16.5.5").status_code == 200
    # a partner switched off has every token refused
    partner_update(
        actor=anquan, partner=partner, contact_name="", contact_phone="", allowed_networks="", notes="", active=False
    )
    assert _get(client, "/api/v1/units", plaintext, "172.16.5.5").status_code == 401


def test_the_full_id_number_only_for_the_id_number_scope_and_audited(anquan, client):
    unit = make_unit("锦绣县交通运输局")
    give_slots(unit, 1)
    number = _hire(unit, "赵敏")
    partner = partner_create(actor=anquan, **FINANCE)
    _t, finance = api_token_issue(
        actor=anquan, user=partner.user, name="统发", scopes=[Scope.ROSTER_READ, Scope.ID_NUMBER]
    )
    _t, plain = api_token_issue(actor=anquan, user=partner.user, name="只读", scopes=[Scope.ROSTER_READ])

    listed = _get(client, "/api/v1/persons", finance, "127.0.0.1").json()["items"]
    assert [(p["name"], p["id_number"]) for p in listed] == [("赵敏", number)]
    detail = _get(client, f"/api/v1/persons/{listed[0]['id']}", finance, "127.0.0.1").json()
    assert detail["id_number"] == number
    reads = AuditEvent.objects.filter(action="api.id_numbers_read").order_by("pk")
    assert [event.after["id_numbers"] for event in reads] == [1, 1]
    assert reads[0].actor_name == "caizhengju"

    masked = _get(client, "/api/v1/persons", plain, "127.0.0.1").json()["items"]
    assert masked[0]["id_number"] is None and masked[0]["id_masked"] != number
    assert reads.count() == 2


def test_the_security_admin_registers_a_partner_issues_and_revokes_tokens(anquan):
    page = client_for(anquan)
    answer = page.post(reverse("partners:partner_new"), {**FINANCE, "contact_name": "孙涛"})
    partner = Partner.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse("partners:partner_detail", args=[partner.pk])
    issue = reverse("partners:token_new", args=[partner.pk])

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    shown = page.post(issue, {"name": "工资统发", "scopes": [Scope.ROSTER_READ, Scope.EVENTS], "expires_on": tomorrow})
    token = ApiToken.objects.get()
    assert shown.status_code == 200 and shown["Cache-Control"] == "no-store"
    plaintext = shown.context["plaintext"]
    assert plaintext.startswith(token.prefix) and plaintext in shown.content.decode()
    events = page.get("/api/v1/events", headers={"Authorization": f"Bearer {plaintext}"})
    assert events.status_code == 200

    listing = page.get(reverse("partners:partner_list")).context["rows"]
    assert [(r.partner.name, r.active_tokens, r.recent_calls, r.last_seq_read) for r in listing] == [
        ("县财政局", 1, 1, 0)
    ]
    detail = page.get(reverse("partners:partner_detail", args=[partner.pk])).content.decode()
    assert "有效" in detail and "读取数据共享事件" in detail and "/api/v1/events" in detail

    # bad input: a message with its code, nothing changed
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    one_unit = make_user("danwei", Role.PARTNER_READONLY, scope_unit=make_unit("锦绣县人力资源和社会保障局"))
    other = partner_create(actor=anquan, name="县人社局", kind=PartnerKind.HR, username=one_unit.username)
    for target, data, code in (
        (partner, {"name": "x", "scopes": [Scope.ROSTER_READ], "expires_on": yesterday}, "api.token_expiry_past"),
        (partner, {"name": "x"}, "api.scope_required"),
        (other, {"name": "x", "scopes": [Scope.EVENTS]}, "api.scope_needs_county"),
    ):
        refused = page.post(reverse("partners:token_new", args=[target.pk]), data)
        assert refused.status_code == 200 and code in refused.content.decode()
    edit = page.post(reverse("partners:partner_edit", args=[partner.pk]), {"allowed_networks": "10.0.0.300"})
    assert edit.status_code == 200 and "api.network_invalid" in edit.content.decode()
    assert ApiToken.objects.count() == 1 and Partner.objects.get(pk=partner.pk).allowed_networks == ""

    revoke = reverse("partners:token_revoke", args=[partner.pk, token.pk])
    page.post(revoke, {"reason": ""})
    assert ApiToken.objects.get().revoked_at is None
    page.post(revoke, {"reason": "系统升级，换发新令牌"})
    assert AuditEvent.objects.get(action="api.token_revoked").reason == "系统升级，换发新令牌"
    assert page.get("/api/v1/events", headers={"Authorization": f"Bearer {plaintext}"}).status_code == 401


def test_a_partner_uploads_files_for_the_reconciliation_and_follows_its_own_run(anquan, client, settings, tmp_path):
    settings.VAR_DIR = tmp_path  # the staged uploads
    finance = partner_create(actor=anquan, **FINANCE)
    _t, upload = api_token_issue(actor=anquan, user=finance.user, name="统发", scopes=[Scope.RECONCILE_UPLOAD])
    _t, reader = api_token_issue(actor=anquan, user=finance.user, name="只读", scopes=[Scope.ROSTER_READ])
    hr = partner_create(actor=anquan, name="县人社局", kind=PartnerKind.HR, username="renshe")
    _t, other = api_token_issue(actor=anquan, user=hr.user, name="人事", scopes=[Scope.RECONCILE_UPLOAD])

    def post(token: str, as_of: dt.date, **extra):
        files = {
            "payroll": SimpleUploadedFile("工资.csv", "姓名,身份证号\n".encode()),
            "hr": SimpleUploadedFile("人事.csv", "姓名,身份证号\n".encode()),
            "as_of": as_of.isoformat(),
            **extra,
        }
        return client.post("/api/v1/reconciliations", files, headers={"Authorization": f"Bearer {token}"})

    today = timezone.localdate()
    assert post(reader, today).json()["code"] == "api.scope_missing"
    assert post(upload, today + dt.timedelta(days=1)).status_code == 400
    misspelt = post(upload, today, asof=today.isoformat())
    assert (misspelt.status_code, misspelt.json()["code"]) == (422, "api.invalid_input")
    assert "asof" in misspelt.json()["message"]
    assert not ReconciliationRun.objects.exists()
    started = post(upload, today)
    assert started.status_code == 201, started.content
    run = started.json()
    assert (run["state"], run["state_name"], run["payroll_name"]) == ("QUEUED", "排队中", "工资.csv")
    assert set(run["counts"]) >= {"paid_not_in_quota", "invalid_id"} and not any(run["counts"].values())
    path = f"/api/v1/reconciliations/{run['id']}"
    assert _get(client, path, upload, "127.0.0.1").json()["id"] == run["id"]
    assert _get(client, path, other, "127.0.0.1").status_code == 403  # another partner's run
    assert AuditEvent.objects.get(action="exchange.reconciliation_started").actor_name == "caizhengju"
