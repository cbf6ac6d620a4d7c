"""GET /movements (the journal) and POST /movements: a refused movement answers 400 in Chinese and leaves the
ledger exactly as it was, down to the accounts it would have opened."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from bianzhi.audit.models import AuditEvent
from bianzhi.orgs.models import Document
from bianzhi.quotas.models import Movement, QuotaAccount, QuotaBalance
from bianzhi.quotas.services import unit_account
from tests.api.conftest import POOL, document, grant, movement_body

pytestmark = pytest.mark.django_db


def ledger_state() -> dict:
    return {m.__name__: m.objects.count() for m in (Movement, QuotaBalance, QuotaAccount, Document, AuditEvent)}


def unit_side(unit, funding_form: str | None = "QE") -> dict:
    return {"kind": "UNIT", "unit_id": unit.pk, "funding_form": funding_form}


def test_journal_newest_first_with_filters(api, county, tokens):
    body = movement_body(unit_side(county["finance"]), unit_side(county["education"]), kind="HUAZHUAN", amount=2)
    assert api.post("/movements", body, tokens["bianban"]).status == 201
    journal = api.get("/movements", tokens["bianban"]).body
    assert journal["count"] == 6
    dates = [m["effective_date"] for m in journal["items"]]
    assert dates == sorted(dates, reverse=True) and dates[0] == "2021-03-01"
    newest = journal["items"][0]
    assert (newest["kind"], newest["amount"], newest["quota_type"]) == ("HUAZHUAN", 2, "XZ")
    assert newest["from"] == {
        "kind": "UNIT",
        "unit_id": county["finance"].pk,
        "unit_name": "锦绣县财政局",
        "funding_form": "QE",
    }
    assert newest["document"]["number"] == "锦编发〔2021〕7号"
    finance = api.get("/movements", tokens["bianban"], unit_id=county["finance"].pk).body
    assert finance["count"] == 2
    assert api.get("/movements", tokens["bianban"], since="2021-01-01").body["count"] == 1
    assert api.get("/movements", tokens["bianban"], until="2020-12-31").body["count"] == 5
    page = api.get("/movements", tokens["bianban"], limit=2, offset=4).body
    assert (page["count"], len(page["items"])) == (6, 2)


def test_journal_filter_on_a_unit_outside_the_scope_is_403(api, county, tokens):
    answer = api.get("/movements", tokens["jiaoyu"], unit_id=county["finance"].pk)
    assert (answer.status, answer.body["code"]) == (403, "common.out_of_scope")
    assert api.get("/movements", tokens["jiaoyu"], unit_id=county["school"].pk).body["count"] == 1
    assert api.get("/movements", tokens["bianban"], unit_id=987654).status == 404


def _browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


_ROW = re.compile(
    r'<tr id="movement-\d+"><td class="text-nowrap">(\d{4}-\d\d-\d\d)</td>.*?<td class="num">(\d+)</td>'
    r'.*?<td class="text-nowrap"><a href="/orgs/documents/\d+/" class="[^"]*" title="[^"]*">([^<]+)</a>',
    re.S,
)


def _page_rows(client, **params) -> list[tuple[str, int, str]]:
    response = client.get(reverse("quotas:movement_list"), params)
    assert response.status_code == 200
    return [(day, int(amount), number) for day, amount, number in _ROW.findall(response.content.decode())]


def _api_rows(api, token, **params) -> list[tuple[str, int, str]]:
    answer = api.get("/movements", token, limit=500, **params)
    assert answer.status == 200, answer.body
    return [(m["effective_date"], m["amount"], m["document"]["number"]) for m in answer.body["items"]]


def test_the_journal_page_and_the_api_list_the_same_movements_in_the_same_order(api, county, users, tokens):
    grant(
        unit_account(county["finance"], "XZ", "QE"),
        unit_account(county["education"], "XZ", "QE"),
        2,
        day=dt.date(2021, 6, 1),
        kind="HUAZHUAN",
    )
    filters = [
        ({}, {}),
        ({"q": "财政"}, {"q": "财政"}),
        ({"unit": county["finance"].pk}, {"unit_id": county["finance"].pk}),
        ({"since": "2021-01-01", "until": "2021-12-31"}, {"since": "2021-01-01", "until": "2021-12-31"}),
    ]
    for name in ("bianban", "jiaoyu"):
        client = _browser(users[name])
        for page_params, api_params in filters:
            if name == "jiaoyu" and "unit" in page_params:
                continue
            rows = _api_rows(api, tokens[name], **api_params)
            assert _page_rows(client, **page_params) == rows, (name, page_params)
    assert len(_api_rows(api, tokens["jiaoyu"])) < len(_api_rows(api, tokens["bianban"]))
    assert _api_rows(api, tokens["bianban"], q="财政") == _api_rows(
        api, tokens["bianban"], unit_id=county["finance"].pk
    )


def test_the_journal_of_a_unit_out_of_scope_is_refused_on_both_sides(api, county, users, tokens):
    answer = api.get("/movements", tokens["jiaoyu"], unit_id=county["finance"].pk)
    assert (answer.status, answer.body["code"]) == (403, "common.out_of_scope")
    response = _browser(users["jiaoyu"]).get(reverse("quotas:movement_list"), {"unit": county["finance"].pk})
    assert response.status_code == 403


def test_a_movement_is_posted_audited_and_returned(api, county, users, tokens):
    body = movement_body(POOL, unit_side(county["finance"]), amount=4, reason="新增职能")
    answer = api.post("/movements", body, tokens["bianban"])
    assert answer.status == 201, answer.body
    movement = Movement.objects.get(pk=answer.body["id"])
    assert (movement.amount, movement.created_by, movement.reason) == (4, users["bianban"], "新增职能")
    assert answer.body["to"]["unit_name"] == "锦绣县财政局"
    assert answer.body["from"] == {"kind": "POOL", "unit_id": None, "unit_name": None, "funding_form": None}
    event = AuditEvent.objects.get(action="quotas.movement_posted", object_id=str(movement.pk))
    assert event.actor_name == "bianban"


REFUSALS = [
    (
        "insufficient balance",
        lambda c: movement_body(POOL, unit_side(c["finance"]), amount=1000),
        "quotas.insufficient",
        "不足以划出",
    ),
    (
        "wrong route",
        lambda c: movement_body(POOL, unit_side(c["finance"]), kind="HEJIAN"),
        "quotas.route",
        "「核减」不能从县机动编制划至单位",
    ),
    (
        "type not allowed for the unit kind",
        lambda c: movement_body(POOL, unit_side(c["finance"]), quota_type="SY"),
        "quotas.type_not_allowed",
        "事业编制只能用于事业单位",
    ),
    (
        "政法 slots for a unit that is not 政法",
        lambda c: movement_body(POOL, unit_side(c["finance"]), quota_type="ZFZX"),
        "quotas.type_not_allowed",
        "政法专项编制只能用于",
    ),
    (
        "no funding form",
        lambda c: movement_body(POOL, unit_side(c["finance"], None)),
        "quotas.funding_required",
        "经费形式",
    ),
    (
        "公益一类 with 差额 funding",
        lambda c: movement_body(POOL, unit_side(c["school"], "CE"), quota_type="SY"),
        "quotas.funding_gy1",
        "公益一类",
    ),
    (
        "same account",
        lambda c: movement_body(unit_side(c["finance"]), unit_side(c["finance"]), kind="HUAZHUAN"),
        "quotas.same_account",
        "同一账户",
    ),
    (
        "future date",
        lambda c: movement_body(POOL, unit_side(c["finance"]), effective_date="2099-01-01"),
        "documents.effective_in_future",
        "晚于今天",
    ),
    (
        "before the document",
        lambda c: movement_body(POOL, unit_side(c["finance"]), effective_date="2021-02-28"),
        "documents.effective_before_issue",
        "早于批准文件的发文日期",
    ),
    (
        "grant flag not from the authority",
        lambda c: movement_body(POOL, unit_side(c["finance"]), authority_grant=True),
        "quotas.grant_only_from_authority",
        "上级专项核增",
    ),
    (
        "conflicting document",
        lambda c: movement_body(
            POOL, unit_side(c["finance"]), document=document(Document.objects.earliest("pk").number, "2020-01-01")
        ),
        "documents.conflict",
        "已登记为",
    ),
    (
        "before the unit existed",
        lambda c: movement_body(
            POOL,
            unit_side(c["finance"]),
            effective_date="2019-06-01",
            document=document("锦编发〔2019〕3号", "2019-05-01"),
        ),
        "orgs.unit_not_yet_established",
        "设立",
    ),
]


@pytest.mark.parametrize(("label", "build", "code", "words"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refused_movement_is_400_in_chinese_and_changes_nothing(api, county, tokens, label, build, code, words):
    before = ledger_state()
    answer = api.post("/movements", build(county), tokens["bianban"])
    assert (answer.status, answer.body["code"]) == (400, code), answer.body
    assert words in answer.body["message"]
    assert ledger_state() == before


def test_refused_movement_opens_no_account(api, county, tokens):
    before = ledger_state()
    answer = api.post(
        "/movements", movement_body(POOL, unit_side(county["finance"], "CE"), amount=999), tokens["bianban"]
    )
    assert (answer.status, answer.body["code"]) == (400, "quotas.insufficient")
    assert not QuotaAccount.objects.filter(unit=county["finance"], funding_form="CE").exists()
    assert ledger_state() == before


@pytest.mark.parametrize(
    ("side", "field", "words"),
    [
        ({"kind": "UNIT"}, "from.UNIT.unit_id", "必填"),
        ({"kind": "POOL", "unit_id": 1}, "from.POOL.unit_id", "不是可接受的字段"),
        ({"kind": "POOL", "funding_form": "QE"}, "from.POOL.funding_form", "不是可接受的字段"),
        ({"kind": "BANK"}, "from", "取值「BANK」无效"),
        ({"kind": "UNIT", "unit_id": 1, "funding_form": "XX"}, "from.UNIT.funding_form", "须为以下取值之一"),
        ({}, "from", "须填写"),
    ],
)
def test_malformed_sides_are_422(api, county, tokens, side, field, words):
    before = ledger_state()
    answer = api.post("/movements", movement_body(side, unit_side(county["finance"])), tokens["bianban"])
    assert (answer.status, answer.body["code"]) == (422, "api.invalid_input"), answer.body
    messages = {f["field"]: f["message"] for f in answer.body["details"]["fields"]}
    assert words in messages[field], messages
    assert ledger_state() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": 0}, "amount"),
        ({"amount": 100_001}, "amount"),
        ({"amount": 10**40}, "amount"),
        ({"amount": 1.5}, "amount"),
        ({"amount": "many"}, "amount"),
        ({"amount": True}, "amount"),
        ({"amount": "1"}, "amount"),
        ({"effective_date": 1766361600}, "effective_date"),
        ({"effective_date": 0}, "effective_date"),
        ({"effective_date": "20210301"}, "effective_date"),
        ({"authority_grant": 1}, "authority_grant"),
        ({"authority_grant": "true"}, "authority_grant"),
        ({"document": {"number": "锦编发〔2021〕7号", "issued_on": 1614556800}}, "document.issued_on"),
        ({"kind": "GIFT"}, "kind"),
        ({"quota_type": "QQ"}, "quota_type"),
        ({"reason": "事由\x00"}, "reason"),
        ({"document": {"number": "锦编发\x00"}}, "document.number"),
        ({"document": {"number": "x" * 101}}, "document.number"),
        ({"effective_date": None}, "effective_date"),
    ],
)
def test_invalid_movement_fields_are_422(api, county, tokens, changes, field):
    before = ledger_state()
    answer = api.post("/movements", movement_body(POOL, unit_side(county["finance"])) | changes, tokens["bianban"])
    assert (answer.status, answer.body["code"]) == (422, "api.invalid_input"), answer.body
    assert field in {f["field"] for f in answer.body["details"]["fields"]}
    assert ledger_state() == before


def test_unknown_unit_in_a_side_is_404(api, county, tokens):
    before = ledger_state()
    answer = api.post("/movements", movement_body(POOL, {"kind": "UNIT", "unit_id": 31337}), tokens["bianban"])
    assert (answer.status, answer.body) == (
        404,
        {"code": "common.not_found", "message": "未找到该机构。", "details": {}},
    )
    assert ledger_state() == before


def test_unit_operator_cannot_post_even_inside_the_scope(api, county, tokens):
    before = ledger_state()
    answer = api.post("/movements", movement_body(POOL, unit_side(county["education"])), tokens["jiaoyu"])
    assert (answer.status, answer.body["code"]) == (403, "common.permission_denied")
    assert ledger_state() == before


def test_admin_cannot_post_between_county_accounts(api, county, tokens):
    before = ledger_state()
    body = movement_body(POOL, {"kind": "AUTHORITY"}, kind="SHOUHUI")
    answer = api.post("/movements", body, tokens["xitong"])
    assert (answer.status, answer.body["code"]) == (403, "common.permission_denied")
    assert ledger_state() == before
