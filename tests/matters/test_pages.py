"""The matter pages as their users work them: a unit drafts a matter with a change set (a step that cannot go
through says why as soon as it is added), proposes and submits it; the 编办 takes it through review, the 合法合规性
审查, the meetings and the decision, and applies it: the register and the ledger change at once. A unit operator
never sees another unit's matters."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bianzhi.accounts.roles import Role
from bianzhi.audit.models import AuditEvent
from bianzhi.core.files import pdf_text
from bianzhi.matters.choices import LegalityItem, MatterState
from bianzhi.matters.models import BodyRule, Matter, Meeting
from bianzhi.orgs.models import Unit
from bianzhi.quotas.selectors import unit_ledger
from tests.factories import make_unit, make_user
from tests.matters.support import minutes_file, slots_for
from tests.roster.support import client_for

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def county():
    education, finance = make_unit("锦绣县教育局"), make_unit("锦绣县财政局")
    slots_for(20, education=(education, 6))
    return {
        "education": education,
        "finance": finance,
        "unit": client_for(make_user("jiaoyu", Role.UNIT_OPERATOR, scope_unit=education)),
        "office": client_for(make_user("bianban", Role.BIANBAN_OPERATOR, scope_county=True)),
        "other": client_for(make_user("caizheng", Role.UNIT_OPERATOR, scope_unit=finance)),
    }


def post_ok(client, url: str, data: dict) -> str:
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return client.get(response["Location"]).content.decode()


def act(client, matter: Matter, name: str, **fields) -> str:
    url = reverse("matters:matter_act", args=[matter.pk, name])
    return post_ok(client, url, {f"{name}-{key}": value for key, value in fields.items()})


def test_a_matter_from_draft_to_the_ledger(county):
    unit, office = county["unit"], county["office"]
    html = post_ok(
        unit,
        reverse("matters:matter_new"),
        {"proposer": "锦绣县教育局", "kind": "SETUP", "title": "关于设立县教育考试中心的请示", "necessity": "考务增加"},
    )
    matter = Matter.objects.get()
    assert "事项已建立" in html and "下一步由提出单位办理" in html
    step = lambda operation, data: post_ok(unit, reverse("matters:step_new", args=[matter.pk, operation]), data)  # noqa: E731
    centre = {"name": "锦绣县教育考试中心", "system_category": "ZHENGFU", "kind": "JIGUAN", "nature": "XINGZHENG"}
    step("unit_create", {**centre, "rank": "GUJI", "parent": "锦绣县教育局"})
    transfer = {"kind": "HUAZHUAN", "quota_type": "XZ", "source_kind": "UNIT", "source_unit": "锦绣县教育局",
                "source_funding": "QE", "target_kind": "UNIT", "target_unit": "#1", "target_funding": "QE"}  # fmt: skip
    html = step("quota_movement", {**transfer, "amount": 9})  # more than the bureau holds
    assert "不能办理：锦绣县教育局·行政编制（全额拨款）" in html and "不足以划出 9 名" in html
    remove = reverse("matters:step_remove", args=[matter.pk, 2])
    assert "已删除第 2 步" in post_ok(unit, remove, {})
    html = step("quota_movement", {**transfer, "amount": 2})
    assert html.count("可以办理") == 2
    assert "锦绣县教育局 · " in html and "6 / 0 / 6" in html and "4 / 0 / 4" in html  # before and after
    assert "锦绣县教育考试中心" in html and "（新设）" in html

    html = act(
        unit,
        matter,
        "propose",
        meeting_on=(TODAY - dt.timedelta(days=2)).isoformat(),
        minutes="局党组会议纪要",
        minutes_file=minutes_file(),
    )
    html = act(unit, matter, "submit")
    assert "下一步由编办办理" in html
    assert "提交动议" not in html  # the unit has nothing left to do
    act(office, matter, "accept")
    act(office, matter, "study")
    review = {f"{item.value}_passed": "on" for item in LegalityItem}
    post_ok(office, reverse("matters:matter_review", args=[matter.pk]), review)
    act(office, matter, "to_office_meeting")
    act(office, matter, "to_deliberation", body="BIANWEI", meeting="县委编委2026年第3次会议")
    html = act(office, matter, "decide", decision="APPROVED")
    assert "组织实施：按批复一次实施全部变更" in html
    decision = {"doc_number": "锦编复〔2026〕21号", "doc_title": "关于设立县教育考试中心的批复",
                "doc_issued_on": TODAY.isoformat(), "doc_issuer": "锦绣县机构编制委员会",
                "effective_date": TODAY.isoformat()}  # fmt: skip
    html = post_ok(office, reverse("matters:matter_apply", args=[matter.pk]), decision)
    assert "变更已全部实施" in html and "已实施" in html
    centre = Unit.objects.get(name="锦绣县教育考试中心")
    assert unit_ledger(None, centre, TODAY)[0].approved == 2
    assert unit_ledger(None, county["education"], TODAY)[0].approved == 4
    matter.refresh_from_db()
    assert matter.state == MatterState.IMPLEMENTED and matter.decision_document.number == "锦编复〔2026〕21号"
    html = unit.get(reverse("matters:matter_detail", args=[matter.pk])).content.decode()
    assert "提交实施报告" in html and "下一步由提出单位办理" in html  # the unit's report is due
    # the ledger's history leads back to the matter: the journal, the unit's history
    link = f'<a href="/matters/{matter.pk}/">编委事项「关于设立县教育考试中心的请示」</a>'
    assert link in office.get(reverse("quotas:movement_list")).content.decode()
    history = office.get(reverse("orgs:unit_detail", args=[centre.pk]) + "?tab=history").content.decode()
    assert link in history and "机构编制事项" in history


def test_a_refusal_is_shown_beside_the_form_and_changes_nothing(county):
    unit = county["unit"]
    post_ok(
        unit,
        reverse("matters:matter_new"),
        {"proposer": "锦绣县教育局", "kind": "QUOTA", "title": "核增", "necessity": "x"},
    )
    matter = Matter.objects.get()
    response = unit.post(reverse("matters:matter_act", args=[matter.pk, "propose"]), {"propose-minutes": "纪要"})
    assert response.status_code == 400
    assert "缺少「集体讨论日期」" in response.content.decode()
    matter.refresh_from_db()
    assert matter.state == MatterState.DRAFT


def test_a_unit_operator_sees_only_their_units_matters(county):
    post_ok(
        county["unit"],
        reverse("matters:matter_new"),
        {"proposer": "锦绣县教育局", "kind": "QUOTA", "title": "教育局核增编制", "necessity": "学生增加"},
    )
    matter = Matter.objects.get()
    other = county["other"]
    assert "教育局核增编制" not in other.get(reverse("matters:matter_list")).content.decode()
    assert other.get(reverse("matters:matter_detail", args=[matter.pk])).status_code == 403
    response = other.post(
        reverse("matters:matter_new"), {"proposer": "锦绣县教育局", "kind": "QUOTA", "title": "代提", "necessity": "x"}
    )
    assert response.status_code == 403 and Matter.objects.count() == 1
    listing = county["office"].get(reverse("matters:matter_list"), {"q": "教育"}).content.decode()
    assert "教育局核增编制" in listing and re.search(r"提出单位，\d{4}-\d{2}-\d{2} 前|提出单位", listing)


def test_the_home_page_lists_what_waits_for_each_side_overdue_first(county):
    unit, office = county["unit"], county["office"]
    for title in ("甲事项", "乙事项"):
        new = {"proposer": "锦绣县教育局", "kind": "QUOTA", "title": title, "necessity": "x"}
        post_ok(unit, reverse("matters:matter_new"), new)
    late = Matter.objects.order_by("pk").first()
    act(unit, late, "propose", meeting_on=TODAY.isoformat(), minutes="纪要", minutes_file=minutes_file())
    act(unit, late, "submit")
    Matter.objects.filter(pk=late.pk).update(state_since=TODAY - dt.timedelta(days=30))  # reached the 编办 long ago
    html = office.get("/").content.decode()
    todo = html.split("待办事项", 1)[1].split("</table>", 1)[0]
    assert "甲事项" in todo and "受理或退回" in todo and "已逾期" in todo
    assert "乙事项" not in todo  # still the unit's to finish
    todo = unit.get("/").content.decode().split("待办事项", 1)[1].split("</table>", 1)[0]
    assert "乙事项" in todo and "完善并提交动议" in todo and "甲事项" not in todo
    assert "待办事项" not in county["other"].get("/").content.decode()  # nothing of theirs


def test_the_register_exports_exactly_the_filtered_list(county):
    unit, office = county["unit"], county["office"]
    for title in ("教育局核增编制", "教育局更名"):
        new = {"proposer": "锦绣县教育局", "kind": "QUOTA", "title": title, "necessity": "x"}
        post_ok(unit, reverse("matters:matter_new"), new)
    response = office.get(reverse("matters:matter_export"), {"q": "更名"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [row[1] for row in rows] == ["教育局更名"] and rows[0][4] == "草稿" and rows[0][9] == "提出单位"
    assert AuditEvent.objects.filter(action="matters.exported").count() == 1


def test_every_page_header_counts_what_waits_for_the_user(county):
    unit = county["unit"]
    new = {"proposer": "锦绣县教育局", "kind": "QUOTA", "title": "核增", "necessity": "x"}
    post_ok(unit, reverse("matters:matter_new"), new)
    html = unit.get(reverse("orgs:unit_list")).content.decode()
    assert re.search(r'href="/#todo"[^>]*>\s*待办<span class="badge bg-blue text-white ms-1">1</span>', html)
    menu = html.split('class="dropdown-menu dropdown-menu-end dropdown-menu-arrow dropdown-menu-card todo-menu"')[1]
    menu = menu.split("全部 1 件待办")[0]
    matter = Matter.objects.get()
    assert f'href="/matters/{matter.pk}/"' in menu and "完善并提交动议" in menu and "核增" in menu
    assert "#todo" not in county["other"].get(reverse("orgs:unit_list")).content.decode()


def test_an_overdue_step_says_so_in_words_on_the_matter_page(county):
    unit = county["unit"]
    new = {"proposer": "锦绣县教育局", "kind": "QUOTA", "title": "核增", "necessity": "x"}
    post_ok(unit, reverse("matters:matter_new"), new)
    matter = Matter.objects.get()
    act(unit, matter, "propose", meeting_on=TODAY.isoformat(), minutes="纪要", minutes_file=minutes_file())
    act(unit, matter, "submit")
    Matter.objects.filter(pk=matter.pk).update(state_since=TODAY - dt.timedelta(days=60))
    html = unit.get(reverse("matters:matter_detail", args=[matter.pk])).content.decode()
    assert "alert-danger" in html and "<strong>已逾期</strong>" in html


def _proposed(county) -> Matter:
    unit = county["unit"]
    new = {"proposer": "锦绣县教育局", "kind": "QUOTA", "title": "关于核增编制的请示", "necessity": "学生增加"}
    post_ok(unit, reverse("matters:matter_new"), new)
    matter = Matter.objects.get()
    act(unit, matter, "propose", meeting_on=TODAY.isoformat(), minutes="纪要", minutes_file=minutes_file())
    return matter


def test_files_are_uploaded_shown_downloaded_checked_and_refused_in_words(county):
    unit, other = county["unit"], county["other"]
    matter = _proposed(county)
    detail = reverse("matters:matter_detail", args=[matter.pk])
    html = unit.get(detail).content.decode()
    assert "局党组会议纪要.pdf" in html and "集体讨论会议纪要" in html
    upload = reverse("matters:attachment_add", args=[matter.pk])
    bad = SimpleUploadedFile("病毒.exe", b"MZ", content_type="application/octet-stream")
    response = unit.post(upload, {"kind": "OTHER", "file": bad})
    assert response.status_code == 400 and "不支持「病毒.exe」这种文件" in response.content.decode()
    assert matter.attachments.count() == 1
    request_pdf = SimpleUploadedFile("请示.pdf", b"%PDF-1.4\n% request\n", content_type="application/pdf")
    assert "材料已上传" in post_ok(unit, upload, {"kind": "REQUEST", "file": request_pdf})
    attachment = matter.attachments.get(name="请示.pdf")
    download = reverse("matters:attachment_download", args=[matter.pk, attachment.pk])
    response = unit.get(download)
    assert response.status_code == 200 and response.content == b"%PDF-1.4\n% request\n"
    assert response["Content-Type"] == "application/pdf"
    assert other.get(download).status_code == 403
    (Path(settings.VAR_DIR) / "files" / attachment.file.sha256[:2] / attachment.file.sha256).write_bytes(b"tampered")
    response = unit.get(download)
    assert response.status_code == 503 and "校验值与登记的不一致" in response.content.decode()


def test_meetings_are_planned_held_and_printed_through_their_pages(county):
    office = county["office"]
    matter = _proposed(county)
    for name in ("submit",):
        act(county["unit"], matter, name)
    for name in ("accept", "study"):
        act(office, matter, name)
    post_ok(
        office, reverse("matters:matter_review", args=[matter.pk]), {f"{i.value}_passed": "on" for i in LegalityItem}
    )
    act(office, matter, "to_office_meeting")
    html = post_ok(
        office,
        reverse("matters:meeting_new"),
        {"kind": "OFFICE", "title": "编办2026年第9次室务会", "held_on": TODAY.isoformat()},
    )
    assert "会议已建立" in html and "关于核增编制的请示" in html  # offered for the agenda
    meeting = Meeting.objects.get()
    html = post_ok(office, reverse("matters:meeting_item_add", args=[meeting.pk]), {"matter": matter.pk})
    assert "已列入议程" in html and "记录会议结论" in html
    item = meeting.items.get()
    record = reverse("matters:meeting_record", args=[meeting.pk])
    response = office.post(record, {"attendees": "主任", f"outcome_{item.pk}": "RETURN"})
    assert response.status_code == 400 and "缺少「理由」" in response.content.decode()
    html = post_ok(office, record, {"attendees": "主任、副主任", f"outcome_{item.pk}": "FORWARD"})
    assert "议题事项已转入下一环节" in html and "同意提请审议" in html
    matter.refresh_from_db()
    assert matter.state == MatterState.DELIBERATING and matter.body == "BIANWEI"
    pack = office.get(reverse("matters:meeting_pack", args=[meeting.pk]))
    assert pack["Content-Type"] == "application/pdf" and "关于核增编制的请示" in pdf_text(pack.content)
    assert county["unit"].get(reverse("matters:meeting_list")).status_code == 403

    matter.decision, matter.state = "APPROVED", MatterState.DECIDED
    matter.decided_on = TODAY
    matter.save()
    html = office.get(reverse("matters:matter_detail", args=[matter.pk])).content.decode()
    assert "打印批复" in html and "批复尚未印发" in html
    notice = office.get(reverse("matters:notice_pdf", args=[matter.pk]))
    assert notice.status_code == 200 and "关于核增编制的批复" in pdf_text(notice.content)
    matter.refresh_from_db()
    html = office.get(reverse("matters:matter_detail", args=[matter.pk])).content.decode()
    assert matter.notice_serial in html  # the apply form offers the 批复 as the document
    assert f'value="{matter.notice_serial}"' in html


def test_the_rule_table_page_shows_and_saves_the_rules(county):
    office, unit = county["office"], county["unit"]
    html = unit.get(reverse("matters:body_rules")).content.decode()
    assert "县级副科级及以上各类机构的设置，报市委编委审批" in html and "保存规则" not in html
    form = {
        "rules-TOTAL_FORMS": "1",
        "rules-INITIAL_FORMS": "0",
        "rules-0-body": "BIANWEI",
        "rules-0-basis": "",
        "rules-0-ORDER": "1",
    }
    response = office.post(reverse("matters:body_rules"), form)
    assert response.status_code == 400 and "审议机构规则有误：请写明依据" in response.content.decode()
    assert unit.post(reverse("matters:body_rules"), {**form, "rules-0-basis": "x"}).status_code == 403
    form["rules-0-basis"] = "一律由县委编委会审议"
    assert "审议机构规则已保存" in post_ok(office, reverse("matters:body_rules"), form)
    assert list(BodyRule.objects.values_list("basis", flat=True)) == ["一律由县委编委会审议"]


def test_a_step_is_checked_while_it_is_typed_and_nothing_is_saved(county):
    unit = county["unit"]
    post_ok(
        unit,
        reverse("matters:matter_new"),
        {"proposer": "锦绣县教育局", "kind": "QUOTA", "title": "划转", "necessity": "x"},
    )
    matter = Matter.objects.get()
    check = reverse("matters:step_check", args=[matter.pk, "quota_movement"])
    transfer = {"kind": "HUAZHUAN", "quota_type": "XZ", "source_kind": "UNIT", "source_unit": "锦绣县教育局",
                "source_funding": "QE", "target_kind": "UNIT", "target_unit": "锦绣县财政局",
                "target_funding": "QE"}  # fmt: skip
    html = unit.post(check, transfer, headers={"HX-Request": "true"}).content.decode()
    assert "尚未填完" in html and "数量" in html
    html = unit.post(check, {**transfer, "amount": 9}).content.decode()
    assert "第 1 步不能办理" in html and "不足以划出 9 名" in html
    assert "这一步（第 1 步）可以办理" in unit.post(check, {**transfer, "amount": 6}).content.decode()
    assert not matter.steps.exists()
    # judged after the steps already there: the slots the first step moves out are gone for the second
    post_ok(unit, reverse("matters:step_new", args=[matter.pk, "quota_movement"]), {**transfer, "amount": 6})
    assert "第 2 步不能办理" in unit.post(check, {**transfer, "amount": 1}).content.decode()
    assert county["other"].post(check, {**transfer, "amount": 1}).status_code == 403
