"""The unit lifecycle (设立、更名、规格调整、隶属调整、合并、撤销、分设) as the 编办 operator meets it: every refusal
first (stable code, Chinese message, nothing changed), then what each change leaves in the register and the
ledger, as of dates before and after it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.audit.models import AuditEvent
from bianzhi.core.integrity import run_all
from bianzhi.lifecycle.services import SplitPart, unit_abolish, unit_merge, unit_split
from bianzhi.orgs.choices import InstitutionClass, SystemCategory, UnitChange, UnitKind, UnitNature, UnitRank
from bianzhi.orgs.models import Unit
from bianzhi.orgs.selectors import subtree_ids_as_of, unit_history, unit_search, version_as_of
from bianzhi.orgs.services import UnitSpec, unit_change_class, unit_change_rank, unit_create, unit_move, unit_rename
from bianzhi.quotas.models import AccountKind, Movement, MovementKind, PostLevel, PostMovementKind
from bianzhi.quotas.selectors import county_summary, unit_ledger, unit_posts
from bianzhi.quotas.services import (
    county_account,
    post_authority_account,
    post_movement_post,
    post_unit_account,
    unit_account,
)
from tests.factories import START, make_user
from tests.quotas.support import D1, D2, D3, D4, D5, assert_refused, balance, document, post

pytestmark = pytest.mark.django_db

VALID_USCC = "12330122470001235B"
OTHER_USCC = "11100000000013127B"


def spec(name: str, **values) -> UnitSpec:
    defaults = {
        "system_category": SystemCategory.ZHENGFU,
        "kind": UnitKind.JIGUAN,
        "nature": UnitNature.XINGZHENG,
        "rank": UnitRank.ZHENGKE,
    }
    return UnitSpec(name=name, **{**defaults, **values})


def create(unit_spec: UnitSpec, day: dt.date = D1, *, actor=None, doc=None) -> Unit:
    return unit_create(actor=actor, spec=unit_spec, document=doc or document(day), effective_date=day)


def fresh(unit: Unit) -> Unit:
    return Unit.objects.get(pk=unit.pk)


def grant(unit: Unit, code: str, amount: int, day: dt.date = D1, funding: str = "QE"):
    return post(
        MovementKind.HEZENG, county_account(AccountKind.POOL, code), unit_account(unit, code, funding), amount, day
    )


def grant_posts(unit: Unit, level: str, grade: str, amount: int, day: dt.date = D1, **extra):
    return post_movement_post(
        actor=None,
        kind=PostMovementKind.HEDING,
        from_account=post_authority_account(level, grade),
        to_account=post_unit_account(unit, level, grade),
        amount=amount,
        effective_date=day,
        document=document(day, "关于核定领导职数的通知"),
        **extra,
    )


def assert_no_drift() -> None:
    assert {name: drifts for name, drifts in run_all().items() if drifts} == {}


# ---------------------------------------------------------------- setting up a unit: bad input


@pytest.mark.parametrize("name", ["", "   ", "\u3000"])
def test_a_unit_needs_a_name(county, name):
    error = assert_refused("orgs.name_required", create, spec(name))
    assert error.message == "请填写机构全称。"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"name": "锦" * 201}, "机构全称不能超过 200 个字。"),
        ({"short_name": "锦" * 101}, "规范简称不能超过 100 个字。"),
        ({"code": "X" * 33}, "机构编码不能超过 32 个字。"),
        ({"other_names": ["锦" * 201]}, "其他名称不能超过 200 个字。"),
    ],
)
def test_over_long_names_and_codes_are_refused(county, values, message):
    error = assert_refused("orgs.too_long", create, spec(values.pop("name", "锦绣县新设局"), **values))
    assert error.message == message


@pytest.mark.parametrize("name", ["锦绣县财政局", " 锦绣县财政局 ", "锦绣县财政局\n"])
def test_two_current_units_cannot_share_a_name(county, name):
    error = assert_refused("orgs.name_taken", create, spec(name))
    assert error.message == "已有同名的现行机构「锦绣县财政局」。"


def test_the_name_of_a_closed_unit_may_be_used_again(county):
    unit_abolish(actor=None, unit=county.budget_office, document=document(D1), effective_date=D1)
    reborn = create(spec("锦绣县财政局预算股", parent=county.finance, kind=UnitKind.NEISHE, rank=UnitRank.GUJI), D2)
    assert reborn.pk != county.budget_office.pk and reborn.is_active


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"kind": "XX"}, "机构类型「XX」不是有效的选项。"),
        ({"system_category": ""}, "系统类别「」不是有效的选项。"),
        ({"nature": "GONGSI"}, "机构性质「GONGSI」不是有效的选项。"),
        ({"rank": "ZHENGBU"}, "机构规格「ZHENGBU」不是有效的选项。"),
        ({"kind": UnitKind.SHIYE, "institution_class": "GY3"}, "事业单位分类「GY3」不是有效的选项。"),
    ],
)
def test_attributes_must_come_from_the_code_sets(county, values, message):
    error = assert_refused("orgs.bad_choice", create, spec("锦绣县新设局", **values))
    assert error.message == message


@pytest.mark.parametrize(
    ("uscc", "reason"),
    [
        ("12330122470001235A", "校验码错误：末位应为 B，实际为 A，请核对代码。"),
        ("1233012247000123", "统一社会信用代码应为 18 位，实际为 16 位。"),
        ("12330122470001235I", "统一社会信用代码含有不允许的字符：I（不使用 I、O、Z、S、V）。"),
    ],
)
def test_a_wrong_credit_code_is_refused_with_the_reason(county, uscc, reason):
    error = assert_refused("orgs.uscc_invalid", create, spec("锦绣县新设局", uscc=uscc))
    assert error.message == f"统一社会信用代码无效：{reason}"


def test_a_credit_code_typed_in_lower_case_is_stored_normalised(county):
    unit = create(spec("锦绣县新设局", uscc=VALID_USCC.lower()))
    assert fresh(unit).uscc == VALID_USCC


def test_a_credit_code_belongs_to_one_unit_even_after_it_closed(county):
    owner = create(spec("锦绣县新设局", uscc=VALID_USCC))
    error = assert_refused("orgs.uscc_taken", create, spec("锦绣县另设局", uscc=VALID_USCC.lower()))
    assert error.message == f"统一社会信用代码 {VALID_USCC} 已属于「锦绣县新设局」。"
    unit_abolish(actor=None, unit=owner, document=document(D2), effective_date=D2)
    assert_refused("orgs.uscc_taken", create, spec("锦绣县另设局", uscc=VALID_USCC), D3)


def test_an_internal_code_belongs_to_one_unit(county):
    create(spec("锦绣县新设局", code="610999001"))
    error = assert_refused("orgs.code_taken", create, spec("锦绣县另设局", code=" 610999001 "))
    assert error.message == "机构编码 610999001 已属于「锦绣县新设局」。"


def test_a_unit_cannot_be_set_up_under_a_closed_one(county):
    unit_abolish(actor=None, unit=county.budget_office, document=document(D1), effective_date=D1)
    error = assert_refused(
        "orgs.parent_inactive",
        create,
        spec("锦绣县财政局预算股下属组", parent=fresh(county.budget_office), rank=UnitRank.GUJI),
        D2,
    )
    assert error.message == "上级机构「锦绣县财政局预算股」已撤销。"


def test_a_unit_cannot_be_set_up_under_one_that_did_not_exist_yet(county):
    late = create(spec("锦绣县数据局"), D3)
    error = assert_refused(
        "orgs.unit_not_yet_established", create, spec("锦绣县数据中心", parent=late, rank=UnitRank.GUJI), D2
    )
    assert error.message == f"「锦绣县数据局」于 {D3} 设立，生效日期不能早于设立日期。"


def test_a_unit_ranks_no_higher_than_its_parent(county):
    error = assert_refused("orgs.rank_above_parent", create, spec("锦绣县教育局某中心", parent=county.school))
    assert error.message == "机构规格（正科级）不能高于上级机构「锦绣县第一小学」（股级）。"


def test_an_institution_needs_its_class_and_only_an_institution_has_one(county):
    error = assert_refused(
        "orgs.class_required", create, spec("锦绣县图书馆", kind=UnitKind.SHIYE, nature=UnitNature.SHIYE)
    )
    assert "事业单位分类" in error.message
    error = assert_refused(
        "orgs.class_not_allowed", create, spec("锦绣县新设局", institution_class=InstitutionClass.GY1)
    )
    assert error.message == "只有事业单位才有事业单位分类和举办单位。"
    assert_refused("orgs.class_not_allowed", create, spec("锦绣县新设局", sponsor=county.education))


def test_only_an_organ_can_be_a_political_legal_organ(county):
    error = assert_refused(
        "orgs.zhengfa_not_allowed",
        create,
        spec("锦绣县司法鉴定中心", kind=UnitKind.SHIYE, institution_class=InstitutionClass.GY2, is_zhengfa=True),
    )
    assert error.message == "只有机关（或其下设机构）才能标为政法机关。"


def test_the_document_and_the_date_are_checked_when_setting_up(county):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert_refused(
        "documents.effective_in_future",
        unit_create,
        actor=None,
        spec=spec("锦绣县新设局"),
        document=document(D1),
        effective_date=tomorrow,
    )
    assert_refused(
        "documents.effective_before_issue",
        unit_create,
        actor=None,
        spec=spec("锦绣县新设局"),
        document=document(D2),
        effective_date=D1,
    )
    assert_refused(
        "documents.required", unit_create, actor=None, spec=spec("锦绣县新设局"), document=None, effective_date=D1
    )


# ---------------------------------------------------------------- changing a unit: bad input


def test_a_unit_cannot_move_under_itself_or_anything_below_it(county):
    branch = create(
        spec(
            "锦绣县第一小学分校", parent=county.school, kind=UnitKind.SHIYE, rank=UnitRank.GUJI, institution_class="GY1"
        )
    )
    for target in (county.education, county.school, branch):
        error = assert_refused(
            "orgs.move_into_subtree",
            unit_move,
            actor=None,
            unit=county.education,
            new_parent=target,
            document=document(D2),
            effective_date=D2,
        )
        assert error.message == "不能把「锦绣县教育局」移到它自己或其下属机构之下。"


def test_a_backdated_move_cannot_make_the_tree_of_a_later_date_loop(county):
    """A under B from D3 to D4; putting B under A from D2 on would make them each other's parent on D3."""
    a, b = create(spec("锦绣县甲局")), create(spec("锦绣县乙局"))
    unit_move(actor=None, unit=a, new_parent=b, document=document(D3), effective_date=D3)
    unit_move(actor=None, unit=fresh(a), new_parent=None, document=document(D4), effective_date=D4)
    assert_refused(
        "orgs.move_into_subtree",
        unit_move,
        actor=None,
        unit=fresh(b),
        new_parent=fresh(a),
        document=document(D2),
        effective_date=D2,
    )
    # from D4 on, when A no longer stood under B, it is fine
    unit_move(actor=None, unit=fresh(b), new_parent=fresh(a), document=document(D5), effective_date=D5)
    assert subtree_ids_as_of(a, D5) == {a.pk, b.pk}
    assert subtree_ids_as_of(b, D3) == {a.pk, b.pk}


def test_a_unit_with_current_sub_units_is_not_abolished(county):
    error = assert_refused(
        "orgs.has_children", unit_abolish, actor=None, unit=county.finance, document=document(D2), effective_date=D2
    )
    assert error.message == "「锦绣县财政局」还有 1 个现行下属机构，请先调整其隶属或一并撤销。"


def test_a_unit_is_not_closed_before_a_date_when_a_sub_unit_still_stood_under_it(county):
    """The sub-unit stood under it from D3 to D4: closing it on D2 would leave that sub-unit under a closed unit."""
    parent, child = create(spec("锦绣县甲局")), create(spec("锦绣县甲中心", rank=UnitRank.FUKE))
    unit_move(actor=None, unit=child, new_parent=parent, document=document(D3), effective_date=D3)
    unit_move(actor=None, unit=fresh(child), new_parent=None, document=document(D4), effective_date=D4)
    error = assert_refused(
        "orgs.children_after", unit_abolish, actor=None, unit=fresh(parent), document=document(D2), effective_date=D2
    )
    assert error.message.startswith(f"「锦绣县甲中心」在 {D2} 之后仍隶属于「锦绣县甲局」")
    assert_refused(
        "orgs.children_after",
        unit_merge,
        actor=None,
        unit=fresh(parent),
        successor=county.education,
        document=document(D2),
        effective_date=D2,
    )
    unit_abolish(actor=None, unit=fresh(parent), document=document(D4), effective_date=D4)


def test_a_unit_is_not_merged_into_itself_or_a_unit_below_it(county):
    for successor in (county.finance, county.budget_office):
        error = assert_refused(
            "orgs.merge_into_self",
            unit_merge,
            actor=None,
            unit=county.finance,
            successor=successor,
            document=document(D2),
            effective_date=D2,
        )
        assert error.message == "不能把机构并入它自己或其下属机构。"


def test_a_unit_is_not_merged_into_a_closed_one(county):
    unit_abolish(actor=None, unit=county.budget_office, document=document(D1), effective_date=D1)
    error = assert_refused(
        "orgs.unit_closed",
        unit_merge,
        actor=None,
        unit=county.police,
        successor=fresh(county.budget_office),
        document=document(D2),
        effective_date=D2,
    )
    assert error.message == "「锦绣县财政局预算股」已撤销，不能再办理此业务。"


def test_a_unit_is_not_merged_into_one_set_up_later(county):
    late = create(spec("锦绣县数据局"), D3)
    error = assert_refused(
        "orgs.unit_not_yet_established",
        unit_merge,
        actor=None,
        unit=county.police,
        successor=late,
        document=document(D2),
        effective_date=D2,
    )
    assert error.message == f"「锦绣县数据局」于 {D3} 设立，生效日期不能早于设立日期。"


def test_an_institution_is_not_merged_into_an_organ_that_cannot_hold_its_slots(county):
    grant(county.school, "SY", 10)
    error = assert_refused(
        "quotas.type_not_allowed",
        unit_merge,
        actor=None,
        unit=county.school,
        successor=county.finance,
        document=document(D2),
        effective_date=D2,
    )
    assert "事业编制只能用于事业单位" in error.message


def test_political_legal_slots_do_not_go_to_an_ordinary_organ(county):
    grant(county.police, "ZFZX", 10)
    assert_refused(
        "quotas.type_not_allowed",
        unit_merge,
        actor=None,
        unit=county.police,
        successor=county.education,
        document=document(D2),
        effective_date=D2,
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda u, d: unit_rename(actor=None, unit=u, name="锦绣县财政局（新）", document=document(d), effective_date=d),
        lambda u, d: unit_change_rank(
            actor=None, unit=u, rank=UnitRank.ZHENGKE, document=document(d), effective_date=d
        ),
        lambda u, d: unit_move(actor=None, unit=u, new_parent=None, document=document(d), effective_date=d),
        lambda u, d: unit_abolish(actor=None, unit=u, document=document(d), effective_date=d),
    ],
    ids=["rename", "rank", "move", "abolish"],
)
def test_a_closed_unit_is_not_changed_any_more(county, change):
    unit = create(spec("锦绣县临时局", rank=UnitRank.FUKE, parent=county.education))
    unit_abolish(actor=None, unit=unit, document=document(D2), effective_date=D2)
    error = assert_refused("orgs.unit_closed", change, fresh(unit), D3)
    assert error.message == "「锦绣县临时局」已撤销，不能再办理此业务。"


def test_changes_are_recorded_in_date_order(county):
    unit_rename(actor=None, unit=county.finance, name="锦绣县财政和国资局", document=document(D3), effective_date=D3)
    error = assert_refused(
        "orgs.out_of_order",
        unit_change_rank,
        actor=None,
        unit=fresh(county.finance),
        rank=UnitRank.FUKE,
        document=document(D2),
        effective_date=D2,
    )
    assert error.message == f"生效日期 {D2} 早于「锦绣县财政和国资局」当前状态的起始日期 {D3}，请按时间顺序登记。"
    unit_abolish(actor=None, unit=county.budget_office, document=document(D2), effective_date=D2)
    assert_refused(
        "orgs.out_of_order",
        unit_abolish,
        actor=None,
        unit=fresh(county.finance),
        document=document(D2),
        effective_date=D2,
    )


def test_a_unit_is_not_closed_before_its_last_movement(county):
    grant(county.police, "ZFZX", 5, D3)
    error = assert_refused(
        "quotas.later_movements", unit_abolish, actor=None, unit=county.police, document=document(D2), effective_date=D2
    )
    assert error.message == f"锦绣县公安局在 {D2} 之后还有编制或领导职数变动，请先处理这些变动或调整生效日期。"
    grant_posts(county.education, PostLevel.ZHENG, UnitRank.ZHENGKE, 1, D3)
    assert_refused(
        "quotas.later_movements",
        unit_merge,
        actor=None,
        unit=county.education,
        successor=county.finance,
        document=document(D2),
        effective_date=D2,
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda u, d: unit_rename(actor=None, unit=u, name="锦绣县财政局", document=document(d), effective_date=d),
        lambda u, d: unit_rename(actor=None, unit=u, name=" 锦绣县财政局\t", document=document(d), effective_date=d),
        lambda u, d: unit_change_rank(
            actor=None, unit=u, rank=UnitRank.ZHENGKE, document=document(d), effective_date=d
        ),
        lambda u, d: unit_move(actor=None, unit=u, new_parent=None, document=document(d), effective_date=d),
        lambda u, d: unit_change_class(
            actor=None, unit=u, nature=UnitNature.XINGZHENG, document=document(d), effective_date=d
        ),
    ],
    ids=["same-name", "same-name-with-spaces", "same-rank", "same-parent", "same-nature"],
)
def test_a_change_that_changes_nothing_is_refused(county, change):
    error = assert_refused("orgs.nothing_changed", change, county.finance, D2)
    assert error.message == "与当前信息相同，无需变更。"


def test_a_split_that_takes_more_slots_than_the_unit_holds_creates_nothing(county):
    grant(county.education, "XZ", 4)
    part = SplitPart(spec("锦绣县体育局"), [("XZ", "QE", 5)])
    error = assert_refused(
        "quotas.insufficient",
        unit_split,
        actor=None,
        unit=county.education,
        parts=[part],
        document=document(D2),
        effective_date=D2,
    )
    assert "锦绣县教育局·行政编制（全额拨款）" in error.message


def test_a_split_into_a_unit_that_cannot_hold_the_slots_creates_nothing(county):
    grant(county.education, "XZ", 4)
    part = SplitPart(spec("锦绣县体育中心", kind=UnitKind.SHIYE, institution_class="GY1"), [("XZ", "QE", 2)])
    assert_refused(
        "quotas.type_not_allowed",
        unit_split,
        actor=None,
        unit=county.education,
        parts=[part],
        document=document(D2),
        effective_date=D2,
    )
    assert_refused(
        "orgs.name_taken",
        unit_split,
        actor=None,
        unit=county.education,
        parts=[SplitPart(spec("锦绣县财政局"), [("XZ", "QE", 1)])],
        document=document(D2),
        effective_date=D2,
    )


# ---------------------------------------------------------------- who may change the register

NO_REGISTER_RIGHTS = [
    (Role.UNIT_OPERATOR, "unit"),
    (Role.REGISTRATION, "county"),
    (Role.OVERSIGHT, "county"),
    (Role.PARTNER_READONLY, "county"),
    (Role.SYSTEM_ADMIN, None),
    (Role.SECURITY_ADMIN, None),
    (Role.AUDIT_ADMIN, None),
    (None, None),
]
CHANGES = {
    "create": lambda c, user: unit_create(
        actor=user,
        spec=spec("锦绣县新设局", parent=c.education, rank=UnitRank.FUKE),
        document=document(D2),
        effective_date=D2,
    ),
    "rename": lambda c, user: unit_rename(
        actor=user, unit=c.finance, name="锦绣县财政和国资局", document=document(D2), effective_date=D2
    ),
    "rank": lambda c, user: unit_change_rank(
        actor=user, unit=c.finance, rank=UnitRank.FUKE, document=document(D2), effective_date=D2
    ),
    "class": lambda c, user: unit_change_class(
        actor=user, unit=c.school, institution_class=InstitutionClass.GY2, document=document(D2), effective_date=D2
    ),
    "move": lambda c, user: unit_move(
        actor=user, unit=c.school, new_parent=c.finance, document=document(D2), effective_date=D2
    ),
    "merge": lambda c, user: unit_merge(
        actor=user, unit=c.school, successor=c.hospital, document=document(D2), effective_date=D2
    ),
    "abolish": lambda c, user: unit_abolish(actor=user, unit=c.budget_office, document=document(D2), effective_date=D2),
    "split": lambda c, user: unit_split(
        actor=user, unit=c.finance, parts=[SplitPart(spec("锦绣县国资局"))], document=document(D2), effective_date=D2
    ),
}


@pytest.mark.parametrize(("role", "scope"), NO_REGISTER_RIGHTS)
def test_roles_without_the_right_to_manage_the_register_are_refused(county, role, scope):
    user = make_user(
        "someone",
        *([role] if role else []),
        scope_unit=county.finance if scope == "unit" else None,
        scope_county=scope == "county",
    )
    for name, change in CHANGES.items():
        error = assert_refused("common.permission_denied", change, county, user)
        assert error.message == "您没有权限执行此操作，如需办理请联系安全管理员。", name


def test_an_operator_limited_to_one_unit_changes_only_its_subtree(county):
    user = make_user("education_only", Role.BIANBAN_OPERATOR, scope_unit=county.education)
    for name in ("rename", "rank", "abolish", "split"):
        error = assert_refused("common.out_of_scope", CHANGES[name], county, user)
        assert error.message == "该数据不在您的管理范围内。", name
    # into a unit outside the scope, or from one
    assert_refused("common.out_of_scope", CHANGES["move"], county, user)
    assert_refused("common.out_of_scope", CHANGES["merge"], county, user)
    assert_refused(
        "common.out_of_scope",
        unit_create,
        actor=user,
        spec=spec("锦绣县财政局核算中心", parent=county.finance, rank=UnitRank.GUJI),
        document=document(D2),
        effective_date=D2,
    )
    error = assert_refused(
        "orgs.top_level_needs_county",
        unit_create,
        actor=user,
        spec=spec("锦绣县新设局"),
        document=document(D2),
        effective_date=D2,
    )
    assert "只有管理范围为全县的账号才能设立县直一级机构" in error.message
    # within the scope all is allowed
    unit_rename(actor=user, unit=county.school, name="锦绣县实验小学", document=document(D2), effective_date=D2)
    create(spec("锦绣县教育局考试中心", parent=county.education, rank=UnitRank.GUJI), D2, actor=user)


# ---------------------------------------------------------------- what each change leaves behind


def test_setting_up_a_unit_records_its_first_version_place_and_search_keys(county):
    unit = create(
        spec(
            "锦绣县数据局", short_name=" 数据局 ", other_names=[" 锦绣县大数据中心 ", ""], uscc=VALID_USCC, code="D-01"
        ),
        D2,
    )
    unit = fresh(unit)
    assert (unit.established_on, unit.status, unit.parent, unit.depth) == (D2, "ACTIVE", None, 0)
    assert unit.tree_path == f"/{unit.pk}/"
    assert (unit.short_name, unit.other_names) == ("数据局", ["锦绣县大数据中心"])
    assert (unit.name_pinyin, unit.name_initials) == ("jinxiuxianshujuju", "jxxsjj")
    [version] = unit_history(unit)
    assert (version.change, version.valid_from, version.valid_to, version.name) == (
        UnitChange.CREATED,
        D2,
        None,
        "锦绣县数据局",
    )
    assert version_as_of(unit, D1) is None
    event = AuditEvent.objects.filter(action="orgs.unit_created", object_id=str(unit.pk)).get()
    assert event.after["name"] == "锦绣县数据局" and event.after["effective_date"] == D2.isoformat()
    child = create(spec("锦绣县数据中心", parent=unit, rank=UnitRank.GUJI), D3)
    assert (fresh(child).tree_path, fresh(child).depth) == (f"/{unit.pk}/{child.pk}/", 1)


def test_a_renamed_unit_keeps_its_identity_slots_and_both_names(county):
    grant(county.finance, "XZ", 6, D1)
    unit_rename(
        actor=None,
        unit=county.finance,
        name="锦绣县财政和国有资产管理局",
        short_name="财政国资局",
        document=document(D3),
        effective_date=D3,
    )
    renamed = fresh(county.finance)
    assert renamed.pk == county.finance.pk and renamed.name == "锦绣县财政和国有资产管理局"
    assert [(v.change, v.name, v.valid_from, v.valid_to) for v in reversed(unit_history(renamed))] == [
        (UnitChange.CREATED, "锦绣县财政局", START, D3),
        (UnitChange.RENAMED, "锦绣县财政和国有资产管理局", D3, None),
    ]
    assert version_as_of(renamed, D2).name == "锦绣县财政局"
    assert version_as_of(renamed, D3).name == "锦绣县财政和国有资产管理局"
    assert [balance(unit_account(renamed, "XZ", "QE"), d) for d in (D2, D3, D4)] == [6, 6, 6]
    assert [u.pk for u in unit_search(None, "caizhenghe")] == [renamed.pk]
    assert renamed not in unit_search(None, "锦绣县财政局")  # the old name is history
    event = AuditEvent.objects.filter(action="orgs.unit_renamed").get()
    assert event.before["name"] == "锦绣县财政局" and event.after["name"] == "锦绣县财政和国有资产管理局"
    assert_no_drift()


def test_a_rank_change_and_a_class_change_are_new_versions(county):
    unit_change_rank(actor=None, unit=county.hospital, rank=UnitRank.ZHENGKE, document=document(D2), effective_date=D2)
    unit_change_class(
        actor=None,
        unit=county.hospital,
        institution_class=InstitutionClass.GY1,
        document=document(D3),
        effective_date=D3,
    )
    history = list(reversed(unit_history(county.hospital)))
    assert [(v.change, v.rank, v.institution_class) for v in history] == [
        (UnitChange.CREATED, UnitRank.FUKE, InstitutionClass.GY2),
        (UnitChange.RANK_CHANGED, UnitRank.ZHENGKE, InstitutionClass.GY2),
        (UnitChange.CLASS_CHANGED, UnitRank.ZHENGKE, InstitutionClass.GY1),
    ]


def test_a_moved_unit_takes_its_subtree_along_and_the_old_tree_stays_in_history(county):
    branch = create(
        spec(
            "锦绣县第一小学分校", parent=county.school, kind=UnitKind.SHIYE, rank=UnitRank.GUJI, institution_class="GY1"
        )
    )
    unit_move(actor=None, unit=county.school, new_parent=county.finance, document=document(D3), effective_date=D3)
    school, branch = fresh(county.school), fresh(branch)
    assert (school.parent_id, school.tree_path, school.depth) == (
        county.finance.pk,
        f"/{county.finance.pk}/{school.pk}/",
        1,
    )
    assert (branch.tree_path, branch.depth) == (f"/{county.finance.pk}/{school.pk}/{branch.pk}/", 2)
    assert subtree_ids_as_of(county.education, D2) == {county.education.pk, school.pk, branch.pk}
    assert subtree_ids_as_of(county.education, D3) == {county.education.pk}
    assert subtree_ids_as_of(county.finance, D3) == {county.finance.pk, county.budget_office.pk, school.pk, branch.pk}
    assert version_as_of(school, D2).parent_id == county.education.pk
    assert version_as_of(school, D3).change == UnitChange.MOVED
    assert_no_drift()


def test_a_merge_moves_slots_posts_and_sub_units_to_the_successor_and_closes_the_unit(county):
    grant(county.finance, "XZ", 6, D1)
    grant(county.finance, "GQ", 2, D1)
    grant_posts(county.finance, PostLevel.ZHENG, UnitRank.ZHENGKE, 1)
    grant_posts(county.finance, PostLevel.FU, UnitRank.FUKE, 2)
    grant_posts(county.budget_office, PostLevel.ZHENG, UnitRank.GUJI, 1)
    merge_doc = document(D3, "关于将县财政局并入县教育局的通知")
    unit_merge(actor=None, unit=county.finance, successor=county.education, document=merge_doc, effective_date=D3)

    finance, education, office = fresh(county.finance), fresh(county.education), fresh(county.budget_office)
    assert (finance.status, finance.abolished_on, finance.successor) == ("MERGED", D3, education)
    assert [(v.change, v.status, v.valid_to) for v in reversed(unit_history(finance))] == [
        (UnitChange.CREATED, "ACTIVE", D3),
        (UnitChange.MERGED, "MERGED", None),
    ]
    assert version_as_of(finance, D2).name == "锦绣县财政局" and version_as_of(finance, D2).status == "ACTIVE"
    # slots and posts: with the finance bureau before the merge, with the education bureau from its date on
    assert [r.approved for r in unit_ledger(None, finance, D2)] == [6, 2]
    assert unit_ledger(None, finance, D3) == []
    assert [(r.quota_type, r.approved) for r in unit_ledger(None, education, D3)] == [("XZ", 6), ("GQ", 2)]
    assert unit_ledger(None, education, D2) == []
    assert {(p.level, p.grade, p.approved) for p in unit_posts(None, education, D3)} == {
        (PostLevel.ZHENG, UnitRank.ZHENGKE, 1),
        (PostLevel.FU, UnitRank.FUKE, 2),
    }
    assert unit_posts(None, finance, D3) == []
    handed_over = Movement.objects.filter(document__number=merge_doc.number)
    assert {(m.kind, m.amount) for m in handed_over} == {(MovementKind.HUAZHUAN, 6), (MovementKind.HUAZHUAN, 2)}
    # the internal body now belongs to the successor, and belonged to the finance bureau before
    assert office.parent == education and office.tree_path == f"{education.tree_path}{office.pk}/"
    assert version_as_of(office, D2).parent_id == finance.pk
    assert subtree_ids_as_of(finance, D2) == {finance.pk, office.pk}
    assert office.pk in subtree_ids_as_of(education, D3) and office.pk not in subtree_ids_as_of(education, D2)
    assert [p.approved for p in unit_posts(None, office, D3)] == [1]  # its own posts stay with it
    assert list(unit_search(None, "锦绣县财政局")) == [office]
    assert finance in unit_search(None, "锦绣县财政局", include_inactive=True)
    assert AuditEvent.objects.filter(action="orgs.unit_merged", object_id=str(finance.pk)).count() == 1
    assert_no_drift()


def test_abolishing_returns_slots_to_the_county_pool_and_posts_to_the_upper_level(county):
    grant(county.police, "ZFZX", 9, D1)
    grant(county.police, "GQ", 1, D1)
    grant_posts(county.police, PostLevel.FU, UnitRank.FUKE, 3)
    authority_posts = post_authority_account(PostLevel.FU, UnitRank.FUKE)
    unit_abolish(actor=None, unit=county.police, document=document(D3), effective_date=D3, reason="职能划出")

    police = fresh(county.police)
    assert (police.status, police.abolished_on, police.successor) == ("ABOLISHED", D3, None)
    assert version_as_of(police, D3).change == UnitChange.ABOLISHED
    assert [balance(county_account(AccountKind.POOL, "ZFZX"), d) for d in (D2, D3)] == [11, 20]
    assert [balance(county_account(AccountKind.POOL, "GQ"), d) for d in (D2, D3)] == [9, 10]
    assert [balance(authority_posts, d) for d in (D2, D3)] == [-3, 0]
    assert unit_ledger(None, police, D3) == [] and unit_posts(None, police, D3) == []
    assert {m.kind for m in Movement.objects.filter(effective_date=D3)} == {MovementKind.HEJIAN}
    zfzx = next(s for s in county_summary(D3) if s.quota_type.code == "ZFZX")
    assert (zfzx.allocated, zfzx.pool, zfzx.set_from_above) == (0, 20, 20)
    assert_no_drift()


def test_a_split_creates_units_with_the_listed_slots(county):
    grant(county.education, "XZ", 10, D1)
    grant(county.education, "GQ", 2, D1)
    parts = [
        SplitPart(spec("锦绣县体育局"), [("XZ", "QE", 3), ("GQ", "QE", 1)]),
        SplitPart(spec("锦绣县语言文字工作办公室", parent=county.education, rank=UnitRank.GUJI), [("XZ", "QE", 2)]),
    ]
    sport, language = unit_split(
        actor=None,
        unit=county.education,
        parts=parts,
        document=document(D3, "关于分设县体育局的通知"),
        effective_date=D3,
    )
    assert (sport.established_on, language.parent) == (D3, county.education)
    assert [(r.quota_type, r.approved) for r in unit_ledger(None, sport, D3)] == [("XZ", 3), ("GQ", 1)]
    assert [(r.quota_type, r.approved) for r in unit_ledger(None, language, D3)] == [("XZ", 2)]
    assert [(r.quota_type, r.approved) for r in unit_ledger(None, county.education, D3)] == [("XZ", 5), ("GQ", 1)]
    assert [(r.quota_type, r.approved) for r in unit_ledger(None, county.education, D2)] == [("XZ", 10), ("GQ", 2)]
    assert [v.change for v in reversed(unit_history(county.education))] == [UnitChange.CREATED, UnitChange.SPLIT]
    assert fresh(county.education).is_active
    assert_no_drift()


def test_a_split_may_abolish_the_original_which_returns_the_rest(county):
    grant(county.police, "ZFZX", 10, D1)
    parts = [
        SplitPart(spec("锦绣县公安局交通警察大队", is_zhengfa=True, rank=UnitRank.FUKE), [("ZFZX", "QE", 4)]),
        SplitPart(spec("锦绣县公安局刑事侦查大队", is_zhengfa=True, rank=UnitRank.FUKE), [("ZFZX", "QE", 3)]),
    ]
    created = unit_split(
        actor=None, unit=county.police, parts=parts, document=document(D3), effective_date=D3, abolish_original=True
    )
    assert [balance(unit_account(u, "ZFZX", "QE"), D3) for u in created] == [4, 3]
    assert fresh(county.police).status == "ABOLISHED"
    assert [balance(county_account(AccountKind.POOL, "ZFZX"), d) for d in (D2, D3)] == [10, 13]
    assert_no_drift()
