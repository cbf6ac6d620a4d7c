"""The 用编核准 state machine (brief §2.1): who may do what, in which state, and what each step reserves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.quotas.selectors import unit_ledger
from bianzhi.roster import approvals, staffing
from bianzhi.roster.choices import ApprovalStatus as S
from bianzhi.roster.models import Approval, ApprovalStep
from tests.factories import make_unit, make_user
from tests.quotas.support import assert_refused
from tests.roster.support import approved, cut, entry_doc, give_slots, person

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def unit():
    unit = make_unit("锦绣县财政局")
    give_slots(unit, 3)
    return unit


def _draft(unit, count=1, actor=None):
    return approvals.approval_draft(
        actor=actor, unit=unit, quota_type="XZ", funding_form="QE", count=count, entry_mode="GZ", purpose="补缺"
    )


def test_the_happy_path_records_every_step(unit):
    operator = make_user("caizheng", Role.UNIT_OPERATOR, scope_unit=unit)
    bianban = make_user("bianban", Role.BIANBAN_OPERATOR, scope_county=True)
    draft = _draft(unit, 2, operator)
    approvals.approval_submit(actor=operator, approval=draft)
    approvals.approval_accept(actor=bianban, approval=draft)
    approvals.approval_return(actor=bianban, approval=draft, comment="请补充岗位说明")
    approvals.approval_submit(actor=operator, approval=draft)
    done = approvals.approval_approve(actor=bianban, approval=draft, comment="同意")
    assert done.status == S.APPROVED and done.serial.startswith("用编核〔")
    assert done.valid_until == TODAY + dt.timedelta(days=180)
    steps = list(ApprovalStep.objects.filter(approval=draft).values_list("to_status", flat=True))
    assert steps == [S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.RETURNED, S.SUBMITTED, S.APPROVED]


def test_refusals_change_nothing(unit):
    operator = make_user("caizheng", Role.UNIT_OPERATOR, scope_unit=unit)
    other = make_unit("锦绣县审计局")
    draft = _draft(unit, 1, operator)
    assert_refused("roster.approval_state", approvals.approval_approve, actor=None, approval=draft)
    approvals.approval_submit(actor=operator, approval=draft)
    assert_refused("common.permission_denied", approvals.approval_approve, actor=operator, approval=draft)
    assert_refused("roster.comment_required", approvals.approval_reject, actor=None, approval=draft, comment=" ")
    assert_refused("common.out_of_scope", _draft, other, 1, operator)
    assert_refused("quotas.amount_invalid", _draft, unit, 0)
    assert_refused("roster.no_vacancy", approvals.approval_approve, actor=None, approval=_submitted(unit, 4))
    assert_refused(
        "quotas.type_not_allowed",
        approvals.approval_draft,
        actor=None,
        unit=unit,
        quota_type="SY",
        funding_form="QE",
        count=1,
        entry_mode="GZ",
        purpose="补缺",
    )


def _submitted(unit, count):
    return approvals.approval_submit(actor=None, approval=_draft(unit, count))


def test_an_over_quota_unit_gets_no_approval(unit):

    for _ in range(3):
        staffing.occupancy_start(
            actor=None,
            data=person(),
            slot=staffing.Slot(unit=unit, quota_type="XZ", funding_form="QE", override_reason="历史数据补录"),
            start_date=TODAY,
            entry_mode="KL",
            document=entry_doc(TODAY),
        )
    cut(unit, 1, TODAY, reason="职能划出，编制随职能核减", confirm_overstaffing=True)
    error = assert_refused(
        "roster.unit_over_quota", approvals.approval_approve, actor=None, approval=_submitted(unit, 1)
    )
    assert "超编 1 名" in error.message


def test_expiry_releases_unused_slots_and_blocks_late_onboarding(unit):
    past = TODAY - dt.timedelta(days=200)
    approval = approved(unit, 2, today=past)
    staffing.occupancy_start(
        actor=None,
        data=person(),
        slot=staffing.Slot(approval=approval),
        start_date=past + dt.timedelta(days=10),
        entry_mode="GZ",
        document=entry_doc(past),
        today=past + dt.timedelta(days=10),
    )
    [row] = unit_ledger(None, unit, TODAY)
    assert row.reserved == 1
    assert_refused(
        "roster.approval_expired",
        staffing.occupancy_start,
        actor=None,
        data=person(),
        slot=staffing.Slot(approval=approval),
        start_date=TODAY,
        entry_mode="GZ",
        document=entry_doc(TODAY),
    )
    call_command("expire_approvals")
    approval.refresh_from_db()
    assert approval.status == S.EXPIRED and approval.closed_on == approval.valid_until + dt.timedelta(days=1)
    [row] = unit_ledger(None, unit, TODAY)
    assert (row.occupied, row.reserved) == (1, 0)
    # as of a day inside the validity period the slot was still reserved
    [row] = unit_ledger(None, unit, approval.valid_until)
    assert row.reserved == 1


def test_cancelling_releases_at_once_and_a_unit_may_only_withdraw_its_own_application(unit):
    operator = make_user("caizheng", Role.UNIT_OPERATOR, scope_unit=unit)
    approval = approved(unit, 2)
    assert_refused("roster.approval_state", approvals.approval_cancel, actor=operator, approval=approval)
    approvals.approval_cancel(actor=None, approval=approval, comment="岗位取消")
    [row] = unit_ledger(None, unit, TODAY)
    assert row.reserved == 0
    assert Approval.objects.get().status == S.CANCELLED
