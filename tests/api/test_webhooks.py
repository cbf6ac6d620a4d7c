"""Pushing the event feed to a partner's address: in order, signed, each event once, retried after a failure with
a growing wait; refused when off or for a token that may not read the feed."""

from __future__ import annotations

import datetime as dt
import hmac
import io
import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bianzhi.accounts.roles import Role
from bianzhi.api import webhooks
from bianzhi.api.models import PartnerKind, Webhook, WebhookDelivery
from bianzhi.api.partners import partner_create
from bianzhi.api.services import api_token_issue, api_token_revoke
from bianzhi.core.errors import BianzhiError
from bianzhi.exchange.feed import feed_sequence
from bianzhi.exchange.models import FeedEvent
from bianzhi.exchange.selectors import feed_head
from tests.factories import make_unit, make_user
from tests.roster.support import client_for, give_slots

pytestmark = pytest.mark.django_db
ON = override_settings(BIANZHI_WEBHOOKS=True, BIANZHI_WEBHOOK_TIMEOUT=5)


class Partner:
    """A partner's receiving server on a free local port: answers each post with the next status of ``answers``
    (200 once they run out) and keeps what it received."""

    def __init__(self, *answers: int):
        self.answers, self.received = list(answers), []
        partner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                partner.received.append((dict(self.headers), body))
                self.send_response(partner.answers.pop(0) if partner.answers else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/bianzhi/events"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def pages(self) -> list[dict]:
        return [json.loads(body) for _headers, body in self.received]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def partner():
    server = Partner()
    yield server
    server.close()


_NUMBERS = itertools.count(1)


def _token(*scopes):
    user = make_user("caizheng", Role.PARTNER_READONLY, scope_county=True)
    return api_token_issue(actor=None, user=user, name="财政局工资系统", scopes=scopes or ["events"])[0]


def _changes(units: int) -> None:
    """Each unit set up is 3 events (设立 and two quota moves)."""
    for _n in range(units):
        give_slots(make_unit(f"锦绣县第{next(_NUMBERS)}中心"), 2)
    feed_sequence()  # what runs after each commit; the test's transaction never commits


@ON
def test_events_are_pushed_in_order_signed_once_and_retried_after_a_failure(partner, monkeypatch):
    _changes(1)
    token = _token()
    webhook, secret = webhooks.webhook_set(actor=None, token=token, url=partner.url)
    assert webhook.delivered_seq == feed_head() == 3  # what was there before is loaded from the read endpoints
    _changes(2)
    monkeypatch.setattr(webhooks, "PAGE", 4)
    partner.answers = [503]
    now = timezone.now()

    assert webhooks.webhook_deliver(webhook, now=now) == 0
    webhook.refresh_from_db()
    assert (webhook.delivered_seq, webhook.failures) == (3, 1)
    assert now + dt.timedelta(seconds=50) < webhook.next_attempt_at < now + dt.timedelta(minutes=2)
    failed = WebhookDelivery.objects.get()
    assert (failed.ok, failed.status, failed.first_seq, failed.last_seq) == (False, 503, 4, 7)
    assert failed.error == "对方答复 HTTP 503"
    assert list(webhooks.webhooks_due(now)) == []
    later = now + dt.timedelta(minutes=2)
    assert list(webhooks.webhooks_due(later)) == [webhook]

    assert webhooks.webhook_deliver(webhook, now=later) == 6
    webhook.refresh_from_db()
    assert (webhook.delivered_seq, webhook.failures, webhook.next_attempt_at) == (9, 0, None)
    pages = partner.pages()
    assert [[item["seq"] for item in page["items"]] for page in pages] == [[4, 5, 6, 7], [4, 5, 6, 7], [8, 9]]
    assert [page["has_more"] for page in pages[1:]] == [True, False]
    assert pages[2]["items"][0]["type"] == FeedEvent.objects.get(seq=8).type
    for headers, body in partner.received:
        stamp = headers["X-Bianzhi-Timestamp"]
        expected = hmac.new(secret.encode(), f"{stamp}.".encode() + body, "sm3").hexdigest()
        assert headers["X-Bianzhi-Signature"] == f"hmac-sm3={expected}"
    assert [d.attempt for d in WebhookDelivery.objects.order_by("pk")] == [1, 2, 1]

    assert webhooks.webhook_deliver(webhook, now=later) == 0  # nothing new: nothing posted
    assert len(partner.received) == 3


@ON
def test_an_unreachable_partner_waits_longer_after_each_failure():
    _changes(1)
    webhook, _secret = webhooks.webhook_set(actor=None, token=_token(), url="http://127.0.0.1:9/closed")
    _changes(1)
    now = timezone.now()
    for failures, wait in ((1, 1), (2, 2), (3, 4)):
        webhooks.webhook_deliver(webhook, now=now)
        webhook.refresh_from_db()
        assert webhook.failures == failures
        assert webhook.next_attempt_at - now == pytest.approx(dt.timedelta(minutes=wait), abs=dt.timedelta(seconds=5))
    assert webhooks.retry_wait(20) == dt.timedelta(hours=6)
    assert WebhookDelivery.objects.filter(ok=False, status=None).count() == 3
    assert WebhookDelivery.objects.first().error.startswith("无法送达")


@ON
def test_new_events_queue_one_delivery_and_a_worker_holding_the_webhook_keeps_others_out(partner):
    def queued() -> int:
        return DBTaskResult.objects.filter(task_path=webhooks.deliver_webhooks.module_path).count()

    _changes(1)
    assert queued() == 0  # nobody to push to
    webhook, _secret = webhooks.webhook_set(actor=None, token=_token(), url=partner.url)
    _changes(1)
    _changes(1)
    assert queued() == 1

    assert webhooks._claim(webhook, timezone.now())  # another worker is posting
    assert webhooks.webhook_deliver(webhook) == 0 and partner.received == []
    Webhook.objects.filter(pk=webhook.pk).update(claimed_until=None)
    assert webhooks.deliver_webhooks.call() == 6
    assert Webhook.objects.get().claimed_until is None


def test_refusals_say_why_and_change_nothing(partner):
    token = _token()
    with pytest.raises(BianzhiError) as off:
        webhooks.webhook_set(actor=None, token=token, url=partner.url)
    assert off.value.code == "api.webhooks_off"
    with ON:
        for url in ("ftp://example.org/x", "http:///nohost", "部门地址"):
            with pytest.raises(BianzhiError) as bad:
                webhooks.webhook_set(actor=None, token=token, url=url)
            assert bad.value.code == "api.webhook_url" and "http://" in bad.value.message
        reader = api_token_issue(actor=None, user=token.user, name="只读", scopes=["roster.read"])[0]
        with pytest.raises(BianzhiError) as scope:
            webhooks.webhook_set(actor=None, token=reader, url=partner.url)
        assert scope.value.code == "api.webhook_no_events"
        clerk = make_user("clerk", Role.UNIT_OPERATOR, scope_unit=make_unit("锦绣县财政局"))
        with pytest.raises(BianzhiError) as denied:
            webhooks.webhook_set(actor=clerk, token=token, url=partner.url)
        assert denied.value.code == "common.permission_denied"
        api_token_revoke(actor=None, token=token)
        token.refresh_from_db()
        with pytest.raises(BianzhiError) as revoked:
            webhooks.webhook_set(actor=None, token=token, url=partner.url)
        assert revoked.value.code == "api.token_not_usable"
        with pytest.raises(BianzhiError) as none:
            webhooks.webhook_stop(actor=None, token=token)
        assert none.value.code == "api.webhook_none"
    assert not Webhook.objects.exists()


@ON
def test_the_command_line_sets_and_stops_a_push(partner):
    token = _token()
    out = io.StringIO()
    call_command("apitoken", "webhook", token.prefix, "--url", partner.url, stdout=out)
    text = out.getvalue()
    assert partner.url in text and "只显示这一次" in text
    secret = text.strip().splitlines()[-1]
    webhook = Webhook.objects.get()
    assert webhooks.crypto.decrypt(webhook.secret_cipher) == secret and secret not in webhook.secret_cipher
    out = io.StringIO()
    call_command("apitoken", "webhook", token.prefix, "--stop", stdout=out)
    assert "已停止" in out.getvalue() and not Webhook.objects.get().active


@ON
def test_the_security_admin_sets_and_stops_a_push_from_the_partner_page(partner):
    partner_dept = partner_create(actor=None, name="县财政局", kind=PartnerKind.FINANCE, username="caizhengju")
    token = api_token_issue(actor=None, user=partner_dept.user, name="工资系统", scopes=["events", "roster.read"])[0]
    reader = api_token_issue(actor=None, user=partner_dept.user, name="只读", scopes=["roster.read"])[0]
    client = client_for(make_user("anquan", Role.SECURITY_ADMIN))
    detail = reverse("partners:partner_detail", args=[partner_dept.pk])
    page = client.get(detail).content.decode()
    assert "事件推送" in page and token.prefix in page and "设置推送" in page
    assert f"{reader.prefix} 的推送地址" not in page  # a token that does not read the feed cannot push

    set_url = reverse("partners:webhook_set", args=[partner_dept.pk, token.pk])
    answer = client.post(set_url, {"url": partner.url})
    assert answer.status_code == 200 and answer["Cache-Control"] == "no-store"
    secret = Webhook.objects.get(token=token)
    assert webhooks.crypto.decrypt(secret.secret_cipher) in answer.content.decode()
    _changes(1)
    webhooks.deliver_webhooks.call()
    page = client.get(detail).content.decode()
    assert partner.url in page and "正常" in page and "最近的推送" in page and "送达 200" in page

    refused = client.post(set_url, {"url": "ftp://x"}, follow=True).content.decode()
    assert "推送地址「ftp://x」无效" in refused
    stop_url = reverse("partners:webhook_stop", args=[partner_dept.pk, token.pk])
    assert "已停止" in client.post(stop_url, {"reason": "系统迁移"}, follow=True).content.decode()
    assert not Webhook.objects.get(token=token).active
    with override_settings(BIANZHI_WEBHOOKS=False):
        assert "本系统未启用事件推送" in client.get(detail).content.decode()


def test_a_token_may_have_its_own_call_limit():
    token = _token()
    fast, plaintext = api_token_issue(
        actor=None, user=token.user, name="夜间同步", scopes=["events"], calls_per_minute=3
    )
    headers = {"Authorization": f"Bearer {plaintext}"}
    client = Client()
    assert [client.get("/api/v1/events", headers=headers).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert "3 次" in json.loads(client.get("/api/v1/events", headers=headers).content)["message"]
    assert (fast.call_limit, token.call_limit) == (3, 600)
    with pytest.raises(BianzhiError) as caught:
        api_token_issue(actor=None, user=token.user, name="x", scopes=["events"], calls_per_minute=0)
    assert caught.value.code == "api.call_limit_range" and "1 至 100000" in caught.value.message
