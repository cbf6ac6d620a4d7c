"""The generated bench database: its roster never holds more than the ledger allows, and it reads like real data."""

from __future__ import annotations

import datetime as dt

import pytest
from bench.data import FIRST_DAY, BenchSpec, generate
from django.db import transaction
from django.db.models import Count

from bianzhi.core.ids import validate_id_number
from bianzhi.quotas.models import AccountKind, QuotaAccount
from bianzhi.roster import crypto
from bianzhi.roster.choices import ApprovalStatus, PersonStatus
from bianzhi.roster.models import Approval, Occupancy, Person, SerialCounter
from bianzhi.roster.persons import search_keys
from bianzhi.roster.slots import lowest_use

# one pytest-xdist worker generates the bench county once
pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.xdist_group("bench_data")]


@pytest.fixture(scope="module")
def county(django_db_setup, django_db_blocker):
    """One generated county for the module (about 5 s), rolled back after its last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield generate(BenchSpec("county"), check=True)  # the integrity checks of `bianzhi check` find nothing
        transaction.set_rollback(True)


def test_the_county_has_about_fifty_persons_a_unit_most_of_them_in_post_or_left(county):
    assert county["integrity"] == "no drift"
    assert 12_000 <= county["persons"] <= 18_000
    assert Person.objects.count() == county["persons"]
    in_post = Person.objects.filter(status=PersonStatus.IN_QUOTA).count()
    assert in_post == county["in_post"] == Occupancy.objects.filter(end_date__isnull=True).count()
    assert Person.objects.filter(status=PersonStatus.OUT).exists()
    moved = Occupancy.objects.filter(transferred_from__isnull=False)
    assert moved.count() == county["transfers"] > 0
    assert all(o.start_date == o.transferred_from.end_date for o in moved.select_related("transferred_from")[:50])


def test_no_account_ever_holds_or_promises_more_slots_than_it_has(county):
    for account in QuotaAccount.objects.filter(kind=AccountKind.UNIT):
        found = lowest_use(account, FIRST_DAY)
        if found is not None:
            day, approved, occupied, reserved = found
            assert occupied + reserved <= approved, f"{account.pk} on {day}: {occupied} + {reserved} > {approved}"


def test_persons_in_post_fill_85_to_95_percent_of_the_slots(county):
    from bianzhi.quotas.selectors import ledger_rows, totals_by_type

    totals = totals_by_type(ledger_rows(None, dt.date(2026, 10, 31)))
    approved, occupied = sum(t.approved for t in totals), sum(t.occupied for t in totals)
    assert 0.85 * approved <= occupied <= 0.95 * approved
    assert sum(t.reserved for t in totals) == county["reserved"] > 0


def test_open_approvals_are_as_the_approval_flow_leaves_them(county):
    approvals = Approval.objects.annotate(entered=Count("occupancies"))
    assert approvals.count() == county["open_approvals"]
    for approval in approvals:
        assert approval.status in (ApprovalStatus.APPROVED, ApprovalStatus.PARTIALLY_USED)
        assert approval.used == approval.entered < approval.count
        assert approval.approved_on and approval.valid_until == approval.approved_on + dt.timedelta(days=180)
        assert (approval.status == ApprovalStatus.PARTIALLY_USED) == (approval.used > 0)
    assert approvals.filter(status=ApprovalStatus.PARTIALLY_USED).exists()


def test_persons_have_valid_unique_id_numbers_and_the_rosters_own_search_keys(county):
    assert Person.objects.values("id_hash").distinct().count() == county["persons"]
    for person in Person.objects.order_by("?")[:200]:
        number = crypto.decrypt(person.id_cipher)
        check = validate_id_number(number)
        assert check.valid, number
        assert crypto.lookup_hash(number) == person.id_hash
        assert person.id_masked == number[:6] + "*" * 8 + number[-4:]
        assert person.birth_date.isoformat() == check.details["birth_date"]
        assert person.gender == ("1" if check.details["gender"] == "male" else "2")
        assert (person.name_pinyin, person.name_initials) == search_keys(person.name)


def test_serial_counters_follow_the_numbers_issued(county):
    for counter in SerialCounter.objects.all():
        prefix = {"approval": "用编核", "entry": "入编", "exit": "出编"}[counter.kind]
        last = f"{prefix}〔{counter.year}〕{counter.last:04d}号"
        if counter.kind == "approval":
            assert Approval.objects.filter(serial=last).exists()
        else:
            assert Occupancy.objects.filter(**{f"{counter.kind}_serial": last}).exists()
