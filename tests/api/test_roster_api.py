"""The roster over HTTP: a unit asks for slots, the 编办 approves, the unit onboards, and the ledger counts the
person. The full ID number and the phone number go in and never come out; a refusal changes nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.audit.models import AuditEvent
from bianzhi.core.errors import BianzhiError
from bianzhi.core.ids import mask_id_number
from bianzhi.orgs.models import Document
from bianzhi.quotas.models import AccountKind, QuotaAccount
from bianzhi.quotas.services import county_account
from bianzhi.roster import crypto, loans, staffing
from bianzhi.roster.models import Approval, ApprovalStep, Occupancy, Person, SerialCounter, TurnoverLoan
from tests.api.conftest import ApiClient, document, grant
from tests.factories import make_user
from tests.quotas.support import CJK
from tests.roster.support import approved, new_id, person

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
VALID_ID = new_id()
BAD_ID = VALID_ID[:-1] + ("1" if VALID_ID[-1] == "0" else "0")  # the check digit is wrong


class RecordingClient(ApiClient):
    """Keeps every response body, so that a test can say what never came back."""

    def __init__(self):
        super().__init__()
        self.bodies: list[str] = []

    def _answer(self, response, expect_server_error: bool = False):
        self.bodies.append(response.content.decode())
        return super()._answer(response, expect_server_error)

    def patch(self, path: str, body: dict, token: str):
        response = self.client.patch(
            f"/api/v1{path}",
            json.dumps(body, ensure_ascii=False),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        return self._answer(response)


@pytest.fixture
def api() -> RecordingClient:
    return RecordingClient()


def today() -> str:
    return timezone.localdate().isoformat()


def snapshot() -> dict:
    counts = {
        m.__name__: m.objects.count()
        for m in (Person, Occupancy, Approval, ApprovalStep, Document, AuditEvent, QuotaAccount, SerialCounter)
    }
    return {
        **counts,
        "approvals": list(Approval.objects.order_by("pk").values_list("status", "used", "serial")),
        "persons": list(Person.objects.order_by("pk").values_list("name", "unit_id", "status", "position")),
        "loans": list(TurnoverLoan.objects.order_by("pk").values_list("status", "returned")),
    }


def approval_body(unit, count: int = 1, **extra) -> dict:
    return {
        "unit_id": unit.pk,
        "quota_type": "XZ",
        "funding_form": "QE",
        "count": count,
        "entry_mode": "KL",
        "purpose": "补充教研骨干",
        "submit": True,
        **extra,
    }


def person_body(name: str = "李晓梅", id_number: str | None = None, **details) -> dict:
    return {"name": name, "id_number": id_number or new_id(male=False), **details}


def onboarding_body(person: dict | None = None, **slot) -> dict:
    return {
        "person": person or person_body(),
        "start_date": today(),
        "entry_mode": "KL",
        "document": document("锦人社发〔2021〕5号"),
        **slot,
    }


def exit_body(person_id: int, **extra) -> dict:
    return {
        "person_id": person_id,
        "end_date": today(),
        "reason": "TX",
        "document": document("锦人社发〔2021〕6号"),
        **extra,
    }


def transfer_body(person_id: int, unit, **extra) -> dict:
    return {
        "person_id": person_id,
        "unit_id": unit.pk,
        "quota_type": "XZ",
        "funding_form": "QE",
        "effective_date": today(),
        "document": document("锦编发〔2021〕8号"),
        **extra,
    }


def onboarded(unit, name: str = "王建国", **kwargs) -> Person:
    """Someone in the unit, through the services (the system acting)."""
    return staffing.occupancy_start(
        actor=None,
        data=person(name, **kwargs),
        slot=staffing.Slot(approval=approved(unit, 1)),
        start_date=timezone.localdate(),
        entry_mode="KL",
        document=Document.objects.earliest("pk"),
    ).person


def ledger_row(api, tokens, unit) -> dict:
    rows = api.get(f"/units/{unit.pk}/ledger", tokens["bianban"]).body["quotas"]
    return next(r for r in rows if (r["quota_type"], r["funding_form"]) == ("XZ", "QE"))


def assert_refused(answer, status: int, code: str):
    assert (answer.status, answer.body["code"]) == (status, code), answer.body
    assert CJK.search(answer.body["message"]), answer.body


# ---------------------------------------------------------------- the whole flow


def test_unit_asks_bianban_approves_unit_onboards_and_the_ledger_counts(api, county, tokens):
    education = county["education"]
    asked = api.post("/approvals", approval_body(education), tokens["jiaoyu"])
    assert asked.status == 201, asked.body
    assert (asked.body["status"], asked.body["serial"], asked.body["unit"]["name"]) == (
        "SUBMITTED",
        None,
        "锦绣县教育局",
    )
    assert [s["action"] for s in asked.body["steps"]] == ["drafted", "submitted"]
    assert {s["actor"] for s in asked.body["steps"]} == {"jiaoyu"}
    assert ledger_row(api, tokens, education)["reserved"] == 0

    decided = api.post(f"/approvals/{asked.body['id']}/approve", {"comment": "同意"}, tokens["bianban"])
    assert decided.status == 200, decided.body
    assert (decided.body["status"], decided.body["review_comment"]) == ("APPROVED", "同意")
    assert decided.body["serial"] and decided.body["approved_on"] == today()
    assert ledger_row(api, tokens, education)["reserved"] == 1

    number = new_id(male=False, birth=dt.date(1994, 8, 3))
    body = onboarding_body(person_body("李晓梅", number, phone=PHONE, position="教研员"), approval_id=asked.body["id"])
    entry = api.post("/onboardings", body, tokens["jiaoyu"])
    assert entry.status == 201, entry.body
    assert entry.body["entry_serial"].startswith("入编〔")
    assert entry.body["approval_serial"] == decided.body["serial"]
    assert (entry.body["quota_type"], entry.body["funding_form"], entry.body["loan_serial"]) == ("XZ", "QE", None)
    assert (entry.body["unit"]["id"], entry.body["start_date"], entry.body["end_date"]) == (education.pk, today(), None)
    person_id = entry.body["person_id"]

    listed = api.get("/persons", tokens["jiaoyu"], q="lixiaomei")
    assert listed.body["count"] == 1
    assert listed.body["items"][0] == {
        "id": person_id,
        "name": "李晓梅",
        "gender": "2",
        "id_masked": mask_id_number(number),
        "id_number": None,
        "unit": {"id": education.pk, "name": "锦绣县教育局"},
        "status": "IN_QUOTA",
        "on_leave": False,
        "slot": {"quota_type": "XZ", "funding_form": "QE", "start_date": today(), "loan_serial": None},
    }
    assert api.get("/persons", tokens["bianban"], q=number).body["count"] == 1  # the full number finds the person
    detail = api.get(f"/persons/{person_id}", tokens["jiaoyu"]).body
    assert (detail["birth_date"], detail["position"]) == ("1994-08-03", "教研员")
    assert [o["entry_serial"] for o in detail["occupancies"]] == [entry.body["entry_serial"]]
    assert "phone" not in detail and detail["id_number"] is None  # the full number only for roster.id_number
    assert api.get(f"/approvals/{asked.body['id']}", tokens["jiaoyu"]).body["status"] == "FULLY_USED"

    row = ledger_row(api, tokens, education)
    assert (row["approved"], row["occupied"], row["reserved"], row["vacant"]) == (10, 1, 0, 9)

    # the person is stored encrypted; no answer ever carried the number or the phone
    assert crypto.decrypt(Person.objects.get(pk=person_id).phone_cipher) == PHONE
    assert len(api.bodies) >= 10
    for body_text in api.bodies:
        assert number not in body_text and number[:17] not in body_text and PHONE not in body_text


def test_offboarding_frees_the_slot(api, county, tokens):
    someone = onboarded(county["education"])
    answer = api.post("/offboardings", exit_body(someone.pk) | {"note": "年满六十周岁"}, tokens["jiaoyu"])
    assert answer.status == 201, answer.body
    assert (answer.body["end_date"], answer.body["exit_reason"]) == (today(), "TX")
    assert answer.body["exit_serial"].startswith("出编〔")
    assert answer.body["exit_document"]["number"] == "锦人社发〔2021〕6号"
    listed = api.get("/persons", tokens["jiaoyu"], status="OUT").body["items"]
    assert [(p["id"], p["slot"]) for p in listed] == [(someone.pk, None)]
    assert ledger_row(api, tokens, county["education"])["occupied"] == 0
    again = api.post("/offboardings", exit_body(someone.pk), tokens["jiaoyu"])
    assert_refused(again, 400, "roster.not_in_quota")


def test_transfer_moves_the_person_out_of_the_unit_scope(api, county, tokens):
    someone = onboarded(county["education"], "赵磊")
    answer = api.post("/transfers", transfer_body(someone.pk, county["finance"], reason="工作需要"), tokens["bianban"])
    assert answer.status == 201, answer.body
    assert answer.body["unit"]["name"] == "锦绣县财政局"
    history = api.get(f"/persons/{someone.pk}", tokens["bianban"]).body["occupancies"]
    assert [(o["unit"]["name"], o["end_date"]) for o in history] == [("锦绣县教育局", today()), ("锦绣县财政局", None)]
    assert history[1]["transferred_from_id"] == history[0]["id"]
    assert_refused(api.get(f"/persons/{someone.pk}", tokens["jiaoyu"]), 403, "common.out_of_scope")
    assert (
        ledger_row(api, tokens, county["education"])["occupied"],
        ledger_row(api, tokens, county["finance"])["occupied"],
    ) == (0, 1)


def test_transfer_against_an_approval_of_another_slot_is_refused(api, county, tokens):
    someone = onboarded(county["education"])
    elsewhere = approved(county["education"], 1)
    before = snapshot()
    body = transfer_body(someone.pk, county["finance"], approval_id=elsewhere.pk)
    answer = api.post("/transfers", body, tokens["bianban"])
    assert_refused(answer, 400, "roster.approval_mismatch")
    assert elsewhere.serial in answer.body["message"]
    assert snapshot() == before


def test_onboarding_on_a_turnover_loan(api, county, tokens):
    grant(county_account(AccountKind.AUTHORITY, "XZ"), county_account(AccountKind.TURNOVER, "XZ"), 2)
    loan = loans.loan_grant(
        actor=None,
        unit=county["education"],
        quota_type="XZ",
        funding_form="QE",
        count=1,
        purpose="TALENT",
        start_date=dt.date(2021, 3, 1),
        due_date=dt.date(2030, 3, 1),
        document=Document.objects.earliest("pk"),
    )
    answer = api.post("/onboardings", onboarding_body(loan_id=loan.pk, hire_kind="NEW"), tokens["jiaoyu"])
    assert answer.status == 201, answer.body
    assert (answer.body["loan_serial"], answer.body["approval_serial"]) == (loan.serial, None)
    [listed] = api.get("/persons", tokens["jiaoyu"]).body["items"]
    assert listed["slot"]["loan_serial"] == loan.serial
    assert_refused(
        api.post("/onboardings", onboarding_body(loan_id=loan.pk), tokens["jiaoyu"]), 400, "roster.loan_full"
    )
    assert_refused(api.post("/onboardings", onboarding_body(loan_id=987654), tokens["jiaoyu"]), 404, "common.not_found")


def test_bianban_onboards_without_an_approval_only_with_a_reason(api, county, tokens):
    slot = {"unit_id": county["finance"].pk, "quota_type": "XZ", "funding_form": "QE"}
    before = snapshot()
    assert_refused(
        api.post("/onboardings", onboarding_body(**slot), tokens["bianban"]), 400, "roster.override_reason_required"
    )
    assert snapshot() == before
    answer = api.post("/onboardings", onboarding_body(**slot, override_reason="安置军转干部"), tokens["bianban"])
    assert answer.status == 201, answer.body
    assert answer.body["override_reason"] == "安置军转干部"


# ---------------------------------------------------------------- the approval workflow


def test_returned_application_is_resubmitted_then_rejected(api, county, tokens):
    asked = api.post("/approvals", approval_body(county["school"], quota_type="SY"), tokens["jiaoyu"]).body
    path = f"/approvals/{asked['id']}"
    assert_refused(api.post(f"{path}/return", {}, tokens["bianban"]), 400, "roster.comment_required")
    assert api.post(f"{path}/return", {"comment": "请补充岗位说明"}, tokens["bianban"]).body["status"] == "RETURNED"
    headers = {"Authorization": f"Bearer {tokens['jiaoyu']}"}
    resubmitted = api.client.generic("POST", f"/api/v1{path}/submit", headers=headers)  # no body at all
    assert (resubmitted.status_code, resubmitted.json()["status"]) == (200, "SUBMITTED")
    assert api.post(f"{path}/accept", None, tokens["bianban"]).body["status"] == "UNDER_REVIEW"
    rejected = api.post(f"{path}/reject", {"comment": "暂缓进人"}, tokens["bianban"]).body
    assert rejected["status"] == "REJECTED"
    assert [(s["action"], s["to_status"]) for s in rejected["steps"]] == [
        ("drafted", "DRAFT"),
        ("submitted", "SUBMITTED"),
        ("returned", "RETURNED"),
        ("submitted", "SUBMITTED"),
        ("accepted", "UNDER_REVIEW"),
        ("rejected", "REJECTED"),
    ]
    assert_refused(api.post(f"{path}/cancel", {}, tokens["jiaoyu"]), 400, "roster.approval_state")


def test_draft_only_and_the_list_with_filters(api, county, tokens):
    draft = api.post("/approvals", approval_body(county["education"], submit=False), tokens["jiaoyu"]).body
    assert draft["status"] == "DRAFT"
    approved(county["finance"], 2)
    everyone = api.get("/approvals", tokens["bianban"]).body
    assert (everyone["count"], everyone["items"][0]["id"]) == (2, draft["id"] + 1)  # newest first
    assert api.get("/approvals", tokens["bianban"], status="APPROVED").body["items"][0]["count"] == 2
    assert api.get("/approvals", tokens["jiaoyu"]).body["count"] == 1
    assert api.get("/approvals", tokens["bianban"], unit_id=county["finance"].pk).body["count"] == 1
    assert_refused(api.get("/approvals", tokens["jiaoyu"], unit_id=county["finance"].pk), 403, "common.out_of_scope")
    assert (
        api.post(f"/approvals/{draft['id']}/cancel", {"comment": "不再需要"}, tokens["jiaoyu"]).body["status"]
        == "CANCELLED"
    )


def test_unit_cannot_withdraw_an_approved_application_but_bianban_can_cancel_it(api, county, tokens):
    approval = approved(county["education"], 2)
    before = snapshot()
    assert_refused(api.post(f"/approvals/{approval.pk}/cancel", {}, tokens["jiaoyu"]), 400, "roster.approval_state")
    assert snapshot() == before
    cancelled = api.post(f"/approvals/{approval.pk}/cancel", {"comment": "机构改革"}, tokens["bianban"]).body
    assert (cancelled["status"], cancelled["closed_on"]) == ("CANCELLED", today())


# ---------------------------------------------------------------- persons


def test_unit_keeps_its_people_details_but_not_the_locked_fields(api, county, tokens):
    someone = onboarded(county["education"])
    answer = api.patch(
        f"/persons/{someone.pk}", {"position": "副校长", "political_status": "01", "phone": PHONE}, tokens["jiaoyu"]
    )
    assert answer.status == 200, answer.body
    assert (answer.body["position"], answer.body["political_status"]) == ("副校长", "01")
    cleared = api.patch(f"/persons/{someone.pk}", {"political_status": None, "position": ""}, tokens["jiaoyu"]).body
    assert (cleared["political_status"], cleared["position"]) == (None, "")
    dated = api.patch(f"/persons/{someone.pk}", {"post_since": "2020-09-01"}, tokens["jiaoyu"]).body
    assert dated["post_since"] == "2020-09-01"
    undated = api.patch(f"/persons/{someone.pk}", {"post_since": None}, tokens["jiaoyu"])  # not known after all
    assert undated.status == 200 and undated.body["post_since"] is None
    before = snapshot()
    locked = api.patch(f"/persons/{someone.pk}", {"position": "校长", "name": "王建华"}, tokens["jiaoyu"])
    assert_refused(locked, 400, "roster.locked_field")
    assert "姓名" in locked.body["message"]
    assert snapshot() == before
    renamed = api.patch(f"/persons/{someone.pk}", {"name": "王建华", "reason": "户籍更名"}, tokens["bianban"])
    assert (renamed.status, renamed.body["name"]) == (200, "王建华")
    assert api.get("/persons", tokens["jiaoyu"], q="wangjianhua").body["count"] == 1
    assert all(PHONE not in text for text in api.bodies)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"phone": "12345"}, "roster.phone_invalid"),
        ({"name": "王 建华"}, "roster.name_invalid"),
        ({"id_number": BAD_ID}, "roster.id_invalid"),
        ({"gender": "2"}, "roster.gender_mismatch"),
    ],
)
def test_refused_change_of_details_is_400_and_changes_nothing(api, county, tokens, changes, code):
    someone = onboarded(county["education"])
    before = snapshot()
    assert_refused(api.patch(f"/persons/{someone.pk}", changes, tokens["bianban"]), 400, code)
    assert snapshot() == before


def test_search_filters(api, county, tokens):
    onboarded(county["education"], "孙悦")
    onboarded(county["finance"], "孙宁")
    assert api.get("/persons", tokens["bianban"], q="孙").body["count"] == 2
    assert api.get("/persons", tokens["bianban"], q="sy").body["items"][0]["name"] == "孙悦"
    assert api.get("/persons", tokens["bianban"], unit_id=county["finance"].pk).body["items"][0]["name"] == "孙宁"
    assert api.get("/persons", tokens["bianban"], quota_type="XZ", status="IN_QUOTA").body["count"] == 2
    assert api.get("/persons", tokens["bianban"], quota_type="SY").body["count"] == 0
    assert api.get("/persons", tokens["bianban"], limit=1, offset=1).body["items"][0]["name"] == "孙宁"
    assert_refused(api.get("/persons", tokens["bianban"], unit_id=987654), 404, "common.not_found")


# ---------------------------------------------------------------- refusals


def test_bad_id_number_is_400_in_chinese_and_changes_nothing(api, county, tokens):
    approval = approved(county["education"], 1)
    before = snapshot()
    body = onboarding_body(person_body(id_number=BAD_ID), approval_id=approval.pk)
    answer = api.post("/onboardings", body, tokens["jiaoyu"])
    assert_refused(answer, 400, "roster.id_invalid")
    assert answer.body["message"].startswith("公民身份号码有误：校验码错误")
    assert snapshot() == before


def test_same_person_twice_is_refused(api, county, tokens):
    approval = approved(county["education"], 2)
    number = new_id()
    first = api.post(
        "/onboardings", onboarding_body(person_body("周涛", number), approval_id=approval.pk), tokens["jiaoyu"]
    )
    assert first.status == 201, first.body
    before = snapshot()
    again = api.post(
        "/onboardings", onboarding_body(person_body("周涛", number), approval_id=approval.pk), tokens["jiaoyu"]
    )
    assert_refused(again, 400, "roster.already_in_slot")
    assert "锦绣县教育局" in again.body["message"] and mask_id_number(number) in again.body["message"]
    assert snapshot() == before
    assert all(number not in text for text in api.bodies)


def test_same_name_and_birth_date_is_entered_with_a_warning(api, county, tokens):
    approval = approved(county["education"], 2)
    born = dt.date(1990, 5, 17)
    first_number, second_number = new_id(birth=born), new_id(birth=born)
    first = api.post(
        "/onboardings", onboarding_body(person_body("周涛", first_number), approval_id=approval.pk), tokens["jiaoyu"]
    )
    assert first.status == 201 and first.body["warnings"] == []
    second = api.post(
        "/onboardings", onboarding_body(person_body("周涛", second_number), approval_id=approval.pk), tokens["jiaoyu"]
    )
    assert second.status == 201, second.body
    [warning] = second.body["warnings"]
    assert warning["code"] == "roster.namesake" and "同名、同出生日期" in warning["message"]
    assert mask_id_number(first_number) in warning["message"] and first_number not in warning["message"]
    assert Person.objects.filter(name="周涛").count() == 2


def test_no_vacancy_refuses_the_approval(api, county, tokens):
    asked = api.post("/approvals", approval_body(county["education"], count=11), tokens["jiaoyu"]).body
    before = snapshot()
    answer = api.post(f"/approvals/{asked['id']}/approve", {"comment": "同意"}, tokens["bianban"])
    assert_refused(answer, 400, "roster.no_vacancy")
    assert "可用编制 10 名" in answer.body["message"]
    assert snapshot() == before


def test_no_vacancy_refuses_an_override_onboarding(api, county, tokens):
    approved(county["finance"], 8)  # every slot of 财政局 is promised
    before = snapshot()
    slot = {"unit_id": county["finance"].pk, "quota_type": "XZ", "funding_form": "QE", "override_reason": "急需"}
    assert_refused(api.post("/onboardings", onboarding_body(**slot), tokens["bianban"]), 400, "roster.no_vacancy")
    assert snapshot() == before


@pytest.mark.parametrize("action", ["approve", "accept", "reject", "return"])
def test_unit_operator_cannot_decide(api, county, tokens, action):
    asked = api.post("/approvals", approval_body(county["education"]), tokens["jiaoyu"]).body
    before = snapshot()
    answer = api.post(f"/approvals/{asked['id']}/{action}", {"comment": "自己批"}, tokens["jiaoyu"])
    assert_refused(answer, 403, "common.permission_denied")
    assert snapshot() == before


OVERRIDE = {"quota_type": "XZ", "funding_form": "QE", "override_reason": "急需"}


@pytest.mark.parametrize(
    ("path", "build", "status", "code"),
    [
        (
            "/onboardings",
            lambda c: onboarding_body(unit_id=c["education"].pk, **OVERRIDE),
            400,
            "roster.approval_required",
        ),
        ("/onboardings", lambda c: onboarding_body(), 400, "roster.approval_required"),
        (
            "/transfers",
            lambda c: transfer_body(onboarded(c["education"]).pk, c["school"]),
            403,
            "common.permission_denied",
        ),
    ],
    ids=["override", "no basis", "transfer"],
)
def test_unit_operator_cannot_do_what_is_the_bianbans(api, county, tokens, path, build, status, code):
    body = build(county)
    before = snapshot()
    assert_refused(api.post(path, body, tokens["jiaoyu"]), status, code)
    assert snapshot() == before


def test_other_units_people_and_approvals_are_out_of_reach(api, county, tokens):
    stranger = onboarded(county["finance"], "钱程")
    approval = approved(county["finance"], 1)
    before = snapshot()
    jiaoyu = tokens["jiaoyu"]
    assert api.get("/persons", jiaoyu).body["count"] == 0
    assert_refused(api.get(f"/persons/{stranger.pk}", jiaoyu), 403, "common.out_of_scope")
    assert_refused(api.patch(f"/persons/{stranger.pk}", {"position": "科员"}, jiaoyu), 403, "common.out_of_scope")
    assert_refused(api.post("/offboardings", exit_body(stranger.pk), jiaoyu), 403, "common.out_of_scope")
    # approvals of other units are refused like the units themselves
    assert_refused(api.get(f"/approvals/{approval.pk}", jiaoyu), 403, "common.out_of_scope")
    assert_refused(api.post(f"/approvals/{approval.pk}/cancel", {}, jiaoyu), 403, "common.out_of_scope")
    assert_refused(
        api.post("/onboardings", onboarding_body(approval_id=approval.pk), jiaoyu), 403, "common.out_of_scope"
    )
    asked = approval_body(county["finance"])
    assert_refused(api.post("/approvals", asked, jiaoyu), 403, "common.out_of_scope")
    assert_refused(api.get("/persons/987654", jiaoyu), 404, "common.not_found")
    assert snapshot() == before


@pytest.mark.parametrize("caller", ["caizheng", "xitong"])
def test_readers_and_admins_write_nothing(api, county, tokens, caller):
    someone = onboarded(county["education"])
    approval = approved(county["education"], 1)
    before = snapshot()
    for path, body in [
        ("/approvals", approval_body(county["education"])),
        (f"/approvals/{approval.pk}/cancel", {}),
        ("/onboardings", onboarding_body(approval_id=approval.pk)),
        ("/offboardings", exit_body(someone.pk)),
        ("/transfers", transfer_body(someone.pk, county["finance"])),
    ]:
        assert api.post(path, body, tokens[caller]).status in (403, 404), path
    assert api.patch(f"/persons/{someone.pk}", {"position": "科员"}, tokens[caller]).status == 403
    assert snapshot() == before
    reads = api.get("/persons", tokens[caller]).body["count"], api.get("/approvals", tokens[caller]).body["count"]
    assert reads == ((1, 2) if caller == "caizheng" else (0, 0))


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"approval_id": 1, "loan_id": 1}, "", "只能填写其中一项"),
        ({"unit_id": 1}, "", "须同时填写 quota_type 和 funding_form"),
        ({"quota_type": "XZ"}, "", "只能与 unit_id 一起填写"),
        ({"person": {"id_number": "110105199001010011"}}, "person.name", "必填"),
        ({"person": person_body(gender="M")}, "person.gender", "须为以下取值之一"),
        ({"person": person_body(phone=None)}, "person.phone", "须为字符串"),
        ({"person": person_body(salary=1)}, "person.salary", "不是可接受的字段"),
        ({"entry_mode": "XX"}, "entry_mode", "须为以下取值之一"),
        ({"approval_id": 0}, "approval_id", "不能小于 1"),
        ({"start_date": 1766361600}, "start_date", "YYYY-MM-DD"),
        ({"person": person_body(birth_date=0)}, "person.birth_date", "YYYY-MM-DD"),
    ],
)
def test_malformed_onboarding_is_422(api, county, tokens, changes, field, words):
    before = snapshot()
    answer = api.post("/onboardings", onboarding_body() | changes, tokens["bianban"])
    assert (answer.status, answer.body["code"]) == (422, "api.invalid_input"), answer.body
    messages = {f["field"]: f["message"] for f in answer.body["details"]["fields"]}
    assert words in messages[field], messages
    assert snapshot() == before


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("PATCH", "/persons/{person}", {"salary": 1}, "salary"),
        ("PATCH", "/persons/{person}", {"name": None}, "name"),
        ("POST", "/approvals/{approval}/approve", {"valid_days": 5}, "valid_days"),
        ("POST", "/approvals/{approval}/sign", {}, "action"),
        ("POST", "/approvals", {"count": 501}, "count"),
        ("POST", "/approvals", {"count": True}, "count"),
        ("POST", "/approvals", {"count": "2"}, "count"),
        ("POST", "/approvals", {"submit": 1}, "submit"),
        ("POST", "/approvals", {"unit_id": "1"}, "unit_id"),
        ("POST", "/offboardings", {"end_date": 1766361600}, "end_date"),
        ("POST", "/offboardings", {"reason": "LEFT"}, "reason"),
        ("POST", "/transfers", {"effective_date": "2021-02-30"}, "effective_date"),
    ],
)
def test_other_malformed_requests_are_422(api, county, tokens, method, path, body, field):
    someone = onboarded(county["education"])
    approval = approved(county["education"], 1)
    path = path.format(person=someone.pk, approval=approval.pk)
    full = {
        "/approvals": approval_body(county["education"]),
        "/offboardings": exit_body(someone.pk),
        "/transfers": transfer_body(someone.pk, county["finance"]),
    }.get(path, {})
    before = snapshot()
    call = api.patch if method == "PATCH" else api.post
    answer = call(path, full | body, tokens["bianban"])
    assert (answer.status, answer.body["code"]) == (422, "api.invalid_input"), answer.body
    assert field in {f["field"] for f in answer.body["details"]["fields"]}
    assert snapshot() == before


# ---------------------------------------------------------------- refusals that reach through to the services


@pytest.mark.parametrize("where", ["onboarding", "search"])
def test_an_exotic_digit_in_an_id_number_is_refused_not_a_server_error(api, county, tokens, where):
    number = "1101051990010112\u19da3"
    if where == "search":
        assert api.get("/persons", tokens["bianban"], q=number).status == 200
    else:
        body = onboarding_body(person_body(id_number=number), approval_id=approved(county["education"], 1).pk)
        assert_refused(api.post("/onboardings", body, tokens["jiaoyu"]), 400, "roster.id_invalid")


def test_onboarding_on_a_loan_before_the_loan_starts_is_refused(api, county, tokens):
    grant(county_account(AccountKind.AUTHORITY, "XZ"), county_account(AccountKind.TURNOVER, "XZ"), 1)
    loan = loans.loan_grant(
        actor=None,
        unit=county["education"],
        quota_type="XZ",
        funding_form="QE",
        count=1,
        purpose="URGENT",
        start_date=dt.date(2023, 3, 1),
        due_date=dt.date(2030, 3, 1),
        document=Document.objects.earliest("pk"),
    )
    body = onboarding_body(loan_id=loan.pk, start_date="2022-03-01")
    assert api.post("/onboardings", body, tokens["jiaoyu"]).status == 400


def test_service_transfer_checks_the_scope_of_the_unit_it_moves_into(county):
    scoped = make_user("jiaoyu_bianban", Role.BIANBAN_OPERATOR, scope_unit=county["education"])
    someone = onboarded(county["education"])
    finance_approval = approved(county["finance"], 1)
    with pytest.raises(BianzhiError):
        staffing.occupancy_transfer(
            actor=scoped,
            person=someone,
            unit=county["school"],
            quota_type="SY",
            funding_form="QE",
            effective_date=timezone.localdate(),
            document=Document.objects.earliest("pk"),
            approval=finance_approval,
        )
