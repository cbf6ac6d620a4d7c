"""GET /units, GET /units/{id}, POST /units, and the input nobody should be able to break them with."""

from __future__ import annotations

import json

import pytest

from bianzhi.accounts.roles import Role
from bianzhi.api.services import api_token_issue
from bianzhi.audit.models import AuditEvent
from bianzhi.lifecycle.services import unit_abolish
from bianzhi.orgs.models import Unit
from tests.api.conftest import document, unit_body
from tests.factories import doc, make_user

pytestmark = pytest.mark.django_db


def names(answer) -> list[str]:
    return [u["name"] for u in answer.body["items"]]


def test_list_is_paginated_with_a_total(api, county, tokens):
    everything = api.get("/units", tokens["bianban"])
    assert everything.body["count"] == 3
    assert names(everything) == ["锦绣县教育局", "锦绣县第一中学", "锦绣县财政局"]  # tree order
    second = api.get("/units", tokens["bianban"], limit=1, offset=1)
    assert (second.body["count"], second.body["limit"], second.body["offset"]) == (3, 1, 1)
    assert names(second) == ["锦绣县第一中学"]
    assert api.get("/units", tokens["bianban"], offset=10).body == {"count": 3, "limit": 50, "offset": 10, "items": []}


@pytest.mark.parametrize("query", ["财政", "caizheng", "jxxczj", "czj"])
def test_search_by_name_pinyin_or_initials(api, county, tokens, query):
    assert names(api.get("/units", tokens["bianban"], q=query)) == ["锦绣县财政局"]


def test_search_stays_inside_the_scope(api, county, tokens):
    assert api.get("/units", tokens["jiaoyu"], q="财政").body["count"] == 0


def test_inactive_units_only_on_request(api, county, tokens):
    unit_abolish(actor=None, unit=county["finance"], document=doc(), effective_date=county["finance"].established_on)
    assert "锦绣县财政局" not in names(api.get("/units", tokens["bianban"]))
    listed = api.get("/units", tokens["bianban"], include_inactive="true")
    assert {u["name"]: u["status"] for u in listed.body["items"]}["锦绣县财政局"] == "ABOLISHED"


def test_one_unit(api, county, tokens):
    answer = api.get(f"/units/{county['school'].pk}", tokens["bianban"])
    assert answer.status == 200
    assert answer.body | {"id": None} == {
        "id": None,
        "name": "锦绣县第一中学",
        "short_name": "",
        "other_names": [],
        "system_category": "ZHENGFU",
        "kind": "SHIYE",
        "nature": "SHIYE",
        "rank": "ZHENGKE",
        "status": "ACTIVE",
        "institution_class": "GY1",
        "is_canggong": False,
        "is_zhengfa": False,
        "parent_id": county["education"].pk,
        "sponsor_id": None,
        "successor_id": None,
        "uscc": None,
        "code": None,
        "established_on": "2020-01-01",
        "abolished_on": None,
    }


def test_missing_unit_is_404_in_chinese(api, county, tokens):
    answer = api.get("/units/999999", tokens["bianban"])
    assert (answer.status, answer.body) == (
        404,
        {"code": "common.not_found", "message": "未找到该机构。", "details": {}},
    )


def test_create_a_unit(api, county, tokens):
    body = unit_body(
        "锦绣县第二中学",
        kind="SHIYE",
        nature="SHIYE",
        institution_class="GY1",
        parent_id=county["education"].pk,
        sponsor_id=county["education"].pk,
        short_name="二中",
        other_names=["锦绣县青少年活动中心"],
        code="JX-0002",
        reason="新建学校",
    )
    answer = api.post("/units", body, tokens["bianban"])
    assert answer.status == 201, answer.body
    unit = Unit.objects.get(name="锦绣县第二中学")
    assert answer.body["id"] == unit.pk
    assert (unit.parent, unit.sponsor, unit.short_name, unit.code) == (
        county["education"],
        county["education"],
        "二中",
        "JX-0002",
    )
    assert unit.other_names == ["锦绣县青少年活动中心"]
    assert unit.versions.get().document.number == "锦编发〔2021〕9号"
    event = AuditEvent.objects.get(action="orgs.unit_created", object_id=str(unit.pk))
    assert (event.actor_name, event.reason) == ("bianban", "新建学校")
    # the new unit is immediately readable through the API, and inside 教育局's scope
    assert api.get(f"/units/{unit.pk}", tokens["jiaoyu"]).status == 200


def test_an_operator_scoped_to_a_unit_creates_only_under_it(api, county):
    operator = make_user("jiaoyu_bianban", Role.BIANBAN_OPERATOR, scope_unit=county["education"])
    _, token = api_token_issue(actor=None, user=operator, name="教育口")
    inside = api.post("/units", unit_body("锦绣县教育技术中心", parent_id=county["education"].pk), token)
    assert inside.status == 201, inside.body
    outside = api.post("/units", unit_body("锦绣县财政投资评审中心", parent_id=county["finance"].pk), token)
    assert (outside.status, outside.body["code"]) == (403, "common.out_of_scope")


def test_unit_operator_may_not_create_units_even_in_scope(api, county, tokens):
    answer = api.post("/units", unit_body(parent_id=county["education"].pk), tokens["jiaoyu"])
    assert (answer.status, answer.body["code"]) == (403, "common.permission_denied")
    assert not Unit.objects.filter(name="锦绣县数据局").exists()


@pytest.mark.parametrize(
    ("changes", "code", "words"),
    [
        ({"rank": "ZHENGCHU"}, "orgs.rank_above_parent", "不能高于上级机构"),
        ({"name": "锦绣县财政局", "parent_id": None}, "orgs.name_taken", "已有同名"),
        ({"kind": "SHIYE", "nature": "SHIYE"}, "orgs.class_required", "事业单位分类"),
        ({"uscc": "91350100M000100Y44"}, "orgs.uscc_invalid", "统一社会信用代码无效"),
        ({"effective_date": "2099-01-01"}, "documents.effective_in_future", "晚于今天"),
        ({"document": {"number": "未登记的文号"}}, "documents.incomplete", "尚未登记"),
        ({"name": "   "}, "orgs.name_required", "机构全称"),
    ],
)
def test_refused_creation_is_400_in_chinese_and_creates_nothing(api, county, tokens, changes, code, words):
    before = (Unit.objects.count(), AuditEvent.objects.count())
    answer = api.post("/units", unit_body(parent_id=county["education"].pk) | changes, tokens["bianban"])
    assert (answer.status, answer.body["code"]) == (400, code), answer.body
    assert words in answer.body["message"]
    assert (Unit.objects.count(), AuditEvent.objects.count()) == before


BAD_BODIES = [
    ("not json", "{name: 1", "application/json", 400, "api.malformed_body"),
    ("truncated", '{"name": "x"', "application/json", 400, "api.malformed_body"),
    ("invalid utf-8", b'{"name": "\xff\xfe"}', "application/json", 400, "api.malformed_body"),
    ("digits beyond any parser", '{"parent_id": 1' + "0" * 5000 + "}", "application/json", 400, "api.malformed_body"),
    ("text/plain", "{}", "text/plain", 415, "api.unsupported_media_type"),
    ("form", "name=x", "application/x-www-form-urlencoded", 415, "api.unsupported_media_type"),
    ("empty", "", "application/json", 422, "api.invalid_input"),
    ("array", "[]", "application/json", 422, "api.invalid_input"),
    ("null", "null", "application/json", 422, "api.invalid_input"),
]


@pytest.mark.parametrize(("label", "raw", "content_type", "status", "code"), BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
def test_unreadable_bodies_are_4xx(api, county, tokens, label, raw, content_type, status, code):
    before = Unit.objects.count()
    answer = api.post("/units", raw, tokens["bianban"], content_type=content_type)
    assert (answer.status, answer.body["code"]) == (status, code)
    assert answer.body["message"] and not answer.body["message"].isascii()
    assert Unit.objects.count() == before


BAD_FIELDS = [
    ("unknown enum", {"kind": "BUREAU"}, "kind", "须为以下取值之一"),
    ("NUL in a name", {"name": "锦绣县\x00局"}, "name", "空字符"),
    ("NUL in a list", {"other_names": ["牌子\x00"]}, "other_names.0", "空字符"),
    ("lone surrogate", {"name": "锦绣县\ud800局"}, "name", "无法存储"),
    ("huge integer", {"parent_id": 2**64}, "parent_id", "不能大于"),
    ("negative id", {"parent_id": -1}, "parent_id", "不能小于"),
    ("string id", {"parent_id": "abc"}, "parent_id", "须为整数"),
    ("too long", {"name": "局" * 201}, "name", "最多 200 个字符"),
    ("bad date", {"effective_date": "2021-02-30"}, "effective_date", "日期"),
    ("missing", {"name": None}, "name", "须为字符串"),
    ("unknown field", {"colour": "red"}, "colour", "不是可接受的字段"),
    ("nested", {"document": {"number": "x", "issued_on": "yesterday"}}, "document.issued_on", "日期"),
]


@pytest.mark.parametrize(("label", "changes", "field", "words"), BAD_FIELDS, ids=[b[0] for b in BAD_FIELDS])
def test_invalid_fields_are_422_listing_each_field(api, county, tokens, label, changes, field, words):
    before = Unit.objects.count()
    body = unit_body() | changes
    raw = json.dumps(body, ensure_ascii=True)  # an unpaired surrogate can only travel escaped
    answer = api.post("/units", raw, tokens["bianban"])
    assert answer.status == 422, answer.body
    assert answer.body["code"] == "api.invalid_input"
    assert answer.body["message"].startswith("请求参数有误：")
    fields = {f["field"]: f for f in answer.body["details"]["fields"]}
    assert words in fields[field]["message"]
    assert fields[field]["location"] == "body"
    assert Unit.objects.count() == before


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": 10**30}, "offset"),
        ({"q": "财\x00政"}, "q"),
        ({"q": "x" * 101}, "q"),
        ({"include_inactive": "maybe"}, "include_inactive"),
    ],
)
def test_invalid_query_parameters_are_422(api, county, tokens, params, field):
    answer = api.get("/units", tokens["bianban"], **params)
    assert (answer.status, answer.body["code"]) == (422, "api.invalid_input")
    assert [f["field"] for f in answer.body["details"]["fields"]] == [field]
    assert answer.body["details"]["fields"][0]["location"] == "query"


@pytest.mark.parametrize("path", ["/units/abc", "/units/0", f"/units/{2**63}", "/units/1.5"])
def test_invalid_unit_ids_are_422(api, county, tokens, path):
    answer = api.get(path, tokens["bianban"])
    assert (answer.status, answer.body["code"]) == (422, "api.invalid_input")


def test_a_registered_document_is_cited_by_number_alone(api, county, tokens):
    assert (
        api.post("/units", unit_body("锦绣县甲局", document=document("锦编发〔2021〕20号")), tokens["bianban"]).status
        == 201
    )
    again = api.post("/units", unit_body("锦绣县乙局", document={"number": "锦编发[2021]20号"}), tokens["bianban"])
    assert again.status == 201, again.body


@pytest.mark.parametrize(("method", "path"), [("delete", "/units"), ("put", "/units/1"), ("post", "/units/1/ledger")])
def test_wrong_method_is_405_in_the_error_shape(api, county, tokens, method, path):
    response = getattr(api.client, method)(f"/api/v1{path}", headers={"Authorization": f"Bearer {tokens['bianban']}"})
    answer = api._answer(response)
    assert answer.status == 405
    assert answer.body["code"] == "api.method_not_allowed"
    assert method.upper() in answer.body["message"]
    assert "GET" in answer.headers["Allow"]


def test_an_oversized_body_is_413(api, county, tokens, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    answer = api.post("/units", unit_body(reason="理由" * 1000), tokens["bianban"])
    assert (answer.status, answer.body["code"]) == (413, "api.too_large")
    assert "1000" in answer.body["message"]
