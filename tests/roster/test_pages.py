"""Roster pages through the Django test client: the workflow a unit and the 编办 go through, and refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.audit.models import AuditEvent
from bianzhi.quotas.selectors import unit_ledger
from bianzhi.roster.choices import ApprovalStatus, PersonStatus
from bianzhi.roster.models import Approval, Occupancy, Person
from tests.factories import make_unit, make_user
from tests.roster.support import client_for, cut, give_slots, new_id

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def county():
    finance = make_unit("锦绣县财政局")
    audit = make_unit("锦绣县审计局")
    give_slots(finance, 3)
    give_slots(audit, 1)
    return {"finance": finance, "audit": audit}


@pytest.fixture
def unit_client(county):
    return client_for(make_user("caizheng", Role.UNIT_OPERATOR, scope_unit=county["finance"]))


@pytest.fixture
def bianban_client(county):
    return client_for(make_user("bianban", Role.BIANBAN_ADMIN, scope_county=True))


def _document(prefix: str = "锦人社") -> dict:
    return {
        "doc_number": f"{prefix}〔{TODAY.year}〕{Person.objects.count() + 7}号",
        "doc_title": "关于同意录用的批复",
        "doc_issued_on": TODAY.isoformat(),
        "doc_issuer": "锦绣县人力资源和社会保障局",
    }


def _onboard_form(approval: Approval, id_number: str, name: str = "王小明") -> dict:
    return {
        "source": f"a{approval.pk}",
        "name": name,
        "id_number": id_number,
        "start_date": TODAY.isoformat(),
        "entry_mode": "KL",
        "hire_kind": "NEW",
        **_document(),
    }


def test_unit_asks_bianban_approves_unit_onboards_and_the_ledger_follows(county, unit_client, bianban_client):
    response = unit_client.post(
        reverse("roster:approval_new"),
        {
            "unit": "锦绣县财政局",
            "quota_type": "XZ",
            "funding_form": "QE",
            "count": 1,
            "entry_mode": "KL",
            "purpose": "会计岗位退休补缺",
            "submit_now": "on",
        },
    )
    approval = Approval.objects.get()
    assert response.status_code == 302 and approval.status == ApprovalStatus.SUBMITTED
    todo = bianban_client.get(reverse("roster:approval_list")).content.decode()
    assert "待编办审核" in todo and "锦绣县财政局" in todo

    bianban_client.post(reverse("roster:approval_detail", args=[approval.pk]), {"action": "approve", "comment": "同意"})
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.APPROVED and approval.serial
    [row] = unit_ledger(None, county["finance"], TODAY)
    assert (row.reserved, row.usable) == (1, 2)

    number = new_id()
    response = unit_client.post(reverse("roster:onboard"), _onboard_form(approval, number))
    person = Person.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("roster:person_detail", args=[person.pk])
    [row] = unit_ledger(None, county["finance"], TODAY)
    assert (row.occupied, row.reserved, row.vacant) == (1, 0, 2)

    page = unit_client.get(reverse("roster:person_detail", args=[person.pk])).content.decode()
    assert "王小明" in page and person.id_masked in page and number not in page
    listing = unit_client.get(reverse("roster:person_list"), {"q": "wxm"}).content.decode()
    assert "王小明" in listing and number not in listing
    assert "王小明" in unit_client.get(reverse("roster:person_list"), {"q": number[-4:]}).content.decode()
    assert "王小明" in unit_client.get(reverse("roster:person_list"), {"q": number}).content.decode()


def test_a_bad_id_number_is_explained_and_changes_nothing(county, unit_client):
    from tests.roster.support import approved

    approval = approved(county["finance"], 1)
    good = new_id()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")  # a wrong check digit
    html = unit_client.post(reverse("roster:onboard"), _onboard_form(approval, bad)).content.decode()
    assert "公民身份号码有误" in html and "roster.id_invalid" in html
    assert not Person.objects.exists() and not Occupancy.objects.exists()
    approval.refresh_from_db()
    assert approval.used == 0


def test_unit_operator_cannot_approve_or_see_another_unit(county, unit_client):
    from tests.roster.support import approved

    approval = approved(county["audit"], 1)
    assert unit_client.get(reverse("roster:approval_detail", args=[approval.pk])).status_code == 403
    own = approved(county["finance"], 1)
    response = unit_client.post(reverse("roster:approval_detail", args=[own.pk]), {"action": "cancel"})
    assert "不能由单位撤销" in response.content.decode()
    own.refresh_from_db()
    assert own.status == ApprovalStatus.APPROVED


def test_offboard_and_restore_and_unmask_is_audited(county, unit_client, bianban_client):
    from tests.roster.support import approved

    approval = approved(county["finance"], 1)
    unit_client.post(reverse("roster:onboard"), _onboard_form(approval, new_id(), "李·买买提"))
    person = Person.objects.get()
    assert person.name == "李·买买提"
    html = unit_client.post(
        reverse("roster:offboard", args=[person.pk]),
        {"end_date": TODAY.isoformat(), "reason": "CZ", **_document("锦财")},
        follow=True,
    ).content.decode()
    assert "出编〔" in html
    person.refresh_from_db()
    assert person.status == PersonStatus.OUT
    assert unit_client.get(reverse("roster:restore", args=[person.pk])).status_code == 403

    bianban_client.post(reverse("roster:restore", args=[person.pk]), {"reason": "误办出编，予以更正"})
    person.refresh_from_db()
    assert person.status == PersonStatus.IN_QUOTA

    assert unit_client.post(reverse("roster:person_unmask", args=[person.pk])).status_code == 403
    shown = bianban_client.post(reverse("roster:person_unmask", args=[person.pk])).content.decode()
    assert len(shown.split(">")[1].split("<")[0]) == 18
    assert AuditEvent.objects.filter(action="roster.id_unmasked", object_id=str(person.pk)).count() == 1


def test_unit_operator_cannot_change_locked_fields(county, unit_client):
    from tests.roster.support import approved

    approval = approved(county["finance"], 1)
    unit_client.post(reverse("roster:onboard"), _onboard_form(approval, new_id()))
    person = Person.objects.get()
    form = unit_client.get(reverse("roster:person_edit", args=[person.pk])).content.decode()
    assert 'name="name"' not in form and "锁定字段" in form
    unit_client.post(reverse("roster:person_edit", args=[person.pk]), {"position": "科员", "name": "改名"})
    person.refresh_from_db()
    assert (person.position, person.name) == ("科员", "王小明")


def test_over_quota_page_lists_units_beyond_their_quota(county, bianban_client):
    from bianzhi.roster import staffing
    from tests.roster.support import ENTRY_DAY, approved, entry_doc, person

    approval = approved(county["audit"], 1, today=ENTRY_DAY)
    staffing.occupancy_start(
        actor=None,
        data=person(),
        slot=staffing.Slot(approval=approval),
        start_date=ENTRY_DAY,
        entry_mode="KL",
        document=entry_doc(),
        today=ENTRY_DAY,
    )
    cut(county["audit"], 1, ENTRY_DAY, reason="职能划出，编制随职能核减", confirm_overstaffing=True)
    html = bianban_client.get(reverse("roster:over_quota")).content.decode()
    assert "锦绣县审计局" in html and "锦绣县财政局" not in html


def test_the_roster_exports_to_excel_with_masked_ids_and_the_export_is_audited(county, unit_client):
    import io

    from openpyxl import load_workbook

    from tests.roster.support import approved

    approval = approved(county["finance"], 1)
    number = new_id()
    unit_client.post(reverse("roster:onboard"), _onboard_form(approval, number))
    response = unit_client.get(reverse("roster:person_export"), {"q": "王"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "王小明" in cells and Person.objects.get().id_masked in cells and "行政编制" in cells
    assert not any(number in c for c in cells)
    assert AuditEvent.objects.filter(action="roster.exported").count() == 1


def test_the_roster_export_writes_what_users_typed_as_text_never_as_formulas(county, unit_client):
    from tests.excel import HYPERLINK, assert_written_as_text
    from tests.roster.support import approved

    approval = approved(county["finance"], 2)
    typed = {"王甲": {"position": HYPERLINK}, "王乙": {"internal_body": "+1+2", "position": "@SUM(A1)"}}
    for name, details in typed.items():
        response = unit_client.post(reverse("roster:onboard"), {**_onboard_form(approval, new_id(), name), **details})
        assert response.status_code == 302, response.content.decode()[-2000:]
    response = unit_client.get(reverse("roster:person_export"), {"q": "王"})
    assert_written_as_text(response.content, HYPERLINK, "+1+2", "@SUM(A1)")


def test_transfer_leave_and_post_forms_do_the_work_or_say_why_not(county, unit_client, bianban_client):
    from tests.roster.support import approved

    approval = approved(county["finance"], 1)
    unit_client.post(reverse("roster:onboard"), _onboard_form(approval, new_id(), "周明"))
    person = Person.objects.get()
    transfer = {
        "unit": "锦绣县审计局",
        "quota_type": "XZ",
        "funding_form": "QE",
        "effective_date": TODAY.isoformat(),
        "reason": "工作调动",
        **_document("锦组"),
    }
    assert unit_client.get(reverse("roster:transfer", args=[person.pk])).status_code == 403
    # the same account again: refused on the form, with its code, and nothing moves
    same = {**transfer, "unit": "锦绣县财政局"}
    html = bianban_client.post(reverse("roster:transfer", args=[person.pk]), same).content.decode()
    assert "无需转编" in html and "roster.transfer_same" in html and "办理转编：周明" in html
    response = bianban_client.post(reverse("roster:transfer", args=[person.pk]), transfer, follow=True)
    assert "已办理周明转编至锦绣县审计局" in response.content.decode()
    person.refresh_from_db()
    assert person.unit == county["audit"]

    html = bianban_client.post(
        reverse("roster:leave", args=[person.pk]), {"on_leave": "on", "reason": "长期病休"}, follow=True
    ).content.decode()
    assert "已更新周明的在岗情况" in html
    person.refresh_from_db()
    assert person.on_leave

    post = {"level": "ZHENG", "grade": "ZHENGKE", "start_date": TODAY.isoformat(), **_document("锦组")}
    html = bianban_client.post(reverse("roster:post_assign", args=[person.pk]), post).content.decode()
    assert "配备领导职数：周明" in html and "roster.post_full" in html  # the unit has no approved posts
    assert not person.posts.exists()


def test_a_namesake_must_be_confirmed_before_entry(county, unit_client):
    from tests.roster.support import approved

    approval = approved(county["finance"], 2)
    born = dt.date(1991, 3, 9)
    first = new_id(birth=born)
    unit_client.post(reverse("roster:onboard"), _onboard_form(approval, first, "吴刚"))
    form = _onboard_form(approval, new_id(birth=born), "吴刚")  # another number, the same birth date
    html = unit_client.post(reverse("roster:onboard"), form).content.decode()
    assert "系统中已有同名、同出生日期的人员" in html and first[:6] + "********" + first[-4:] in html
    assert Person.objects.filter(name="吴刚").count() == 1
    response = unit_client.post(reverse("roster:onboard"), {**form, "confirm_duplicate": "on"})
    assert response.status_code == 302 and Person.objects.filter(name="吴刚").count() == 2
