"""The rest of the procedure's record: a matter's files (the minutes 动议 needs), the documents it cites, 论证 with
the departments asked, the table that says which body decides, and the meetings whose conclusions move matters on —
each refusal with a code and nothing changed; the 批复 numbered once and printed, the meeting pack printed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bianzhi.audit.models import AuditEvent
from bianzhi.core.errors import BianzhiError
from bianzhi.core.files import Upload, pdf_text
from bianzhi.matters.choices import AttachmentKind, Body, ConsultationKind, Decision, MatterKind, MatterState
from bianzhi.matters.meetings import meeting_create, meeting_item_add, meeting_item_remove, meeting_record
from bianzhi.matters.models import BodyRule, Matter, MatterAttachment
from bianzhi.matters.printing import matter_notice, meeting_pack
from bianzhi.matters.rules import SHIPPED_RULES, body_for, body_rules_replace
from bianzhi.matters.services import (
    change_step_add,
    matter_attachment_add,
    matter_attachment_remove,
    matter_create,
    matter_document_link,
)
from bianzhi.matters.workflow import (
    consultation_add,
    consultation_reply,
    matter_record_legality_review,
    matter_transition,
)
from bianzhi.orgs.documents import DocumentRef
from tests.matters import test_workflow
from tests.matters.support import minutes_upload
from tests.matters.test_workflow import ALL_PASSED, matter_in

pytestmark = pytest.mark.django_db
county = test_workflow.county  # the fixture: 教育局 and 财政局 with their operators, the 编办
S = MatterState
TODAY = timezone.localdate


def refused(code: str, call, *args, **kwargs) -> BianzhiError:
    with pytest.raises(BianzhiError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value.message
    return caught.value


# ---------------------------------------------------------------- files and documents


def test_proposing_needs_the_minutes_as_a_file_and_keeps_them(county):
    matter = matter_in(county, S.DRAFT)
    unit = county["users"]["unit"]
    inputs = {"meeting_on": TODAY() - dt.timedelta(days=1), "minutes": "局党组会议纪要〔2026〕9号"}
    error = refused("matters.missing_param", matter_transition, actor=unit, matter=matter, name="propose", **inputs)
    assert "会议纪要附件" in error.message
    fake = Upload("纪要.pdf", b"<html>")
    refused("files.not_pdf", matter_transition, actor=unit, matter=matter, name="propose", minutes_file=fake, **inputs)
    matter.refresh_from_db()
    assert matter.state == S.DRAFT and not matter.attachments.exists()
    matter_transition(actor=unit, matter=matter, name="propose", minutes_file=minutes_upload(), **inputs)
    minutes = matter.attachments.get()
    assert minutes.kind == AttachmentKind.MINUTES and minutes.uploaded_by == unit
    assert AuditEvent.objects.filter(action="matters.attachment_added", object_id=str(matter.pk)).exists()


def test_files_come_and_go_only_while_the_unit_may_still_change_the_matter(county):
    matter = matter_in(county, S.DRAFT)
    unit, other = county["users"]["unit"], county["users"]["other_unit"]
    refused(
        "common.permission_denied",
        matter_attachment_add,
        actor=other,
        matter=matter,
        kind="OTHER",
        upload=minutes_upload(),
    )
    refused("matters.bad_param", matter_attachment_add, actor=unit, matter=matter, kind="NOPE", upload=minutes_upload())
    kept = matter_attachment_add(actor=unit, matter=matter, kind="REQUEST", upload=minutes_upload())
    submitted = matter_in(county, S.SUBMITTED)
    late = matter_attachment_add(actor=unit, matter=submitted, kind="OTHER", upload=minutes_upload())
    refused("matters.not_editable", matter_attachment_remove, actor=unit, matter=submitted, attachment_id=late.pk)
    matter_attachment_remove(actor=unit, matter=matter, attachment_id=kept.pk)
    assert not MatterAttachment.objects.filter(pk=kept.pk).exists()
    closed = matter_in(county, S.REJECTED)
    refused("matters.finished", matter_attachment_add, actor=unit, matter=closed, kind="OTHER", upload=minutes_upload())


def test_a_matter_cites_documents_registered_on_first_use(county):
    matter = matter_in(county, S.DRAFT)
    unit = county["users"]["unit"]
    ref = DocumentRef("锦政发[2025]3号", "县政府工作规则", dt.date(2025, 3, 1), "锦绣县人民政府")
    document = matter_document_link(actor=unit, matter=matter, document=ref)
    assert document.number == "锦政发〔2025〕3号" and list(matter.documents.all()) == [document]
    refused(
        "documents.incomplete",
        matter_document_link,
        actor=unit,
        matter=matter,
        document=DocumentRef("锦政发〔2025〕4号"),
    )
    assert matter.documents.count() == 1


# ---------------------------------------------------------------- 论证


def test_a_consultation_must_be_answered_before_the_office_meeting(county):
    matter = matter_in(county, S.STUDYING)
    office, unit = county["users"]["office"], county["users"]["unit"]
    matter_transition(actor=office, matter=matter, name="study") if False else None

    matter_record_legality_review(actor=office, matter=matter, items=ALL_PASSED)
    args = {"kind": ConsultationKind.OPINION, "party": "县财政局", "requested_on": TODAY()}
    refused("common.permission_denied", consultation_add, actor=unit, matter=matter, **args)
    refused(
        "matters.bad_param",
        consultation_add,
        actor=office,
        matter=matter,
        **{**args, "requested_on": TODAY() + dt.timedelta(days=1)},
    )
    asked = consultation_add(actor=office, matter=matter, **args)
    error = refused(
        "matters.consultations_open", matter_transition, actor=office, matter=matter, name="to_office_meeting"
    )
    assert "县财政局" in error.message
    before = {"replied_on": TODAY() - dt.timedelta(days=1), "opinion": "同意"}
    refused("matters.date_before", consultation_reply, actor=office, matter=matter, consultation_id=asked.pk, **before)
    refused(
        "matters.missing_param",
        consultation_reply,
        actor=office,
        matter=matter,
        consultation_id=asked.pk,
        replied_on=TODAY(),
        opinion=" ",
    )
    consultation_reply(
        actor=office, matter=matter, consultation_id=asked.pk, replied_on=TODAY(), opinion="同意，编制从县直统筹"
    )
    matter_transition(actor=office, matter=matter, name="to_office_meeting")
    assert Matter.objects.get(pk=matter.pk).state == S.OFFICE_MEETING


# ---------------------------------------------------------------- which body decides


def _setup_matter(county, rank: str, kind: str = MatterKind.SETUP) -> Matter:
    matter = matter_create(actor=None, proposer=county["education"], kind=kind, title="设立中心", necessity="需要")
    params = {
        "name": "锦绣县教育考试中心",
        "system_category": "ZHENGFU",
        "kind": "SHIYE",
        "nature": "SHIYE",
        "rank": rank,
    }
    change_step_add(actor=None, matter=matter, operation="unit_create", params=params)
    return matter


def test_the_shipped_rules_send_a_fuke_body_to_the_city_and_a_merger_to_the_party_committee(county):
    assert BodyRule.objects.count() == len(SHIPPED_RULES)
    assert body_for(_setup_matter(county, "FUKE")).body == Body.UPPER_LEVEL
    assert body_for(_setup_matter(county, "ZHENGKE")).body == Body.UPPER_LEVEL
    assert body_for(_setup_matter(county, "GUJI")).body == Body.BIANWEI
    merger = matter_create(
        actor=None, proposer=county["education"], kind=MatterKind.MERGE, title="合并", necessity="需要"
    )
    assert body_for(merger).body == Body.PARTY_COMMITTEE


def test_another_body_than_the_rules_needs_a_reason(county):
    matter = matter_in(county, S.OFFICE_MEETING)
    office = county["users"]["office"]
    error = refused(
        "matters.body_reason",
        matter_transition,
        actor=office,
        matter=matter,
        name="to_deliberation",
        body=Body.PARTY_COMMITTEE,
    )
    assert "县委编委会" in error.message
    matter_transition(
        actor=office,
        matter=matter,
        name="to_deliberation",
        body=Body.PARTY_COMMITTEE,
        comment="涉及多个部门，提请常委会研究",
    )
    assert Matter.objects.get(pk=matter.pk).body == Body.PARTY_COMMITTEE


def test_the_rule_table_is_edited_as_data_and_checked(county):
    office, unit = county["users"]["office"], county["users"]["unit"]
    rules = [
        {
            "matter_kind": "",
            "operation": "unit_create",
            "rank_at_least": "GUJI",
            "body": "UPPER",
            "basis": "一律报上级",
        },
        {"matter_kind": "", "operation": "", "rank_at_least": "", "body": "BIANWEI", "basis": "其余编委审议"},
    ]
    refused("common.permission_denied", body_rules_replace, actor=unit, rules=rules)
    bad = [{**rules[0], "operation": "quota_movement"}]
    refused("matters.bad_rule", body_rules_replace, actor=office, rules=bad)
    refused("matters.bad_rule", body_rules_replace, actor=office, rules=[{**rules[1], "basis": " "}])
    assert BodyRule.objects.count() == len(SHIPPED_RULES)
    body_rules_replace(actor=office, rules=rules)
    assert body_for(_setup_matter(county, "GUJI")).body == Body.UPPER_LEVEL
    assert AuditEvent.objects.filter(action="matters.body_rules_replaced").exists()


def test_a_matter_sent_up_is_decided_by_the_upper_levels_document(county):
    matter = matter_in(county, S.OFFICE_MEETING)
    office = county["users"]["office"]
    matter_transition(
        actor=office, matter=matter, name="to_deliberation", body=Body.UPPER_LEVEL, comment="规格超出县级权限"
    )
    refused(
        "matters.missing_param",
        matter_transition,
        actor=office,
        matter=matter,
        name="decide",
        decision=Decision.APPROVED,
    )
    upper = DocumentRef("黄编复〔2026〕8号", "关于锦绣县教育局核增编制的批复", TODAY(), "黄州市委机构编制委员会")
    matter_transition(actor=office, matter=matter, name="decide", decision=Decision.APPROVED, document=upper)
    matter.refresh_from_db()
    assert matter.state == S.DECIDED and matter.decision_document.number == "黄编复〔2026〕8号"
    assert matter.decided_on == TODAY()


# ---------------------------------------------------------------- meetings


def test_an_office_meeting_then_a_bianwei_meeting_decide_the_matter(county):
    office = county["users"]["office"]
    first, second = matter_in(county, S.OFFICE_MEETING), matter_in(county, S.OFFICE_MEETING)
    studying = matter_in(county, S.STUDYING)
    shiwu = meeting_create(actor=office, kind="OFFICE", title="编办2026年第9次室务会", held_on=TODAY())
    refused("matters.agenda_state", meeting_item_add, actor=office, meeting=shiwu, matter=studying)
    one = meeting_item_add(actor=office, meeting=shiwu, matter=first)
    two = meeting_item_add(actor=office, meeting=shiwu, matter=second)
    refused("matters.bad_param", meeting_item_add, actor=office, meeting=shiwu, matter=first)
    outcomes = {one.pk: {"outcome": "FORWARD"}, two.pk: {"outcome": "RETURN", "opinion": ""}}
    # a return without a reason stops the whole record: neither matter moves
    refused(
        "matters.missing_param",
        meeting_record,
        actor=office,
        meeting=shiwu,
        attendees="主任",
        minutes_number="",
        minutes="",
        outcomes=outcomes,
    )
    assert {m.state for m in Matter.objects.filter(pk__in=[first.pk, second.pk])} == {S.OFFICE_MEETING}
    outcomes[two.pk]["opinion"] = "请补充论证材料"
    meeting_record(
        actor=office,
        meeting=shiwu,
        attendees="主任、副主任",
        minutes_number="室务会纪要〔2026〕9号",
        minutes="",
        outcomes=outcomes,
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == S.DELIBERATING and first.body == Body.BIANWEI and second.state == S.RETURNED
    refused("matters.meeting_held", meeting_item_remove, actor=office, meeting=shiwu, item_id=one.pk)

    future = meeting_create(
        actor=office, kind="BIANWEI", title="县委编委2026年第4次会议", held_on=TODAY() + dt.timedelta(days=3)
    )
    item = meeting_item_add(actor=office, meeting=future, matter=first)
    refused(
        "matters.bad_param",
        meeting_record,
        actor=office,
        meeting=future,
        attendees="编委成员",
        minutes_number="",
        minutes="",
        outcomes={item.pk: {"outcome": "APPROVED"}},
    )
    bianwei = meeting_create(actor=office, kind="BIANWEI", title="县委编委2026年第3次会议", held_on=TODAY())
    party = meeting_create(actor=office, kind="PARTY", title="县委常委会2026年第20次会议", held_on=TODAY())
    refused("matters.agenda_body", meeting_item_add, actor=office, meeting=party, matter=first)
    meeting_item_remove(actor=office, meeting=future, item_id=item.pk)
    item = meeting_item_add(actor=office, meeting=bianwei, matter=first)
    refused(
        "matters.outcome_missing",
        meeting_record,
        actor=office,
        meeting=bianwei,
        attendees="编委成员",
        minutes_number="",
        minutes="",
        outcomes={},
    )
    meeting_record(
        actor=office,
        meeting=bianwei,
        attendees="编委成员",
        minutes_number="编委会纪要〔2026〕3号",
        minutes="",
        outcomes={item.pk: {"outcome": "APPROVED", "opinion": "同意"}},
    )
    first.refresh_from_db()
    assert first.state == S.DECIDED and first.decision == Decision.APPROVED and first.decided_on == TODAY()
    assert first.events.get(transition="decide").details["meeting"] == "县委编委2026年第3次会议"

    pack = meeting_pack(actor=office, meeting=bianwei)
    text = pdf_text(pack.content)
    assert "县委编委2026年第3次会议" in text and "核增编制" in text and "合法合规性审查" in text

    notice = matter_notice(actor=office, matter=first)
    first.refresh_from_db()
    serial = first.notice_serial
    assert serial.startswith("编委批〔") and serial in pdf_text(notice.content)
    assert "同意你单位所请" in pdf_text(notice.content).replace("\n", "")
    matter_notice(actor=office, matter=first)
    first.refresh_from_db()
    assert first.notice_serial == serial  # a reprint keeps the number
    refused("matters.not_notifiable", matter_notice, actor=office, matter=second)
