"""Questions the ledger left open, decided: each rule refused with its code and nothing changed.

- A reversal is a movement like any other: reversing a 收回 raises the county total, so 只减不增 applies to it.
- Moving slots between the county's own accounts (县机动编制, 编制周转池, 上级核定总额) is the county's business:
  only an account whose scope is the whole county does it. One limited to a subtree still grants from the pool
  to its own units and gives slots back.
- A 公益一类 unit holds 全额拨款 slots only, so it cannot become 公益一类 while it holds 差额 or 自收自支 slots.
- A unit cannot be ranked below one of its sub-units.
- Accounts are opened only inside the services that post to them, so a refused change leaves none behind.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bianzhi.accounts.roles import Role
from bianzhi.orgs.choices import InstitutionClass, UnitKind, UnitRank
from bianzhi.orgs.services import unit_change_class, unit_change_rank
from bianzhi.quotas.models import AccountKind, FundingForm, MovementKind, QuotaType
from bianzhi.quotas.services import county_account, movement_reverse, quota_baseline_set, unit_account
from tests.factories import START, make_unit, make_user
from tests.quotas.support import D1, D2, D3, assert_refused, balance, document, post

pytestmark = pytest.mark.django_db
K = MovementKind


def authority(code: str):
    return county_account(AccountKind.AUTHORITY, code)


def pool(code: str):
    return county_account(AccountKind.POOL, code)


def test_reversing_a_shouhui_above_the_baseline_is_refused(county):
    quota_baseline_set(
        actor=None, quota_type=QuotaType.objects.get(code="XZ"), total=50, document=document(START, "只减不增")
    )
    taken_back = post(K.SHOUHUI, pool("XZ"), authority("XZ"), 5, D1)  # 45
    post(K.HEZENG, authority("XZ"), pool("XZ"), 5, D2, authority_grant=True)  # 50 again, by the upper level

    error = assert_refused(
        "quotas.baseline_exceeded",
        movement_reverse,
        actor=None,
        movement=taken_back,
        document=document(D3),
        reason="收回有误",
    )
    assert "全县总额将达到 55 名，超过控制基数 50 名" in error.message


def test_reversing_a_shouhui_within_the_baseline_is_allowed(county):
    quota_baseline_set(
        actor=None, quota_type=QuotaType.objects.get(code="XZ"), total=50, document=document(START, "只减不增")
    )
    taken_back = post(K.SHOUHUI, pool("XZ"), authority("XZ"), 5, D1)
    movement_reverse(actor=None, movement=taken_back, document=document(D2), reason="收回有误")
    assert balance(pool("XZ"), D2) == 50


@pytest.mark.parametrize(
    ("kind", "source", "target"),
    [
        (K.RUCHI, AccountKind.POOL, AccountKind.TURNOVER),
        (K.CHUCHI, AccountKind.TURNOVER, AccountKind.POOL),
        (K.SHOUHUI, AccountKind.POOL, AccountKind.AUTHORITY),
        (K.HEZENG, AccountKind.AUTHORITY, AccountKind.POOL),
        (K.HEZENG, AccountKind.AUTHORITY, AccountKind.TURNOVER),
    ],
)
def test_a_bianban_account_scoped_to_a_subtree_cannot_move_slots_between_county_accounts(county, kind, source, target):
    operator = make_user("jiaoyu_bianban", Role.BIANBAN_OPERATOR, scope_unit=county.education)
    school = unit_account(county.school, "SY", FundingForm.QE)
    post(K.RUCHI, pool("SY"), county_account(AccountKind.TURNOVER, "SY"), 5, D1)
    post(K.HEZENG, pool("SY"), school, 5, D1)
    accounts = {kind: county_account(kind, "SY") for kind in AccountKind.values if kind != AccountKind.UNIT}
    accounts[AccountKind.UNIT] = school

    error = assert_refused(
        "quotas.county_scope_required", post, kind, accounts[source], accounts[target], 1, D2, actor=operator
    )
    assert "全县" in error.message


def test_a_bianban_account_scoped_to_a_subtree_moves_slots_inside_it(county):
    operator = make_user("jiaoyu_bianban", Role.BIANBAN_OPERATOR, scope_unit=county.education)
    sibling = make_unit("锦绣县第二小学", county.education, kind=UnitKind.SHIYE, rank=UnitRank.GUJI)
    post(K.HEZENG, pool("SY"), unit_account(county.school, "SY", FundingForm.QE), 6, D1, actor=operator)
    post(K.HEJIAN, unit_account(county.school, "SY", FundingForm.QE), pool("SY"), 1, D1, actor=operator)
    post(
        K.HUAZHUAN,
        unit_account(county.school, "SY", FundingForm.QE),
        unit_account(sibling, "SY", FundingForm.QE),
        2,
        D2,
        actor=operator,
    )
    assert balance(unit_account(sibling, "SY", FundingForm.QE), D2) == 2


def test_a_unit_holding_differential_slots_cannot_become_gongyi_yilei(county):
    post(K.HEZENG, pool("SY"), unit_account(county.hospital, "SY", FundingForm.CE), 4, D1)
    error = assert_refused(
        "quotas.gy1_holds_other_funding",
        unit_change_class,
        actor=None,
        unit=county.hospital,
        institution_class=InstitutionClass.GY1,
        document=document(D2),
        effective_date=D2,
    )
    assert "差额拨款" in error.message and "4 名" in error.message


def test_slots_given_back_before_the_change_do_not_stand_in_the_way(county):
    differential = unit_account(county.hospital, "SY", FundingForm.CE)
    post(K.HEZENG, pool("SY"), differential, 4, D1)
    post(K.HEJIAN, differential, pool("SY"), 4, D2)
    unit_change_class(
        actor=None,
        unit=county.hospital,
        institution_class=InstitutionClass.GY1,
        document=document(D3),
        effective_date=D3,
    )
    county.hospital.refresh_from_db()
    assert county.hospital.institution_class == InstitutionClass.GY1


def test_a_unit_cannot_be_ranked_below_one_of_its_sub_units(county):
    make_unit("锦绣县财政局国库支付中心", county.finance, rank=UnitRank.FUKE)
    error = assert_refused(
        "orgs.rank_below_child",
        unit_change_rank,
        actor=None,
        unit=county.finance,
        rank=UnitRank.GUJI,
        document=document(D2),
        effective_date=D2,
    )
    assert "锦绣县财政局国库支付中心" in error.message and "副科级" in error.message


OPENERS = {"unit_account", "county_account", "post_unit_account", "post_authority_account"}
SERVICE_MODULES = {
    "quotas/services.py",
    "lifecycle/services.py",
    "roster/approvals.py",
    "roster/loans.py",
    "roster/posts.py",
    "roster/staffing.py",
}


def test_accounts_are_opened_only_inside_services():
    """A view, form, selector or API handler that opened an account would leave it behind when the change is
    refused; the services open them inside their transaction. (The demo builder is the system itself.)"""
    source = Path(__file__).resolve().parents[2] / "src" / "bianzhi"
    callers = set()
    for path in source.rglob("*.py"):
        relative = str(path.relative_to(source))
        if relative.startswith("demo/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in OPENERS:
                callers.add(relative)
    assert callers <= SERVICE_MODULES, callers - SERVICE_MODULES
