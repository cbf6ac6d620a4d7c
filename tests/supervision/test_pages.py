"""The 12310 pages as people use them: the public form with its arithmetic question, the tracking page, and the
complainant's identity, which no page, export or API answer shows but the audited reveal."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from bianzhi.api.services import api_token_issue
from bianzhi.audit.models import AuditEvent
from bianzhi.supervision.complaints import complaint_transition
from bianzhi.supervision.models import Complaint
from tests.supervision.conftest import NAME, PHONE, receive

NEW, TRACK = "/public/complaints/new/", "/public/complaints/track/"
FORM = {"category": "ORGANS", "accused_text": "某某中心", "description": "擅自增设内设机构两个。"}


@pytest.fixture(autouse=True)
def _no_limit(settings):
    settings.BIANZHI_PUBLIC_COMPLAINTS_PER_MINUTE = 0


def _answer(page) -> str:
    a, operation, b = re.search(r'id="captcha-question">(\d+) (加|减) (\d+) 等于几？', page.content.decode()).groups()
    return str(int(a) + int(b) if operation == "加" else int(a) - int(b))


def _text(response) -> str:
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        workbook = load_workbook(io.BytesIO(response.content))
        return " ".join(str(c.value) for ws in workbook.worksheets for row in ws.iter_rows() for c in row)
    return response.content.decode()


def test_the_public_form_files_an_anonymous_complaint_and_answers_with_the_tracking_code(db):
    client = Client()
    page = client.get(NEW)
    assert page.status_code == 200 and "验证题" in page.content.decode()
    done = client.post(NEW, {**FORM, "answer": _answer(page)})
    assert done.status_code == 200, done.content.decode()
    complaint = Complaint.objects.get()
    assert complaint.code in done.content.decode()
    assert (complaint.anonymous, complaint.online, complaint.channel, complaint.state) == (
        True,
        True,
        "ONLINE",
        "RECEIVED",
    )
    named = client.get(NEW)
    client.post(NEW, {**FORM, "name": NAME, "contact": PHONE, "answer": _answer(named)})
    assert Complaint.objects.filter(anonymous=False).count() == 1


def test_a_wrong_expired_or_reused_answer_is_refused_and_saves_nothing(db, settings):
    client = Client()
    page = client.get(NEW)
    wrong = str(int(_answer(page)) + 1)
    refused = client.post(NEW, {**FORM, "answer": wrong})
    assert refused.status_code == 400 and "supervision.captcha_wrong" in refused.content.decode()
    # the refusal asked a new question; the old answer no longer counts, even a right one
    right = _answer(refused)
    assert client.post(NEW, {**FORM, "answer": right}).status_code == 200
    reused = client.post(NEW, {**FORM, "answer": right})
    assert "supervision.captcha_expired" in reused.content.decode()
    settings.BIANZHI_COMPLAINT_CAPTCHA_SECONDS = -1
    expired = client.post(NEW, {**FORM, "answer": _answer(reused)})
    assert "supervision.captcha_expired" in expired.content.decode()
    assert Complaint.objects.count() == 1
    assert Client().post(NEW, {**FORM, "answer": "3"}).status_code == 400  # no question asked in this session
    assert Complaint.objects.count() == 1


def test_too_many_submissions_from_one_address_wait(db, settings):
    settings.BIANZHI_PUBLIC_COMPLAINTS_PER_MINUTE = 2
    client = Client()
    statuses = [client.post(NEW, {**FORM, "answer": "-1"}).status_code for _ in range(3)]
    assert statuses == [400, 400, 429]
    assert Complaint.objects.count() == 0


def test_the_tracking_page_shows_the_state_and_the_public_reply_only(world):
    handler = world["handler"]
    complaint = receive(handler, named=True, description="内部调查线索：副局长超职数配备")
    for step, inputs in (
        ("accept", {}),
        ("assign", {"handling_type": "SELF", "opinion": "自办，调阅花名册"}),
        ("investigate", {}),
    ):
        complaint = complaint_transition(actor=handler, complaint=complaint, name=step, **inputs)
    client = Client()
    page = client.post(TRACK, {"code": complaint.code.lower()}).content.decode()
    assert "调查核实中" in page and "调阅花名册" not in page and "超职数" not in page
    complaint_transition(
        actor=handler,
        complaint=complaint,
        name="conclude",
        finding="TRUE",
        conclusion="内部意见：约谈局长",
        public_reply="经核查举报属实，已责令限期整改。",
    )
    page = client.post(TRACK, {"code": complaint.code}).content.decode()
    assert "已责令限期整改" in page and "约谈局长" not in page and NAME not in page
    assert "查询码不正确" in client.post(TRACK, {"code": "ABCDEFGHJKMN"}).content.decode()


def _pages(complaint) -> list[tuple[str, str]]:
    added = complaint.files.get()
    return [
        ("get", reverse("supervision:complaint_list")),
        ("get", reverse("supervision:complaint_list") + "?state=RECEIVED"),
        ("get", reverse("supervision:complaint_export")),
        ("get", reverse("supervision:complaint_detail", args=[complaint.pk])),
        ("get", reverse("supervision:complaint_new")),
        ("get", reverse("supervision:complaint_file", args=[complaint.pk, added.pk])),
        ("post", reverse("supervision:complaint_step", args=[complaint.pk, "assign"])),  # refused: shows the page
        ("get", "/"),
    ]


def test_the_complainants_identity_appears_nowhere_but_after_the_audited_reveal(world):
    from bianzhi.core.files import Upload
    from bianzhi.supervision.complaints import complaint_file_add

    complaint = receive(world["handler"], named=True, accused_units=[world["unit"]])
    complaint_file_add(actor=world["handler"], complaint=complaint, upload=Upload("记录.pdf", b"%PDF-1.4\n"))
    for who, allowed in (
        ("operator", False),
        ("scoped", False),
        ("partner", False),
        ("handler", True),
        ("bianban", True),
    ):
        client = Client()
        client.force_login(world[who])
        token = api_token_issue(actor=None, user=world[who], name="测试")[1]
        responses = [getattr(client, method)(path) for method, path in _pages(complaint)]
        responses.append(client.get("/api/v1/complaints", headers={"Authorization": f"Bearer {token}"}))
        responses.append(client.post(reverse("supervision:complaint_reveal", args=[complaint.pk + 1000])))
        for response in responses:
            assert response.status_code < 500
            text = _text(response) if response.status_code != 403 else response.content.decode()
            assert NAME not in text and PHONE not in text, (who, response.status_code)
        if allowed:
            listed = responses[-2].json()["items"]
            assert [(item["code"], item["anonymous"], item["state"]) for item in listed] == [
                (complaint.code, False, "RECEIVED")
            ]
        statuses = [response.status_code for response in responses[:6]]
        assert statuses == ([200] * 6 if allowed else [403] * 6), (who, statuses)
        reveal = client.post(reverse("supervision:complaint_reveal", args=[complaint.pk]))
        if allowed:
            assert NAME in reveal.content.decode() and PHONE in reveal.content.decode()
        else:
            assert reveal.status_code == 403 and NAME not in reveal.content.decode()
    revealed = AuditEvent.objects.filter(action="supervision.identity_revealed").values_list("actor_name", flat=True)
    assert sorted(revealed) == ["bianban", "jiandu"]
