"""Leadership posts (领导职数): approved by the upper level, reduced, transferred, 高配 declared, all as of dates."""

from __future__ import annotations

import pytest

from bianzhi.accounts.roles import Role
from bianzhi.audit.models import AuditEvent
from bianzhi.lifecycle.services import unit_merge
from bianzhi.orgs.choices import UnitRank
from bianzhi.quotas.models import LeadershipMovement, PostLevel, PostMovementKind
from bianzhi.quotas.selectors import unit_posts
from bianzhi.quotas.services import (
    post_authority_account,
    post_movement_post,
    post_movement_reverse,
    post_unit_account,
)
from tests.factories import make_user
from tests.quotas.support import ALLOWED_POST_ROUTES, D1, D2, D3, D4, assert_refused, balance, document

pytestmark = pytest.mark.django_db

K = PostMovementKind
ZHENG, FU = PostLevel.ZHENG, PostLevel.FU


def move_posts(kind, source, target, amount, day=D1, *, actor=None, **extra):
    return post_movement_post(
        actor=actor,
        kind=kind,
        from_account=source,
        to_account=target,
        amount=amount,
        effective_date=day,
        document=document(day, "关于核定领导职数的通知"),
        **extra,
    )


def approve(unit, level, grade, amount, day=D1, **extra):
    account = post_unit_account(unit, level, grade)
    move_posts(K.HEDING, post_authority_account(level, grade), account, amount, day, **extra)
    return account


@pytest.mark.parametrize("grade", [UnitRank.WEIDINGJI, "", "PRESIDENT"])
def test_a_post_needs_a_grade(county, grade):
    error = assert_refused("quotas.unranked_post", post_unit_account, county.finance, ZHENG, grade)
    assert error.message == "领导职数须注明职级（正科级、副科级、股级等）。"
    assert_refused("quotas.unranked_post", post_authority_account, ZHENG, grade)


@pytest.mark.parametrize("level", ["", "BOSS", "正职"])
def test_a_post_is_either_zheng_or_fu(county, level):
    error = assert_refused("quotas.post_level", post_unit_account, county.finance, level, UnitRank.ZHENGKE)
    assert error.message == "领导职数须注明正职或副职。"
    assert_refused("quotas.post_level", post_authority_account, level, UnitRank.ZHENGKE)


def test_posts_above_the_unit_rank_must_be_declared_as_gaopei(county):
    target = post_unit_account(county.hospital, ZHENG, UnitRank.ZHENGKE)  # the hospital is 副科级
    error = assert_refused(
        "quotas.gaopei_required", move_posts, K.HEDING, post_authority_account(ZHENG, UnitRank.ZHENGKE), target, 1
    )
    assert error.message == (
        "正科级正职高于锦绣县人民医院的机构规格（副科级），属于高配，须勾选「高配」并注明批准文件。"
    )
    movement = move_posts(K.HEDING, post_authority_account(ZHENG, UnitRank.ZHENGKE), target, 1, is_gaopei=True)
    assert movement.is_gaopei
    assert AuditEvent.objects.get(action="quotas.post_movement_posted", object_id=str(movement.pk)).after["is_gaopei"]


def test_posts_transferred_to_a_lower_ranked_unit_are_gaopei_there(county):
    source = approve(county.finance, FU, UnitRank.FUKE, 2)
    target = post_unit_account(county.school, FU, UnitRank.FUKE)  # the school is 股级
    assert_refused("quotas.gaopei_required", move_posts, K.HUAZHUAN, source, target, 1, D2)
    move_posts(K.HUAZHUAN, source, target, 1, D2, is_gaopei=True)
    assert [balance(target, d) for d in (D1, D2)] == [0, 1]


def test_posts_at_or_below_the_unit_rank_need_no_declaration(county):
    account = approve(county.finance, ZHENG, UnitRank.ZHENGKE, 1)
    approve(county.finance, FU, UnitRank.FUKE, 3)
    assert balance(account, D1) == 1
    rows = unit_posts(None, county.finance, D1)
    assert [(r.level, r.grade, r.approved, r.vacant) for r in rows] == [
        (ZHENG, UnitRank.ZHENGKE, 1, 1),
        (FU, UnitRank.FUKE, 3, 3),
    ]


def test_each_kind_of_post_movement_takes_only_its_route(county):
    finance = approve(county.finance, FU, UnitRank.FUKE, 3)
    education = approve(county.education, FU, UnitRank.FUKE, 3)
    authority = post_authority_account(FU, UnitRank.FUKE)
    for kind in K:
        for source, target in ((authority, finance), (finance, authority), (finance, education)):
            if (source.kind, target.kind) in ALLOWED_POST_ROUTES[kind]:
                move_posts(kind, source, target, 1, D2)
            else:
                error = assert_refused("quotas.route", move_posts, kind, source, target, 1, D2)
                assert error.message.startswith(f"「{kind.label}」不能从")
    assert [balance(a, D2) for a in (finance, education)] == [3 + 1 - 1 - 1, 3 + 1]


def test_more_posts_than_approved_cannot_be_reduced_or_transferred(county):
    finance = approve(county.finance, FU, UnitRank.FUKE, 2)
    error = assert_refused(
        "quotas.insufficient", move_posts, K.HEJIAN, finance, post_authority_account(FU, UnitRank.FUKE), 3, D2
    )
    assert error.message == f"锦绣县财政局·副科级副职在 {D2} 只有 2 名，不足以划出 3 名。"
    # a backdated reduction that leaves a later transfer uncovered
    move_posts(K.HUAZHUAN, finance, post_unit_account(county.education, FU, UnitRank.FUKE), 2, D3)
    assert_refused(
        "quotas.insufficient", move_posts, K.HEJIAN, finance, post_authority_account(FU, UnitRank.FUKE), 1, D2
    )


@pytest.mark.parametrize("amount", [0, -2, True, 1.5, 100_001])
def test_post_amounts_are_whole_numbers_in_range(county, amount):
    assert_refused(
        "quotas.amount_invalid",
        move_posts,
        K.HEDING,
        post_authority_account(ZHENG, UnitRank.ZHENGKE),
        post_unit_account(county.finance, ZHENG, UnitRank.ZHENGKE),
        amount,
    )


def test_post_reversal_restores_the_posts_from_the_original_date_once(county):
    account = post_unit_account(county.finance, FU, UnitRank.FUKE)
    wrong = move_posts(K.HEDING, post_authority_account(FU, UnitRank.FUKE), account, 5, D2)
    correction = post_movement_reverse(actor=None, movement=wrong, document=document(D4), reason="职数登记错误")
    assert correction.reverses == wrong and correction.effective_date == D2
    assert [balance(account, d) for d in (D1, D2, D3)] == [0, 0, 0]
    assert balance(post_authority_account(FU, UnitRank.FUKE), D3) == 0
    assert_refused(
        "quotas.already_reversed", post_movement_reverse, actor=None, movement=wrong, document=document(D4), reason=""
    )
    assert_refused(
        "quotas.reversal_of_reversal",
        post_movement_reverse,
        actor=None,
        movement=correction,
        document=document(D4),
        reason="",
    )


def test_posts_of_a_merged_unit_go_to_its_successor_as_gaopei_where_they_outrank_it(county):
    approve(county.finance, ZHENG, UnitRank.ZHENGKE, 1)
    unit_merge(actor=None, unit=county.finance, successor=county.hospital, document=document(D3), effective_date=D3)
    [row] = unit_posts(None, county.hospital, D3)
    assert (row.level, row.grade, row.approved) == (ZHENG, UnitRank.ZHENGKE, 1)
    handed_over = LeadershipMovement.objects.get(effective_date=D3)
    assert (handed_over.kind, handed_over.is_gaopei) == (K.HUAZHUAN, True)


def test_posts_need_the_right_to_manage_quotas_and_the_unit_in_scope(county):
    clerk = make_user("clerk", Role.UNIT_OPERATOR, scope_unit=county.finance)
    target = post_unit_account(county.finance, ZHENG, UnitRank.ZHENGKE)
    authority = post_authority_account(ZHENG, UnitRank.ZHENGKE)
    assert_refused("common.permission_denied", move_posts, K.HEDING, authority, target, 1, actor=clerk)
    operator = make_user("education_only", Role.BIANBAN_OPERATOR, scope_unit=county.education)
    assert_refused("common.out_of_scope", move_posts, K.HEDING, authority, target, 1, actor=operator)
    move_posts(K.HEDING, authority, post_unit_account(county.education, ZHENG, UnitRank.ZHENGKE), 1, actor=operator)


@pytest.mark.parametrize(
    ("level", "grade", "label"),
    [(ZHENG, UnitRank.FUKE, "副科级正职"), (FU, UnitRank.ZHENGKE, "正科级副职"), (FU, UnitRank.GUJI, "股级副职")],
)
def test_a_post_movement_never_turns_one_kind_of_post_into_another(county, level, grade, label):
    source = approve(county.finance, FU, UnitRank.FUKE, 2)
    target = post_unit_account(county.education, level, grade)
    error = assert_refused("quotas.post_mismatch", move_posts, K.HUAZHUAN, source, target, 1, D2)
    assert error.message.startswith(f"划出（副科级副职）与划入（{label}）须为同一正副职和职级")
    assert_refused("quotas.post_mismatch", move_posts, K.HEJIAN, source, post_authority_account(level, grade), 1, D2)
    assert_refused("quotas.post_mismatch", move_posts, K.HEDING, post_authority_account(level, grade), source, 1, D2)
