"""The 入编 form fills itself from the approval it starts from, is laid out in groups, and shows each error beside its
field as well as at the top."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.orgs.models import UnitKind
from bianzhi.roster import approvals
from bianzhi.roster.models import Occupancy, Person
from tests.factories import make_unit, make_user
from tests.roster.support import client_for, give_slots, selected_option

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def school():
    unit = make_unit("锦绣县第二中学", make_unit("锦绣县教育局"), kind=UnitKind.SHIYE, cls="GY2")
    give_slots(unit, 4, type_code="SY", funding="CE")
    return unit


@pytest.fixture
def client_of(school):
    return client_for(make_user("erzhong", Role.UNIT_OPERATOR, scope_unit=school))


def _approval(school, entry_mode: str):
    draft = approvals.approval_draft(
        actor=None, unit=school, quota_type="SY", funding_form="CE", count=2, entry_mode=entry_mode, purpose="补缺"
    )
    approvals.approval_submit(actor=None, approval=draft)
    return approvals.approval_approve(actor=None, approval=draft, comment="同意")


def test_entry_from_an_approval_takes_its_slot_and_entry_mode(school, client_of):
    first, second = _approval(school, "KL"), _approval(school, "JZ")
    detail = client_of.get(reverse("roster:approval_detail", args=[second.pk])).content.decode()
    link = f'href="{reverse("roster:onboard")}?approval={second.pk}">按此核准办理入编</a>'
    assert link in detail

    html = client_of.get(reverse("roster:onboard"), {"approval": second.pk}).content.decode()
    assert selected_option(html, "source") == f"a{second.pk}" and selected_option(html, "entry_mode") == "JZ"
    assert f"{second.serial}：锦绣县第二中学·事业编制（差额拨款）余 2 名" in html
    assert "锦绣县第二中学 · 事业编制（差额拨款），尚余 2 名" in html and "「军队转业干部安置」" in html

    html = client_of.get(reverse("roster:onboard"), {"approval": first.pk}).content.decode()
    assert selected_option(html, "source") == f"a{first.pk}" and selected_option(html, "entry_mode") == "KL"


@pytest.mark.parametrize("approval", ["999999", "abc", ""])
def test_an_unknown_approval_leaves_the_form_blank(school, client_of, approval):
    html = client_of.get(reverse("roster:onboard"), {"approval": approval}).content.decode()
    assert "按用编核准单" not in html and "<fieldset" in html


def test_the_form_is_in_groups_of_two_columns(school, client_of):
    _approval(school, "KL")
    html = client_of.get(reverse("roster:onboard")).content.decode()
    legends = re.findall(r'<legend class="h4">([^<]+)</legend>', html)
    assert legends == ["编制（使用哪个编制）", "人员", "文件依据"]
    assert html.index('name="source"') < html.index('name="name"') < html.index('name="doc_number"')
    assert html.count('class="col-lg-6"') >= 15


def _field_block(html: str, name: str) -> str:
    """The markup of one field: from its label to the next field."""
    start = html.index(f'for="id_{name}"')
    return html[start : html.index('<div class="mb-3">', start)]


def test_each_error_shows_beside_its_field_and_at_the_top(school, client_of):
    approval = _approval(school, "GZ")
    html = client_of.post(
        reverse("roster:onboard"),
        {"source": f"a{approval.pk}", "id_number": "123", "start_date": "", "entry_mode": "GZ", "hire_kind": "NEW"},
    ).content.decode()
    assert not Person.objects.exists() and not Occupancy.objects.exists()
    summary = html[html.index('class="alert alert-danger"') : html.index("<fieldset")]
    assert "请更正以下各项" in summary
    errors = (("start_date", "入编时间"), ("name", "姓名"), ("doc_number", "文号"))
    listed = [
        summary.index(f'<a class="alert-link" href="#id_{field}">{label}</a>：这个字段是必填项。')
        for field, label in errors
    ]
    assert listed == sorted(listed)  # in the order of the page
    for field, _label in errors:
        beside = _field_block(html, field)
        assert f'<div class="invalid-feedback d-block" id="id_{field}_error"><div>这个字段是必填项。</div>' in beside
        assert "is-invalid" in beside and 'aria-invalid="true"' in beside
    assert "is-invalid" not in _field_block(html, "gender")
