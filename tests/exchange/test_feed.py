"""The partners' event feed: every change they act on is one event, numbered without gaps in the transaction of
the change; a reader that resumes from its last number misses nothing and sees nothing twice."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import threading
import time
from collections import Counter
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connections, transaction
from django.test import Client
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.api.models import ApiCall, ApiToken
from bianzhi.api.services import api_token_issue, api_token_revoke
from bianzhi.audit.models import AuditEvent
from bianzhi.core.errors import BianzhiError
from bianzhi.exchange.feed import FEED_ACTIONS, feed_sequence
from bianzhi.exchange.models import FeedEvent
from bianzhi.orgs.services import unit_rename
from bianzhi.quotas.models import MovementKind, PostMovementKind
from bianzhi.quotas.services import (
    post_authority_account,
    post_movement_post,
    post_unit_account,
)
from bianzhi.roster import approvals, staffing
from tests.factories import make_unit, make_user
from tests.quotas.support import document
from tests.quotas.test_concurrency import race, shared_database  # noqa: F401  (fixture)
from tests.roster.support import approved, entry_doc, give_slots, new_id, person

TODAY = timezone.localdate()


class ApiClient:
    """Calls the API as a partner would (a server error fails the test)."""

    def __init__(self):
        self.client = Client()

    def _answer(self, response) -> SimpleNamespace:
        assert response.status_code < 500, response.content.decode()
        return SimpleNamespace(status=response.status_code, body=json.loads(response.content))

    def get(self, path: str, token: str, **params) -> SimpleNamespace:
        headers = {"Authorization": f"Bearer {token}"}
        return self._answer(self.client.get(f"/api/v1{path}", params, headers=headers))

    def post(self, path: str, body: dict, token: str) -> SimpleNamespace:
        headers = {"Authorization": f"Bearer {token}"}
        return self._answer(self.client.post(f"/api/v1{path}", body, content_type="application/json", headers=headers))


def _types() -> list[str]:
    feed_sequence()  # what runs after each commit: the test's own transaction never commits
    return list(FeedEvent.objects.order_by("seq").values_list("type", flat=True))


def _seqs() -> list[int]:
    feed_sequence()
    return list(FeedEvent.objects.order_by("seq").values_list("seq", flat=True))


def _feed_audits() -> int:
    """Audit events of the changes the feed carries (an application withdrawn unapproved is none)."""
    return (
        AuditEvent.objects.filter(action__in=FEED_ACTIONS)
        .exclude(
            action="roster.approval_cancelled", before__status__in=["DRAFT", "SUBMITTED", "UNDER_REVIEW", "RETURNED"]
        )
        .count()
    )


def _override(unit) -> staffing.Slot:
    return staffing.Slot(unit=unit, quota_type="XZ", funding_form="QE", override_reason="急需补充")


@pytest.mark.django_db
def test_each_change_partners_act_on_is_one_event_with_its_notice():
    unit = make_unit("锦绣县财政局")
    other = make_unit("锦绣县审计局")
    give_slots(unit, 3)
    give_slots(other, 2)
    setup = _types()
    assert setup == ["unit.changed", "unit.changed", *["quota.moved"] * 4]  # 设立, then the pool funds each unit
    approval = approved(unit, 1)
    number = new_id()
    occupancy = staffing.occupancy_start(
        actor=None,
        data=person("李明", id_number=number),
        slot=staffing.Slot(approval=approval),
        start_date=TODAY,
        entry_mode="KL",
        document=entry_doc(TODAY),
    )
    moved = staffing.occupancy_transfer(
        actor=None,
        person=occupancy.person,
        unit=other,
        quota_type="XZ",
        funding_form="QE",
        effective_date=TODAY,
        document=document(TODAY, "调动通知"),
    )
    left = staffing.occupancy_end(
        actor=None,
        person=moved.person,
        end_date=TODAY,
        reason="TX",
        document=document(TODAY, "退休批复"),
    )
    unit_rename(actor=None, unit=unit, name="锦绣县财政事务中心", document=document(TODAY), effective_date=TODAY)
    post_movement_post(
        actor=None,
        kind=PostMovementKind.HEDING,
        from_account=post_authority_account("ZHENG", "ZHENGKE"),
        to_account=post_unit_account(other, "ZHENG", "ZHENGKE"),
        amount=1,
        effective_date=TODAY,
        document=document(TODAY, "职数核定"),
    )
    open_one = approved(other, 1)
    approvals.approval_cancel(actor=None, approval=open_one, comment="不再需要")

    assert _types()[len(setup) :] == [
        "approval.issued",
        "person.entered",
        "person.transferred",
        "person.left",
        "unit.changed",
        "posts.moved",
        "approval.issued",
        "approval.cancelled",
    ]
    assert _seqs() == list(range(1, len(setup) + 9))
    events = {event.type: event.payload for event in FeedEvent.objects.order_by("seq")}

    issued = FeedEvent.objects.filter(type="approval.issued").order_by("seq").first().payload
    assert issued["serial"] == approval.serial and issued["count"] == 1
    assert issued["unit"]["name"] == "锦绣县财政局"
    assert issued["quota_type"] == {"code": "XZ", "name": "行政编制"}
    assert issued["funding_form"] == {"code": "QE", "name": "全额拨款"}
    assert issued["valid_until"] == approval.valid_until.isoformat()
    assert issued["notice"]["title"] == "核准使用编制通知单" and issued["notice"]["number"] == approval.serial
    assert "县财政局" in "".join(issued["notice"]["copies_to"])

    entered = events["person.entered"]
    assert entered["person"]["name"] == "李明"
    assert entered["person"]["id_number_masked"] == occupancy.person.id_masked
    assert "id_number" not in entered["person"]  # never stored: added when a token allowed it reads the feed
    assert number not in str(FeedEvent.objects.values_list("payload", flat=True)[::1])
    assert entered["start_date"] == TODAY.isoformat() and entered["approval_serial"] == approval.serial
    assert entered["entry_mode"] == {"code": "KL", "name": "考试录用"}
    assert entered["document"]["title"] == "录用审批表"
    assert entered["notice"]["title"] == "人员入编通知单" and entered["notice"]["number"] == occupancy.entry_serial

    transferred = events["person.transferred"]
    assert transferred["from"]["unit"]["id"] == unit.pk and transferred["unit"]["id"] == other.pk
    assert transferred["notice"]["number"] == moved.entry_serial

    assert events["person.left"]["reason"] == {"code": "TX", "name": "退休"}
    assert events["person.left"]["end_date"] == left.end_date.isoformat()
    assert events["person.left"]["notice"]["number"] == left.exit_serial

    renamed = events["unit.changed"]
    assert renamed["change"]["code"] == "RENAMED" and renamed["after"]["name"] == "锦绣县财政事务中心"
    assert events["posts.moved"]["deltas"][0]["delta"] == 1
    quota = FeedEvent.objects.filter(type="quota.moved").order_by("seq").last().payload
    assert quota["deltas"] == [{**quota["to"], "delta": 2}] and quota["kind"]["code"] == MovementKind.HEZENG
    assert events["approval.cancelled"]["serial"] == open_one.serial
    assert FeedEvent.objects.count() == _feed_audits()


@pytest.mark.django_db
def test_an_approval_that_runs_out_is_an_event_and_a_withdrawn_application_none():
    unit = make_unit("锦绣县财政局")
    give_slots(unit, 2)
    old = approved(unit, 2, today=TODAY - dt.timedelta(days=400))
    draft = approvals.approval_draft(
        actor=None, unit=unit, quota_type="XZ", funding_form="QE", count=1, entry_mode="KL", purpose="补充"
    )
    approvals.approval_cancel(actor=None, approval=draft)  # never approved: nothing for the partners
    before = _seqs()[-1]

    assert approvals.approvals_expire(today=TODAY) == 1

    feed_sequence()
    [expired] = FeedEvent.objects.filter(seq__gt=before)
    assert (expired.seq, expired.type) == (before + 1, "approval.expired")
    assert expired.payload["serial"] == old.serial and expired.payload["used"] == 0
    assert expired.payload["closed_on"] == (old.valid_until + dt.timedelta(days=1)).isoformat()


@pytest.mark.django_db
def test_a_rolled_back_or_refused_change_leaves_no_event_and_no_gap():
    unit = make_unit("锦绣县财政局")
    give_slots(unit, 1)
    before = _seqs()

    with pytest.raises(RuntimeError), transaction.atomic():
        staffing.occupancy_start(
            actor=None, data=person(), slot=_override(unit), start_date=TODAY, entry_mode="DR", document=entry_doc()
        )
        assert len(_seqs()) == len(before) + 1  # written with the change …
        raise RuntimeError("the caller fails after the change")
    assert _seqs() == before  # … and gone with it
    with pytest.raises(BianzhiError):  # a refusal: the unit has no second slot
        for _ in range(2):
            staffing.occupancy_start(
                actor=None, data=person(), slot=_override(unit), start_date=TODAY, entry_mode="DR", document=entry_doc()
            )
    assert _seqs() == [*before, before[-1] + 1]  # the one that went through took the next number


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_number_every_event_once_and_a_reader_resuming_sees_each_once(shared_database):  # noqa: F811
    units = [make_unit(f"锦绣县第{i}局") for i in range(4)]
    for unit in units:
        give_slots(unit, 20)
    start = _seqs()[-1]
    writers = 8

    def write(i: int):
        def job():
            unit = units[i % len(units)]
            for _ in range(3):
                staffing.occupancy_start(
                    actor=None,
                    data=person(),
                    slot=_override(unit),
                    start_date=TODAY,
                    entry_mode="DR",
                    document=entry_doc(),
                )

        return job

    seen: list[int] = []
    done = threading.Event()

    def read():
        shared_database()
        after = start
        try:
            while True:
                finished = done.is_set()
                rows = list(FeedEvent.objects.filter(seq__gt=after).order_by("seq").values_list("seq", flat=True)[:5])
                seen.extend(rows)
                after = rows[-1] if rows else after
                if finished and not rows:
                    return
                time.sleep(0.005)  # a partner polls; a loop without a pause would starve the writers of the GIL
        finally:
            connections["default"].close()

    reader = threading.Thread(target=read)
    reader.start()
    outcomes = race(shared_database, [write(i) for i in range(writers)])
    done.set()
    reader.join(timeout=120)

    assert Counter(outcomes) == {"ok": writers}
    shared_database()  # read what the racing connections wrote
    expected = list(range(start + 1, start + 1 + writers * 3))
    assert [seq for seq in _seqs() if seq > start] == expected
    assert seen == expected  # in order, each once, none missed
    assert FeedEvent.objects.count() == _feed_audits()


# ---------------------------------------------------------------- the API and its scopes


@pytest.fixture
def partners(db):
    unit = make_unit("锦绣县财政局")
    give_slots(unit, 5)
    numbers = [new_id() for _ in range(3)]
    for number in numbers:
        staffing.occupancy_start(
            actor=None,
            data=person(id_number=number),
            slot=_override(unit),
            start_date=TODAY,
            entry_mode="DR",
            document=entry_doc(),
        )
    partner = make_user("caizheng", Role.PARTNER_READONLY, scope_county=True)
    bianban = make_user("bianban", Role.BIANBAN_OPERATOR, scope_county=True)
    clerk = make_user("clerk", Role.UNIT_OPERATOR, scope_unit=unit)

    def issue(user, *scopes):
        return api_token_issue(actor=None, user=user, name="测试", scopes=scopes)[1]

    return {
        "unit": unit,
        "numbers": numbers,
        "events": issue(partner, "events"),
        "events_ids": issue(partner, "events", "roster.id_number"),
        "ledger": issue(partner, "ledger.read"),
        "bianban_full": issue(bianban, "full"),
        "clerk_full": issue(clerk, "full"),
        "partner_full": issue(partner, "full"),
    }


def test_a_reader_pages_through_the_feed_and_resumes_where_it_stopped(partners):
    api, token = ApiClient(), partners["events"]
    total = FeedEvent.objects.count()
    got, after = [], 0
    while True:
        answer = api.get("/events", token, after=after, limit=2)
        assert answer.status == 200
        got += [item["seq"] for item in answer.body["items"]]
        after = answer.body["last_seq"]
        if not answer.body["has_more"]:
            break
    assert got == list(range(1, total + 1))
    assert api.get("/events", token, after=after).body == {"items": [], "last_seq": after, "has_more": False}

    entered = [item for item in api.get("/events", token).body["items"] if item["type"] == "person.entered"]
    assert len(entered) == 3 and entered[0]["type_name"] == "入编"
    assert "id_number" not in entered[0]["payload"]["person"]
    calls = ApiCall.objects.filter(token__prefix=token[:11]).order_by("pk")
    assert [(c.method, c.status, c.rows) for c in calls[:2]] == [("GET", 200, 2), ("GET", 200, 2)]
    assert calls[0].path == "/api/v1/events?after=0&limit=2"
    read = AuditEvent.objects.filter(action="exchange.events_read").first()
    assert read.actor.username == "caizheng" and read.after["rows"] == total and read.after["id_numbers"] == 0


def test_full_id_numbers_only_for_a_token_allowed_them(partners):
    items = ApiClient().get("/events", partners["events_ids"]).body["items"]
    persons = [item["payload"]["person"] for item in items if item["type"] == "person.entered"]
    assert sorted(p["id_number"] for p in persons) == sorted(partners["numbers"])
    assert AuditEvent.objects.filter(action="exchange.events_read").first().after["id_numbers"] == 3


@pytest.mark.parametrize(
    ("token", "status"),
    [("events", 200), ("bianban_full", 200), ("ledger", 403), ("clerk_full", 403), ("partner_full", 403)],
)
def test_the_feed_needs_the_events_scope_or_a_county_bianban(partners, token, status):
    answer = ApiClient().get("/events", partners[token])
    assert answer.status == status
    if status == 403:
        assert answer.body["code"] == "api.scope_missing" and "events" in answer.body["message"]


def test_a_read_scope_opens_its_reads_only(partners):
    api, token = ApiClient(), partners["ledger"]
    assert api.get("/units", token).status == 200
    assert api.get(f"/units/{partners['unit'].pk}/ledger", token).status == 200
    refused = api.post("/units", {"name": "新机构"}, token)
    assert (refused.status, refused.body["code"]) == (403, "api.scope_missing")
    call = ApiCall.objects.filter(token__prefix=token[:11]).order_by("pk").last()
    assert (call.method, call.path, call.status, call.rows) == ("POST", "/api/v1/units", 403, 0)
    assert "full" in refused.body["message"]
    for path in ("/persons", "/matters", "/complaints"):
        assert api.get(path, token).body["code"] == "api.scope_missing"
    assert api.get("/persons", partners["events"]).status == 403
    assert api.get("/persons", partners["clerk_full"]).status == 200


def test_an_expired_or_revoked_token_is_refused(partners):
    api = ApiClient()
    api_token_revoke(actor=None, token=ApiToken.objects.get(prefix=partners["events"][:11]))
    assert api.get("/events", partners["events"]).body["code"] == "api.unauthenticated"
    ApiToken.objects.filter(prefix=partners["events_ids"][:11]).update(expires_at=timezone.now())
    assert api.get("/events", partners["events_ids"]).status == 401


@pytest.mark.django_db
def test_apitoken_issue_takes_scopes_and_refuses_unknown_ones(capsys):
    make_user("renshe", Role.PARTNER_READONLY, scope_county=True)
    call_command("apitoken", "issue", "renshe", "--name", "人社局", "--scope", "events", "--scope", "roster.read")
    token = ApiToken.objects.get()
    assert token.scopes == ["roster.read", "events"]
    assert "events" in capsys.readouterr().out
    with pytest.raises(BianzhiError) as refused:
        api_token_issue(actor=None, user=token.user, name="x", scopes=["roster.write"])
    assert refused.value.code == "api.scope_unknown" and ApiToken.objects.count() == 1
    clerk = make_user("clerk", Role.UNIT_OPERATOR, scope_unit=make_unit("锦绣县财政局"))
    with pytest.raises(BianzhiError) as refused:  # the feed is the whole county's: not for a unit's account
        api_token_issue(actor=None, user=clerk, name="x", scopes=["events"])
    assert refused.value.code == "api.scope_needs_county" and ApiToken.objects.count() == 1


def test_a_token_over_its_rate_gets_429_with_the_error_shape(partners, settings):
    settings.BIANZHI_API_CALLS_PER_MINUTE = 2
    api = ApiClient()
    assert [api.get("/events", partners["events"]).status for _ in range(2)] == [200, 200]
    response = api.client.get("/api/v1/events", headers={"Authorization": f"Bearer {partners['events']}"})
    body = json.loads(response.content)
    assert response.status_code == 429 and body["code"] == "api.rate_limited" and "2 次" in body["message"]
    assert 0 < int(response["Retry-After"]) <= 60 and body["details"]["retry_after"] == int(response["Retry-After"])
    assert api.get("/events", partners["events_ids"]).status == 200  # counted per token


@pytest.mark.django_db
def test_tokens_issued_before_scopes_keep_working_with_full():
    from django.apps import apps

    migration = importlib.import_module("bianzhi.api.migrations.0002_token_scopes")
    user = make_user("bianban", Role.BIANBAN_OPERATOR, scope_county=True)
    token, plaintext = api_token_issue(actor=None, user=user, name="旧令牌")
    ApiToken.objects.filter(pk=token.pk).update(scopes=[])  # as the column was added, before the data step

    migration.give_existing_tokens_full(apps, None)

    assert ApiToken.objects.get(pk=token.pk).scopes == ["full"]
    api = ApiClient()
    assert api.get("/units", plaintext).status == 200 and api.get("/events", plaintext).status == 200
