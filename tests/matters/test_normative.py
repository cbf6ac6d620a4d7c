"""规范性文件审核: the bad inputs first (each refused with a code and a Chinese message, nothing kept), then who may
act (only the 编办), the states (收文 → 审核中 → 已复函, 撤回), the deadline in working days across a holiday, the reply
letter and the register."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.audit.models import AuditEvent
from bianzhi.core.files import Upload, pdf_text
from bianzhi.core.models import StoredFile
from bianzhi.core.todo import todo_for
from bianzhi.matters.choices import ClauseOpinion, ReviewState
from bianzhi.matters.models import NormativeClause, NormativeReview
from bianzhi.matters.normative import (
    normative_clause_add,
    normative_clause_edit,
    normative_clause_remove,
    normative_export,
    normative_letter,
    normative_review_create,
    normative_review_reply,
    normative_review_withdraw,
    normative_reviews,
    review_deadline,
)
from tests.factories import make_unit, make_user
from tests.matters.support import files_on_disk, refused

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
DOCX = b"PK\x03\x04 a word document"
PDF = b"%PDF-1.4 a draft"


def draft(name: str = "送审稿.docx", content: bytes = DOCX) -> Upload:
    return Upload(name, content)


@pytest.fixture
def people():
    education = make_unit("锦绣县教育局")
    return {
        "bianban": make_user("bianban", Role.BIANBAN_OPERATOR, scope_county=True),
        "scoped": make_user("bianban_jy", Role.BIANBAN_OPERATOR, scope_unit=education),
        "unit": make_user("jiaoyu", Role.UNIT_OPERATOR, scope_unit=education),
        "oversight": make_user("jiandu", Role.OVERSIGHT, scope_county=True),
        "registration": make_user("dengji", Role.REGISTRATION, scope_county=True),
        "education": education,
    }


def receive(actor, **changes) -> NormativeReview:
    fields = {
        "title": "县人社局关于事业单位公开招聘的实施办法（送审稿）",
        "department": "县人力资源和社会保障局",
        "received_on": TODAY() - dt.timedelta(days=3),
        "draft": draft(),
        **changes,
    }
    return normative_review_create(actor=actor, **fields)


# ---------------------------------------------------------------- bad input, nothing kept


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"title": "  "}, "matters.missing_param"),
        ({"department": ""}, "matters.missing_param"),
        ({"received_on": None}, "matters.missing_param"),
        ({"received_on": dt.date(2999, 1, 1)}, "normative.future_date"),
        ({"draft": None}, "matters.missing_param"),
        ({"draft": draft("送审稿.xlsx", b"PK\x03\x04")}, "normative.draft_type"),
        ({"draft": draft("送审稿.jpg", b"\xff\xd8\xff")}, "normative.draft_type"),
        ({"draft": draft("送审稿.docx", b"")}, "files.empty"),
        ({"draft": draft("送审稿.pdf", b"not a pdf")}, "files.not_pdf"),
    ],
)
def test_a_bad_receipt_is_refused_and_keeps_nothing(people, changes, code):
    before = files_on_disk()
    refused(code, receive, people["bianban"], **changes)
    assert NormativeReview.objects.count() == 0 and StoredFile.objects.count() == 0
    assert files_on_disk() == before
    assert not AuditEvent.objects.filter(action__startswith="matters.normative").exists()


def test_a_clause_needs_a_reference_a_known_opinion_and_words_for_a_change(people):
    review = receive(people["bianban"])
    actor = people["bianban"]
    refused("matters.missing_param", normative_clause_add, actor=actor, review=review, reference=" ", opinion="AGREE")
    refused("normative.bad_opinion", normative_clause_add, actor=actor, review=review, reference="第五条", opinion="X")
    for opinion in (ClauseOpinion.AMEND, ClauseOpinion.DELETE):
        error = refused(
            "normative.opinion_text",
            normative_clause_add,
            actor=actor,
            review=review,
            reference="第五条",
            opinion=opinion,
        )
        assert str(ClauseOpinion(opinion).label) in error.message
    assert NormativeClause.objects.count() == 0
    review.refresh_from_db()
    assert review.state == ReviewState.RECEIVED


def test_a_reply_needs_a_conclusion_and_a_date_between_receipt_and_today(people):
    actor = people["bianban"]
    review = receive(actor, received_on=TODAY() - dt.timedelta(days=10))
    reply = {"actor": actor, "review": review, "returned_on": TODAY()}
    refused("normative.no_conclusion", normative_review_reply, **reply)
    normative_clause_add(actor=actor, review=review, reference="第五条", opinion="DELETE", opinion_text="不宜规定编制")
    refused("normative.clauses_and_none", normative_review_reply, **reply, no_staffing_matters=True)
    before = TODAY() - dt.timedelta(days=11)
    error = refused("normative.reply_before_receipt", normative_review_reply, **{**reply, "returned_on": before})
    assert before.isoformat() in error.message
    refused("normative.future_date", normative_review_reply, **{**reply, "returned_on": TODAY() + dt.timedelta(1)})
    refused("matters.missing_param", normative_review_reply, **{**reply, "returned_on": None})
    review.refresh_from_db()
    assert review.state == ReviewState.REVIEWING and review.returned_on is None


# ---------------------------------------------------------------- who may act


@pytest.mark.parametrize("who", ["unit", "oversight", "registration"])
def test_only_the_bianban_reviews(people, who):
    actor = people[who]
    before = files_on_disk()
    refused("common.permission_denied", receive, actor, draft=draft("送审稿.docx", DOCX + who.encode()))
    assert NormativeReview.objects.count() == 0 and files_on_disk() == before
    review = receive(people["bianban"])
    clause = normative_clause_add(actor=people["bianban"], review=review, reference="第三条", opinion="AGREE")
    for call, kwargs in (
        (normative_clause_add, {"reference": "第五条", "opinion": "AGREE"}),
        (normative_clause_edit, {"clause_id": clause.pk, "reference": "第五条", "opinion": "AGREE"}),
        (normative_clause_remove, {"clause_id": clause.pk}),
        (normative_review_reply, {"returned_on": TODAY()}),
        (normative_review_withdraw, {}),
        (normative_letter, {}),
    ):
        refused("common.permission_denied", call, actor=actor, review=review, **kwargs)
    review.refresh_from_db()
    assert review.state == ReviewState.REVIEWING and review.clauses.get().reference == "第三条"
    assert list(normative_reviews(actor)) == []
    assert [item for item in todo_for(actor, TODAY()) if item.kind == "规范性文件审核"] == []


def test_a_bianban_operator_limited_to_a_subtree_still_reviews_every_department(people):
    review = receive(people["bianban"])
    assert list(normative_reviews(people["scoped"])) == [review]
    normative_clause_add(actor=people["scoped"], review=review, reference="第二条", opinion="AGREE")


# ---------------------------------------------------------------- the procedure


def test_received_reviewed_clause_by_clause_and_answered(people):
    actor = people["bianban"]
    review = receive(actor, draft=draft("送审稿.pdf", PDF))
    assert review.state == ReviewState.RECEIVED and review.draft.content_type == "application/pdf"
    first = normative_clause_add(
        actor=actor,
        review=review,
        reference="第五条",
        quoted="各单位可根据工作需要自行增设内设机构。",
        opinion="DELETE",
        opinion_text="机构设置由机构编制部门按程序审批，建议删除。",
    )
    review.refresh_from_db()
    assert review.state == ReviewState.REVIEWING
    second = normative_clause_add(actor=actor, review=review, reference="第九条", opinion="AGREE")
    normative_clause_edit(
        actor=actor,
        review=review,
        clause_id=second.pk,
        reference="第九条",
        opinion="AMEND",
        opinion_text="改为“按规定”",
    )
    normative_clause_remove(actor=actor, review=review, clause_id=first.pk)
    assert [(c.reference, c.opinion) for c in review.clauses.all()] == [("第九条", "AMEND")]
    normative_review_reply(
        actor=actor,
        review=review,
        returned_on=TODAY(),
        overall_opinion="修改后可以印发。",
        reply_number="锦编函〔2026〕3号",
    )
    review.refresh_from_db()
    assert (review.state, review.returned_on, review.reply_number) == (
        ReviewState.REPLIED,
        TODAY(),
        "锦编函〔2026〕3号",
    )
    actions = list(
        AuditEvent.objects.filter(object_type="matters.normativereview", object_id=str(review.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "matters.normative_received",
        "matters.normative_clause_added",
        "matters.normative_clause_added",
        "matters.normative_clause_edited",
        "matters.normative_clause_removed",
        "matters.normative_replied",
    ]
    # answered: nothing more changes
    for call, kwargs in (
        (normative_clause_add, {"reference": "第十条", "opinion": "AGREE"}),
        (normative_clause_edit, {"clause_id": second.pk, "reference": "第十条", "opinion": "AGREE"}),
        (normative_clause_remove, {"clause_id": second.pk}),
        (normative_review_reply, {"returned_on": TODAY(), "no_staffing_matters": True}),
        (normative_review_withdraw, {}),
    ):
        error = refused("normative.closed", call, actor=actor, review=review, **kwargs)
        assert "已复函" in error.message
    assert review.clauses.get().reference == "第九条"


def test_a_draft_touching_no_staffing_matter_is_answered_without_clauses(people):
    review = receive(people["bianban"])
    normative_review_reply(actor=people["bianban"], review=review, returned_on=TODAY(), no_staffing_matters=True)
    review.refresh_from_db()
    assert review.state == ReviewState.REPLIED and review.no_staffing_matters


def test_a_withdrawn_draft_ends_the_review(people):
    actor = people["bianban"]
    review = receive(actor)
    normative_review_withdraw(actor=actor, review=review, reason="起草部门来函撤回")
    review.refresh_from_db()
    assert review.state == ReviewState.WITHDRAWN and review.withdraw_reason == "起草部门来函撤回"
    refused("normative.closed", normative_letter, actor=actor, review=review)
    refused("normative.closed", normative_clause_add, actor=actor, review=review, reference="第一条", opinion="AGREE")


def test_a_clause_of_another_review_is_not_found(people):
    actor = people["bianban"]
    one, other = receive(actor), receive(actor, title="另一份送审稿")
    clause = normative_clause_add(actor=actor, review=other, reference="第一条", opinion="AGREE")
    refused("normative.no_such_clause", normative_clause_remove, actor=actor, review=one, clause_id=clause.pk)
    assert NormativeClause.objects.filter(pk=clause.pk).exists()


# ---------------------------------------------------------------- the deadline


def test_the_deadline_counts_working_days_across_the_national_day_holiday(people, settings):
    settings.BIANZHI_NORMATIVE_REVIEW_DAYS = 5
    review = receive(people["bianban"], received_on=dt.date(2026, 9, 30))
    deadline = review_deadline(review)
    # 10-01…10-07 off, 10-08 and 10-09, the Saturday 10-10 worked, then 10-12 and 10-13
    assert deadline.due == dt.date(2026, 10, 13) and deadline.note == ""


def test_a_deadline_in_a_year_without_a_calendar_says_it_is_an_estimate(people):
    review = NormativeReview(received_on=dt.date(2031, 3, 3))
    deadline = review_deadline(review)
    assert deadline.due == dt.date(2031, 3, 10) and "2031" in deadline.note


def test_waiting_reviews_are_on_the_bianban_to_do_list_overdue_first(people):
    actor = people["bianban"]
    late = receive(actor, title="早收的送审稿", received_on=TODAY() - dt.timedelta(days=40))
    receive(actor, title="新收的送审稿", received_on=TODAY())
    answered = receive(actor, title="已复函的送审稿", received_on=TODAY() - dt.timedelta(days=60))
    normative_review_reply(actor=actor, review=answered, returned_on=TODAY(), no_staffing_matters=True)
    items = [item for item in todo_for(actor, TODAY()) if item.kind == "规范性文件审核"]
    assert [item.title.split("：")[1] for item in items] == ["早收的送审稿", "新收的送审稿"]
    assert items[0].overdue(TODAY()) and not items[1].overdue(TODAY())
    assert items[0].url.endswith(f"/normative/{late.pk}/")
    # the list: open ones first, earliest due first, the answered last
    assert [r.title for r in normative_reviews(actor)] == ["早收的送审稿", "新收的送审稿", "已复函的送审稿"]


# ---------------------------------------------------------------- the letter and the register


def test_the_reply_letter_prints_every_clause_opinion(people):
    actor = people["bianban"]
    review = receive(actor)
    normative_clause_add(
        actor=actor, review=review, reference="第五条", opinion="DELETE", opinion_text="机构设置须按程序审批"
    )
    draft_name, draft_pdf = normative_letter(actor=actor, review=review)
    assert draft_name.endswith(".pdf") and "草稿" in pdf_text(draft_pdf)
    normative_review_reply(actor=actor, review=review, returned_on=TODAY(), reply_number="锦编函〔2026〕3号")
    review.refresh_from_db()
    text = pdf_text(normative_letter(actor=actor, review=review)[1])
    for words in (
        "县人力资源和社会保障局",
        "第五条",
        "删除",
        "机构设置须按程序审批",
        "锦编函〔2026〕3号",
        "机构编制委员会办公室",
    ):
        assert words in text.replace("\n", ""), words
    assert "草稿" not in text
    assert AuditEvent.objects.filter(action="matters.normative_letter_printed").count() == 2


def test_the_register_exports_the_filtered_reviews(people):
    actor = people["bianban"]
    receive(actor, title="甲送审稿")
    replied = receive(actor, title="乙送审稿", department="县财政局")
    normative_review_reply(actor=actor, review=replied, returned_on=TODAY(), no_staffing_matters=True)
    name, content = normative_export(actor=actor, reviews=normative_reviews(actor, state="REPLIED"), description="q")
    assert name.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    values = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    body = [row for row in values if row and row[1] in ("甲送审稿", "乙送审稿")]
    assert [(row[1], row[2], row[5], row[9]) for row in body] == [
        ("乙送审稿", "县财政局", "已复函", "未涉及机构编制事项")
    ]
    assert AuditEvent.objects.filter(action="matters.normative_exported").count() == 1
