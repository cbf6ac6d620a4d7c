"""The demo county's roster: people in and out, on loan, approvals in every state, one office 超编 on purpose,
the ledger never over quota otherwise, and nothing for ``bianzhi check`` or ``audit verify`` to complain about.

The county is built once for the module (it takes a while) inside a transaction rolled back at the end."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest
from django.db import transaction

from bianzhi.audit.selectors import verify_chain
from bianzhi.core.ids import validate_id_number
from bianzhi.core.integrity import run_all
from bianzhi.demo.county import DemoSpec, build_demo
from bianzhi.demo.roster import RETIREMENT_AGE
from bianzhi.orgs.models import Unit
from bianzhi.quotas.models import AccountKind, Movement, MovementKind, QuotaBalance
from bianzhi.quotas.selectors import grand_total, ledger_rows
from bianzhi.roster import crypto
from bianzhi.roster.choices import ApprovalStatus, ExitReason, PersonStatus
from bianzhi.roster.models import Approval, Occupancy, Person, PostAssignment

TODAY = dt.date(2026, 11, 28)
UNITS = 130  # enough for schools and health centres, which borrow from the turnover pool


@pytest.fixture(scope="module")
def county(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo(DemoSpec(units=UNITS, roster=True, today=TODAY))
        yield
        transaction.set_rollback(True)


# one worker runs the module, so the county is built once under pytest-xdist too
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("county"),
    pytest.mark.xdist_group("demo_roster"),
    pytest.mark.demo_content,
]


def age(birth: dt.date, day: dt.date = TODAY) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def test_persons_in_and_out_with_valid_particulars():
    statuses = Counter(Person.objects.values_list("status", flat=True))
    assert statuses[PersonStatus.IN_QUOTA] > 1000 and statuses[PersonStatus.OUT] > 100
    for person in Person.objects.filter(status=PersonStatus.IN_QUOTA).order_by("pk")[::50]:
        number = crypto.decrypt(person.id_cipher)
        check = validate_id_number(number)
        assert check.valid and number.startswith("610999")
        assert check.details["birth_date"] == person.birth_date.isoformat()
        assert person.gender == ("1" if check.details["gender"] == "male" else "2")
        assert person.id_hash == crypto.lookup_hash(number) and person.name_pinyin
        assert 22 <= age(person.birth_date) <= 60
    exits = Counter(Occupancy.objects.exclude(exit_reason="").values_list("exit_reason", flat=True))
    assert exits[ExitReason.TX] > 50 and exits[ExitReason.CZ] and exits[ExitReason.DC]
    retired = Occupancy.objects.filter(exit_reason=ExitReason.TX).select_related("person")
    assert all(age(o.person.birth_date, o.end_date) == RETIREMENT_AGE for o in retired)
    assert Occupancy.objects.filter(transferred_from__isnull=False).exists()  # 转编
    assert Person.objects.filter(on_leave=True, status=PersonStatus.IN_QUOTA).exists()
    assert PostAssignment.objects.filter(end_date__isnull=True).exists()


def test_entry_modes_follow_the_kind_of_unit():
    modes = Counter(
        Occupancy.objects.filter(approval__isnull=False).values_list("account__quota_type_id", "entry_mode")
    )
    assert modes["XZ", "KL"] > modes["XZ", "GZ"]
    assert modes["SY", "GZ"] > modes["SY", "KL"]
    assert {mode for (_type, mode) in modes} >= {"KL", "GZ", "DR", "TY"}


def test_some_hold_slots_lent_from_the_turnover_pool():
    lent = Occupancy.objects.filter(loan__isnull=False, end_date__isnull=True)
    assert lent.exists()
    assert sum(row.listed for row in ledger_rows(None, TODAY)) == lent.count()


def test_approvals_in_every_state_and_slots_reserved():
    assert set(Approval.objects.values_list("status", flat=True)) == set(ApprovalStatus.values)
    assert grand_total(ledger_rows(None, TODAY)).reserved > 0


def test_vacancies_are_realistic_and_only_pushed_units_are_over_quota():
    total = grand_total(ledger_rows(None, TODAY))
    assert 0.05 <= total.vacant / total.approved <= 0.15
    assert total.over > 0
    over = first_days_over_quota()
    assert over
    cuts = set(Movement.objects.filter(kind=MovementKind.HEJIAN).values_list("from_account_id", "effective_date"))
    assert set(over.items()) <= cuts


def first_days_over_quota() -> dict[int, dt.date]:
    """Each unit account whose persons in normal slots ever outnumbered its approved slots, and the first day."""
    intervals = defaultdict(list)
    balances = QuotaBalance.objects.filter(account__kind=AccountKind.UNIT)
    for account_id, start, balance in balances.values_list("account_id", "valid_from", "balance"):
        intervals[account_id].append((start, balance))
    changes: dict[int, Counter] = defaultdict(Counter)
    for account_id, start, end in Occupancy.objects.filter(loan__isnull=True).values_list(
        "account_id", "start_date", "end_date"
    ):
        changes[account_id][start] += 1
        if end:
            changes[account_id][end] -= 1
    first_over = {}
    for account_id, deltas in changes.items():
        steps, occupied = sorted(intervals[account_id]), 0
        for day in sorted(set(deltas) | {start for start, _ in steps}):
            occupied += deltas[day]
            approved = next((b for start, b in reversed(steps) if start <= day), 0)
            if occupied > approved:
                first_over[account_id] = day
                break
    return first_over


def test_nothing_drifts_and_the_audit_chain_holds():
    assert not any(run_all().values())
    assert verify_chain().intact


def test_schools_and_health_centres_hold_most_institution_slots_as_in_a_real_county():
    """Sized so that a full county of 300 units holds about 8,400 unit slots and, 90% filled and turned over since
    2019, about 10,000 persons."""
    names = dict(Unit.objects.values_list("pk", "name"))
    institutions = [row for row in ledger_rows(None, TODAY) if row.quota_type == "SY"]
    teaching_and_health = [row for row in institutions if any(w in names[row.unit_id] for w in ("学", "卫生院"))]
    assert grand_total(teaching_and_health).approved > 0.5 * grand_total(institutions).approved
    middle_schools = [row.approved for row in institutions if "中学" in names[row.unit_id]]
    assert middle_schools and min(middle_schools) >= 70
