"""``bianzhi check`` re-derives the ledger and the register from their records: exit 0 when they agree, exit 1
naming each drift when someone changed rows behind the services' back."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from bianzhi.lifecycle.services import unit_merge
from bianzhi.orgs.choices import UnitRank
from bianzhi.orgs.models import Unit
from bianzhi.orgs.services import unit_rename
from bianzhi.quotas.ledger import apply_delta
from bianzhi.quotas.models import (
    AccountKind,
    LeadershipBalance,
    Movement,
    MovementKind,
    PostLevel,
    PostMovementKind,
    QuotaBalance,
)
from bianzhi.quotas.services import (
    county_account,
    movement_reverse,
    post_authority_account,
    post_movement_post,
    post_unit_account,
    unit_account,
)
from tests.quotas.support import D1, D2, D3, D4, document, post

pytestmark = pytest.mark.django_db


def run_check() -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("check", stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def ledger(county):
    """A ledger with some history: grants, a transfer, a reversal, posts, a rename and a merge."""
    pool = county_account(AccountKind.POOL, "XZ")
    finance = unit_account(county.finance, "XZ", "QE")
    education = unit_account(county.education, "XZ", "QE")
    post(MovementKind.HEZENG, pool, finance, 8, D1)
    post(MovementKind.HEZENG, pool, education, 5, D1)
    wrong = post(MovementKind.HUAZHUAN, finance, education, 3, D2)
    movement_reverse(actor=None, movement=wrong, document=document(D3), reason="登记错误")
    posts = post_unit_account(county.finance, PostLevel.FU, UnitRank.FUKE)
    post_movement_post(
        actor=None,
        kind=PostMovementKind.HEDING,
        from_account=post_authority_account(PostLevel.FU, UnitRank.FUKE),
        to_account=posts,
        amount=2,
        effective_date=D1,
        document=document(D1),
    )
    unit_rename(actor=None, unit=county.police, name="锦绣县公安局（新）", document=document(D2), effective_date=D2)
    unit_merge(actor=None, unit=county.hospital, successor=county.school, document=document(D3), effective_date=D3)
    return {"pool": pool, "finance": finance, "education": education, "posts": posts, "wrong": wrong}


def assert_drift(check: str, *fragments: str) -> str:
    code, out, err = run_check()
    assert code == 1, out + err
    assert f"不一致 [{check}]" in err
    for fragment in fragments:
        assert fragment in err, err
    assert "数据检查未通过" in err
    assert "Traceback" not in out + err
    return err


def test_a_clean_ledger_passes(ledger):
    code, out, err = run_check()
    assert (code, err) == (0, "")
    assert "数据检查通过" in out and "未发现不一致" in out


def test_an_empty_database_passes(db):
    assert run_check()[0] == 0


def test_a_tampered_balance_interval_is_named(ledger):
    account = ledger["finance"]
    QuotaBalance.objects.filter(account=account, valid_from=D2).update(balance=F("balance") + 1)
    assert_drift("quotas.slots", f"编制账户 #{account.pk}", "余额记录与变动重算结果不符")


def test_a_removed_balance_interval_is_named(ledger):
    account = ledger["education"]
    QuotaBalance.objects.filter(account=account, valid_from=D1).delete()
    assert_drift("quotas.slots", f"编制账户 #{account.pk}")


def test_a_gap_between_balance_intervals_is_named(ledger):
    account = ledger["finance"]
    QuotaBalance.objects.filter(account=account, valid_from=D1).update(valid_to=D1.replace(day=15))
    assert_drift("quotas.slots", f"编制账户 #{account.pk}", "余额区间不连续")


def test_a_changed_movement_amount_is_named_on_both_sides(ledger):
    movement = Movement.objects.get(to_account=ledger["education"], kind=MovementKind.HEZENG)
    Movement.objects.filter(pk=movement.pk).update(amount=6)
    err = assert_drift("quotas.slots", f"编制账户 #{ledger['education'].pk}", f"编制账户 #{ledger['pool'].pk}")
    assert "重算" in err


def test_a_redirected_movement_is_named(ledger):
    movement = Movement.objects.get(to_account=ledger["education"], kind=MovementKind.HEZENG)
    Movement.objects.filter(pk=movement.pk).update(to_account=ledger["finance"])
    assert_drift("quotas.slots", f"编制账户 #{ledger['education'].pk}", f"编制账户 #{ledger['finance'].pk}")


def test_a_reversal_that_no_longer_mirrors_its_original_is_named(ledger):
    correction = ledger["wrong"].reversed_by
    Movement.objects.filter(pk=ledger["wrong"].pk).update(amount=4)
    err = assert_drift("quotas.reversals", f"编制变动 #{correction.pk}", f"原业务 #{ledger['wrong'].pk}")
    assert "冲正内容" in err


def test_a_tampered_leadership_balance_is_named(ledger):
    LeadershipBalance.objects.filter(account=ledger["posts"]).update(balance=5)
    assert_drift("quotas.posts", f"领导职数账户 #{ledger['posts'].pk}")


def test_a_balance_that_went_negative_is_named_even_when_the_intervals_agree(ledger):
    """Rows written around the service (here: an overdraft with its intervals kept in step) are found."""
    source, target = ledger["education"], ledger["finance"]
    overdraft = Movement.objects.create(
        kind=MovementKind.HUAZHUAN,
        from_account=source,
        to_account=target,
        amount=50,
        effective_date=D4,
        document=Movement.objects.first().document,
    )
    apply_delta(QuotaBalance, source, -overdraft.amount, D4)
    apply_delta(QuotaBalance, target, overdraft.amount, D4)
    assert_drift("quotas.slots", f"编制账户 #{source.pk}", "余额曾为负数")


def test_slots_left_with_a_closed_unit_are_named(ledger, county):
    """A merged unit hands everything over; slots found with it afterwards are drift between register and ledger."""
    school = unit_account(county.school, "SY", "QE")
    post(MovementKind.HEZENG, county_account(AccountKind.POOL, "SY"), school, 4, D4)
    Unit.objects.filter(pk=county.school.pk).update(status="ABOLISHED", abolished_on=D4)
    # the register's versions are not touched either way: two drifts, each named
    err = assert_drift("quotas.closed_units", f"编制账户 #{school.pk}", f"自 {D4} 起仍有余额 4")
    assert "[orgs.current_versions]" in err


def test_a_unit_whose_current_name_differs_from_its_open_version_is_named(ledger, county):
    Unit.objects.filter(pk=county.finance.pk).update(name="锦绣县财政局（私改）")
    assert_drift("orgs.current_versions", f"机构 #{county.finance.pk}", "当前信息与现行版本不一致")


def test_a_unit_without_an_open_version_is_named(ledger, county):
    from bianzhi.orgs.models import UnitVersion

    UnitVersion.objects.filter(unit=county.finance, valid_to__isnull=True).update(valid_to=D4)
    assert_drift("orgs.current_versions", f"机构 #{county.finance.pk}", "没有现行版本")


def test_a_broken_tree_path_is_named(ledger, county):
    Unit.objects.filter(pk=county.budget_office.pk).update(tree_path="/999/")
    assert_drift(
        "orgs.tree_paths", f"机构 #{county.budget_office.pk}", f"应为 /{county.finance.pk}/{county.budget_office.pk}/"
    )
