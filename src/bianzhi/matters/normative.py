"""规范性文件审核 (brief §2.11): other departments send the 编办 their draft 规范性文件 so that nothing in them rules on
机构编制 (a 12310 violation, brief §7.1 item 6). The 编办 records each clause that touches 机构编制 with its opinion
(同意 / 修改 / 删除), then answers by a letter (复函) within ``BIANZHI_NORMATIVE_REVIEW_DAYS`` working days of receipt.

收文 → 审核中 (the first clause opinion) → 已复函; 撤回 when the department withdraws the draft before the reply. The
work is the 编办's as a whole (``Capability.REVIEW_NORMATIVE``): a review belongs to no unit's scope.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath

from django.conf import settings
from django.db import transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone

from bianzhi.accounts.permissions import Capability, has_capability, require_capability
from bianzhi.audit.services import SYSTEM_ACTOR_NAME, audit_record
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.excel import county_name, table_workbook
from bianzhi.core.files import Upload, file_store
from bianzhi.core.locks import lock_row
from bianzhi.core.pdf import pdf_render
from bianzhi.core.todo import TodoItem
from bianzhi.core.workdays import Deadline, WorkCalendar, add_working_days
from bianzhi.matters.choices import ClauseOpinion, ReviewState
from bianzhi.matters.errors import MatterError, NormativeError
from bianzhi.matters.models import NormativeClause, NormativeReview
from bianzhi.orgs.models import Unit

DRAFT_SUFFIXES = frozenset({".pdf", ".doc", ".docx"})
OPEN_STATES = (ReviewState.RECEIVED, ReviewState.REVIEWING)
# the reply goes to the drafting department; the county's 司法局 checks the legality of every 规范性文件
COPIES_TO = "县司法局"


def review_deadline(review: NormativeReview, *, calendar: WorkCalendar | None = None) -> Deadline:
    """The day the reply is due: ``BIANZHI_NORMATIVE_REVIEW_DAYS`` working days after receipt."""
    return add_working_days(review.received_on, settings.BIANZHI_NORMATIVE_REVIEW_DAYS, calendar=calendar)


def review_overdue(review: NormativeReview, deadline: Deadline, today: dt.date) -> bool:
    return review.is_open and deadline.due < today


# ---------------------------------------------------------------- reads


def normative_reviews(user, *, query: str = "", state: str = "") -> QuerySet[NormativeReview]:
    """The reviews, open ones first by deadline (a later receipt is never due earlier), then the answered ones,
    latest first. Nobody without ``REVIEW_NORMATIVE`` sees any."""
    if not has_capability(user, Capability.REVIEW_NORMATIVE):
        return NormativeReview.objects.none()
    reviews = NormativeReview.objects.select_related("department_unit")
    if query.strip():
        text = query.strip()
        reviews = reviews.filter(Q(title__icontains=text) | Q(department__icontains=text))
    if state in ReviewState.values:
        reviews = reviews.filter(state=state)
    open_first = Case(When(state__in=OPEN_STATES, then=Value(0)), default=Value(1), output_field=IntegerField())
    return reviews.annotate(closed=open_first).order_by("closed", "received_on", "pk")


def review_for(user, pk: int) -> NormativeReview:
    require_capability(user, Capability.REVIEW_NORMATIVE)
    review = NormativeReview.objects.select_related("department_unit", "draft").filter(pk=pk).first()
    if review is None:
        raise BianzhiError(CommonError.NOT_FOUND, what="该规范性文件审核")
    return review


def normative_todo(*, user, today: dt.date) -> list[TodoItem]:
    """Reviews waiting for a reply, for those who review."""
    if not has_capability(user, Capability.REVIEW_NORMATIVE):
        return []
    waiting = list(NormativeReview.objects.filter(state__in=OPEN_STATES))
    calendar = WorkCalendar.load() if waiting else None
    items = []
    for review in waiting:
        deadline = review_deadline(review, calendar=calendar)
        items.append(
            TodoItem(
                kind="规范性文件审核",
                title=f"{review.department}：{review.title}",
                action="审核并复函",
                url=reverse("matters:normative_detail", args=[review.pk]),
                due=deadline.due,
                note=deadline.note,
            )
        )
    return items


# ---------------------------------------------------------------- writes


def _text(value: str, label: str) -> str:
    text = (value or "").strip()
    if not text:
        raise BianzhiError(MatterError.MISSING_PARAM, label=label)
    return text


def _not_future(day, label: str) -> dt.date:
    if not isinstance(day, dt.date):
        raise BianzhiError(MatterError.MISSING_PARAM, label=label)
    if day > timezone.localdate():
        raise BianzhiError(NormativeError.FUTURE_DATE, label=label, day=day.isoformat())
    return day


@transaction.atomic
def normative_review_create(
    *,
    actor,
    title: str,
    department: str,
    received_on: dt.date,
    draft: Upload | None,
    department_unit: Unit | None = None,
) -> NormativeReview:
    """A draft received for review, with the draft itself (PDF or Word) kept in the file store."""
    require_capability(actor, Capability.REVIEW_NORMATIVE)
    title = _text(title, "文件名称")
    department = _text(department or (department_unit.name if department_unit else ""), "起草部门")
    received_on = _not_future(received_on, "收文日期")
    if draft is None:
        raise BianzhiError(MatterError.MISSING_PARAM, label="送审稿")
    if PurePath(draft.name).suffix.lower() not in DRAFT_SUFFIXES:
        raise BianzhiError(NormativeError.DRAFT_TYPE, name=draft.name)
    stored = file_store(draft)
    review = NormativeReview.objects.create(
        title=title,
        department=department,
        department_unit=department_unit,
        received_on=received_on,
        draft=stored,
        draft_name=PurePath(draft.name).name[:255],
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="matters.normative_received",
        obj=review,
        after={"department": department, "received_on": received_on, "draft": stored.sha256},
    )
    return review


def _locked_open(actor, review: NormativeReview, action: str) -> NormativeReview:
    require_capability(actor, Capability.REVIEW_NORMATIVE)
    review = lock_row(NormativeReview.objects.filter(pk=review.pk))
    if review.state not in OPEN_STATES:
        raise BianzhiError(NormativeError.CLOSED, state=review.get_state_display(), action=action)
    return review


def _clause_fields(reference: str, quoted: str, opinion: str, opinion_text: str) -> dict:
    if opinion not in ClauseOpinion.values:
        raise BianzhiError(NormativeError.BAD_OPINION, value=opinion)
    opinion_text = (opinion_text or "").strip()
    if opinion != ClauseOpinion.AGREE and not opinion_text:
        raise BianzhiError(NormativeError.OPINION_TEXT, opinion=ClauseOpinion(opinion).label)
    return {
        "reference": _text(reference, "条款"),
        "quoted": (quoted or "").strip(),
        "opinion": opinion,
        "opinion_text": opinion_text,
    }


def _clause_of(review: NormativeReview, clause_id: int) -> NormativeClause:
    clause = review.clauses.filter(pk=clause_id).first()
    if clause is None:
        raise BianzhiError(NormativeError.NO_SUCH_CLAUSE)
    return clause


@transaction.atomic
def normative_clause_add(
    *, actor, review: NormativeReview, reference: str, quoted: str = "", opinion: str, opinion_text: str = ""
) -> NormativeClause:
    """A clause touching 机构编制 and the opinion on it; the first one starts the review (收文 → 审核中)."""
    review = _locked_open(actor, review, "增加条款意见")
    fields = _clause_fields(reference, quoted, opinion, opinion_text)
    clause = NormativeClause.objects.create(review=review, **fields)
    if review.state == ReviewState.RECEIVED:
        review.state = ReviewState.REVIEWING
        review.save(update_fields=["state", "updated_at"])
    audit_record(actor=actor, action="matters.normative_clause_added", obj=review, after=fields)
    return clause


@transaction.atomic
def normative_clause_edit(
    *,
    actor,
    review: NormativeReview,
    clause_id: int,
    reference: str,
    quoted: str = "",
    opinion: str,
    opinion_text: str = "",
) -> NormativeClause:
    review = _locked_open(actor, review, "修改条款意见")
    clause = _clause_of(review, clause_id)
    fields = _clause_fields(reference, quoted, opinion, opinion_text)
    before = {name: getattr(clause, name) for name in fields}
    for name, value in fields.items():
        setattr(clause, name, value)
    clause.save()
    audit_record(actor=actor, action="matters.normative_clause_edited", obj=review, before=before, after=fields)
    return clause


@transaction.atomic
def normative_clause_remove(*, actor, review: NormativeReview, clause_id: int) -> NormativeReview:
    review = _locked_open(actor, review, "删除条款意见")
    clause = _clause_of(review, clause_id)
    before = {"reference": clause.reference, "opinion": clause.opinion, "opinion_text": clause.opinion_text}
    clause.delete()
    audit_record(actor=actor, action="matters.normative_clause_removed", obj=review, before=before)
    return review


@transaction.atomic
def normative_review_reply(
    *,
    actor,
    review: NormativeReview,
    returned_on: dt.date,
    overall_opinion: str = "",
    no_staffing_matters: bool = False,
    reply_number: str = "",
) -> NormativeReview:
    """The reply (复函), dated not before receipt nor after today. It rests on at least one clause opinion, or on
    the explicit conclusion that the draft touches no 机构编制 matter: never on both, never on neither."""
    review = _locked_open(actor, review, "复函")
    returned_on = _not_future(returned_on, "复函日期")
    if returned_on < review.received_on:
        raise BianzhiError(
            NormativeError.REPLY_BEFORE_RECEIPT, day=returned_on.isoformat(), received=review.received_on.isoformat()
        )
    clauses = review.clauses.count()
    if clauses and no_staffing_matters:
        raise BianzhiError(NormativeError.CLAUSES_AND_NONE, count=clauses)
    if not clauses and not no_staffing_matters:
        raise BianzhiError(NormativeError.NO_CONCLUSION)
    before = {"state": review.state}
    review.state, review.returned_on = ReviewState.REPLIED, returned_on
    review.overall_opinion, review.no_staffing_matters = (overall_opinion or "").strip(), bool(no_staffing_matters)
    review.reply_number = (reply_number or "").strip()
    review.save()
    after = {
        "state": review.state,
        "returned_on": returned_on,
        "clauses": clauses,
        "no_staffing_matters": review.no_staffing_matters,
        "reply_number": review.reply_number,
    }
    audit_record(actor=actor, action="matters.normative_replied", obj=review, before=before, after=after)
    return review


@transaction.atomic
def normative_review_withdraw(*, actor, review: NormativeReview, reason: str = "") -> NormativeReview:
    """The department withdrew its draft before the reply: the review ends without one."""
    review = _locked_open(actor, review, "撤回")
    before = {"state": review.state}
    review.state, review.withdraw_reason = ReviewState.WITHDRAWN, (reason or "").strip()
    review.save(update_fields=["state", "withdraw_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="matters.normative_withdrawn",
        obj=review,
        before=before,
        after={"state": review.state},
        reason=review.withdraw_reason,
    )
    return review


# ---------------------------------------------------------------- the reply letter and the register


def normative_letter(*, actor, review: NormativeReview) -> tuple[str, bytes]:
    """The reply letter (复函) as a PDF with every clause opinion; before the reply it is marked as a draft."""
    require_capability(actor, Capability.REVIEW_NORMATIVE)
    if review.state == ReviewState.WITHDRAWN:
        raise BianzhiError(NormativeError.CLOSED, state=review.get_state_display(), action="打印复函")
    county = county_name()
    content = pdf_render(
        "matters/normative_letter.html",
        {
            "review": review,
            "clauses": list(review.clauses.all()),
            "title": f"关于《{review.title}》的审核意见",
            "serial": review.reply_number or "—",
            "unit": {"name": review.department},
            "issuer": f"{county}机构编制委员会办公室",
            "issued_on": review.returned_on or timezone.localdate(),
            "remark": "" if review.state == ReviewState.REPLIED else "草稿，尚未复函",
            "copies_to": COPIES_TO,
            "printer": str(actor) if actor is not None else SYSTEM_ACTOR_NAME,
            "printed_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        },
    )
    with transaction.atomic():
        audit_record(actor=actor, action="matters.normative_letter_printed", obj=review)
    return f"规范性文件审核意见-{review.pk}.pdf", content


EXPORT_COLUMNS = (
    ("序号", 6),
    ("文件名称", 40),
    ("起草部门", 26),
    ("收文日期", 12),
    ("复函期限", 12),
    ("状态", 10),
    ("条款意见数", 10),
    ("复函日期", 12),
    ("复函文号", 22),
    ("总体意见", 40),
)


def normative_export(*, actor, reviews: QuerySet[NormativeReview], description: str) -> tuple[str, bytes]:
    """The register of reviews (规范性文件审核登记簿) as the list is filtered; audited."""
    require_capability(actor, Capability.REVIEW_NORMATIVE)
    today = timezone.localdate()
    calendar = WorkCalendar.load()
    rows = []
    for number, review in enumerate(reviews.prefetch_related("clauses"), 1):
        deadline = review_deadline(review, calendar=calendar)
        overdue = "（已逾期）" if review_overdue(review, deadline, today) else ""
        rows.append(
            [
                number,
                review.title,
                review.department,
                review.received_on.isoformat(),
                deadline.due.isoformat() + overdue,
                review.get_state_display(),
                len(review.clauses.all()),
                review.returned_on.isoformat() if review.returned_on else "",
                review.reply_number,
                "未涉及机构编制事项" if review.no_staffing_matters else review.overall_opinion,
            ]
        )
    content = table_workbook(
        sheet="规范性文件审核",
        title=f"规范性文件审核登记簿（{today.isoformat()}）",
        headers=EXPORT_COLUMNS,
        rows=rows,
    )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="matters.normative_exported",
            object_type="matters.normative_export",
            object_repr=description[:255],
            after={"rows": len(rows), "format": "xlsx"},
        )
    return f"规范性文件审核登记簿_{today.isoformat()}.xlsx", content
