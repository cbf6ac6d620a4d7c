"""分设 of a unit with people: each person chosen goes to the new unit with a slot of the kind they hold, in the same
transaction as the slots; a refusal changes nothing. And the pages of 分设 and 性质类别调整."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from bianzhi.accounts.roles import Role
from bianzhi.audit.models import AuditEvent
from bianzhi.core.integrity import run_all
from bianzhi.lifecycle.services import SplitPart, unit_split
from bianzhi.orgs.choices import InstitutionClass, SystemCategory, UnitKind, UnitNature, UnitRank, UnitStatus
from bianzhi.orgs.models import Unit
from bianzhi.orgs.services import UnitSpec
from bianzhi.quotas.models import FundingForm
from bianzhi.roster import staffing
from bianzhi.roster.models import Occupancy, Person
from tests.factories import make_unit, make_user
from tests.quotas.support import assert_refused, document
from tests.roster.support import ENTRY_DAY, entry_doc, give_slots, person

pytestmark = pytest.mark.django_db
DAY = dt.date(2023, 6, 1)


@pytest.fixture
def office():
    """锦绣县财政局 with 5 行政编制 and three people in them."""
    unit = make_unit("锦绣县财政局")
    give_slots(unit, 5)
    people = []
    for name in ("王一", "王二", "王三"):
        occupancy = staffing.occupancy_start(
            actor=None,
            data=person(name),
            slot=staffing.Slot(unit=unit, quota_type="XZ", funding_form="QE", override_reason="建账"),
            start_date=ENTRY_DAY,
            entry_mode="KL",
            document=entry_doc(),
        )
        people.append(occupancy.person)
    return unit, people


def _part(name: str, slots: int, persons) -> SplitPart:
    spec = UnitSpec(
        name=name,
        system_category=SystemCategory.ZHENGFU,
        kind=UnitKind.JIGUAN,
        nature=UnitNature.XINGZHENG,
        rank=UnitRank.ZHENGKE,
    )
    return SplitPart(spec, [("XZ", FundingForm.QE, slots)] if slots else [], list(persons))


def _split(unit, *parts, abolish: bool = False):
    return unit_split(
        actor=None, unit=unit, parts=list(parts), document=document(DAY), effective_date=DAY, abolish_original=abolish
    )


def test_the_people_chosen_go_with_the_slots(office):
    unit, (a, b, c) = office
    (new,) = _split(unit, _part("锦绣县国有资产管理局", 2, [a, b]))

    moved = {p.name: p.unit_id for p in Person.objects.filter(pk__in=[a.pk, b.pk, c.pk])}
    assert moved == {"王一": new.pk, "王二": new.pk, "王三": unit.pk}
    now = Occupancy.objects.get(person=a, end_date__isnull=True)
    assert (now.account.unit_id, now.start_date, now.transferred_from.end_date) == (new.pk, DAY, DAY)
    assert AuditEvent.objects.filter(action="roster.moved_with_unit", object_id=str(new.pk)).exists()
    assert {name: drifts for name, drifts in run_all().items() if drifts} == {}


@pytest.mark.parametrize(
    ("code", "build"),
    [
        # three people for two slots
        ("roster.no_vacancy", lambda unit, p: [_part("锦绣县国有资产管理局", 2, p)]),
        # one person into two new units
        (
            "orgs.split_person_twice",
            lambda unit, p: [_part("锦绣县国有资产管理局", 1, p[:1]), _part("锦绣县金融工作局", 1, p[:1])],
        ),
        # someone who is not in the unit
        ("roster.not_in_unit", lambda unit, p: [_part("锦绣县国有资产管理局", 1, [_elsewhere()])]),
    ],
)
def test_a_split_that_cannot_take_its_people_changes_nothing(office, code, build):
    unit, people = office
    assert_refused(code, _split, unit, *build(unit, people))


def test_abolishing_the_original_needs_everyone_placed(office):
    unit, (a, b, _c) = office
    assert_refused("roster.unit_has_persons", _split, unit, _part("锦绣县国有资产管理局", 2, [a, b]), abolish=True)
    _split(unit, _part("锦绣县国有资产管理局", 3, office[1]), abolish=True)
    unit.refresh_from_db()
    assert unit.status == UnitStatus.ABOLISHED


def _elsewhere() -> Person:
    other = make_unit("锦绣县审计局")
    give_slots(other, 1)
    return staffing.occupancy_start(
        actor=None,
        data=person("李四"),
        slot=staffing.Slot(unit=other, quota_type="XZ", funding_form="QE", override_reason="建账"),
        start_date=ENTRY_DAY,
        entry_mode="KL",
        document=entry_doc(),
    ).person


def _document_fields(day: dt.date, number: str) -> dict:
    return {
        "doc_number": number,
        "doc_title": "关于机构调整的通知",
        "doc_issued_on": day.isoformat(),
        "doc_issuer": "锦绣县委编委",
        "effective_date": day.isoformat(),
    }


def test_the_split_page_lists_the_slots_and_people_and_moves_those_ticked(client, office):
    unit, (a, b, c) = office
    client.force_login(make_user("bianban", Role.BIANBAN_ADMIN, scope_county=True))
    url = reverse("orgs:unit_change", args=[unit.pk, "split"])
    page = client.get(url).content.decode()
    assert "行政编制（全额拨款）" in page and "原机构核定 5 名，实有 3 名" in page
    assert all(p.name in page for p in (a, b, c)) and "********" in page

    response = client.post(
        url,
        {
            "name": "锦绣县国有资产管理局",
            "system_category": SystemCategory.ZHENGFU,
            "kind": UnitKind.JIGUAN,
            "nature": UnitNature.XINGZHENG,
            "rank": UnitRank.ZHENGKE,
            "slots_XZ_QE": "2",
            f"person_{a.pk}": "on",
            **_document_fields(DAY, "锦编发〔2023〕3号"),
        },
    )
    new = Unit.objects.get(name="锦绣县国有资产管理局")
    assert response.status_code == 302
    assert Person.objects.get(pk=a.pk).unit_id == new.pk and Person.objects.get(pk=b.pk).unit_id == unit.pk


def test_the_reclass_page_changes_the_class_or_says_why_not(client):
    hospital = make_unit("锦绣县人民医院", kind=UnitKind.SHIYE, rank=UnitRank.FUKE, cls=InstitutionClass.GY2)
    give_slots(hospital, 3, type_code="SY", funding="CE")
    client.force_login(make_user("bianban", Role.BIANBAN_ADMIN, scope_county=True))
    url = reverse("orgs:unit_change", args=[hospital.pk, "reclass"])
    assert "性质类别调整" in client.get(url).content.decode()

    refused = client.post(
        url, {"institution_class": InstitutionClass.GY1, **_document_fields(DAY, "锦编发〔2023〕4号")}
    )
    assert refused.status_code == 200
    assert "quotas.gy1_holds_other_funding" in refused.content.decode()
    hospital.refresh_from_db()
    assert hospital.institution_class == InstitutionClass.GY2

    done = client.post(url, {"is_canggong": "1", **_document_fields(DAY, "锦编发〔2023〕5号")})
    assert done.status_code == 302
    hospital.refresh_from_db()
    assert hospital.is_canggong
