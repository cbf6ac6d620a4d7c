"""The 编委事项 through the API: a unit drafts a matter with its change set in one call (all or nothing), sees
each step's check, and takes the steps the procedure gives it; the 编办 takes the rest and implements the decision.
Every answer carries the state and what the caller may do next; refusals come with a code and change nothing."""

from __future__ import annotations

import base64
import hashlib

import pytest
from django.utils import timezone

from bianzhi.matters.choices import LegalityItem
from bianzhi.matters.models import Matter
from bianzhi.matters.workflow import matter_record_legality_review
from bianzhi.orgs.models import Unit
from bianzhi.quotas.selectors import unit_ledger
from tests.api.conftest import document
from tests.matters.support import MINUTES_PDF

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def draft(county, *, amount: int = 3) -> dict:
    return {
        "proposer_id": county["education"].pk,
        "kind": "SETUP",
        "title": "关于设立县教育考试中心的请示",
        "necessity": "考务增加",
        "steps": [
            {
                "operation": "unit_create",
                "params": {
                    "name": "锦绣县教育考试中心",
                    "system_category": "ZHENGFU",
                    "kind": "JIGUAN",
                    "nature": "XINGZHENG",
                    "rank": "GUJI",
                    "parent": county["education"].pk,
                },
            },
            {
                "operation": "quota_movement",
                "params": {
                    "kind": "HUAZHUAN",
                    "quota_type": "XZ",
                    "amount": amount,
                    "source": {"kind": "UNIT", "unit": county["education"].pk, "funding_form": "QE"},
                    "target": {"kind": "UNIT", "unit": "#1", "funding_form": "QE"},
                },
            },
        ],
    }


def step(api, token: str, matter_id: int, name: str, **fields) -> dict:
    answer = api.post(f"/matters/{matter_id}/transitions", {"name": name, **fields}, token)
    assert answer.status == 200, answer.body
    return answer.body


def test_a_matter_through_the_api_from_draft_to_the_ledger(api, county, tokens):
    unit, office = tokens["jiaoyu"], tokens["bianban"]
    answer = api.post("/matters", draft(county, amount=30), unit)
    assert answer.status == 201, answer.body
    body = answer.body
    assert body["state"] == "DRAFT" and body["allowed_transitions"] == ["propose"]
    assert body["steps"][0]["problem"] is None
    assert "不足以划出 30 名" in body["steps"][1]["problem"]
    assert body["next"]["party"] == "proposer"

    matter_id = Matter.objects.get().pk
    Matter.objects.get().steps.filter(position=2).update(params=draft(county)["steps"][1]["params"])
    assert all(s["problem"] is None for s in api.get(f"/matters/{matter_id}", unit).body["steps"])
    proposal = {"name": "propose", "meeting_on": TODAY.isoformat(), "minutes": "局党组会议纪要"}
    refused = api.post(f"/matters/{matter_id}/transitions", proposal, unit)
    assert refused.status == 400 and refused.body["code"] == "matters.missing_param"
    assert "会议纪要附件" in refused.body["message"]
    garbled = {"kind": "MINUTES", "name": "纪要.pdf", "content_base64": "%%% not base64"}
    answer = api.post(f"/matters/{matter_id}/attachments", garbled, unit)
    assert answer.status == 400 and answer.body["code"] == "matters.bad_param"
    fake = {"kind": "MINUTES", "name": "纪要.pdf", "content_base64": base64.b64encode(b"<html>").decode()}
    answer = api.post(f"/matters/{matter_id}/attachments", fake, unit)
    assert answer.status == 400 and answer.body["code"] == "files.not_pdf"
    assert not Matter.objects.get().attachments.exists()
    minutes = {"kind": "MINUTES", "name": "纪要.pdf", "content_base64": base64.b64encode(MINUTES_PDF).decode()}
    answer = api.post(f"/matters/{matter_id}/attachments", minutes, unit)
    assert answer.status == 201 and answer.body["sha256"] == hashlib.sha256(MINUTES_PDF).hexdigest()
    step(api, unit, matter_id, "propose", meeting_on=TODAY.isoformat(), minutes="局党组会议纪要")
    body = step(api, unit, matter_id, "submit")
    assert [a["name"] for a in body["attachments"]] == ["纪要.pdf"]
    assert body["allowed_transitions"] == [] and body["next"]["party"] == "office"
    assert api.get(f"/matters/{matter_id}", office).body["allowed_transitions"] == ["accept", "refuse", "return"]
    step(api, office, matter_id, "accept")
    step(api, office, matter_id, "study")
    matter_record_legality_review(
        actor=None, matter=Matter.objects.get(), items={i.value: (True, "") for i in LegalityItem}
    )
    step(api, office, matter_id, "to_office_meeting")
    step(api, office, matter_id, "to_deliberation", body="BIANWEI", meeting="县委编委2026年第3次会议")
    body = step(api, office, matter_id, "decide", decision="APPROVED")
    assert body["state"] == "DECIDED" and "implement" in body["allowed_transitions"]
    decision = document("锦编复〔2026〕21号", TODAY.isoformat())
    body = step(api, office, matter_id, "implement", document=decision, effective_date=TODAY.isoformat())
    assert body["state"] == "IMPLEMENTED" and body["applied_on"] == TODAY.isoformat()
    assert unit_ledger(None, Unit.objects.get(name="锦绣县教育考试中心"), TODAY)[0].approved == 3
    assert body["next"]["party"] == "proposer"  # the unit reports (the 编办 may record it for them)
    assert api.get(f"/matters/{matter_id}", unit).body["allowed_transitions"] == ["report"]


def test_a_draft_with_an_unknown_operation_creates_nothing(api, county, tokens):
    body = draft(county)
    body["steps"].append({"operation": "unit_teleport", "params": {}})
    answer = api.post("/matters", body, tokens["jiaoyu"])
    assert answer.status == 400 and answer.body["code"] == "matters.unknown_operation"
    assert not Matter.objects.exists()


def test_refusals_say_why_and_change_nothing(api, county, tokens):
    matter_id = api.post("/matters", draft(county), tokens["jiaoyu"]).body["id"]
    answer = api.post(f"/matters/{matter_id}/transitions", {"name": "accept"}, tokens["bianban"])
    assert answer.status == 400 and answer.body["code"] == "matters.wrong_state"
    answer = api.post(f"/matters/{matter_id}/transitions", {"name": "propose"}, tokens["jiaoyu"])
    assert answer.status == 400 and answer.body["code"] == "matters.missing_param"
    answer = api.post(f"/matters/{matter_id}/transitions", {"name": "accept"}, tokens["caizheng"])
    assert answer.status == 403
    assert Matter.objects.get().state == "DRAFT"
    other = {**draft(county), "proposer_id": county["finance"].pk}
    assert api.post("/matters", other, tokens["jiaoyu"]).status == 403
    assert api.get("/matters", tokens["jiaoyu"]).body["count"] == 1
