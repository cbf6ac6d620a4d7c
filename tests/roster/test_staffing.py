"""入编/出编/转编/恢复, turnover loans, leadership posts, person records: each rule, and each refusal changing
nothing (the roster tables included)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.audit.models import AuditEvent
from bianzhi.core.errors import BianzhiError
from bianzhi.core.integrity import run_all
from bianzhi.lifecycle.services import unit_abolish, unit_merge
from bianzhi.quotas.models import AccountKind, MovementKind
from bianzhi.quotas.selectors import unit_ledger, unit_posts
from bianzhi.quotas.services import county_account, movement_post, post_movement_for_unit
from bianzhi.roster import crypto, loans, posts, staffing
from bianzhi.roster.choices import LoanStatus, PersonStatus
from bianzhi.roster.models import Approval, Occupancy, Person, PostAssignment, TurnoverLoan
from bianzhi.roster.persons import PersonData, person_update, same_name_and_birth
from bianzhi.roster.selectors import loans_due
from tests.factories import make_unit, make_user
from tests.quotas.support import SNAPSHOT_MODELS, document, fund_pool, snapshot
from tests.roster.support import approved, give_slots, new_id, person

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
ROSTER_MODELS = (Person, Occupancy, Approval, TurnoverLoan, PostAssignment)


def roster_snapshot() -> dict:
    return {
        **snapshot(),
        **{m._meta.label: list(m.objects.order_by("pk").values()) for m in ROSTER_MODELS if m not in SNAPSHOT_MODELS},
    }


def refused(code: str, func, **kwargs) -> BianzhiError:
    before = roster_snapshot()
    with pytest.raises(BianzhiError) as caught:
        func(**kwargs)
    assert caught.value.code == code, caught.value.message
    assert roster_snapshot() == before
    return caught.value


def hire(unit, data=None, **kwargs) -> Occupancy:
    slot = kwargs.pop("slot", None) or staffing.Slot(
        unit=unit, quota_type="XZ", funding_form="QE", override_reason="补录"
    )
    return staffing.occupancy_start(
        actor=kwargs.pop("actor", None),
        data=data or person(),
        slot=slot,
        start_date=kwargs.pop("start_date", TODAY),
        entry_mode=kwargs.pop("entry_mode", "DR"),
        document=kwargs.pop("document", None) or document(TODAY),
        **kwargs,
    )


@pytest.fixture
def unit():
    unit = make_unit("锦绣县财政局")
    give_slots(unit, 2)
    return unit


# ---------------------------------------------------------------- persons


@pytest.mark.parametrize(
    ("name", "ok"),
    [("张三", True), ("阿依古丽·买买提", True), ("张 三", False), (" 张三", False), ("张三1", False), ("·张三", False)],
)
def test_name_rules(unit, name, ok):
    if ok:
        assert hire(unit, person(name)).person.name == name
    else:
        assert "不符合要求" in refused("roster.name_invalid", hire, unit=unit, data=person(name)).message


def test_gender_and_birth_date_must_agree_with_the_id_number(unit):
    number = new_id(male=True, birth=dt.date(1985, 6, 1))
    refused("roster.gender_mismatch", hire, unit=unit, data=PersonData("张三", number, gender="女"))
    refused("roster.birth_mismatch", hire, unit=unit, data=PersonData("张三", number, birth_date=dt.date(1985, 6, 2)))
    assert hire(unit, PersonData("张三", number, gender="男", birth_date=dt.date(1985, 6, 1))).person.gender == "1"


def test_the_id_number_is_stored_only_encrypted(unit):
    number = new_id()
    occupancy = hire(unit, person("王五", id_number=number))
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM roster_person")
        stored = " ".join(str(v) for row in cursor.fetchall() for v in row)
    assert number not in stored and number[6:14] in occupancy.person.birth_date.strftime("%Y%m%d")
    assert crypto.decrypt(occupancy.person.id_cipher) == number
    assert occupancy.person.id_masked == number[:6] + "********" + number[-4:]


def test_same_id_is_refused_and_same_name_and_birth_date_is_only_a_warning(unit):
    number = new_id(birth=dt.date(1991, 1, 1))
    hire(unit, person("李雷", id_number=number))
    other_unit = make_unit("锦绣县审计局")
    give_slots(other_unit, 1)
    error = refused("roster.already_in_slot", hire, unit=other_unit, data=person("李雷", id_number=number))
    assert "锦绣县财政局" in error.message
    twin = new_id(birth=dt.date(1991, 1, 1))
    assert [p.name for p in same_name_and_birth("李雷", dt.date(1991, 1, 1), exclude_hash=crypto.lookup_hash(twin))]
    hire(other_unit, person("李雷", id_number=twin))  # a different person who happens to share both


def test_a_unit_cannot_see_where_someone_outside_its_scope_holds_a_slot(unit):
    number = new_id()
    hire(unit, person("韩梅梅", id_number=number))
    school = make_unit("锦绣县审计局")
    give_slots(school, 1)
    operator = make_user("shenji", Role.UNIT_OPERATOR, scope_unit=school)
    approval = approved(school, 1)
    error = refused(
        "roster.already_in_slot",
        hire,
        unit=school,
        data=person("韩梅梅", id_number=number),
        slot=staffing.Slot(approval=approval),
        actor=operator,
    )
    assert "锦绣县财政局" not in error.message and "其他单位" in error.message


def test_units_keep_details_and_only_the_bianban_changes_locked_fields(unit):
    occupancy = hire(unit, person("赵六"))
    operator = make_user("caizheng", Role.UNIT_OPERATOR, scope_unit=unit)
    refused("roster.locked_field", person_update, actor=operator, person=occupancy.person, changes={"name": "赵七"})
    person_update(actor=operator, person=occupancy.person, changes={"position": "科长", "phone": "13912345678"})
    bianban = make_user("bianban", Role.BIANBAN_ADMIN, scope_county=True)
    person_update(actor=bianban, person=occupancy.person, changes={"name": "赵七"}, reason="户籍更名")
    changed = Person.objects.get()
    assert (changed.name, changed.position, changed.name_initials) == ("赵七", "科长", "zq")
    assert "13912345678" not in changed.phone_cipher
    assert AuditEvent.objects.filter(action="roster.person_updated").count() == 2


def test_an_id_number_registered_to_someone_else_is_refused_by_name(unit):
    other_number = new_id()
    hire(unit, person("钱七", id_number=other_number))
    occupancy = hire(unit, person("孙八"))
    bianban = make_user("bianban", Role.BIANBAN_ADMIN, scope_county=True)
    error = refused(
        "roster.id_registered",
        person_update,
        actor=bianban,
        person=occupancy.person,
        changes={"id_number": other_number},
        reason="号码录错",
    )
    assert "钱七" in error.message and other_number[-4:] in error.message and other_number not in error.message


# ---------------------------------------------------------------- entry, exit, transfer, correction


def test_an_override_needs_a_reason_and_a_unit_operator_needs_an_approval(unit):
    operator = make_user("caizheng", Role.UNIT_OPERATOR, scope_unit=unit)
    bare = staffing.Slot(unit=unit, quota_type="XZ", funding_form="QE")
    refused("roster.override_reason_required", hire, unit=unit, slot=bare)
    refused("roster.approval_required", hire, unit=unit, slot=bare, actor=operator)
    occupancy = hire(unit)
    event = AuditEvent.objects.get(action="roster.onboarded_override")
    assert event.reason == "补录" and occupancy.override_reason == "补录"


def test_no_entry_into_a_full_unit_and_exit_frees_the_slot_at_once(unit):
    first, _second = hire(unit), hire(unit)
    refused("roster.no_vacancy", hire, unit=unit)
    staffing.occupancy_end(actor=None, person=first.person, end_date=TODAY, reason="TX", document=document(TODAY))
    assert hire(unit).start_date == TODAY
    refused(
        "roster.not_in_quota",
        staffing.occupancy_end,
        actor=None,
        person=first.person,
        end_date=TODAY,
        reason="TX",
        document=document(TODAY),
    )


def test_exit_dates_and_reasons_are_checked(unit):
    month_ago = TODAY - dt.timedelta(days=30)
    occupancy = hire(unit, start_date=month_ago, document=document(month_ago))
    common = {"actor": None, "person": occupancy.person, "document": document(month_ago - dt.timedelta(days=5))}
    refused(
        "roster.exit_before_entry",
        staffing.occupancy_end,
        end_date=TODAY - dt.timedelta(days=31),
        reason="TX",
        **common,
    )
    refused("roster.choice_invalid", staffing.occupancy_end, end_date=TODAY, reason="XX", **common)
    refused(
        "roster.date_in_future", staffing.occupancy_end, end_date=TODAY + dt.timedelta(days=1), reason="TX", **common
    )


def test_transfer_is_one_step_and_needs_room_at_the_target(unit):
    audit = make_unit("锦绣县审计局")
    give_slots(audit, 1)
    yesterday = TODAY - dt.timedelta(days=1)
    mover = hire(unit, start_date=yesterday, document=document(yesterday))
    hire(audit)
    refused(
        "roster.no_vacancy",
        staffing.occupancy_transfer,
        actor=None,
        person=mover.person,
        unit=audit,
        quota_type="XZ",
        funding_form="QE",
        effective_date=TODAY,
        document=document(TODAY),
    )
    refused(
        "roster.transfer_same",
        staffing.occupancy_transfer,
        actor=None,
        person=mover.person,
        unit=unit,
        quota_type="XZ",
        funding_form="QE",
        effective_date=TODAY,
        document=document(TODAY),
    )
    stats = make_unit("锦绣县统计局")
    give_slots(stats, 1)
    moved = staffing.occupancy_transfer(
        actor=None,
        person=mover.person,
        unit=stats,
        quota_type="XZ",
        funding_form="QE",
        effective_date=TODAY,
        document=document(TODAY),
    )
    assert moved.transferred_from_id == mover.pk and Person.objects.get(pk=mover.person_id).unit == stats
    assert [r.occupied for r in unit_ledger(None, unit, TODAY)] == [0]
    assert [r.occupied for r in unit_ledger(None, stats, TODAY)] == [1]
    assert [r.occupied for r in unit_ledger(None, unit, TODAY - dt.timedelta(days=1))] == [1]


def test_restore_is_for_the_bianban_and_needs_the_slot_still_free(unit):
    leaver = hire(unit)
    staffing.occupancy_end(actor=None, person=leaver.person, end_date=TODAY, reason="CZ", document=document(TODAY))
    operator = make_user("caizheng", Role.UNIT_OPERATOR, scope_unit=unit)
    refused("common.permission_denied", staffing.occupancy_restore, actor=operator, person=leaver.person, reason="误办")
    refused("roster.restore_reason", staffing.occupancy_restore, actor=None, person=leaver.person, reason=" ")
    hire(unit), hire(unit)
    refused("roster.no_vacancy", staffing.occupancy_restore, actor=None, person=leaver.person, reason="误办")


def test_long_leave_keeps_the_slot(unit):
    occupancy = hire(unit)
    staffing.person_set_on_leave(actor=None, person=occupancy.person, on_leave=True, reason="长期病休")
    assert Person.objects.get().on_leave
    assert [r.occupied for r in unit_ledger(None, unit, TODAY)] == [1]


def test_a_merged_unit_takes_its_people_along_and_an_abolished_one_must_be_empty(unit):
    stats = make_unit("锦绣县统计局")
    give_slots(stats, 1)
    occupancy = hire(stats)
    refused(
        "roster.unit_has_persons", unit_abolish, actor=None, unit=stats, document=document(TODAY), effective_date=TODAY
    )
    unit_merge(actor=None, unit=stats, successor=unit, document=document(TODAY), effective_date=TODAY)
    person_record = Person.objects.get(pk=occupancy.person_id)
    assert person_record.unit == unit and person_record.status == PersonStatus.IN_QUOTA
    [row] = unit_ledger(None, unit, TODAY)
    assert (row.approved, row.occupied) == (3, 1)
    assert not any(run_all().values())


# ---------------------------------------------------------------- turnover loans


@pytest.fixture
def pool():
    fund_pool("XZ", 3, TODAY - dt.timedelta(days=10))
    movement_post(
        actor=None,
        kind=MovementKind.RUCHI,
        from_account=county_account(AccountKind.POOL, "XZ"),
        to_account=county_account(AccountKind.TURNOVER, "XZ"),
        amount=3,
        effective_date=TODAY - dt.timedelta(days=10),
        document=document(TODAY - dt.timedelta(days=10)),
    )
    return county_account(AccountKind.TURNOVER, "XZ")


def lend(unit, count, start_date=TODAY, due_date=TODAY + dt.timedelta(days=700)):
    return loans.loan_grant(
        actor=None,
        unit=unit,
        quota_type="XZ",
        funding_form="QE",
        count=count,
        purpose="TALENT",
        start_date=start_date,
        due_date=due_date,
        document=document(start_date),
    )


def test_loan_occupants_are_listed_apart_and_return_their_slot_when_they_leave(unit, pool):
    refused("roster.pool_short", lend, unit=unit, count=4)
    loan = lend(unit, 2)
    talent = hire(unit, slot=staffing.Slot(loan=loan), entry_mode="YJ")
    [row] = unit_ledger(None, unit, TODAY)
    assert (row.approved, row.occupied, row.listed) == (2, 0, 1)
    refused(
        "roster.pool_below_loans",
        movement_post,
        actor=None,
        kind=MovementKind.CHUCHI,
        from_account=pool,
        to_account=county_account(AccountKind.POOL, "XZ"),
        amount=2,
        effective_date=TODAY,
        document=document(TODAY),
    )
    staffing.occupancy_end(actor=None, person=talent.person, end_date=TODAY, reason="DC", document=document(TODAY))
    loan.refresh_from_db()
    assert (loan.returned, loan.status) == (1, LoanStatus.ACTIVE)
    loans.loan_recall(actor=None, loan=loan, day=TODAY)
    loan.refresh_from_db()
    assert (loan.returned, loan.status) == (2, LoanStatus.RETURNED)
    refused("roster.loan_closed", hire, unit=unit, slot=staffing.Slot(loan=loan))


def test_a_loan_occupant_moves_into_the_first_vacancy_of_the_borrower(unit, pool):
    loan = lend(unit, 1)
    regular, _other = hire(unit), hire(unit)
    talent = hire(unit, slot=staffing.Slot(loan=loan), entry_mode="YJ")
    staffing.occupancy_end(actor=None, person=regular.person, end_date=TODAY, reason="TX", document=document(TODAY))
    current = Occupancy.objects.get(person=talent.person, end_date__isnull=True)
    assert current.loan_id is None and current.transferred_from_id == talent.pk
    loan.refresh_from_db()
    assert loan.status == LoanStatus.RETURNED
    [row] = unit_ledger(None, unit, TODAY)
    assert (row.occupied, row.listed, row.vacant) == (2, 0, 0)


def test_loan_slots_are_used_only_within_the_term_and_capacity(unit, pool):
    loan = lend(unit, 1, start_date=TODAY - dt.timedelta(days=5))
    six_days_ago = TODAY - dt.timedelta(days=6)
    refused(
        "roster.loan_period",
        hire,
        unit=unit,
        slot=staffing.Slot(loan=loan),
        start_date=six_days_ago,
        document=document(six_days_ago),
    )
    hire(unit, slot=staffing.Slot(loan=loan))
    refused("roster.loan_full", hire, unit=unit, slot=staffing.Slot(loan=loan))
    assert [due.serial for due in loans_due(None, within_days=800)] == [loan.serial]
    assert not loans_due(None, within_days=30)


def test_a_bianban_account_limited_to_a_subtree_cannot_recall_or_extend_another_units_loan(unit, pool):
    """unit (财政局) borrows; an 编办 operator limited to 教育局 may not touch the loan, one of the county may."""
    education = make_unit("锦绣县教育局")
    loan = lend(unit, 1)
    scoped = make_user("jiaoyu_bianban", Role.BIANBAN_OPERATOR, scope_unit=education)
    later = TODAY + dt.timedelta(days=800)
    refused("common.out_of_scope", loans.loan_recall, actor=scoped, loan=loan, day=TODAY)
    refused("common.out_of_scope", loans.loan_extend, actor=scoped, loan=loan, due_date=later, document=document(TODAY))

    county = make_user("bianban", Role.BIANBAN_OPERATOR, scope_county=True)
    assert loans.loan_extend(actor=county, loan=loan, due_date=later, document=document(TODAY)).due_date == later
    assert loans.loan_recall(actor=county, loan=loan, day=TODAY).status == LoanStatus.RETURNED
    own = lend(education, 1)
    assert loans.loan_recall(actor=scoped, loan=own, day=TODAY).status == LoanStatus.RETURNED


# ---------------------------------------------------------------- leadership posts


def test_posts_filled_cannot_exceed_those_approved_without_a_document(unit):
    post_movement_for_unit(
        actor=None,
        kind="HEDING",
        unit=unit,
        level="ZHENG",
        grade=unit.rank,
        amount=1,
        effective_date=TODAY,
        document=document(TODAY),
    )
    chief, deputy = hire(unit), hire(unit)
    posts.post_assign(
        actor=None, person=chief.person, level="ZHENG", grade=unit.rank, start_date=TODAY, document=document(TODAY)
    )
    error = refused(
        "roster.post_full",
        posts.post_assign,
        actor=None,
        person=deputy.person,
        level="ZHENG",
        grade=unit.rank,
        start_date=TODAY,
        document=document(TODAY),
    )
    assert "核定 1 名，已配 1 名" in error.message
    posts.post_assign(
        actor=None,
        person=deputy.person,
        level="ZHENG",
        grade=unit.rank,
        start_date=TODAY,
        document=document(TODAY),
        gaopei_document=document(TODAY, "关于同意超职数配备的批复"),
    )
    [row] = unit_posts(None, unit, TODAY)
    assert (row.approved, row.filled) == (1, 2)
    staffing.occupancy_end(actor=None, person=chief.person, end_date=TODAY, reason="TX", document=document(TODAY))
    [row] = unit_posts(None, unit, TODAY)
    assert row.filled == 1  # leaving the slot leaves the post


def test_a_back_dated_entry_or_restore_must_find_the_slot_free_on_every_day_since(unit):
    d = [TODAY - dt.timedelta(days=n) for n in (300, 200, 100, 50)]
    first, second = (
        hire(unit, start_date=d[0], document=document(d[0])),
        hire(unit, start_date=d[0], document=document(d[0])),
    )
    staffing.occupancy_end(actor=None, person=first.person, end_date=d[2], reason="TX", document=document(d[2]))
    # free today, but not on d[1], when both slots were taken
    refused("roster.no_vacancy", hire, unit=unit, start_date=d[1], document=document(d[1]))
    gap = hire(unit, start_date=d[2], document=document(d[2]))
    staffing.occupancy_end(actor=None, person=gap.person, end_date=d[3], reason="CZ", document=document(d[3]))
    # first's slot was someone else's from d[2] to d[3]: restoring first would overfill those days
    refused("roster.no_vacancy", staffing.occupancy_restore, actor=None, person=first.person, reason="误办")
    assert second.person.status == PersonStatus.IN_QUOTA
