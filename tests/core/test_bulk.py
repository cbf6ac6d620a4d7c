"""Bulk inserts from plain rows (COPY on PostgreSQL, executemany on SQLite): what they write is what the ORM reads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from bianzhi.core.bulk import bulk_insert
from bianzhi.orgs.models import Document

pytestmark = pytest.mark.django_db


def _rows(numbers):
    return [
        {"number": n, "title": f"关于{n}的通知", "issued_on": dt.date(2026, 3, 2), "issuer": "锦绣县编委"}
        for n in numbers
    ]


def test_rows_are_written_with_their_keys_and_the_defaults():
    Document.objects.create(number="已有〔2026〕1号", title="t", issued_on=dt.date(2026, 1, 5), issuer="x")
    before = timezone.now()
    with transaction.atomic():
        pks = bulk_insert(Document, _rows(["锦编〔2026〕2号", "锦编〔2026〕3号"]), with_pks=True)
    documents = Document.objects.in_bulk(pks)
    assert [documents[pk].number for pk in pks] == ["锦编〔2026〕2号", "锦编〔2026〕3号"]
    assert all(d.created_at >= before and d.issued_on == dt.date(2026, 3, 2) for d in documents.values())
    # the sequence moved on: the ORM's next row does not collide with them
    assert Document.objects.create(number="锦编〔2026〕4号", title="t", issued_on=dt.date(2026, 3, 3), issuer="x").pk
    assert Document.objects.count() == 4


def test_a_violated_constraint_is_an_integrity_error_and_writes_nothing():
    Document.objects.create(number="锦编〔2026〕2号", title="t", issued_on=dt.date(2026, 1, 5), issuer="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk_insert(Document, _rows(["锦编〔2026〕1号", "锦编〔2026〕2号"]))
    assert list(Document.objects.values_list("number", flat=True)) == ["锦编〔2026〕2号"]


def test_an_unknown_column_is_refused_before_anything_is_written():
    with pytest.raises(ValueError, match="no column"), transaction.atomic():
        bulk_insert(Document, [{"number": "x", "titel": "typo"}])
    assert not Document.objects.exists()
