"""GET /units/{id}/ledger: the unit's slots and leadership posts as of a date, under the name it bore then."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bianzhi.orgs.services import unit_rename
from bianzhi.quotas.models import AccountKind, PostLevel, PostMovementKind
from bianzhi.quotas.services import post_authority_account, post_movement_post, post_unit_account
from tests.api.conftest import POOL, movement_body
from tests.factories import doc

pytestmark = pytest.mark.django_db


def quotas(api, unit, token, **params) -> dict[tuple[str, str], int]:
    answer = api.get(f"/units/{unit.pk}/ledger", token, **params)
    assert answer.status == 200, answer.body
    return {(row["quota_type"], row["funding_form"]): row["approved"] for row in answer.body["quotas"]}


def to_unit(unit, funding_form: str = "QE") -> dict:
    return {"kind": AccountKind.UNIT, "unit_id": unit.pk, "funding_form": funding_form}


def test_ledger_today_by_default(api, county, tokens):
    answer = api.get(f"/units/{county['school'].pk}/ledger", tokens["bianban"])
    assert answer.body == {
        "unit_id": county["school"].pk,
        "name": "锦绣县第一中学",
        "current_name": "锦绣县第一中学",
        "as_of": timezone.localdate().isoformat(),
        "quotas": [
            {
                "quota_type": "SY",
                "funding_form": "QE",
                "approved": 20,
                "occupied": 0,
                "reserved": 0,
                "vacant": 20,
                "usable": 20,
                "over": 0,
            }
        ],
        "posts": [],
    }


def test_leadership_posts_are_listed(api, county, tokens):
    post_movement_post(
        actor=None,
        kind=PostMovementKind.HEDING,
        from_account=post_authority_account(PostLevel.ZHENG, "ZHENGKE"),
        to_account=post_unit_account(county["finance"], PostLevel.ZHENG, "ZHENGKE"),
        amount=1,
        effective_date=dt.date(2020, 1, 1),
        document=doc(),
    )
    answer = api.get(f"/units/{county['finance'].pk}/ledger", tokens["caizheng"])
    assert answer.body["posts"] == [{"level": "ZHENG", "grade": "ZHENGKE", "approved": 1, "filled": 0, "vacant": 1}]


def test_a_posted_movement_shows_in_the_ledger(api, county, tokens):
    finance = county["finance"]
    assert quotas(api, finance, tokens["caizheng"]) == {("XZ", "QE"): 8}
    answer = api.post("/movements", movement_body(POOL, to_unit(finance), amount=2), tokens["bianban"])
    assert answer.status == 201, answer.body
    assert quotas(api, finance, tokens["caizheng"]) == {("XZ", "QE"): 10}
    # a second funding form is a second row
    api.post("/movements", movement_body(POOL, to_unit(finance, "CE"), amount=1), tokens["bianban"])
    assert quotas(api, finance, tokens["caizheng"]) == {("XZ", "QE"): 10, ("XZ", "CE"): 1}


def test_a_backdated_movement_changes_the_past(api, county, tokens):
    education, finance = county["education"], county["finance"]
    before = quotas(api, finance, tokens["bianban"], as_of="2021-05-31")
    body = movement_body(
        to_unit(finance), to_unit(education), amount=3, kind="HUAZHUAN", effective_date="2021-06-01"
    ) | {
        "document": {"number": "锦编发〔2021〕31号", "title": "划转", "issued_on": "2021-05-20", "issuer": "锦绣县编委"}
    }
    assert api.post("/movements", body, tokens["bianban"]).status == 201
    assert quotas(api, finance, tokens["bianban"], as_of="2021-05-31") == before == {("XZ", "QE"): 8}
    assert quotas(api, finance, tokens["bianban"], as_of="2021-06-01") == {("XZ", "QE"): 5}
    assert quotas(api, education, tokens["bianban"], as_of="2021-06-01") == {("XZ", "QE"): 13}
    assert quotas(api, finance, tokens["bianban"]) == {("XZ", "QE"): 5}


def test_the_name_is_the_one_borne_on_the_date(api, county, tokens):
    finance = county["finance"]
    unit_rename(actor=None, unit=finance, name="锦绣县财政和国资局", document=doc(), effective_date=dt.date(2022, 1, 1))
    old = api.get(f"/units/{finance.pk}/ledger", tokens["bianban"], as_of="2021-12-31").body
    assert (old["name"], old["current_name"]) == ("锦绣县财政局", "锦绣县财政和国资局")
    assert (
        api.get(f"/units/{finance.pk}/ledger", tokens["bianban"], as_of="2022-01-01").body["name"]
        == "锦绣县财政和国资局"
    )
    before_it_existed = api.get(f"/units/{finance.pk}/ledger", tokens["bianban"], as_of="2019-12-31").body
    assert (before_it_existed["name"], before_it_existed["quotas"]) == (None, [])


@pytest.mark.parametrize("as_of", ["2021-02-30", "yesterday", "20210101x", "0000-01-01", "0", "1766361600", "20210101"])
def test_bad_as_of_is_422(api, county, tokens, as_of):
    answer = api.get(f"/units/{county['finance'].pk}/ledger", tokens["bianban"], as_of=as_of)
    assert (answer.status, answer.body["code"]) == (422, "api.invalid_input")
    assert answer.body["details"]["fields"] == [
        {"location": "query", "field": "as_of", "message": "须为 YYYY-MM-DD 格式的有效日期"}
    ]


def test_missing_unit_ledger_is_404(api, county, tokens):
    answer = api.get("/units/424242/ledger", tokens["bianban"])
    assert (answer.status, answer.body["code"]) == (404, "common.not_found")
