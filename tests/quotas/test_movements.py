"""Quota movements as the 编办 operator meets them: every refusal first (stable code, Chinese message, nothing
changed), then what the ledger shows as of any date after movements, backdated movements and reversals."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.audit.models import AuditEvent
from bianzhi.lifecycle.services import unit_abolish, unit_merge
from bianzhi.orgs.choices import InstitutionClass
from bianzhi.orgs.documents import DocumentRef
from bianzhi.orgs.models import Document, Unit
from bianzhi.orgs.services import unit_change_class
from bianzhi.quotas.models import AccountKind, FundingForm, Movement, MovementKind, QuotaAccount, QuotaType
from bianzhi.quotas.selectors import county_summary, unit_ledger
from bianzhi.quotas.services import (
    MAX_AMOUNT,
    county_account,
    movement_post,
    movement_reverse,
    quota_baseline_set,
    unit_account,
)
from tests.factories import START, make_unit, make_user
from tests.quotas.support import ALLOWED_ROUTES, D1, D2, D3, D4, D5, assert_refused, balance, document, post

pytestmark = pytest.mark.django_db

K = MovementKind
QE, CE, ZS = FundingForm.QE, FundingForm.CE, FundingForm.ZS


def pool(code: str):
    return county_account(AccountKind.POOL, code)


def authority(code: str):
    return county_account(AccountKind.AUTHORITY, code)


def turnover(code: str):
    return county_account(AccountKind.TURNOVER, code)


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("amount", [0, -1, -100, True, False, 1.0, 2.5, "3", None, MAX_AMOUNT + 1, 10**15])
def test_amount_must_be_a_whole_number_from_one_to_the_maximum(county, amount):
    error = assert_refused(
        "quotas.amount_invalid", post, K.HEZENG, pool("XZ"), unit_account(county.finance, "XZ", QE), amount
    )
    assert error.message == f"数量须为 1 至 {MAX_AMOUNT} 之间的整数。"


def test_the_largest_allowed_amount_is_accepted(county):
    post(K.HEZENG, authority("XZ"), pool("XZ"), MAX_AMOUNT)
    assert balance(pool("XZ"), D1) == 50 + MAX_AMOUNT


def test_an_account_cannot_move_slots_to_itself(county):
    account = unit_account(county.finance, "XZ", QE)
    post(K.HEZENG, pool("XZ"), account, 5)
    error = assert_refused("quotas.same_account", post, K.HUAZHUAN, account, account, 1, D2)
    assert error.message == "划出与划入不能是同一账户。"


def test_slots_never_change_their_type(county):
    error = assert_refused("quotas.type_mismatch", post, K.HEZENG, pool("XZ"), unit_account(county.school, "SY", QE), 1)
    assert "行政编制" in error.message and "事业编制" in error.message
    assert "不能互相转换" in error.message


def test_each_kind_of_movement_takes_only_its_routes(county):
    school, hospital = unit_account(county.school, "SY", QE), unit_account(county.hospital, "SY", QE)
    post(K.HEZENG, pool("SY"), school, 20)
    post(K.HEZENG, pool("SY"), hospital, 20)
    post(K.RUCHI, pool("SY"), turnover("SY"), 20)
    accounts = [authority("SY"), pool("SY"), turnover("SY"), school, hospital]
    accepted = 0
    for kind, (source, target) in itertools.product(K, itertools.permutations(accounts, 2)):
        if (source.kind, target.kind) in ALLOWED_ROUTES[kind]:
            movement = post(kind, source, target, 1, D2)
            assert (movement.kind, movement.from_account, movement.to_account) == (kind, source, target)
            accepted += 1
        else:
            error = assert_refused("quotas.route", post, kind, source, target, 1, D2)
            assert error.message.startswith(f"「{kind.label}」不能从{source.get_kind_display()}")
            assert f"划至{target.get_kind_display()}" in error.message
    assert Movement.objects.filter(effective_date=D2).count() == accepted == 22


def test_an_unknown_movement_kind_is_refused(county):
    assert_refused("quotas.route", post, "FROBNICATE", pool("XZ"), unit_account(county.finance, "XZ", QE), 1)


@pytest.mark.parametrize(
    ("unit", "code", "rule"),
    [
        ("finance", "SY", "事业编制只能用于事业单位。"),
        ("school", "XZ", "行政编制只能用于机关、下设机构。"),
        ("school", "GQ", "机关工勤编制只能用于机关、下设机构。"),
        ("hospital", "ZFZX", "政法专项编制只能用于机关、下设机构。"),
        ("finance", "ZFZX", "政法专项编制只能用于公安、国家安全、法院、检察院、司法行政机关。"),
        ("budget_office", "XZ", "行政编制只能用于机关、下设机构。"),
    ],
)
def test_quota_types_are_used_only_where_they_belong(county, unit, code, rule):
    unit = getattr(county, unit)
    error = assert_refused("quotas.type_not_allowed", unit_account, unit, code, QE)
    quota_type = QuotaType.objects.get(code=code)
    assert error.message == f"{quota_type.name}不能用于{unit.name}（{unit.get_kind_display()}）：{rule}"


def test_political_legal_slots_go_to_a_political_legal_organ(county):
    account = unit_account(county.police, "ZFZX", QE)
    post(K.HEZENG, pool("ZFZX"), account, 6)
    assert balance(account, D1) == 6


@pytest.mark.parametrize("funding", [CE, ZS])
def test_a_public_welfare_class_one_institution_holds_only_fully_funded_slots(county, funding):
    error = assert_refused("quotas.funding_gy1", unit_account, county.school, "SY", funding)
    assert error.message == "锦绣县第一小学为公益一类事业单位，只能核定全额拨款编制。"


@pytest.mark.parametrize("funding", ["", "XX", None])
def test_a_unit_account_needs_a_funding_form(county, funding):
    error = assert_refused("quotas.funding_required", unit_account, county.hospital, "SY", funding)
    assert "全额拨款、差额拨款或自收自支" in error.message


def test_after_becoming_class_one_an_institution_gets_no_more_partly_funded_slots(county):
    partly = unit_account(county.hospital, "SY", CE)
    post(K.HEZENG, pool("SY"), partly, 8)
    post(K.HEJIAN, partly, pool("SY"), 8, D2)  # it comes into line before the change (test_ledger_decisions)
    unit_change_class(
        actor=None,
        unit=county.hospital,
        institution_class=InstitutionClass.GY1,
        document=document(D2),
        effective_date=D2,
    )
    error = assert_refused("quotas.funding_gy1", post, K.HEZENG, pool("SY"), partly, 1, D3)
    assert "锦绣县人民医院为公益一类事业单位" in error.message


def test_more_than_the_account_holds_is_refused(county):
    error = assert_refused(
        "quotas.insufficient", post, K.HEZENG, pool("XZ"), unit_account(county.finance, "XZ", QE), 51
    )
    assert error.message == f"县机动编制·行政编制在 {D1} 只有 50 名，不足以划出 51 名。"


def test_a_backdated_movement_that_would_leave_a_later_date_negative_is_refused(county):
    finance, police_gq = unit_account(county.finance, "GQ", QE), unit_account(county.police, "GQ", QE)
    post(K.HEZENG, pool("GQ"), finance, 8, D3)  # the pool keeps 2 from D3 on
    # on D2 the pool still holds 10, but taking 5 then leaves it at -3 on D3
    error = assert_refused("quotas.insufficient", post, K.HEZENG, pool("GQ"), police_gq, 5, D2)
    assert error.message == f"县机动编制·机关工勤编制在 {D3} 只有 2 名，不足以划出 5 名。"
    post(K.HEZENG, pool("GQ"), police_gq, 2, D2)
    assert [balance(pool("GQ"), d) for d in (D1, D2, D3)] == [10, 8, 0]


def test_a_backdated_reduction_that_would_overdraw_a_later_transfer_is_refused(county):
    finance, police = unit_account(county.finance, "GQ", QE), unit_account(county.police, "GQ", QE)
    post(K.HEZENG, pool("GQ"), finance, 5, D1)
    post(K.HUAZHUAN, finance, police, 4, D3)
    error = assert_refused("quotas.insufficient", post, K.HEJIAN, finance, pool("GQ"), 3, D2)
    assert f"锦绣县财政局·机关工勤编制（全额拨款）在 {D3} 只有 1 名" in error.message


def test_the_turnover_pool_cannot_lend_what_it_does_not_hold(county):
    post(K.RUCHI, pool("SY"), turnover("SY"), 3)
    error = assert_refused(
        "quotas.insufficient", post, K.CHUCHI, turnover("SY"), unit_account(county.school, "SY", QE), 4
    )
    assert "编制周转池·事业编制" in error.message


def test_an_effective_date_in_the_future_is_refused(county):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    error = assert_refused(
        "documents.effective_in_future",
        post,
        K.HEZENG,
        pool("XZ"),
        unit_account(county.finance, "XZ", QE),
        1,
        tomorrow,
        doc=document(D1),
    )
    assert error.message == f"生效日期 {tomorrow} 晚于今天，请在生效后再登记。"


def test_an_effective_date_before_the_document_is_refused(county):
    error = assert_refused(
        "documents.effective_before_issue",
        post,
        K.HEZENG,
        pool("XZ"),
        unit_account(county.finance, "XZ", QE),
        1,
        D1,
        doc=document(D2),
    )
    assert error.message == f"生效日期 {D1} 早于批准文件的发文日期 {D2}。"


@pytest.mark.parametrize(
    ("ref", "code"),
    [
        (None, "documents.required"),
        (DocumentRef("   "), "documents.required"),
        (DocumentRef("测编〔2021〕999号"), "documents.incomplete"),
        (DocumentRef("测编〔2021〕999号", "关于核定编制的通知", D1, ""), "documents.incomplete"),
        (DocumentRef("测编〔2021〕999号", "关于核定编制的通知", None, "测试县编委"), "documents.incomplete"),
        (DocumentRef("测编〔2021〕999号", "", D1, "测试县编委"), "documents.incomplete"),
    ],
)
def test_a_movement_needs_a_complete_document(county, ref, code):
    error = assert_refused(
        code,
        movement_post,
        actor=None,
        kind=K.HEZENG,
        from_account=pool("XZ"),
        to_account=unit_account(county.finance, "XZ", QE),
        amount=1,
        effective_date=D1,
        document=ref,
    )
    if code == "documents.incomplete":
        assert error.message == "文号 测编〔2021〕999号 尚未登记，请同时填写文件标题、发文日期和发文机关。"


def test_a_document_issued_in_the_future_is_refused(county):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    ref = DocumentRef("测编〔2099〕1号", "关于核定编制的通知", tomorrow, "测试县编委")
    error = assert_refused(
        "documents.future", post, K.HEZENG, pool("XZ"), unit_account(county.finance, "XZ", QE), 1, doc=ref
    )
    assert error.message == f"发文日期 {tomorrow} 晚于今天。"


@pytest.mark.parametrize(
    ("title", "issued_on", "issuer", "field"),
    [
        ("另一个标题", None, "", "标题"),
        ("", D2, "", "发文日期"),
        ("", None, "另一个机关", "发文机关"),
    ],
)
def test_a_document_number_that_is_registered_with_other_details_is_refused(county, title, issued_on, issuer, field):
    account = unit_account(county.finance, "XZ", QE)
    first = post(
        K.HEZENG, pool("XZ"), account, 1, D1, doc=DocumentRef("测编〔2021〕5号", "关于核定编制的通知", D1, "测试县编委")
    )
    ref = DocumentRef("测编〔2021〕5号", title, issued_on, issuer)
    error = assert_refused("documents.conflict", post, K.HEZENG, pool("XZ"), account, 1, D3, doc=ref)
    assert error.message.startswith("文号 测编〔2021〕5号 已登记为「关于核定编制的通知」")
    assert error.message.endswith(f"与本次填写的{field}不一致。")
    # the number alone, or the same details again, cite the registered document
    again = post(K.HEZENG, pool("XZ"), account, 1, D3, doc=DocumentRef("测编〔2021〕5号"))
    same = post(
        K.HEZENG,
        pool("XZ"),
        account,
        1,
        D3,
        doc=DocumentRef(" 测编〔2021〕5号 ", "关于核定编制的通知 ", D1, "测试县编委"),
    )
    assert again.document_id == same.document_id == first.document_id


@pytest.mark.parametrize(
    "typed",
    ["测编[2021]7号", "测编（2021）7号", "测编(2021)7号", "测编【2021】7号", "测编［2021］7号", "测编 〔 2021 〕 7 号"],
)
def test_document_numbers_typed_with_other_brackets_cite_the_same_document(county, typed):
    account = unit_account(county.finance, "XZ", QE)
    first = post(
        K.HEZENG, pool("XZ"), account, 1, doc=DocumentRef("测编〔2021〕7号", "关于核定编制的通知", D1, "测试县编委")
    )
    documents = Document.objects.count()
    second = post(K.HEZENG, pool("XZ"), account, 1, D2, doc=DocumentRef(typed))
    assert second.document_id == first.document_id
    assert Document.objects.count() == documents


def test_a_new_document_typed_with_other_brackets_is_registered_in_the_standard_form(county):
    movement = post(
        K.HEZENG,
        pool("XZ"),
        unit_account(county.finance, "XZ", QE),
        1,
        doc=DocumentRef("测编[2021]8号", "关于核定编制的通知", D1, "测试县编委"),
    )
    assert movement.document.number == "测编〔2021〕8号"


def test_the_county_total_follows_its_baseline_unless_the_upper_level_grants_more(county):
    xz = QuotaType.objects.get(code="XZ")
    quota_baseline_set(actor=None, quota_type=xz, total=50, document=document(START, "关于行政编制只减不增的通知"))
    error = assert_refused("quotas.baseline_exceeded", post, K.HEZENG, authority("XZ"), pool("XZ"), 1)
    assert error.message.startswith("行政编制实行总量只减不增：全县总额将达到 51 名，超过控制基数 50 名。")
    assert "上级专项核增" in error.message
    assert_refused(
        "quotas.baseline_exceeded", post, K.HEZENG, authority("XZ"), unit_account(county.finance, "XZ", QE), 1
    )
    granted = post(K.HEZENG, authority("XZ"), pool("XZ"), 3, authority_grant=True)
    assert granted.authority_grant
    assert county_summary(D1)[0].set_from_above == 53
    assert county_summary(D1)[0].over_baseline


def test_a_backdated_increase_above_the_baseline_on_a_later_date_is_refused(county):
    xz = QuotaType.objects.get(code="XZ")
    quota_baseline_set(actor=None, quota_type=xz, total=50, document=document(START))
    post(K.SHOUHUI, pool("XZ"), authority("XZ"), 10, D2)  # the total is 40 from D2 on
    post(K.HEZENG, authority("XZ"), pool("XZ"), 5, D3)  # 45 from D3 on
    assert_refused("quotas.baseline_exceeded", post, K.HEZENG, authority("XZ"), pool("XZ"), 6, D4)
    error = assert_refused("quotas.baseline_exceeded", post, K.HEZENG, authority("XZ"), pool("XZ"), 1, D1)
    assert "全县总额将达到 51 名" in error.message  # on D1, before the 收回
    post(K.HEZENG, authority("XZ"), pool("XZ"), 5, D4)
    assert [summary.set_from_above for summary in (county_summary(d)[0] for d in (D1, D2, D3, D4))] == [50, 40, 45, 50]


def test_lifting_the_baseline_allows_increases_again(county):
    xz = QuotaType.objects.get(code="XZ")
    quota_baseline_set(actor=None, quota_type=xz, total=50, document=document(START))
    quota_baseline_set(actor=None, quota_type=xz, total=None, document=document(D1))
    post(K.HEZENG, authority("XZ"), pool("XZ"), 7, D2)
    assert balance(pool("XZ"), D2) == 57


def test_only_a_movement_from_the_upper_level_can_be_an_upper_level_grant(county):
    error = assert_refused(
        "quotas.grant_only_from_authority",
        post,
        K.HEZENG,
        pool("XZ"),
        unit_account(county.finance, "XZ", QE),
        1,
        authority_grant=True,
    )
    assert "上级核定总额" in error.message


def test_a_closed_unit_takes_no_more_slots(county):
    account = unit_account(county.finance, "XZ", QE)
    unit_abolish(actor=None, unit=county.budget_office, document=document(D1), effective_date=D1)
    unit_abolish(actor=None, unit=county.finance, document=document(D2), effective_date=D2)
    account = QuotaAccount.objects.get(pk=account.pk)
    error = assert_refused("orgs.unit_closed", post, K.HEZENG, pool("XZ"), account, 1, D1)
    assert error.message == "「锦绣县财政局」已撤销，不能再办理此业务。"


def test_a_movement_into_a_unit_closed_meanwhile_is_refused_even_from_an_older_form(county):
    """The operator loaded the account before someone else merged its unit: the merge wins."""
    account = unit_account(county.finance, "XZ", QE)  # holds the finance bureau as it was then
    post(K.HEZENG, pool("XZ"), account, 3)
    unit_merge(
        actor=None,
        unit=Unit.objects.get(pk=county.finance.pk),
        successor=county.education,
        document=document(D2),
        effective_date=D2,
    )
    error = assert_refused("orgs.unit_closed", post, K.HEZENG, pool("XZ"), account, 1, D3)
    assert error.message == "「锦绣县财政局」已合并，不能再办理此业务。"
    assert_refused("orgs.unit_closed", post, K.HEZENG, pool("XZ"), account, 1, D1)


def test_slots_cannot_arrive_before_the_unit_was_set_up(county):
    late = make_unit("锦绣县数据局", day=D2)
    error = assert_refused(
        "orgs.unit_not_yet_established", post, K.HEZENG, pool("XZ"), unit_account(late, "XZ", QE), 1, D1
    )
    assert error.message == f"「锦绣县数据局」于 {D2} 设立，生效日期不能早于设立日期。"


NO_QUOTA_RIGHTS = [
    (Role.UNIT_OPERATOR, "unit"),
    (Role.REGISTRATION, "county"),
    (Role.OVERSIGHT, "county"),
    (Role.PARTNER_READONLY, "county"),
    (Role.SYSTEM_ADMIN, None),
    (Role.SECURITY_ADMIN, None),
    (Role.AUDIT_ADMIN, None),
    (None, None),
]


@pytest.mark.parametrize(("role", "scope"), NO_QUOTA_RIGHTS)
def test_roles_without_the_right_to_manage_quotas_are_refused(county, role, scope):
    user = make_user(
        "someone",
        *([role] if role else []),
        scope_unit=county.finance if scope == "unit" else None,
        scope_county=scope == "county",
    )
    account = unit_account(county.finance, "XZ", QE)
    movement = post(K.HEZENG, pool("XZ"), account, 2)
    error = assert_refused("common.permission_denied", post, K.HEZENG, pool("XZ"), account, 1, actor=user)
    assert error.message == "您没有权限执行此操作，如需办理请联系安全管理员。"
    assert_refused(
        "common.permission_denied", movement_reverse, actor=user, movement=movement, document=document(D2), reason=""
    )
    assert_refused(
        "common.permission_denied",
        quota_baseline_set,
        actor=user,
        quota_type=QuotaType.objects.get(code="XZ"),
        total=1,
        document=document(D2),
    )


def test_a_deactivated_operator_is_refused(county):
    user = make_user("former", Role.BIANBAN_OPERATOR, scope_county=True)
    user.is_active = False
    user.save()
    assert_refused(
        "common.permission_denied", post, K.HEZENG, pool("XZ"), unit_account(county.finance, "XZ", QE), 1, actor=user
    )


def test_an_operator_limited_to_one_unit_cannot_touch_another(county):
    user = make_user("finance_only", Role.BIANBAN_OPERATOR, scope_unit=county.finance)
    finance, police = unit_account(county.finance, "GQ", QE), unit_account(county.police, "GQ", QE)
    post(K.HEZENG, pool("GQ"), finance, 3, actor=user)
    error = assert_refused("common.out_of_scope", post, K.HUAZHUAN, finance, police, 1, D2, actor=user)
    assert error.message == "该数据不在您的管理范围内。"
    assert_refused("common.out_of_scope", post, K.HEZENG, pool("GQ"), police, 1, D2, actor=user)


# ---------------------------------------------------------------- what the ledger shows


def test_balances_as_of_dates_before_and_after_a_movement(county):
    account = unit_account(county.finance, "XZ", QE)
    post(K.HEZENG, pool("XZ"), account, 5, D2)
    assert [balance(account, d) for d in (D1, D2 - dt.timedelta(days=1), D2, D3, timezone.localdate())] == [
        0,
        0,
        5,
        5,
        5,
    ]
    assert [balance(pool("XZ"), d) for d in (D1, D2, timezone.localdate())] == [50, 45, 45]
    assert unit_ledger(None, county.finance, D1) == []
    [row] = unit_ledger(None, county.finance, D2)
    assert (row.quota_type, row.funding_form, row.approved, row.vacant, row.over) == ("XZ", "QE", 5, 5, 0)
    xz_then, xz_now = county_summary(D1)[0], county_summary(D2)[0]
    assert (xz_then.set_from_above, xz_then.allocated, xz_then.pool) == (50, 0, 50)
    assert (xz_now.set_from_above, xz_now.allocated, xz_now.pool) == (50, 5, 45)


def test_a_backdated_movement_changes_the_past_only_from_its_date(county):
    account = unit_account(county.finance, "XZ", QE)
    post(K.HEZENG, pool("XZ"), account, 5, D4)
    post(K.HEZENG, pool("XZ"), account, 2, D2)
    post(K.HEJIAN, account, pool("XZ"), 1, D3)
    assert [balance(account, d) for d in (D1, D2, D3, D4, D5)] == [0, 2, 1, 6, 6]
    assert [balance(pool("XZ"), d) for d in (D1, D2, D3, D4, D5)] == [50, 48, 49, 44, 44]


def test_a_reversal_restores_the_balance_from_the_original_date(county):
    account = unit_account(county.finance, "XZ", QE)
    keep = post(K.HEZENG, pool("XZ"), account, 2, D1)
    wrong = post(K.HEZENG, pool("XZ"), account, 30, D2)
    correction = movement_reverse(
        actor=None, movement=wrong, document=document(D4, "关于更正编制核定错误的通知"), reason="数量登记错误"
    )
    assert (correction.from_account, correction.to_account, correction.amount) == (account, pool("XZ"), 30)
    assert (correction.effective_date, correction.reverses, correction.reason) == (D2, wrong, "数量登记错误")
    assert correction.document.issued_on == D4  # a correction may be dated before its own document
    assert [balance(account, d) for d in (D1, D2, D3, D4)] == [2, 2, 2, 2]
    assert [balance(pool("XZ"), d) for d in (D1, D2, D3, D4)] == [48, 48, 48, 48]
    assert wrong.reversed_by == correction and not hasattr(keep, "reversed_by")


def test_a_reversal_from_a_later_date_leaves_the_time_between_as_it_was(county):
    account = unit_account(county.finance, "XZ", QE)
    moved = post(K.HEZENG, pool("XZ"), account, 4, D1)
    movement_reverse(actor=None, movement=moved, document=document(D3), reason="撤回", effective_date=D3)
    assert [balance(account, d) for d in (D1, D2, D3, D4)] == [4, 4, 0, 0]


def test_a_reversal_cannot_take_effect_before_the_movement_it_corrects(county):
    account = unit_account(county.finance, "XZ", QE)
    post(K.HEZENG, pool("XZ"), account, 5, D1)
    moved = post(K.HEZENG, pool("XZ"), account, 3, D3)
    error = assert_refused(
        "quotas.reversal_before_original",
        movement_reverse,
        actor=None,
        movement=moved,
        document=document(D4),
        reason="登记错误",
        effective_date=D2,
    )
    assert error.message == f"冲正的生效日期 {D2} 不能早于原业务的生效日期 {D3}。"


def test_a_movement_is_reversed_once(county):
    moved = post(K.HEZENG, pool("XZ"), unit_account(county.finance, "XZ", QE), 4)
    movement_reverse(actor=None, movement=moved, document=document(D2), reason="登记错误")
    error = assert_refused(
        "quotas.already_reversed", movement_reverse, actor=None, movement=moved, document=document(D3), reason=""
    )
    assert error.message == "该业务已被冲正，不能重复冲正。"


def test_a_reversal_is_not_itself_reversed(county):
    moved = post(K.HEZENG, pool("XZ"), unit_account(county.finance, "XZ", QE), 4)
    correction = movement_reverse(actor=None, movement=moved, document=document(D2), reason="登记错误")
    error = assert_refused(
        "quotas.reversal_of_reversal",
        movement_reverse,
        actor=None,
        movement=correction,
        document=document(D3),
        reason="",
    )
    assert "请重新登记正确的业务" in error.message


def test_a_reversal_that_would_overdraw_what_was_moved_on_is_refused(county):
    finance, police = unit_account(county.finance, "GQ", QE), unit_account(county.police, "GQ", QE)
    granted = post(K.HEZENG, pool("GQ"), finance, 5, D1)
    post(K.HUAZHUAN, finance, police, 5, D2)
    error = assert_refused(
        "quotas.insufficient", movement_reverse, actor=None, movement=granted, document=document(D3), reason="登记错误"
    )
    assert f"锦绣县财政局·机关工勤编制（全额拨款）在 {D2} 只有 0 名，不足以划出 5 名。" == error.message


def test_a_reversal_touching_a_closed_unit_is_refused(county):
    granted = post(K.HEZENG, pool("XZ"), unit_account(county.finance, "XZ", QE), 5, D1)
    unit_abolish(actor=None, unit=county.budget_office, document=document(D2), effective_date=D2)
    unit_abolish(actor=None, unit=county.finance, document=document(D2), effective_date=D2)
    assert_refused("orgs.unit_closed", movement_reverse, actor=None, movement=granted, document=document(D3), reason="")


def test_each_movement_is_audited_with_its_operator_and_document(county):
    user = make_user("jingban", Role.BIANBAN_OPERATOR, scope_county=True)
    before = AuditEvent.objects.count()
    movement = post(K.HEZENG, pool("XZ"), unit_account(county.finance, "XZ", QE), 3, D2, actor=user)
    assert movement.created_by == user
    [event] = AuditEvent.objects.filter(seq__gt=before)
    assert (event.action, event.actor, event.object_id) == ("quotas.movement_posted", user, str(movement.pk))
    assert event.after["amount"] == 3 and event.after["document"] == movement.document.number
    assert event.after["effective_date"] == D2.isoformat()
