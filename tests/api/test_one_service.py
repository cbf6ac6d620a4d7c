"""Each roster use case through the page and through the API: one service behind both, so the same request gets the
same answer, and a refusal leaves everything as it was on either side."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bianzhi.core.errors import BianzhiError
from bianzhi.roster import approvals, staffing
from bianzhi.roster.approvals import ApprovalAction
from bianzhi.roster.choices import ApprovalStatus as S
from bianzhi.roster.errors import RosterError
from bianzhi.roster.models import Approval, Person
from tests.api.test_roster_api import (
    approval_body,
    onboarded,
    onboarding_body,
    person_body,
    snapshot,
    transfer_body,
)
from tests.quotas.support import assert_refused
from tests.roster.support import approved, entry_doc, new_id, person

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()

BORN = dt.date(1988, 8, 8)  # namesakes share a name and a birth date: their ID numbers are made with this one


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def doc_fields(number: str) -> dict:
    return {
        "doc_number": number,
        "doc_title": "关于工作调动的通知",
        "doc_issued_on": TODAY.isoformat(),
        "doc_issuer": "锦绣县委组织部",
    }


# ---------------------------------------------------------------- 用编申请: drafted and submitted in one step


@pytest.fixture
def submit_refused(monkeypatch):
    """No rule refuses a fresh draft's submission today; this stands in for one, to show what the applicant sees."""

    def refuse(*, actor, approval):
        raise BianzhiError(RosterError.APPROVAL_STATE, status="草稿", action="提交")

    monkeypatch.setattr(approvals, "approval_submit", refuse)


def test_an_application_that_cannot_be_submitted_is_refused_whole_on_the_page_and_in_the_api(
    api, county, users, tokens, submit_refused
):
    client = browser(users["jiaoyu"])  # signing in is audited: before the snapshot
    before = snapshot()
    answer = api.post("/approvals", approval_body(county["education"]), tokens["jiaoyu"])
    assert (answer.status, answer.body["code"]) == (400, "roster.approval_state")
    assert snapshot() == before

    form = {
        "unit": "锦绣县教育局",
        "quota_type": "XZ",
        "funding_form": "QE",
        "count": 2,
        "entry_mode": "KL",
        "purpose": "补充教研骨干",
        "submit_now": "on",
    }
    response = client.post(reverse("roster:approval_new"), form)
    html = response.content.decode()
    assert response.status_code == 200 and "roster.approval_state" in html
    assert "补充教研骨干" in html  # what was typed is still on the form
    assert snapshot() == before  # and no draft was kept


def test_an_application_is_saved_as_a_draft_or_submitted_the_same_way_on_both_sides(api, county, users, tokens):
    drafted = api.post("/approvals", approval_body(county["education"], submit=False), tokens["jiaoyu"]).body
    submitted = api.post("/approvals", approval_body(county["education"]), tokens["jiaoyu"]).body
    assert (drafted["status"], submitted["status"]) == ("DRAFT", "SUBMITTED")
    client = browser(users["jiaoyu"])
    form = {"unit": "锦绣县教育局", "quota_type": "XZ", "funding_form": "QE", "count": 1, "entry_mode": "KL"}
    client.post(reverse("roster:approval_new"), {**form, "purpose": "草稿"})
    client.post(reverse("roster:approval_new"), {**form, "purpose": "提交", "submit_now": "on"})
    assert dict(Approval.objects.filter(purpose__in=["草稿", "提交"]).values_list("purpose", "status")) == {
        "草稿": S.DRAFT,
        "提交": S.SUBMITTED,
    }


# ---------------------------------------------------------------- the approval page's buttons


def _in_every_state(unit) -> dict[str, Approval]:
    def draft(count=1):
        return approvals.approval_draft(
            actor=None, unit=unit, quota_type="XZ", funding_form="QE", count=count, entry_mode="KL", purpose="补缺"
        )

    def submitted(count=1):
        return approvals.approval_submit(actor=None, approval=draft(count))

    def used(approval):
        staffing.occupancy_start(
            actor=None,
            data=person(),
            slot=staffing.Slot(approval=approval),
            start_date=TODAY,
            entry_mode="KL",
            document=entry_doc(TODAY),
        )
        approval.refresh_from_db()
        return approval

    returned = approvals.approval_return(actor=None, approval=submitted(), comment="请补充材料")
    stale = approved(unit, 1, today=dt.date(2022, 1, 4))
    approvals.approvals_expire(today=TODAY)
    stale.refresh_from_db()
    made = {
        S.DRAFT: draft(),
        S.SUBMITTED: submitted(),
        S.UNDER_REVIEW: approvals.approval_accept(actor=None, approval=submitted()),
        S.RETURNED: returned,
        S.REJECTED: approvals.approval_reject(actor=None, approval=submitted(), comment="不符合条件"),
        S.APPROVED: approved(unit, 1),
        S.PARTIALLY_USED: used(approved(unit, 2)),
        S.FULLY_USED: used(approved(unit, 1)),
        S.CANCELLED: approvals.approval_cancel(actor=None, approval=draft()),
        S.EXPIRED: stale,
    }
    assert {status: a.status for status, a in made.items()} == {status: status for status in made}
    return made


def _buttons(client, approval) -> set[str]:
    html = client.get(reverse("roster:approval_detail", args=[approval.pk])).content.decode()
    return set(re.findall(r'name="action" value="(\w+)"', html))


def _accepted(client, approval) -> set[str]:
    """The actions the page's POST carries out for this account (each tried, then undone)."""
    accepted = set()
    for action in ApprovalAction.values:
        with transaction.atomic():
            url = reverse("roster:approval_detail", args=[approval.pk])
            response = client.post(url, {"action": action, "comment": "同意"})
            if response.status_code == 302:
                accepted.add(action)
            transaction.set_rollback(True)
    return accepted


def test_the_approval_page_offers_exactly_what_the_services_accept(county, users):
    made = _in_every_state(county["education"])
    offered = {}
    for name in ("jiaoyu", "bianban"):
        client = browser(users[name])
        for status, approval in made.items():
            offered[(name, status)] = _buttons(client, approval)
            assert offered[(name, status)] == _accepted(client, approval), (name, status)
    assert offered[("jiaoyu", S.DRAFT)] == {"submit", "cancel"}
    assert offered[("jiaoyu", S.SUBMITTED)] == {"cancel"}
    assert offered[("jiaoyu", S.APPROVED)] == set()  # a unit cannot withdraw what the 编办 approved
    assert offered[("bianban", S.UNDER_REVIEW)] == {"approve", "return", "reject"}
    assert offered[("bianban", S.PARTIALLY_USED)] == {"cancel"}
    assert all(not offered[(name, s)] for name in ("jiaoyu", "bianban") for s in (S.FULLY_USED, S.EXPIRED))


def test_a_reader_sees_no_buttons_and_is_refused_by_the_api(api, county, users, tokens):
    approval = approved(county["education"], 1)
    partner = browser(users["caizheng"])
    assert _buttons(partner, approval) == set()
    answer = api.post(f"/approvals/{approval.pk}/cancel", {"comment": "撤销"}, tokens["caizheng"])
    assert (answer.status, answer.body["code"]) == (403, "common.permission_denied")


def test_a_unit_cancelling_an_approved_application_gets_the_same_refusal_on_both_sides(api, county, users, tokens):
    approval = approved(county["education"], 1)
    client = browser(users["jiaoyu"])
    before = snapshot()
    answer = api.post(f"/approvals/{approval.pk}/cancel", {"comment": ""}, tokens["jiaoyu"])
    assert (answer.status, answer.body["code"]) == (400, "roster.approval_state")
    html = client.post(reverse("roster:approval_detail", args=[approval.pk]), {"action": "cancel"})
    assert answer.body["message"] in html.content.decode()
    assert snapshot() == before


# ---------------------------------------------------------------- 转编 against an approval


def test_a_transfer_against_an_approval_of_another_slot_is_refused_by_the_service_on_both_sides(
    api, county, users, tokens
):
    someone = onboarded(county["education"], "赵磊")
    elsewhere = approved(county["education"], 1)  # not for the finance bureau
    client = browser(users["bianban"])
    before = snapshot()
    answer = api.post(
        "/transfers", transfer_body(someone.pk, county["finance"], approval_id=elsewhere.pk), tokens["bianban"]
    )
    assert (answer.status, answer.body["code"]) == (400, "roster.approval_mismatch")
    form = {
        "unit": "锦绣县财政局",
        "quota_type": "XZ",
        "funding_form": "QE",
        "approval": elsewhere.pk,
        "effective_date": TODAY.isoformat(),
        **doc_fields("锦组发〔2021〕3号"),
    }
    html = client.post(reverse("roster:transfer", args=[someone.pk]), form).content.decode()
    assert "roster.approval_mismatch" in html and answer.body["message"] in html
    assert snapshot() == before

    matching = approved(county["finance"], 1)
    response = client.post(reverse("roster:transfer", args=[someone.pk]), {**form, "approval": matching.pk})
    assert response.status_code == 302
    matching.refresh_from_db()
    assert (matching.used, matching.status) == (1, S.FULLY_USED)
    assert Person.objects.get(pk=someone.pk).unit == county["finance"]


# ---------------------------------------------------------------- 同名同出生日期


def test_the_onboarding_service_asks_to_confirm_a_namesake_and_returns_the_warning(county):
    approval = approved(county["education"], 2)

    def enter(number, **kwargs):
        return staffing.occupancy_start(
            actor=None,
            data=person("周涛", id_number=number),
            slot=staffing.Slot(approval=approval),
            start_date=TODAY,
            entry_mode="KL",
            document=entry_doc(TODAY),
            **kwargs,
        )

    first_number = new_id(birth=BORN)
    assert enter(first_number, confirm_namesake=False).warnings == []
    error = assert_refused("roster.namesake_unconfirmed", enter, new_id(birth=BORN), confirm_namesake=False)
    assert Person.objects.get(name="周涛").id_masked in error.message
    [warning] = enter(new_id(birth=BORN), confirm_namesake=True).warnings
    assert warning.code == "roster.namesake" and "锦绣县教育局" in warning.message


def test_a_namesake_in_a_unit_out_of_scope_is_named_without_its_unit(api, county, tokens):
    onboarded(county["finance"], "周涛", id_number=new_id(birth=BORN))
    approval = approved(county["education"], 1)
    body = onboarding_body(person_body("周涛", new_id(birth=BORN)), approval_id=approval.pk)
    answer = api.post("/onboardings", body, tokens["jiaoyu"])
    assert answer.status == 201, answer.body
    [warning] = answer.body["warnings"]
    assert "其他单位" in warning["message"] and "锦绣县财政局" not in warning["message"]


def test_the_onboarding_page_shows_the_services_question_and_changes_nothing_until_confirmed(county, users):
    approval = approved(county["education"], 2)
    first = onboarded(county["education"], "吴刚", id_number=new_id(birth=BORN))
    form = {
        "source": f"a{approval.pk}",
        "name": "吴刚",
        "id_number": new_id(birth=BORN),
        "start_date": TODAY.isoformat(),
        "entry_mode": "KL",
        "hire_kind": "NEW",
        **doc_fields("锦人社发〔2021〕11号"),
    }
    client = browser(users["jiaoyu"])
    before = snapshot()
    html = client.post(reverse("roster:onboard"), form).content.decode()
    assert "roster.namesake_unconfirmed" in html and first.id_masked in html
    assert snapshot() == before
    assert client.post(reverse("roster:onboard"), {**form, "confirm_duplicate": "on"}).status_code == 302
    assert Person.objects.filter(name="吴刚").count() == 2
