"""Approval documents: typed in by 文号, registered on first use, and the same document however its brackets are
typed; every refusal is a stable code with a Chinese message."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bianzhi.core.errors import BianzhiError
from bianzhi.orgs.documents import DocumentRef, check_effective_date, document_resolve, normalize_document_number
from bianzhi.orgs.models import Document
from tests.quotas.support import D1, D2, D3, assert_refused

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("锦编发〔2021〕12号", "锦编发〔2021〕12号"),
        ("锦编发[2021]12号", "锦编发〔2021〕12号"),
        ("锦编发［2021］12号", "锦编发〔2021〕12号"),
        ("锦编发(2021)12号", "锦编发〔2021〕12号"),
        ("锦编发（2021）12号", "锦编发〔2021〕12号"),
        ("锦编发【2021】12号", "锦编发〔2021〕12号"),
        (" 锦编发 [ 2021 ] 12 号 ", "锦编发〔2021〕12号"),
        ("锦编发〔2021〕12号\u3000", "锦编发〔2021〕12号"),
        # brackets around something other than a year are part of the number, not a year bracket
        ("锦编（机构）发〔2021〕3号", "锦编（机构）发〔2021〕3号"),
        ("锦编发(21)3号", "锦编发(21)3号"),
    ],
)
def test_document_numbers_are_normalised(typed, stored):
    assert normalize_document_number(typed) == stored


def ref(number="锦编发〔2021〕12号", title="关于核定编制的通知", issued_on=D1, issuer="锦绣县编委"):
    return DocumentRef(number, title, issued_on, issuer)


def test_a_new_document_is_registered_with_its_details_cleaned():
    document = document_resolve(
        ref(title=" 关于核定编制的通知 ", issuer=" 锦绣县编委\u3000", number="锦编发[2021]12号")
    )
    assert (document.number, document.title, document.issued_on, document.issuer) == (
        "锦编发〔2021〕12号",
        "关于核定编制的通知",
        D1,
        "锦绣县编委",
    )


def test_a_registered_document_is_found_by_its_number_alone_in_any_bracket_style():
    registered = document_resolve(ref())
    for typed in ("锦编发〔2021〕12号", "锦编发（2021）12号", "锦编发 [2021] 12号"):
        assert document_resolve(DocumentRef(typed)) == registered
    assert document_resolve(registered) is registered
    assert Document.objects.count() == 1


def test_the_same_details_typed_again_cite_the_registered_document():
    registered = document_resolve(ref())
    assert document_resolve(ref(number="锦编发(2021)12号")) == registered


@pytest.mark.parametrize(
    ("changed", "field"),
    [({"title": "另一份通知"}, "标题"), ({"issued_on": D2}, "发文日期"), ({"issuer": "锦州市编委"}, "发文机关")],
)
def test_a_registered_number_with_other_details_is_refused(changed, field):
    document_resolve(ref())
    error = assert_refused("documents.conflict", document_resolve, ref(**changed))
    assert error.message == (
        f"文号 锦编发〔2021〕12号 已登记为「关于核定编制的通知」（{D1}，锦绣县编委），与本次填写的{field}不一致。"
    )


@pytest.mark.parametrize(
    "incomplete",
    [DocumentRef("锦编发〔2021〕13号"), ref(title="  "), ref(issued_on=None), ref(issuer="")],
)
def test_a_new_number_needs_title_date_and_issuer(incomplete):
    error = assert_refused("documents.incomplete", document_resolve, incomplete)
    assert "尚未登记，请同时填写文件标题、发文日期和发文机关" in error.message


@pytest.mark.parametrize("missing", [None, DocumentRef(""), DocumentRef(" \u3000 ")])
def test_a_document_number_is_required(missing):
    error = assert_refused("documents.required", document_resolve, missing)
    assert error.message == "须注明批准文件的文号。"


def test_a_document_dated_in_the_future_is_refused():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    error = assert_refused("documents.future", document_resolve, ref(issued_on=tomorrow))
    assert error.message == f"发文日期 {tomorrow} 晚于今天。"
    document_resolve(ref(issued_on=timezone.localdate()))  # today is fine


def test_effective_dates_follow_the_document_and_stop_at_today():
    document = document_resolve(ref(issued_on=D2))
    check_effective_date(document, D2)
    check_effective_date(document, D3)
    check_effective_date(document, timezone.localdate())
    with pytest.raises(BianzhiError) as before:
        check_effective_date(document, D1)
    assert before.value.code == "documents.effective_before_issue"
    check_effective_date(document, D1, correction=True)  # a correction takes the date of what it corrects
    with pytest.raises(BianzhiError) as future:
        check_effective_date(document, timezone.localdate() + dt.timedelta(days=1), correction=True)
    assert future.value.code == "documents.effective_in_future"
