"""Random histories of approvals, onboardings, exits, transfers, corrections, loans and quota movements, checked
step by step against an independent model of who holds which slot.

Before each step the model works out whether the step must be accepted or refused (and with which code); after
it, every unit's 核定 / 实有 / 已核准未入编 / 单列 read through the ledger selectors must match the model, nobody may
hold two slots, and no unit may hold more people and reservations than slots unless a 核减 made it 超编.
At the end ``bianzhi check`` must find no drift."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from hypothesis import HealthCheck, Phase, seed, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from bianzhi.core.errors import BianzhiError
from bianzhi.core.integrity import run_all
from bianzhi.orgs.models import Unit
from bianzhi.quotas.models import AccountKind, MovementKind
from bianzhi.quotas.selectors import (
    LedgerRow,
    ledger_overview,
    ledger_rows,
    ledger_rows_and_totals_of,
    ledger_totals,
    totals_by_type,
    unit_ledger,
)
from bianzhi.quotas.services import county_account, movement_post, unit_account
from bianzhi.roster import approvals, loans, staffing
from bianzhi.roster.models import Approval, Occupancy, Person, TurnoverLoan
from bianzhi.roster.persons import PersonData
from tests.conftest import USES_POSTGRES
from tests.factories import make_unit
from tests.quotas.support import document, fund_pool
from tests.roster.support import new_id

TODAY = timezone.localdate()
UNITS = ("甲局", "乙局", "丙局")
START = {"甲局": 4, "乙局": 3, "丙局": 2}
POOL, TURNOVER = 2, 3
NAMES = ("赵一", "钱二", "孙三", "李四", "周五", "吴六", "郑七")
OUTCOMES: Counter = Counter()


@dataclass
class Held:
    unit: str
    loan: int | None = None  # model loan index
    transferred: bool = False


@dataclass
class ModelApproval:
    unit: str
    count: int
    used: int = 0
    open: bool = True


@dataclass
class ModelLoan:
    unit: str
    count: int
    returned: int = 0
    holders: list = field(default_factory=list)  # person indexes, in order of entry

    @property
    def outstanding(self) -> int:
        return self.count - self.returned


class RosterMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        fund_pool("XZ", sum(START.values()) + POOL + TURNOVER, TODAY.replace(year=TODAY.year - 1))
        self.units = {name: make_unit(f"锦绣县{name}") for name in UNITS}
        self.approved = dict(START)
        self.shrunk: set[str] = set()
        for name, amount in START.items():
            self._move(MovementKind.HEZENG, county_account(AccountKind.POOL, "XZ"), self._account(name), amount)
        self._move(MovementKind.RUCHI, county_account(AccountKind.POOL, "XZ"), self._pool(), TURNOVER)
        self.turnover, self.pool = TURNOVER, POOL
        self.ids = [new_id(male=i % 2 == 0) for i in range(len(NAMES))]
        self.person_pk: dict[int, int] = {}
        self.current: dict[int, Held] = {}  # who holds a slot now
        self.left: dict[int, Held] = {}  # the last slot of those who left
        self.approvals: list[tuple[int, ModelApproval]] = []
        self.loans: list[tuple[int, ModelLoan]] = []

    def teardown(self):
        try:
            assert {name: drifts for name, drifts in run_all().items() if drifts} == {}
        finally:
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

    # ---------------------------------------------------------------- helpers

    def _account(self, name: str):
        return unit_account(self.units[name], "XZ", "QE")

    def _pool(self):
        return county_account(AccountKind.TURNOVER, "XZ")

    def _move(self, kind, source, target, amount, confirm=False):
        movement_post(
            actor=None,
            kind=kind,
            from_account=source,
            to_account=target,
            amount=amount,
            effective_date=TODAY,
            document=document(TODAY),
            confirm_overstaffing=confirm,
            reason="压减编制，逐年消化" if confirm else "",
        )

    def occupied(self, name: str) -> int:
        return sum(1 for held in self.current.values() if held.unit == name and held.loan is None)

    def reserved(self, name: str) -> int:
        return sum(a.count - a.used for _pk, a in self.approvals if a.unit == name and a.open)

    def listed(self, name: str) -> int:
        return sum(1 for held in self.current.values() if held.unit == name and held.loan is not None)

    def available(self, name: str) -> int:
        return max(0, self.approved[name] - self.occupied(name) - self.reserved(name))

    def over(self, name: str) -> bool:
        return self.occupied(name) > self.approved[name]

    def lent(self) -> int:
        return sum(loan.outstanding for _pk, loan in self.loans)

    def known(self, drawn: int) -> int | None:
        """One of those ever entered (in post or left), so that no step is spent on someone never seen."""
        people = sorted(self.person_pk)
        return people[drawn % len(people)] if people else None

    def attempt(self, label: str, expected: set[str], func, **kwargs):
        """Runs a service; ``expected`` empty means it must be accepted, else refused with one of the codes."""
        try:
            with transaction.atomic():
                result = func(**kwargs)
        except BianzhiError as exc:
            assert expected, f"{label} refused: {exc.message}"
            assert exc.code in expected, (label, exc.code, expected, exc.message)
            OUTCOMES[f"{label} refused"] += 1
            return None
        assert not expected, f"{label} accepted, expected {expected}"
        OUTCOMES[f"{label} accepted"] += 1
        return result

    def data(self, index: int) -> PersonData:
        return PersonData(NAMES[index], self.ids[index])

    def _convert_after_exit(self, name: str) -> None:
        """The service's rule: a freed slot goes to the unit's longest-serving person on a loan slot."""
        if self.available(name) < 1:
            return
        for index, held in self.current.items():
            if held.unit == name and held.loan is not None:
                loan = self.loans[held.loan][1]
                loan.returned += 1
                loan.holders.remove(index)
                self.current[index] = Held(name)
                return

    def _release(self, index: int) -> Held:
        held = self.current.pop(index)
        if held.loan is not None:
            loan = self.loans[held.loan][1]
            loan.returned += 1
            loan.holders.remove(index)
        else:
            self._convert_after_exit(held.unit)
        return held

    # ---------------------------------------------------------------- rules

    @rule(unit=st.sampled_from(UNITS), count=st.integers(1, 3))
    def approve(self, unit, count):
        draft = approvals.approval_draft(
            actor=None,
            unit=self.units[unit],
            quota_type="XZ",
            funding_form="QE",
            count=count,
            entry_mode="KL",
            purpose="补充人员",
        )
        approvals.approval_submit(actor=None, approval=draft)
        expected = set()
        if self.over(unit):
            expected = {"roster.unit_over_quota"}
        elif self.available(unit) < count:
            expected = {"roster.no_vacancy"}
        if self.attempt("approve", expected, approvals.approval_approve, actor=None, approval=draft):
            self.approvals.append((draft.pk, ModelApproval(unit, count)))

    @rule(which=st.integers(0, 20), person=st.integers(0, len(NAMES) - 1))
    def onboard_with_approval(self, which, person):
        if not self.approvals:
            return
        pk, approval = self.approvals[which % len(self.approvals)]
        # a step that breaks several rules may be refused for any of them
        expected = set()
        if not approval.open:
            expected |= {"roster.approval_state", "roster.approval_used_up"}
        if person in self.current:
            expected.add("roster.already_in_slot")
        occupancy = self.attempt(
            "onboard",
            expected,
            staffing.occupancy_start,
            actor=None,
            data=self.data(person),
            slot=staffing.Slot(approval=Approval.objects.get(pk=pk)),
            start_date=TODAY,
            entry_mode="KL",
            document=document(TODAY),
        )
        if occupancy is not None:
            self.person_pk[person] = occupancy.person_id
            self.current[person] = Held(approval.unit)
            self.left.pop(person, None)
            approval.used += 1
            approval.open = approval.used < approval.count

    @rule(unit=st.sampled_from(UNITS), person=st.integers(0, len(NAMES) - 1))
    def onboard_override(self, unit, person):
        expected = set()
        if person in self.current:
            expected.add("roster.already_in_slot")
        if self.over(unit):
            expected.add("roster.unit_over_quota")
        if self.available(unit) < 1:
            expected.add("roster.no_vacancy")
        slot = staffing.Slot(unit=self.units[unit], quota_type="XZ", funding_form="QE", override_reason="急需")
        occupancy = self.attempt(
            "override",
            expected,
            staffing.occupancy_start,
            actor=None,
            data=self.data(person),
            slot=slot,
            start_date=TODAY,
            entry_mode="DR",
            document=document(TODAY),
        )
        if occupancy is not None:
            self.person_pk[person] = occupancy.person_id
            self.current[person] = Held(unit)
            self.left.pop(person, None)

    @rule(unit=st.sampled_from(UNITS), count=st.integers(1, 2))
    def lend(self, unit, count):
        expected = {"roster.pool_short"} if self.turnover - self.lent() < count else set()
        loan = self.attempt(
            "lend",
            expected,
            loans.loan_grant,
            actor=None,
            unit=self.units[unit],
            quota_type="XZ",
            funding_form="QE",
            count=count,
            purpose="TALENT",
            start_date=TODAY,
            due_date=TODAY.replace(year=TODAY.year + 2),
            document=document(TODAY),
        )
        if loan is not None:
            self.loans.append((loan.pk, ModelLoan(unit, count)))

    @rule(which=st.integers(0, 20), person=st.integers(0, len(NAMES) - 1))
    def onboard_on_loan(self, which, person):
        if not self.loans:
            return
        pk, loan = self.loans[which % len(self.loans)]
        expected = set()
        if loan.outstanding == 0:
            expected.add("roster.loan_closed")
        elif len(loan.holders) >= loan.outstanding:
            expected.add("roster.loan_full")
        if person in self.current:
            expected.add("roster.already_in_slot")
        occupancy = self.attempt(
            "loan onboard",
            expected,
            staffing.occupancy_start,
            actor=None,
            data=self.data(person),
            slot=staffing.Slot(loan=TurnoverLoan.objects.get(pk=pk)),
            start_date=TODAY,
            entry_mode="YJ",
            document=document(TODAY),
        )
        if occupancy is not None:
            self.person_pk[person] = occupancy.person_id
            self.current[person] = Held(loan.unit, loan=which % len(self.loans))
            loan.holders.append(person)
            self.left.pop(person, None)

    @rule(person=st.integers(0, len(NAMES) - 1))
    def offboard(self, person):
        person = self.known(person)
        if person is None:
            return
        expected = set() if person in self.current else {"roster.not_in_quota"}
        done = self.attempt(
            "offboard",
            expected,
            staffing.occupancy_end,
            actor=None,
            person=Person.objects.get(pk=self.person_pk[person]),
            end_date=TODAY,
            reason="CZ",
            document=document(TODAY),
        )
        if done is not None:
            self.left[person] = self._release(person)

    @rule(person=st.integers(0, len(NAMES) - 1), unit=st.sampled_from(UNITS))
    def transfer(self, person, unit):
        person = self.known(person)
        if person is None:
            return
        expected = set()
        if person not in self.current:
            expected = {"roster.not_in_quota"}
        elif self.current[person].unit == unit and self.current[person].loan is None:
            expected = {"roster.transfer_same"}
        elif self.over(unit):
            expected = {"roster.unit_over_quota"}
        elif self.available(unit) < 1:
            expected = {"roster.no_vacancy"}
        done = self.attempt(
            "transfer",
            expected,
            staffing.occupancy_transfer,
            actor=None,
            person=Person.objects.get(pk=self.person_pk[person]),
            unit=self.units[unit],
            quota_type="XZ",
            funding_form="QE",
            effective_date=TODAY,
            document=document(TODAY),
        )
        if done is not None:
            self._release_transferred(person, done)

    def _release_transferred(self, person: int, occupancy) -> None:
        source = occupancy.transferred_from
        self.current.pop(person)
        old_loan = next((i for i, (pk, _l) in enumerate(self.loans) if pk == source.loan_id), None)
        if old_loan is not None:
            loan = self.loans[old_loan][1]
            loan.returned += 1
            loan.holders.remove(person)
        source_unit = next(name for name, unit in self.units.items() if unit.pk == source.account.unit_id)
        target_unit = next(name for name, unit in self.units.items() if unit.pk == occupancy.account.unit_id)
        self.current[person] = Held(target_unit)
        if old_loan is None:
            self._convert_after_exit(source_unit)

    @rule(person=st.integers(0, len(NAMES) - 1))
    def restore(self, person):
        person = self.known(person)
        if person is None:
            return
        expected = set()
        last = self.left.get(person)
        if person in self.current:
            expected = {"roster.already_in_quota"}
        elif last is None:
            expected = {"roster.not_in_quota"}
        elif last.loan is not None:
            expected = {"roster.restore_loan"}
        elif self.available(last.unit) < 1:
            expected = {"roster.no_vacancy"}
        done = self.attempt(
            "restore",
            expected,
            staffing.occupancy_restore,
            actor=None,
            person=Person.objects.get(pk=self.person_pk[person]),
            reason="误办出编",
        )
        if done is not None:
            self.current[person] = Held(last.unit)
            del self.left[person]

    @rule(which=st.integers(0, 20))
    def cancel(self, which):
        if not self.approvals:
            return
        pk, approval = self.approvals[which % len(self.approvals)]
        expected = set() if approval.open else {"roster.approval_state"}
        if self.attempt(
            "cancel", expected, approvals.approval_cancel, actor=None, approval=Approval.objects.get(pk=pk)
        ):
            approval.open = False

    @rule(unit=st.sampled_from(UNITS), amount=st.integers(1, 2), confirm=st.booleans())
    def hejian(self, unit, amount, confirm):
        """核减 may leave the unit 超编 (brief §2.4), but only when confirmed with a reason."""
        expected = {"quotas.insufficient"} if self.approved[unit] < amount else set()
        short = self.occupied(unit) + self.reserved(unit) > self.approved[unit] - amount
        if not expected and short and not confirm:
            expected = {"quotas.would_overstaff"}
        pool = county_account(AccountKind.POOL, "XZ")
        self.attempt(
            "hejian",
            expected,
            self._move,
            kind=MovementKind.HEJIAN,
            source=self._account(unit),
            target=pool,
            amount=amount,
            confirm=confirm,
        )
        if not expected:
            self.approved[unit] -= amount
            self.pool += amount
            if self.occupied(unit) + self.reserved(unit) > self.approved[unit]:
                self.shrunk.add(unit)

    @rule(unit=st.sampled_from(UNITS), amount=st.integers(1, 3))
    def hezeng(self, unit, amount):
        expected = {"quotas.insufficient"} if self.pool < amount else set()
        pool = county_account(AccountKind.POOL, "XZ")
        self.attempt(
            "hezeng",
            expected,
            self._move,
            kind=MovementKind.HEZENG,
            source=pool,
            target=self._account(unit),
            amount=amount,
        )
        if not expected:
            self.approved[unit] += amount
            self.pool -= amount

    @rule(amount=st.integers(1, 2))
    def out_of_turnover_pool(self, amount):
        if self.turnover < amount:
            expected = {"quotas.insufficient"}
        else:
            expected = {"roster.pool_below_loans"} if self.turnover - amount < self.lent() else set()
        pool = county_account(AccountKind.POOL, "XZ")
        self.attempt(
            "chuchi", expected, self._move, kind=MovementKind.CHUCHI, source=self._pool(), target=pool, amount=amount
        )
        if not expected:
            self.turnover -= amount
            self.pool += amount

    # ---------------------------------------------------------------- invariants

    @invariant()
    def ledger_matches_the_model(self):
        for name, unit in self.units.items():
            rows = unit_ledger(None, unit, TODAY)
            found = (rows[0].approved, rows[0].occupied, rows[0].reserved, rows[0].listed) if rows else (0, 0, 0, 0)
            assert found == (self.approved[name], self.occupied(name), self.reserved(name), self.listed(name)), name
            if rows:
                row = rows[0]
                assert row.vacant - row.over == row.approved - row.occupied
            if name not in self.shrunk:
                assert self.occupied(name) + self.reserved(name) <= self.approved[name], name

    @invariant()
    def the_database_sums_and_ranks_as_the_rows_add_up(self):
        # the home page and the county totals sum the ledger in SQL: the same figures as adding the rows up
        rows = ledger_rows(None, TODAY)
        overview = ledger_overview(None, TODAY, limit=2)
        assert overview.totals == ledger_totals(None, TODAY) == totals_by_type(rows)
        # the statistics take the rows and the database's totals from one statement: the same again
        both_rows, both_totals = ledger_rows_and_totals_of(Unit.objects.values("pk"), TODAY)
        in_order = lambda row: (row.quota_type, row.funding_form, row.unit_id)  # noqa: E731
        assert sorted(both_rows, key=in_order) == sorted(rows, key=in_order)
        held = {
            code: row for code, row in both_totals.items() if row.approved or row.occupied or row.reserved or row.listed
        }
        assert held == {row.quota_type: row for row in overview.totals}
        per_unit: dict[int, LedgerRow] = {}
        for row in rows:
            per_unit.setdefault(row.unit_id, LedgerRow("")).add(row)
        for found, figure in ((overview.most_vacant, "vacant"), (overview.most_over, "over")):
            ranked = sorted((pk for pk, row in per_unit.items() if getattr(row, figure)),
                            key=lambda pk: (-getattr(per_unit[pk], figure), pk))[:2]  # fmt: skip
            assert [(unit.pk, row) for unit, row in found] == [(pk, per_unit[pk]) for pk in ranked], figure

    @invariant()
    def nobody_holds_two_slots(self):
        twice = Person.objects.annotate(n=Count("occupancies", filter=Q(occupancies__end_date__isnull=True))).filter(
            n__gt=1
        )
        assert not twice.exists()
        assert Occupancy.objects.filter(end_date__isnull=True).count() == len(self.current)


# One fixed seed, so the coverage assertion below holds in CI and does not move when the machine's source is edited
# (a derandomized run seeds from the source); widen locally with a soak run (more examples, no seed).
SEED = 1

# the PostgreSQL pass replays the first half of the same histories: what differs there is how the database runs
# each step, not which steps are tried (the SQLite pass runs them all)
EXAMPLES = 12 if USES_POSTGRES else 25
SETTINGS = settings(
    max_examples=EXAMPLES,
    stateful_step_count=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    # a failing history is printed as it happened: shrinking a database-backed machine takes many minutes
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)


@pytest.mark.slow
@pytest.mark.django_db
def test_random_roster_histories_keep_slots_and_people_consistent():
    OUTCOMES.clear()
    run_state_machine_as_test(seed(SEED)(RosterMachine), settings=SETTINGS)
    missing = [
        label
        for label in (
            "approve",
            "onboard",
            "override",
            "lend",
            "loan onboard",
            "offboard",
            "transfer",
            "restore",
            "hejian",
        )
        if not OUTCOMES[f"{label} accepted"] or not OUTCOMES[f"{label} refused"]
    ]
    assert not missing, (missing, sorted(OUTCOMES.items()))
