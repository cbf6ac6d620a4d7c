"""超编 is never silent: a 划转, 核减, 收回 or 冲正 that leaves a unit with fewer slots than its people and promised
slots (or fewer posts than holders) is refused until confirmed with a reason; then it is kept, audited and shown."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.audit.models import AuditEvent
from bianzhi.core.errors import BianzhiError
from bianzhi.quotas.ledger import balances_as_of
from bianzhi.quotas.models import (
    LeadershipMovement,
    Movement,
    MovementKind,
    PostLevel,
    PostMovementKind,
    QuotaBalance,
)
from bianzhi.quotas.services import (
    movement_post,
    movement_reverse,
    post_movement_for_unit,
    unit_account,
)
from bianzhi.roster import staffing
from bianzhi.roster.posts import post_assign
from tests.factories import make_unit, make_user
from tests.quotas.support import document
from tests.roster.support import approved, client_for, cut, give_slots, hire

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = dt.date(2024, 5, 6)


@pytest.fixture
def school():
    """A unit with 10 slots and 8 people, and a second unit to transfer to."""
    office = make_unit("锦绣县财政局")
    other = make_unit("锦绣县审计局")
    give_slots(office, 10)
    give_slots(other, 1)
    hire(office, 8)
    return office, other


def transfer(source, target, amount: int, **kwargs):
    return movement_post(
        actor=None,
        kind=MovementKind.HUAZHUAN,
        from_account=unit_account(source, "XZ", "QE"),
        to_account=unit_account(target, "XZ", "QE"),
        amount=amount,
        effective_date=DAY,
        document=document(DAY),
        **kwargs,
    )


def ledger_state():
    return (Movement.objects.count(), QuotaBalance.objects.count(), AuditEvent.objects.count())


def test_a_transfer_that_would_leave_the_unit_short_is_refused_with_the_shortfall_and_changes_nothing(school):
    office, other = school
    before = ledger_state()
    with pytest.raises(BianzhiError) as refused:
        transfer(office, other, 5)
    error = refused.value
    assert error.code == "quotas.would_overstaff"
    assert error.message.startswith(
        "将导致超编 3 名：锦绣县财政局行政编制（全额拨款）自 2024-05-06 起核定 5 名，实有 8 名"
    )
    assert error.details == {
        "shortfall": 3,
        "unit": "锦绣县财政局",
        "what": "行政编制（全额拨款）",
        "date": "2024-05-06",
        "approved": 5,
        "occupied": 8,
        "reserved": 0,
    }
    assert ledger_state() == before
    transfer(office, other, 2)  # exactly to the people it holds: no word needed


def test_confirmation_needs_a_reason_and_is_kept_on_the_movement_and_audited_as_such(school):
    office, other = school
    with pytest.raises(BianzhiError) as refused:
        transfer(office, other, 4, confirm_overstaffing=True, reason="  ")
    assert refused.value.code == "quotas.overstaff_reason_required"
    movement = transfer(office, other, 4, confirm_overstaffing=True, reason="职能划转，人员逐步消化")
    assert movement.overstaffing == 2
    event = AuditEvent.objects.filter(object_id=str(movement.pk), action__startswith="quotas.movement").get()
    assert event.action == "quotas.movement_posted_overstaffed"
    assert event.after["overstaffing"] == 2


def test_promised_slots_count_as_well(school):
    office, _other = school
    approved(office, 2, today=TODAY)  # 10 slots: 8 people and 2 promised
    with pytest.raises(BianzhiError) as refused:
        cut(office, 1, TODAY)
    assert (refused.value.details["shortfall"], refused.value.details["reserved"]) == (1, 2)


def test_a_reduction_dated_before_the_people_came_is_judged_on_the_day_they_are_there(school):
    office, other = school
    # from 2021 the unit held 10 slots and nobody; the 8 came in 2022: a 2021 transfer of 4 leaves them short then
    with pytest.raises(BianzhiError) as refused:
        movement_post(
            actor=None,
            kind=MovementKind.HUAZHUAN,
            from_account=unit_account(office, "XZ", "QE"),
            to_account=unit_account(other, "XZ", "QE"),
            amount=4,
            effective_date=dt.date(2021, 6, 1),
            document=document(dt.date(2021, 6, 1)),
        )
    assert refused.value.details["date"] == "2022-03-01"


def test_reversing_a_grant_the_unit_has_filled_needs_the_confirmation_too(school):
    office, _other = school
    grant = Movement.objects.filter(to_account=unit_account(office, "XZ", "QE")).get()
    with pytest.raises(BianzhiError) as refused:
        movement_reverse(actor=None, movement=grant, document=document(TODAY), reason="误登")
    assert refused.value.code == "quotas.would_overstaff" and refused.value.details["shortfall"] == 8
    reversal = movement_reverse(
        actor=None, movement=grant, document=document(TODAY), reason="误登，人员另行安排", confirm_overstaffing=True
    )
    assert reversal.overstaffing == 8


def test_leadership_posts_are_not_cut_below_their_holders_without_a_word(school):
    office, _other = school
    post = {"unit": office, "level": PostLevel.FU, "grade": "FUKE", "effective_date": DAY}
    post_movement_for_unit(actor=None, kind=PostMovementKind.HEDING, amount=2, document=document(DAY), **post)
    for occupancy in staffing.Occupancy.objects.filter(account__unit=office)[:2]:
        post_assign(
            actor=None,
            person=occupancy.person,
            level=PostLevel.FU,
            grade="FUKE",
            start_date=DAY,
            document=document(DAY),
        )
    with pytest.raises(BianzhiError) as refused:
        post_movement_for_unit(actor=None, kind=PostMovementKind.HEJIAN, amount=1, document=document(DAY), **post)
    assert refused.value.code == "quotas.would_overfill_posts"
    assert refused.value.message.startswith("将导致超职数 1 名：锦绣县财政局副科级副职职数")
    assert not LeadershipMovement.objects.filter(kind=PostMovementKind.HEJIAN).exists()
    cut = post_movement_for_unit(
        actor=None,
        kind=PostMovementKind.HEJIAN,
        amount=1,
        document=document(DAY),
        reason="机构规格调整",
        confirm_overstaffing=True,
        **post,
    )
    assert cut.overstaffing == 1
    assert AuditEvent.objects.filter(action="quotas.post_movement_posted_overstaffed").count() == 1


# ---------------------------------------------------------------- pages


def _form(source, target, amount: int, **extra) -> dict:
    return {
        "kind": "HUAZHUAN",
        "quota_type": "XZ",
        "from_kind": "UNIT",
        "from_unit": source.name,
        "from_funding": "QE",
        "to_kind": "UNIT",
        "to_unit": target.name,
        "to_funding": "QE",
        "amount": str(amount),
        "effective_date": DAY.isoformat(),
        "doc_number": "锦编发〔2024〕12号",
        "doc_title": "关于划转编制的通知",
        "doc_issued_on": DAY.isoformat(),
        "doc_issuer": "锦绣县委编委",
        **extra,
    }


@pytest.fixture
def bianban(school):
    return client_for(make_user("bianban", Role.BIANBAN_ADMIN, scope_county=True))


def test_the_preview_says_it_in_red_and_offers_the_confirmation(school, bianban):
    office, other = school
    html = bianban.post(reverse("quotas:movement_preview"), _form(office, other, 5)).content.decode()
    assert "将导致超编 3 名" in html and "text-red" in html
    assert 'type="checkbox" name="confirm_overstaffing"' in html and "确认登记（将导致超编）" in html
    assert Movement.objects.filter(kind=MovementKind.HUAZHUAN).count() == 0
    quiet = bianban.post(reverse("quotas:movement_preview"), _form(office, other, 2)).content.decode()
    assert "将导致超编" not in quiet and 'type="checkbox" name="confirm_overstaffing"' not in quiet


def test_posting_without_the_confirmation_is_refused_beside_the_box_then_posted_and_shown_on_the_unit(school, bianban):
    office, other = school
    page = bianban.post(reverse("quotas:movement_new"), _form(office, other, 5))
    html = page.content.decode()
    assert page.status_code == 200 and "将导致超编 3 名" in html and "quotas.would_overstaff" in html
    assert 'type="checkbox" name="confirm_overstaffing"' in html
    assert not Movement.objects.filter(kind=MovementKind.HUAZHUAN).exists()

    ticked = bianban.post(reverse("quotas:movement_new"), _form(office, other, 5, confirm_overstaffing="on"))
    assert "quotas.overstaff_reason_required" in ticked.content.decode()
    assert not Movement.objects.filter(kind=MovementKind.HUAZHUAN).exists()

    done = bianban.post(
        reverse("quotas:movement_new"), _form(office, other, 5, confirm_overstaffing="on", reason="职能划转")
    )
    assert done.status_code == 302
    assert balances_as_of(QuotaBalance, [unit_account(office, "XZ", "QE").pk], TODAY) == {
        unit_account(office, "XZ", "QE").pk: 5
    }
    tab = bianban.get(reverse("orgs:unit_detail", args=[office.pk]) + "?tab=ledger").content.decode()
    assert "超编 3 名" in tab and "由 2024-05-06 划转 5 名（锦编发〔2024〕12号）导致" in tab and "职能划转" in tab


def test_a_unit_over_quota_without_a_confirmed_movement_says_so(school, bianban):
    office, _other = school
    # a shortfall taken over from the old system's data, which had no confirmation to record
    cut(office, 3, DAY, check_staffing=False)
    tab = bianban.get(reverse("orgs:unit_detail", args=[office.pk]) + "?tab=ledger").content.decode()
    assert "超编 1 名" in tab and "没有登记时确认超编的变动" in tab
