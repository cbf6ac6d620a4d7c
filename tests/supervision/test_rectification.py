"""The 整改台账: the ledger's own items (超编, 超职数) opened once per excess and proposed for closing when it is gone,
a reviewer confirming; the procedure between the office and the unit; complaints turned into items, escalated when
overdue, referred; the pages, the Excel, the notice and the API as a user meets them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from bianzhi.api.services import api_token_issue
from bianzhi.audit.models import AuditEvent
from bianzhi.core.errors import BianzhiError
from bianzhi.core.files import Upload
from bianzhi.core.todo import todo_for
from bianzhi.core.workdays import WorkCalendar
from bianzhi.quotas.models import PostLevel, PostMovementKind
from bianzhi.quotas.services import post_movement_for_unit
from bianzhi.roster import staffing
from bianzhi.roster.posts import post_assign
from bianzhi.supervision.complaints import complaint_transition, complaints_escalate, complaints_todo
from bianzhi.supervision.models import RectificationItem
from bianzhi.supervision.rectification import (
    complaint_rectification_open,
    rectification_file_add,
    rectification_open,
    rectification_transition,
    rectifications_sync,
)
from tests.factories import make_unit, make_user
from tests.quotas.support import document
from tests.roster.support import client_for, cut, give_slots, hire
from tests.supervision.conftest import receive

TODAY = timezone.localdate()
DAY = dt.date(2024, 5, 6)
PDF = b"%PDF-1.4\n% evidence\n"


def overstaff(unit, amount: int, day: dt.date = DAY):
    return cut(unit, amount, day, reason="机构调整", confirm_overstaffing=True)


@pytest.fixture
def office(world):
    """The world's unit with 10 slots and 8 people."""
    give_slots(world["unit"], 10)
    hire(world["unit"], 8)
    return world["unit"]


def refused(code: str, function, /, **kwargs) -> None:
    before = (RectificationItem.objects.count(), AuditEvent.objects.count())
    with pytest.raises(BianzhiError) as caught:
        function(**kwargs)
    assert caught.value.code == code, caught.value.message
    assert (RectificationItem.objects.count(), AuditEvent.objects.count()) == before


# ---------------------------------------------------------------- the ledger's items


def test_an_excess_opens_one_item_and_its_disappearance_proposes_closing_for_a_reviewer(office, world):
    assert rectifications_sync(today=TODAY) == 0
    overstaff(office, 3)  # 7 slots, 8 people
    assert rectifications_sync(today=TODAY) == 1
    item = RectificationItem.objects.get()
    assert (item.source, item.state, item.excess, item.category) == ("LEDGER", "OPEN", 1, "STAFFING")
    assert "锦绣县交通运输局行政编制核定 7 名，实有 8 名，超编 1 名" in item.finding
    assert rectifications_sync(today=TODAY) == 0  # run twice: nothing new
    overstaff(office, 1, DAY + dt.timedelta(days=1))  # the excess grows: the same item says so
    assert rectifications_sync(today=TODAY) == 1
    item.refresh_from_db()
    assert (RectificationItem.objects.count(), item.excess) == (1, 2)

    give_slots(office, 2, day=DAY + dt.timedelta(days=2))
    assert rectifications_sync(today=TODAY) == 1
    item.refresh_from_db()
    assert (item.state, item.proposed_close, item.excess) == ("SUBMITTED", True, 0)
    assert rectifications_sync(today=TODAY) == 0
    assert [e.transition for e in item.events.all()] == ["open", "excess_changed", "propose_close"]

    closed = rectification_transition(actor=world["handler"], item=item, name="close", note="已核实")
    assert (closed.state, closed.verifier, closed.closed_on) == ("CLOSED", "jiandu", TODAY)
    overstaff(office, 1, DAY + dt.timedelta(days=3))  # a new excess later is a new item
    assert rectifications_sync(today=TODAY) == 1
    assert RectificationItem.objects.filter(state="OPEN", auto_key=item.auto_key).count() == 1


def test_closing_is_refused_while_the_ledger_still_shows_the_excess_and_the_proposal_is_withdrawn(office, world):
    overstaff(office, 3)
    rectifications_sync(today=TODAY)
    give_slots(office, 1, day=DAY + dt.timedelta(days=1))
    rectifications_sync(today=TODAY)
    item = RectificationItem.objects.get()
    assert item.state == "SUBMITTED"
    overstaff(office, 1, DAY + dt.timedelta(days=2))  # back before the reviewer came to it
    refused("rectification.excess_remains", rectification_transition, actor=world["handler"], item=item, name="close")
    assert rectifications_sync(today=TODAY) == 1
    item.refresh_from_db()
    assert (item.state, item.proposed_close, item.excess) == ("OPEN", False, 1)


def test_a_post_filled_beyond_its_number_opens_an_item_and_the_database_refuses_a_second(office):
    post = {"unit": office, "level": PostLevel.FU, "grade": "FUKE", "effective_date": DAY}
    post_movement_for_unit(actor=None, kind=PostMovementKind.HEDING, amount=2, document=document(DAY), **post)
    for occupancy in staffing.Occupancy.objects.filter(account__unit=office)[:2]:
        post_assign(
            actor=None,
            person=occupancy.person,
            level=PostLevel.FU,
            grade="FUKE",
            start_date=DAY,
            document=document(DAY),
        )
    post_movement_for_unit(
        actor=None,
        kind=PostMovementKind.HEJIAN,
        amount=1,
        document=document(DAY),
        reason="规格调整",
        confirm_overstaffing=True,
        **post,
    )
    assert rectifications_sync(today=TODAY) == 1
    item = RectificationItem.objects.get()
    assert item.category == "APPROVAL" and "副科级副职职数核定 1 名，实有 2 名，超职数 1 名" in item.finding
    with pytest.raises(IntegrityError), transaction.atomic():
        RectificationItem.objects.create(
            source="LEDGER", unit=office, category="APPROVAL", finding="x", opened_on=TODAY, state_since=TODAY,
            auto_key=item.auto_key,
        )  # fmt: skip


# ---------------------------------------------------------------- the procedure


def _open(world, **extra):
    return rectification_open(
        actor=world["handler"],
        unit=world["unit"],
        source="INSPECTION",
        category="ORGANS",
        finding="擅自设立“综合服务中心”。",
        **extra,
    )


def test_office_and_unit_take_turns_until_the_reviewer_closes_the_item(world):
    handler, operator = world["handler"], world["operator"]
    item = _open(world)
    refused("rectification.not_yours", rectification_transition, actor=operator, item=item, name="notify")
    notified = rectification_transition(actor=handler, item=item, name="notify", days=20)
    assert notified.notice_serial == f"编办整改〔{TODAY.year}〕0001号"
    assert notified.deadline == WorkCalendar.load().add(TODAY, 20)
    rectification_transition(actor=operator, item=item, name="plan", plan="撤销该中心，人员回原岗位。")
    rectification_transition(actor=handler, item=item, name="accept_plan")
    refused(
        "rectification.no_evidence",
        rectification_transition,
        actor=operator,
        item=item,
        name="report",
        measures="已撤销",
    )
    rectification_file_add(actor=operator, item=item, upload=Upload("撤销文件.pdf", PDF))
    rectification_transition(actor=operator, item=item, name="report", measures="已发文撤销。")
    refused("supervision.missing", rectification_transition, actor=handler, item=item, name="reopen")
    rectification_transition(actor=handler, item=item, name="reopen", note="人员尚未回原岗位")
    rectification_transition(actor=operator, item=item, name="report", measures="人员已回原岗位。")
    refused("rectification.not_yours", rectification_transition, actor=operator, item=item, name="close")
    done = rectification_transition(actor=handler, item=item, name="close")
    assert (done.state, done.verifier) == ("CLOSED", "jiandu")
    assert [e.transition for e in done.events.all()] == [
        "open", "notify", "plan", "accept_plan", "report", "reopen", "report", "close",
    ]  # fmt: skip
    refused("rectification.not_allowed", rectification_file_add, actor=operator, item=item, upload=Upload("a.pdf", PDF))


def test_bad_input_is_refused_with_its_code_and_changes_nothing(world):
    handler = world["handler"]
    refused("rectification.ledger_item", rectification_open, actor=handler, unit=world["unit"], source="LEDGER",
            category="STAFFING", finding="超编")  # fmt: skip
    refused("supervision.missing", rectification_open, actor=handler, unit=world["unit"], source="AUDIT",
            category="STAFFING", finding="  ")  # fmt: skip
    refused("supervision.bad_choice", rectification_open, actor=handler, unit=world["unit"], source="NEWS",
            category="STAFFING", finding="x")  # fmt: skip
    other = make_unit("锦绣县财政局")
    refused("common.out_of_scope", rectification_open, actor=world["scoped"], unit=other, source="AUDIT",
            category="STAFFING", finding="x")  # fmt: skip
    refused("common.permission_denied", rectification_open, actor=world["operator"], unit=world["unit"],
            source="AUDIT", category="STAFFING", finding="x")  # fmt: skip
    item = _open(world)
    for inputs, code in (
        ({"days": 0}, "rectification.deadline_days"),
        ({"days": 999}, "rectification.deadline_days"),
        ({"day": TODAY + dt.timedelta(days=1)}, "supervision.future_date"),
        ({"day": TODAY - dt.timedelta(days=1)}, "supervision.date_before"),
    ):
        refused(code, rectification_transition, actor=handler, item=item, name="notify", **inputs)
    refused("rectification.unknown_operation", rectification_transition, actor=handler, item=item, name="erase")
    refused("rectification.not_allowed", rectification_transition, actor=handler, item=item, name="close")
    refused("supervision.missing", rectification_transition, actor=handler, item=item, name="escalate",
            kind="REFER", note="移送")  # fmt: skip
    item.refresh_from_db()
    assert (item.state, item.notice_serial) == ("OPEN", "")


def test_the_to_do_lists_say_who_acts_next_and_an_overdue_item_is_flagged(world):
    handler, operator = world["handler"], world["operator"]
    long_ago = TODAY - dt.timedelta(days=90)
    item = _open(world, day=long_ago)
    assert [i.action for i in todo_for(handler, TODAY) if i.kind == "整改事项"] == ["下达整改通知书"]
    assert not [i for i in todo_for(operator, TODAY) if i.kind == "整改事项"]  # not the unit's until notified
    rectification_transition(actor=handler, item=item, name="notify", day=long_ago, days=10)
    entry = next(i for i in todo_for(operator, TODAY) if i.kind == "整改事项")
    assert entry.action == "报送整改计划" and entry.overdue(TODAY)
    rectification_transition(actor=handler, item=item, name="escalate", kind="TALK", note="约谈主要负责人")
    page = client_for(handler).get(reverse("supervision:rectification_list") + "?overdue=1").content.decode()
    assert "锦绣县交通运输局" in page and "逾期" in page and "约谈" in page


# ---------------------------------------------------------------- complaints


def _concluded(world, finding="TRUE"):
    complaint = receive(world["handler"], days_ago=3, accused_units=[world["unit"]])
    for name, inputs in (
        ("accept", {}),
        ("assign", {"handling_type": "SELF", "opinion": "自办"}),
        ("investigate", {}),
        ("conclude", {"finding": finding, "conclusion": "超编进人属实", "public_reply": "举报属实，已责令整改。"}),
    ):
        complaint = complaint_transition(actor=world["handler"], complaint=complaint, name=name, **inputs)
    return complaint


def test_a_complaint_found_true_becomes_an_item_that_names_neither_code_nor_complainant(world):
    fresh = receive(world["handler"], accused_units=[world["unit"]])
    refused("rectification.not_concluded", complaint_rectification_open, actor=world["handler"], complaint=fresh,
            unit=world["unit"], finding="x")  # fmt: skip
    complaint = _concluded(world)
    client = client_for(world["handler"])
    page = client.get(reverse("supervision:complaint_detail", args=[complaint.pk])).content.decode()
    assert "转为整改事项" in page
    url = reverse("supervision:complaint_rectify", args=[complaint.pk])
    response = client.post(url, {"rectify-unit": world["unit"].name, "rectify-finding": "超编进人 3 名。"})
    item = RectificationItem.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "supervision:rectification_detail", args=[item.pk]
    )
    assert (item.source, item.complaint, item.category) == ("COMPLAINT", complaint, "STAFFING")
    assert complaint.code not in item.source_ref
    rectification_transition(actor=world["handler"], item=item, name="notify")
    seen = client_for(world["operator"]).get(reverse("supervision:rectification_detail", args=[item.pk]))
    assert seen.status_code == 200 and complaint.code not in seen.content.decode()
    assert "查看举报" not in seen.content.decode()
    referred = complaint_transition(
        actor=world["handler"], complaint=complaint, name="refer", referred_to="县纪委监委", note="涉嫌违纪"
    )
    assert referred.referred_to == "县纪委监委"
    false = _concluded(world, finding="FALSE")
    refused("rectification.not_concluded", complaint_rectification_open, actor=world["handler"], complaint=false,
            unit=world["unit"], finding="x")  # fmt: skip


def test_an_overdue_complaint_is_escalated_once_per_stage(world):
    complaint = receive(world["handler"], days_ago=30)
    assert complaints_escalate(today=TODAY) == 1
    assert complaints_escalate(today=TODAY) == 0
    assert complaint.events.filter(transition="escalate").count() == 1
    entry = next(i for i in complaints_todo(user=world["handler"], today=TODAY) if complaint.code in i.title)
    assert entry.note == "已逾期，已督办"


# ---------------------------------------------------------------- pages, Excel, notice, API


def test_the_unit_answers_its_item_in_the_browser_and_the_office_prints_the_notice(world):
    handler, operator = world["handler"], world["operator"]
    item = _open(world)
    unit_client, office_client = client_for(operator), client_for(handler)
    detail = reverse("supervision:rectification_detail", args=[item.pk])
    assert unit_client.get(detail).status_code == 404  # not the unit's until notified
    office_client.post(reverse("supervision:rectification_step", args=[item.pk, "notify"]), {"notify-days": "15"})
    item.refresh_from_db()
    assert item.state == "NOTIFIED"
    page = unit_client.get(detail).content.decode()
    assert "报送整改计划" in page and "核验通过，销号" not in page
    bad = unit_client.post(reverse("supervision:rectification_step", args=[item.pk, "plan"]), {"plan-plan": ""})
    assert bad.status_code == 400 and "须填写整改计划" in bad.content.decode()
    unit_client.post(reverse("supervision:rectification_step", args=[item.pk, "plan"]), {"plan-plan": "撤销"})
    item.refresh_from_db()
    assert item.state == "PLAN_SUBMITTED"
    other = make_user("qita", "unit_operator", scope_unit=make_unit("锦绣县财政局"))
    assert client_for(other).get(detail).status_code == 403

    notice = office_client.get(reverse("supervision:rectification_notice_pdf", args=[item.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(notice.content)).pages)
    assert notice["Content-Type"] == "application/pdf"
    assert "整改通知书" in text and item.notice_serial in text and "锦绣县交通运输局" in text.replace("\n", "")

    export = office_client.get(reverse("supervision:rectification_export") + "?open=1")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(rows) if row[0] == "编号")
    assert rows[header][:3] == ["编号", "整改单位", "问题来源"]
    assert rows[header + 1][1] == "锦绣县交通运输局" and rows[header + 1][7] == item.notice_serial

    token = api_token_issue(actor=None, user=operator, name="测试")[1]
    answer = Client().get("/api/v1/rectifications?open=true", headers={"Authorization": f"Bearer {token}"}).json()
    assert [(i["id"], i["state"], i["automatic"]) for i in answer["items"]] == [(item.pk, "PLAN_SUBMITTED", False)]
