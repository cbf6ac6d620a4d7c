"""用编 decided with the numbers in view: the application form and the review page show the unit's figures for the
type and funding form asked for, and what approving would leave; the form picks the type the unit can use."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.orgs.models import UnitKind
from bianzhi.quotas.selectors import unit_ledger
from bianzhi.roster import approvals, staffing
from bianzhi.roster.choices import ApprovalStatus
from bianzhi.roster.models import Approval
from tests.factories import make_unit, make_user
from tests.roster.support import approved, client_for, entry_doc, give_slots, person, selected_option

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LABELS = ("核定", "实有", "已核准未入编", "空编", "可用编制", "超编")
ROW = re.compile(r'<th scope="row"[^>]*>([^<]+)</th>((?:<td class="num">[^<]*</td>)+)')


def figures(html: str) -> dict[str, list[int]]:
    """The figures table of a page: label -> [now] or [now, after approving]."""
    return {label: [int(n) for n in re.findall(r">(\d+)<", cells)] for label, cells in ROW.findall(html)}


def ledger_figures(unit) -> list[int]:
    [row] = unit_ledger(None, unit, TODAY)
    return [row.approved, row.occupied, row.reserved, row.vacant, row.usable, row.over]


@pytest.fixture
def county():
    bureau = make_unit("锦绣县教育局")
    school = make_unit("锦绣县第一中学", bureau, kind=UnitKind.SHIYE)
    finance = make_unit("锦绣县财政局")
    give_slots(bureau, 5)
    give_slots(school, 6, type_code="SY")
    give_slots(finance, 3)
    for _ in range(2):  # two teachers in post, two slots promised
        staffing.occupancy_start(
            actor=None,
            data=person(),
            slot=staffing.Slot(approval=approved(school, 1, type_code="SY")),
            start_date=TODAY,
            entry_mode="GZ",
            document=entry_doc(TODAY),
        )
    approved(school, 2, type_code="SY")
    return {"bureau": bureau, "school": school, "finance": finance}


@pytest.fixture
def jiaoyu(county):
    return client_for(make_user("jiaoyu", Role.UNIT_OPERATOR, scope_unit=county["bureau"]))


@pytest.fixture
def school_operator(county):
    return client_for(make_user("yizhong", Role.UNIT_OPERATOR, scope_unit=county["school"]))


@pytest.fixture
def bianban(county):
    return client_for(make_user("bianban", Role.BIANBAN_ADMIN, scope_county=True))


def test_a_schools_application_form_starts_with_its_own_type_and_figures(county, school_operator):
    html = school_operator.get(reverse("roster:approval_new")).content.decode()
    assert (selected_option(html, "quota_type"), selected_option(html, "funding_form")) == ("SY", "QE")
    shown = figures(html)
    assert [shown[label][0] for label in LABELS] == ledger_figures(county["school"]) == [6, 2, 2, 4, 2, 0]
    assert "锦绣县第一中学</strong> · 事业编制（全额拨款）" in html


def test_choosing_a_school_on_the_form_picks_事业编制_and_shows_its_figures(county, jiaoyu):
    html = jiaoyu.get(reverse("roster:approval_new")).content.decode()
    assert selected_option(html, "quota_type") == "XZ"  # the bureau itself is a 机关
    asked = {"unit": "锦绣县第一中学", "quota_type": "XZ", "funding_form": "", "count": "1", "pick": "1"}
    html = jiaoyu.get(reverse("roster:approval_figures"), asked, headers={"HX-Request": "true"}).content.decode()
    assert 'id="slot-choice" class="row" hx-swap-oob="true"' in html
    assert (selected_option(html, "quota_type"), selected_option(html, "funding_form")) == ("SY", "QE")
    assert figures(html)["可用编制"] == [2, 1]
    assert "核准后可用编制余 1 名" in html


def test_asking_for_more_than_is_usable_warns_and_still_files(county, school_operator):
    asked = {"unit": "锦绣县第一中学", "quota_type": "SY", "funding_form": "QE", "count": "5"}
    html = school_operator.get(reverse("roster:approval_figures"), asked).content.decode()
    assert "批准后将超出可用编制 3 名" in html and "仍可提交" in html
    assert figures(html)["已核准未入编"] == [2, 7] and figures(html)["可用编制"] == [2, 0]

    response = school_operator.post(
        reverse("roster:approval_new"),
        {**asked, "entry_mode": "GZ", "purpose": "新学期扩班", "submit_now": "on"},
    )
    filed = Approval.objects.get(count=5)
    assert response.status_code == 302 and filed.status == ApprovalStatus.SUBMITTED


def test_a_refused_application_keeps_the_figures_and_marks_the_field(county, school_operator):
    html = school_operator.post(
        reverse("roster:approval_new"),
        {"unit": "锦绣县第一中学", "quota_type": "SY", "funding_form": "QE", "count": "", "entry_mode": "GZ"},
    ).content.decode()
    assert not Approval.objects.filter(status=ApprovalStatus.SUBMITTED).exists()
    assert figures(html)["可用编制"] == [2]
    assert 'id="id_count_error"' in html and '<a class="alert-link" href="#id_count">申请数量（名）</a>' in html
    assert 'href="#id_purpose">用编理由</a>' in html


def test_a_unit_operator_sees_no_figures_of_another_unit(county, school_operator, jiaoyu):
    asked = {"unit": "锦绣县财政局", "quota_type": "XZ", "funding_form": "QE", "count": "1", "pick": "1"}
    for client in (school_operator, jiaoyu):
        html = client.get(reverse("roster:approval_figures"), asked).content.decode()
        assert "该单位不在您的管理范围内" in html and not figures(html) and "hx-swap-oob" not in html
    html = jiaoyu.get(reverse("roster:approval_figures"), {**asked, "unit": "锦绣县不存在局"}).content.decode()
    assert "没有找到与「锦绣县不存在局」相符的现行机构" in html


def test_the_review_page_shows_what_approving_would_leave(county, bianban):
    school = county["school"]
    draft = approvals.approval_draft(
        actor=None, unit=school, quota_type="SY", funding_form="QE", count=3, entry_mode="GZ", purpose="扩班"
    )
    approvals.approval_submit(actor=None, approval=draft)
    page = reverse("roster:approval_detail", args=[draft.pk])
    html = bianban.get(page).content.decode()
    shown = figures(html)
    assert [shown[label][0] for label in LABELS] == ledger_figures(school)
    assert [shown[label][1] for label in LABELS] == [6, 2, 5, 4, 0, 0]
    assert "批准后将超出可用编制 1 名" in html and "不能核准" in html

    small = approvals.approval_draft(
        actor=None, unit=school, quota_type="SY", funding_form="QE", count=2, entry_mode="GZ", purpose="补缺"
    )
    approvals.approval_submit(actor=None, approval=small)
    html = bianban.get(reverse("roster:approval_detail", args=[small.pk])).content.decode()
    assert "核准后可用编制余 0 名" in html and "超出可用编制" not in html
    bianban.post(reverse("roster:approval_detail", args=[small.pk]), {"action": "approve", "comment": "同意"})
    html = bianban.get(reverse("roster:approval_detail", args=[small.pk])).content.decode()
    assert figures(html)["已核准未入编"] == [4] and figures(html)["可用编制"] == [0]  # now, and nothing to weigh
    assert "核准后" not in html


def test_a_type_the_unit_cannot_use_is_named_before_submitting(county, jiaoyu):
    asked = {"unit": "锦绣县第一中学", "quota_type": "XZ", "funding_form": "QE", "count": "1"}
    html = jiaoyu.get(reverse("roster:approval_figures"), asked).content.decode()
    assert "行政编制只能用于机关" in html
