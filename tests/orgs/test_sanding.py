"""三定 versions: numbered per unit, each tied to its document; duties keep their identity across versions so that
the diff between two versions lists what was added and removed."""

from __future__ import annotations

import pytest

from bianzhi.accounts.roles import Role
from bianzhi.audit.models import AuditEvent
from bianzhi.lifecycle.services import unit_abolish
from bianzhi.orgs.sanding import SanDingContent, sanding_diff, sanding_publish
from bianzhi.orgs.selectors import unit_sanding
from tests.factories import START, make_unit, make_user
from tests.quotas.support import D1, D2, D3, D4, assert_refused, document

pytestmark = pytest.mark.django_db

DUTIES = ["贯彻执行财政法律法规。", "拟订财政发展规划。", "管理县级财政收支。"]


def publish(unit, content: SanDingContent, day=D1, *, actor=None):
    return sanding_publish(
        actor=actor, unit=unit, content=content, document=document(day, "三定规定"), effective_date=day
    )


def content(duties=DUTIES, bodies=(("预算股", ["编制预算。"]), ("国库股", ["国库集中支付。"])), **extra):
    return SanDingContent(
        duties=list(duties),
        internal_bodies=[{"name": name, "duties": body_duties} for name, body_duties in bodies],
        **{"staffing": {"XZ": 12, "GQ": 2}, "leadership": {"正职": 1, "副职": 3}, **extra},
    )


def test_versions_number_up_and_record_their_document(county):
    first = publish(county.finance, content(), D1)
    second = publish(county.finance, content(staffing={"XZ": 13, "GQ": 2}), D3)
    assert (first.version, second.version) == (1, 2)
    assert (second.effective_from, second.document.issued_on) == (D3, D3)
    assert [v.version for v in unit_sanding(county.finance)] == [2, 1]
    assert publish(county.police, content(), D2).version == 1  # numbered per unit
    event = AuditEvent.objects.get(action="orgs.sanding_published", object_id=str(second.pk))
    assert event.after == {"version": 2, "document": second.document.number, "duties": 3}


def test_duties_are_cleaned_and_numbered(county):
    version = publish(county.finance, content(duties=["  贯彻执行  财政法律法规。 ", "", "   ", "拟订财政发展规划。"]))
    assert version.duties == [
        {"id": "D1", "text": "贯彻执行 财政法律法规。"},
        {"id": "D2", "text": "拟订财政发展规划。"},
    ]


def test_unchanged_duties_keep_their_ids_and_the_diff_lists_what_changed(county):
    first = publish(county.finance, content(), D1)
    second = publish(
        county.finance,
        content(
            duties=["管理县级财政收支。", "贯彻执行财政法律法规。", "负责政府采购监督管理。"],
            bodies=(("预算股", ["编制预算。"]), ("政府采购股", ["政府采购监督。"])),
            staffing={"XZ": 14, "GQ": 2, "SY": 3},
            leadership={"正职": 1, "副职": 2},
            other_clauses="所属事业单位的设置另行规定。",
        ),
        D3,
    )
    ids = {d["text"]: d["id"] for d in first.duties}
    assert {d["text"]: d["id"] for d in second.duties if d["text"] in ids} == {
        "管理县级财政收支。": ids["管理县级财政收支。"],
        "贯彻执行财政法律法规。": ids["贯彻执行财政法律法规。"],
    }
    diff = sanding_diff(first, second)
    assert diff.duties_added == ["负责政府采购监督管理。"]
    assert diff.duties_removed == ["拟订财政发展规划。"]
    assert (diff.bodies_added, diff.bodies_removed) == (["政府采购股"], ["国库股"])
    assert diff.staffing_changed == {"SY": (0, 3), "XZ": (12, 14)}
    assert diff.leadership_changed == {"副职": (3, 2)}
    assert diff.other_clauses_changed and not diff.empty
    assert sanding_diff(second, second).empty


def test_a_new_duty_never_takes_the_id_of_a_duty_removed_earlier(county):
    """Ids identify duties across every version, so a diff between any two versions is right."""
    first = publish(county.finance, content(duties=["甲。", "乙。", "丙。"]), D1)
    publish(county.finance, content(duties=["甲。", "乙。"]), D2)
    third = publish(county.finance, content(duties=["甲。", "乙。", "丁。"]), D3)
    removed_id = next(d["id"] for d in first.duties if d["text"] == "丙。")
    assert removed_id not in {d["id"] for d in third.duties}
    diff = sanding_diff(first, third)
    assert (diff.duties_added, diff.duties_removed) == (["丁。"], ["丙。"])


def test_a_duty_that_comes_back_is_the_same_duty_again(county):
    first = publish(county.finance, content(duties=["甲。", "乙。"]), D1)
    second = publish(county.finance, content(duties=["甲。"]), D2)
    third = publish(county.finance, content(duties=["甲。", "乙。"]), D3)
    assert third.duties == first.duties
    assert sanding_diff(first, third).empty
    assert sanding_diff(second, third).duties_added == ["乙。"]


def test_a_duty_listed_twice_gets_two_ids(county):
    version = publish(county.finance, content(duties=["甲。", "甲。"]))
    assert [d["id"] for d in version.duties] == ["D1", "D2"]


def test_internal_bodies_keep_their_ids_and_never_share_one(county):
    first = publish(county.finance, content(bodies=(("预算股", []), ("国库股", []))), D1)
    second = publish(county.finance, content(bodies=(("综合股", []), ("绩效股", []), ("预算股", []))), D2)
    third = publish(county.finance, content(bodies=(("法规股", []), ("绩效股", []), ("综合股", []))), D3)
    for version in (first, second, third):
        ids = [b["id"] for b in version.internal_bodies]
        assert len(ids) == len(set(ids)), version.internal_bodies
    by_name = {b["name"]: b["id"] for v in (first, second, third) for b in v.internal_bodies}
    assert second.internal_bodies[2]["id"] == first.internal_bodies[0]["id"]  # 预算股 kept its id
    assert {b["id"] for b in third.internal_bodies} == {by_name["法规股"], by_name["绩效股"], by_name["综合股"]}
    assert len(set(by_name.values())) == len(by_name)  # no id ever meant two different bodies


@pytest.mark.parametrize("duties", [[], [""], ["   ", "\n"]])
def test_a_sanding_needs_at_least_one_duty(county, duties):
    error = assert_refused("sanding.no_duties", publish, county.finance, content(duties=duties))
    assert error.message == "三定规定至少要列明一项主要职责。"


@pytest.mark.parametrize(
    ("staffing", "leadership", "key"),
    [({"XZ": -1}, {}, "XZ"), ({"XZ": True}, {}, "XZ"), ({"XZ": "12"}, {}, "XZ"), ({}, {"副职": 1.5}, "副职")],
)
def test_staffing_and_posts_are_whole_numbers(county, staffing, leadership, key):
    error = assert_refused(
        "sanding.bad_staffing", publish, county.finance, content(staffing=staffing, leadership=leadership)
    )
    assert error.message == f"人员编制数须为不小于 0 的整数：{key}。"


def test_versions_are_recorded_in_date_order(county):
    publish(county.finance, content(), D3)
    error = assert_refused("sanding.out_of_order", publish, county.finance, content(), D2)
    assert error.message == f"施行日期 {D2} 早于现行第 1 版的施行日期 {D3}。"
    assert publish(county.finance, content(), D3).version == 2  # the same day is allowed
    assert publish(county.finance, content(), D4).version == 3


def test_the_document_date_rules_apply(county):
    assert_refused(
        "documents.effective_before_issue",
        sanding_publish,
        actor=None,
        unit=county.finance,
        content=content(),
        document=document(D2),
        effective_date=D1,
    )


def test_publishing_needs_the_right_and_the_unit_in_scope(county):
    clerk = make_user("clerk", Role.UNIT_OPERATOR, scope_unit=county.finance)
    assert_refused("common.permission_denied", publish, county.finance, content(), actor=clerk)
    operator = make_user("education_only", Role.BIANBAN_OPERATOR, scope_unit=county.education)
    assert_refused("common.out_of_scope", publish, county.finance, content(), actor=operator)
    assert publish(county.school, content(), actor=operator).version == 1


def test_a_sanding_takes_effect_only_while_the_unit_exists(county):
    late = make_unit("锦绣县数据局", day=D2)
    error = assert_refused("orgs.unit_not_yet_established", publish, late, content(), D1)
    assert error.message == f"「锦绣县数据局」于 {D2} 设立，生效日期不能早于设立日期。"
    unit_abolish(actor=None, unit=county.budget_office, document=document(D3), effective_date=D3)
    error = assert_refused("orgs.unit_closed", publish, county.budget_office, content(), D3)
    assert error.message == "「锦绣县财政局预算股」已撤销，不能再办理此业务。"
    # the 三定 it had before it closed may still be filed, as history
    assert publish(county.budget_office, content(), START).effective_from == START
