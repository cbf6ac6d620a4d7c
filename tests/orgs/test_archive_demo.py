"""The document archive on the demo county: every kind of record citing a document is listed, each row opens its own
page, and a unit's operator sees only its own subtree's records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.test import Client

from bianzhi.accounts.models import User
from bianzhi.demo.county import DemoSpec, build_demo
from bianzhi.matters.choices import MatterKind, MatterState
from bianzhi.matters.models import Matter
from bianzhi.matters.services import change_step_add, matter_apply, matter_create
from bianzhi.orgs.documents import DocumentRef
from bianzhi.orgs.models import Document, Unit
from bianzhi.orgs.selectors import document_citations, documents_visible_to
from bianzhi.quotas.models import Movement
from bianzhi.roster.models import Occupancy, PostAssignment

TODAY = dt.date(2026, 11, 28)


@pytest.fixture(scope="module")
def county(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo(DemoSpec(units=60, roster=True, today=TODAY))
        yield
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("county"), pytest.mark.xdist_group("archive_demo")]

CITING = {
    "机构沿革": lambda: Document.objects.filter(pk__in=_ids("orgs", "UnitVersion", "document_id")),
    "编制变动": lambda: Document.objects.filter(pk__in=Movement.objects.values("document_id")),
    "入编、出编": lambda: Document.objects.filter(pk__in=Occupancy.objects.values("entry_document_id")),
    "领导职数配备": lambda: Document.objects.filter(pk__in=PostAssignment.objects.values("document_id")),
    "机构编制事项": lambda: Document.objects.filter(
        pk__in=Matter.objects.filter(decision_document__isnull=False).values("decision_document_id")
    ),
}


def _ids(app: str, model: str, field: str):
    return apps.get_model(app, model).objects.values(field)


def _decided_matter() -> None:
    """The demo's matters wait at earlier steps: one renaming a unit is decided and applied under its document."""
    unit = Unit.objects.filter(status="ACTIVE", parent=None).order_by("pk").first()
    matter = matter_create(actor=None, proposer=unit, kind=MatterKind.RENAME, title="关于更名的请示")
    change_step_add(actor=None, matter=matter, operation="unit_rename", params={"unit": unit.pk, "name": "新名称局"})
    Matter.objects.filter(pk=matter.pk).update(state=MatterState.DECIDED)
    matter.refresh_from_db()
    decision = DocumentRef("锦编复〔2026〕99号", "关于同意更名的批复", TODAY, "中共锦绣县委机构编制委员会")
    matter_apply(actor=None, matter=matter, document=decision, effective_date=TODAY)


@pytest.mark.parametrize("label", CITING)
def test_each_kind_of_record_is_listed_and_opens_its_own_page(label):
    if label == "机构编制事项":
        _decided_matter()
    document = CITING[label]().order_by("pk").first()
    assert document is not None, f"演示县没有{label}引用的文件"
    groups = {group.label: group for group in document_citations(None, document)}
    assert groups[label].rows
    client = Client()
    client.force_login(User.objects.get(username="bianban"))
    row = groups[label].rows[0]
    assert client.get(row.url).status_code == 200, row


def test_a_unit_operator_sees_the_documents_of_its_own_subtree_only():
    operator = User.objects.get(username="jiaoyu")
    path = operator.scope_unit.tree_path
    visible = documents_visible_to(operator)
    assert 0 < visible.count() < Document.objects.count()
    outside = Movement.objects.exclude(
        Q(from_account__unit__tree_path__startswith=path) | Q(to_account__unit__tree_path__startswith=path)
    )
    document = Document.objects.filter(pk__in=outside.values("document_id")).exclude(pk__in=visible).first()
    assert document is not None
    client = Client()
    client.force_login(operator)
    assert client.get(f"/orgs/documents/{document.pk}/").status_code == 403
    for group in document_citations(operator, visible.first()):
        for row in group.rows:
            assert client.get(row.url).status_code == 200, row
