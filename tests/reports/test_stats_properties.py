"""On random histories of a small county (grants, transfers, cuts, entries, exits and 转编 at random dates, made
through the services), every statistical table's figures equal independent sums over the raw rows (movements,
occupancies, people) as of the day, every balance relation holds, T7's flows are the year's recorded events, and
every year-on-year difference is exactly the sum of the changes listed under it."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bianzhi.core.errors import BianzhiError
from bianzhi.orgs.choices import SystemCategory, UnitKind, UnitRank
from bianzhi.quotas.models import AccountKind, Movement, MovementKind, QuotaAccount
from bianzhi.quotas.services import county_account, movement_post, unit_account
from bianzhi.reports import stat_drill
from bianzhi.reports.stat_facts import AGE_BANDS, universe, years_before
from bianzhi.reports.stats import TYPES, build
from bianzhi.roster import staffing
from bianzhi.roster.models import Occupancy, Person
from bianzhi.roster.persons import PersonData
from tests.factories import make_unit
from tests.quotas.support import document, fund_pool
from tests.roster.support import entry_doc, new_id

pytestmark = pytest.mark.django_db

FIRST = dt.date(2024, 1, 1)
DAYS = 700  # the histories run over 2024 and most of 2025
EDUCATION = ["BK", "SS", "DZ", ""]
ETHNICITY = ["汉族", "回族", ""]
POLITICAL = ["01", "13", ""]
BIRTHS = [dt.date(1968, 3, 1), dt.date(1975, 7, 9), dt.date(1990, 1, 5), dt.date(1999, 12, 31)]
# (unit, type, funding) the histories use: a 机关 and its internal body, a township, two 事业单位 accounts
ACCOUNTS = [("finance", "XZ", "QE"), ("budget", "XZ", "QE"), ("finance", "GQ", "QE"), ("town", "XZ", "QE"),
            ("school", "SY", "QE"), ("school", "SY", "CE"), ("clinic", "SY", "QE")]  # fmt: skip

operations = st.lists(
    st.one_of(
        st.tuples(st.just("grant"), st.integers(0, 6), st.integers(1, 4), st.integers(0, DAYS)),
        st.tuples(st.just("cut"), st.integers(0, 6), st.integers(1, 3), st.integers(0, DAYS)),
        st.tuples(st.just("hire"), st.integers(0, 6), st.integers(0, 3 * 4 * 3 * 3 - 1), st.integers(0, DAYS)),
        st.tuples(st.just("leave"), st.integers(0, 30), st.sampled_from(["TX", "DC", "CZ"]), st.integers(0, DAYS)),
        st.tuples(st.just("move"), st.integers(0, 30), st.integers(0, 6), st.integers(0, DAYS)),
    ),
    min_size=4,
    max_size=16,
)


def _county():
    for code in ("XZ", "SY", "GQ"):
        fund_pool(code, 200, dt.date(2023, 1, 2))
    finance = make_unit("锦绣县财政局", code="A01")
    units = {
        "finance": finance,
        "budget": make_unit("锦绣县财政局预算股", finance, kind=UnitKind.NEISHE, rank=UnitRank.GUJI, code="A0101"),
        "town": make_unit("锦绣县城关镇", system_category=SystemCategory.XIANGZHEN, code="B01"),
        "school": make_unit("锦绣县第一小学", kind=UnitKind.SHIYE, rank=UnitRank.GUJI, code="A02"),
        "clinic": make_unit(
            "锦绣县城关镇卫生院", kind=UnitKind.SHIYE, system_category=SystemCategory.XIANGZHEN, code="B02"
        ),
    }
    return units


def _move(kind: str, source, target, amount: int, day: dt.date) -> None:
    movement_post(
        actor=None,
        kind=kind,
        from_account=source,
        to_account=target,
        amount=amount,
        effective_date=day,
        document=document(day),
        confirm_overstaffing=True,
        reason="压减" if kind == MovementKind.HEJIAN else "",
    )


def _hire(unit, code: str, funding: str, pick: int, day: dt.date) -> None:
    details = {"education": EDUCATION[pick % 4], "ethnicity": ETHNICITY[pick // 4 % 3]}
    details["political_status"] = POLITICAL[pick // 12 % 3]
    number = new_id(male=pick % 2 == 0, birth=BIRTHS[pick // 2 % 4])
    staffing.occupancy_start(
        actor=None,
        data=PersonData(name="张三", id_number=number, details={k: v for k, v in details.items() if v}),
        slot=staffing.Slot(unit=unit, quota_type=code, funding_form=funding, override_reason="补录"),
        start_date=day,
        entry_mode=["KL", "GZ", "DR"][pick % 3],
        document=entry_doc(day),
    )


def _change_someone(kind: str, target: int, amount, units, day: dt.date) -> None:
    people = list(Person.objects.filter(status="IN_QUOTA").order_by("pk"))
    if not people:
        return
    someone = people[target % len(people)]
    if kind == "leave":
        staffing.occupancy_end(actor=None, person=someone, end_date=day, reason=amount, document=document(day))
        return
    name, code, funding = ACCOUNTS[amount % len(ACCOUNTS)]
    target = unit_account(units[name], code, funding)
    _move(MovementKind.HEZENG, county_account(AccountKind.POOL, code), target, 1, day)  # a vacancy to move into
    staffing.occupancy_transfer(
        actor=None,
        person=someone,
        unit=units[name],
        quota_type=code,
        funding_form=funding,
        effective_date=day,
        document=document(day),
        reason="工作需要",
    )


def _apply(units, ops) -> None:
    for kind, target, amount, offset in sorted(ops, key=lambda op: op[3]):
        day = FIRST + dt.timedelta(days=offset)
        name, code, funding = ACCOUNTS[target % len(ACCOUNTS)]
        pool = county_account(AccountKind.POOL, code)
        try:
            with transaction.atomic():
                if kind == "grant":
                    _move(MovementKind.HEZENG, pool, unit_account(units[name], code, funding), amount, day)
                elif kind == "cut":
                    _move(MovementKind.HEJIAN, unit_account(units[name], code, funding), pool, amount, day)
                elif kind == "hire":
                    _hire(units[name], code, funding, amount, day)
                else:
                    _change_someone(kind, target, amount, units, day)
        except BianzhiError:
            pass  # refused (a date before the person's entry, no slot to cut …): the history goes on without it


def _raw_figures(day: dt.date) -> dict[int, tuple[int, int]]:
    """(核定, 实有) per unit account on ``day``, from the movements and occupancies themselves."""
    approved: Counter = Counter()
    for movement in Movement.objects.filter(effective_date__lte=day):
        approved[movement.to_account_id] += movement.amount
        approved[movement.from_account_id] -= movement.amount
    occupied = Counter(
        o.account_id
        for o in Occupancy.objects.filter(loan__isnull=True, start_date__lte=day)
        if o.end_date is None or o.end_date > day
    )
    return {
        account.pk: (approved[account.pk], occupied[account.pk])
        for account in QuotaAccount.objects.filter(kind=AccountKind.UNIT)
    }


def _age(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _check_day(day: dt.date) -> None:
    scope = universe(None, day, label="全县")
    tables = {code: build(code, scope, county_wide=True) for code in ("T1", "T2", "T3", "T4", "T5", "T6", "T7")}
    failed = [(code, c.text, c.detail) for code, t in tables.items() for c in t.checks if not c.ok]
    assert failed == []

    raw = _raw_figures(day)
    accounts = {a.pk: a for a in QuotaAccount.objects.filter(kind=AccountKind.UNIT)}
    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    by_type_funding: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for pk, (a, n) in raw.items():
        code, funding = accounts[pk].quota_type_id, accounts[pk].funding_form
        for index, value in enumerate((a, n, max(0, a - n), max(0, n - a))):
            by_type[code][index] += value
        by_type_funding[(code, funding)][0] += a
        by_type_funding[(code, funding)][1] += n
    t2, t4, t5 = tables["T2"], tables["T4"], tables["T5"]
    for code in ("XZ", "GQ"):
        measures = ("A", "N", "V", "X") if code == "XZ" else ("A", "N")
        assert [t2.value(0, "all", f"{code}.{m}") for m in measures] == by_type[code][: len(measures)]
    assert [t4.value(0, "all", f"SY.{m}") for m in ("A", "N", "V", "X")] == by_type["SY"]
    for funding in ("QE", "CE"):
        assert [t4.value(0, "all", f"SY.{funding}.{m}") for m in ("A", "N")] == by_type_funding[("SY", funding)]
    for code in TYPES:
        assert [t5.value(0, f"type:{code}", m) for m in ("A", "N", "V", "X")] == by_type[code]

    in_post = [
        o
        for o in Occupancy.objects.filter(loan__isnull=True, start_date__lte=day).select_related("person", "account")
        if o.end_date is None or o.end_date > day
    ]
    t6 = tables["T6"]
    assert t6.value(0, "count", "all") == len(in_post)
    assert t6.value(0, "gender:1", "all") == sum(o.person.gender == "1" for o in in_post)
    for label, low in AGE_BANDS:
        high = next((b for _, b in reversed(AGE_BANDS) if b > low), 200)
        expected = sum(low <= _age(o.person.birth_date, day) < high for o in in_post)
        assert (t6.value(0, f"age:{label}", "all") or 0) == expected, label
    assert t6.value(0, "education:BK", "SY") == sum(
        o.person.education == "BK" and o.account.quota_type_id == "SY" for o in in_post
    )
    assert t6.value(0, "ethnicity:少数民族", "all") == sum(o.person.ethnicity == "回族" for o in in_post)

    since = dt.date(day.year - 1, 12, 31)
    t7 = tables["T7"]
    started = [o for o in Occupancy.objects.filter(loan__isnull=True) if since < o.start_date <= day]
    ended = [o for o in Occupancy.objects.filter(loan__isnull=True) if o.end_date and since < o.end_date <= day]
    assert t7.value(0, "entries", "all") == sum(o.transferred_from_id is None for o in started)
    assert t7.value(0, "entry:KL", "all") == sum(
        o.transferred_from_id is None and o.entry_mode == "KL" for o in started
    )
    assert t7.value(0, "moved_in", "all") == sum(o.transferred_from_id is not None for o in started)
    moved_out = {o.transferred_from_id for o in Occupancy.objects.filter(transferred_from__isnull=False)}
    assert t7.value(0, "exits", "all") == sum(o.pk not in moved_out for o in ended)
    assert t7.value(0, "exit:TX", "all") == sum(o.pk not in moved_out and o.exit_reason == "TX" for o in ended)
    hezeng = sum(
        m.amount
        for m in Movement.objects.filter(kind=MovementKind.HEZENG, effective_date__gt=since, effective_date__lte=day)
        if m.to_account.kind == AccountKind.UNIT
    )
    assert t7.value(1, "movement:HEZENG", "all") == hezeng

    # year on year: each difference is the sum of what is listed under it
    before_day = years_before(day, 1)
    before = universe(None, before_day, label="全县")
    for code, cells in {
        "T5": [("type:XZ", "A"), ("type:SY", "CE.A"), ("type:SY", "N"), ("all", "A")],
        "T2": [("all", "XZ.A"), ("all", "XZ.N"), ("tier:TOWN", "XZ.A")],
        "T4": [("all", "SY.QE.N"), ("all", "SY.A")],
        "T6": [("count", "all"), (f"age:{AGE_BANDS[1][0]}", "all"), ("gender:2", "SY")],
        "T3": [("all", "units")],
    }.items():
        previous = build(code, before, county_wide=True)
        for row, column in cells:
            found = stat_drill.explain(tables[code], previous, scope, before, 0, row, column)
            assert found.explained == found.difference, (code, row, column, found.changes)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
@example(  # at least one history with every kind of event, whatever the random ones hold
    ops=[
        ("grant", 0, 3, 10),
        ("hire", 0, 5, 20),
        ("hire", 4, 6, 30),
        ("hire", 6, 31, 40),
        ("move", 0, 4, 400),
        ("move", 1, 2, 420),
        ("leave", 0, "TX", 500),
        ("grant", 4, 2, 550),
        ("cut", 0, 1, 600),
    ]
)
def test_tables_equal_the_raw_rows_on_random_histories(ops):
    with transaction.atomic():
        units = _county()
        _apply(units, ops)
        for day in (dt.date(2024, 12, 31), dt.date(2025, 6, 30), dt.date(2025, 12, 31)):
            _check_day(day)
        transaction.set_rollback(True)
