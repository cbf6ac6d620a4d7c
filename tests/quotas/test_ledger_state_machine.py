"""A random history of a small county, step by step, against an independent model of what must have happened.

Every example starts from the same county and runs random steps: quota movements of every kind and route, valid
and invalid; leadership-post movements; reversals; 只减不增 baselines; and unit lifecycle events (set up, rename,
move, reclassify, merge, abolish, split). Effective dates are drawn from a bounded range, so many steps are
backdated before earlier ones.

The test keeps its own model: the movements it expects to be on the books, and each unit's dated versions. Before
each step it works out, from the model alone, which rules the step breaks. A step that breaks none must be
accepted and must book exactly the movements the model expects; a step that breaks some must be refused with one
of their codes and must leave every row as it was. After every step the database must agree with the model:
each account's balance on every date (the stored intervals, ``balances_as_of`` and the selectors), conservation
and non-negativity on every date, the tree as it stood on each date, and each unit's current record. The model
in turn must never show a loop in the tree, a current unit under a closed one, or a closed unit holding slots.
At the end of every example ``bianzhi check`` must find no drift.
"""

from __future__ import annotations

import datetime as dt
import itertools
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, seed, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from bianzhi.core.errors import BianzhiError
from bianzhi.core.integrity import run_all
from bianzhi.lifecycle.services import SplitPart, unit_abolish, unit_merge, unit_split
from bianzhi.orgs.choices import RANK_ORDER, InstitutionClass, SystemCategory, UnitKind, UnitNature, UnitRank
from bianzhi.orgs.documents import DocumentRef
from bianzhi.orgs.models import Unit
from bianzhi.orgs.selectors import subtree_ids_as_of, version_as_of
from bianzhi.orgs.services import UnitSpec, unit_change_class, unit_create, unit_move, unit_rename
from bianzhi.quotas.ledger import balances_as_of
from bianzhi.quotas.models import (
    LeadershipAccount,
    LeadershipBalance,
    LeadershipMovement,
    Movement,
    QuotaAccount,
    QuotaBalance,
    QuotaType,
)
from bianzhi.quotas.selectors import county_summary, ledger_rows, unit_ledger, unit_posts
from bianzhi.quotas.services import (
    MAX_AMOUNT,
    county_account,
    movement_post,
    movement_reverse,
    post_authority_account,
    post_movement_post,
    post_movement_reverse,
    post_unit_account,
    quota_baseline_set,
    unit_account,
)
from tests.conftest import USES_POSTGRES
from tests.quotas.support import ALLOWED_POST_ROUTES, ALLOWED_ROUTES, A, P, T, U, snapshot

DAYS = tuple(dt.date(2021, 1, 1) + dt.timedelta(days=45 * i) for i in range(7))
BASE = DAYS[0]
CHECK_DATES = sorted({*DAYS, *(d - dt.timedelta(days=1) for d in DAYS), DAYS[-1] + dt.timedelta(days=30)})
TYPES = ("XZ", "ZFZX", "SY", "GQ")
TOTALS = {"XZ": 14, "ZFZX": 6, "SY": 18, "GQ": 4}
POSTS = tuple(itertools.product(("ZHENG", "FU"), (UnitRank.ZHENGKE, UnitRank.FUKE, UnitRank.GUJI)))
RANKS = (UnitRank.ZHENGKE, UnitRank.FUKE, UnitRank.GUJI)
NAMES = tuple(f"锦绣县{c}局" for c in "甲乙丙丁戊己庚辛壬癸子丑")
# what each template of unit is: kind, 政法, class
TEMPLATES = {
    "organ": (UnitKind.JIGUAN, False, ""),
    "political_legal_organ": (UnitKind.JIGUAN, True, ""),
    "institution_class_1": (UnitKind.SHIYE, False, InstitutionClass.GY1),
    "institution_class_2": (UnitKind.SHIYE, False, InstitutionClass.GY2),
}
# where each quota type may be used (brief §1.1, invariant I2)
TYPE_KINDS = {"XZ": {UnitKind.JIGUAN}, "ZFZX": {UnitKind.JIGUAN}, "SY": {UnitKind.SHIYE}, "GQ": {UnitKind.JIGUAN}}
BAD_AMOUNTS = (0, -1, True, MAX_AMOUNT + 1)
MAX_UNITS = 12

# Outcomes over the whole run, so that the test can show it exercised what it claims to.
OUTCOMES: Counter[str] = Counter()


def draw_amount(data, largest: int):
    """Mostly a small valid number; sometimes one of the amounts every form must refuse."""
    if data.draw(st.integers(0, 9), label="bad amount?") == 0:
        return data.draw(st.sampled_from(BAD_AMOUNTS), label="amount")
    return data.draw(st.integers(1, largest), label="amount")


def draw_dates(data) -> tuple[dt.date, dt.date]:
    """An effective date, and the document's date: mostly the same day or earlier, sometimes (wrongly) later."""
    day = data.draw(st.sampled_from(DAYS[1:]), label="day")
    choice = data.draw(st.integers(0, 9), label="document date")
    if choice < 7:
        return day, day
    earlier, later = [d for d in DAYS if d < day], [d for d in DAYS if d > day]
    pool = later if choice == 9 and later else earlier
    return day, data.draw(st.sampled_from(pool), label="document day")


def slot_key(kind: str, type_code: str, unit: int | None = None, funding: str = "") -> tuple:
    return ("S", kind, unit, type_code, funding if kind == U else "")


def post_key(kind: str, level: str, grade: str, unit: int | None = None) -> tuple:
    return ("P", kind, unit, level, grade)


def key_order(key: tuple) -> tuple:
    """Accounts in a stable order (the county's before the units', units by key), whatever the keys' values."""
    ledger, kind, unit, a, b = key
    return (ledger, kind, unit or 0, a, b)


def valid_amount(amount) -> bool:
    return isinstance(amount, int) and not isinstance(amount, bool) and 0 < amount <= MAX_AMOUNT


@dataclass
class Version:
    valid_from: dt.date
    valid_to: dt.date | None
    name: str
    parent: int | None
    status: str
    cls: str


@dataclass
class ModelUnit:
    pk: int
    kind: str
    zhengfa: bool
    rank: str
    established: dt.date
    versions: list[Version]

    @property
    def current(self) -> Version:
        return self.versions[-1]

    @property
    def active(self) -> bool:
        return self.current.status == "ACTIVE"

    def as_of(self, day: dt.date) -> Version | None:
        return next(
            (v for v in self.versions if v.valid_from <= day and (v.valid_to is None or day < v.valid_to)), None
        )

    def record(self, day: dt.date, **changes) -> None:
        """A new version from ``day`` (the service replaces the current one when it starts the same day)."""
        current = self.current
        values = {**current.__dict__, **changes, "valid_from": day, "valid_to": None}
        if day == current.valid_from:
            self.versions[-1] = Version(**values)
        else:
            current.valid_to = day
            self.versions.append(Version(**values))


@dataclass
class ModelMove:
    ledger: str  # "S" (slots) or "P" (leadership posts)
    kind: str
    source: tuple
    target: tuple
    amount: int
    day: dt.date
    reverses: int | None = None  # index of the reversed move in the model
    pk: int | None = None
    reversed_by: int | None = None

    def signature(self, pks: list) -> tuple:
        reversed_pk = pks[self.reverses] if self.reverses is not None else None
        return (self.ledger, self.kind, self.source, self.target, self.amount, self.day, reversed_pk)


@dataclass
class Step:
    """One attempted change: what the model says it breaks, and what it must book if accepted."""

    name: str
    violations: set[str]
    moves: list[ModelMove] = field(default_factory=list)


class CountyLedgerMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.serial = itertools.count(1)
        self.units: dict[int, ModelUnit] = {}
        self.moves: list[ModelMove] = []
        self.baselines: dict[str, int | None] = dict.fromkeys(TYPES)
        self.checks = 0
        self._replay: tuple[int, dict] = (-1, {})
        self._keys: dict | None = None
        for code, total in TOTALS.items():
            self.slot_movement_step("HEZENG", slot_key(A, code), slot_key(P, code), total, BASE, BASE, False)
        self.baseline_step("SY", TOTALS["SY"])
        first = self.create_step("organ", NAMES[0], None, UnitRank.ZHENGKE, BASE, BASE)
        self.create_step("political_legal_organ", NAMES[1], None, UnitRank.ZHENGKE, BASE, BASE)
        self.create_step("institution_class_2", NAMES[2], first, UnitRank.FUKE, BASE, BASE)
        self.create_step("institution_class_1", NAMES[3], first, UnitRank.GUJI, BASE, BASE)
        assert len(self.units) == 4

    def teardown(self):
        try:
            assert {name: drifts for name, drifts in run_all().items() if drifts} == {}
        finally:
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

    # ------------------------------------------------------------------ the model's arithmetic

    def replayed(self) -> dict[tuple, tuple[list, list]]:
        """Each account's running balance at each day it changes, from the accepted movements (cached)."""
        if self._replay[0] != len(self.moves):
            self._replay = (len(self.moves), replay(self.moves))
        return self._replay[1]

    def balance(self, key: tuple, day: dt.date, extra: tuple = ()) -> int:
        if not extra:
            days, running = self.replayed().get(key, ((), ()))
            index = bisect_right(days, day)
            return running[index - 1] if index else 0
        total = 0
        for move in (*self.moves, *extra):
            if move.day <= day:
                total += move.amount * ((move.target == key) - (move.source == key))
        return total

    def change_days(self, key: tuple, extra: tuple = ()) -> list[dt.date]:
        return sorted({m.day for m in (*self.moves, *extra) if key in (m.source, m.target)})

    def goes_negative(self, keys, extra: tuple) -> bool:
        return any(
            self.balance(key, day, extra) < 0 for key in keys if key[1] != A for day in self.change_days(key, extra)
        )

    def above_baseline(self, type_code: str, extra: tuple, start: dt.date) -> bool:
        authority = slot_key(A, type_code)
        days = [start, *(d for d in self.change_days(authority, extra) if d >= start)]
        return any(-self.balance(authority, d, extra) > self.baselines[type_code] for d in days)

    def held(self, unit: int, ledger: str, day: dt.date, extra: tuple = ()) -> dict[tuple, int]:
        keys = {k for k in self.replayed() if k[0] == ledger and k[2] == unit}
        keys |= {k for m in extra if m.ledger == ledger for k in (m.source, m.target) if k[2] == unit}
        return {k: b for k in sorted(keys, key=key_order) if (b := self.balance(k, day, extra))}

    def touched_after(self, unit: int, day: dt.date) -> bool:
        return any(m.day > day and unit in (m.source[2], m.target[2]) for m in self.moves)

    # ------------------------------------------------------------------ the model's register

    def children_as_of(self, day: dt.date) -> dict[int | None, list[int]]:
        children = defaultdict(list)
        for unit in self.units.values():
            version = unit.as_of(day)
            if version is not None:
                children[version.parent].append(unit.pk)
        return children

    def subtree_as_of(self, pk: int, day: dt.date) -> set[int]:
        children, found, stack = self.children_as_of(day), set(), [pk]
        while stack:
            current = stack.pop()
            if current not in found:
                found.add(current)
                stack.extend(children.get(current, []))
        return found

    def current_subtree(self, pk: int) -> set[int]:
        children = defaultdict(list)
        for unit in self.units.values():
            children[unit.current.parent].append(unit.pk)
        found, stack = set(), [pk]
        while stack:
            current = stack.pop()
            if current not in found:
                found.add(current)
                stack.extend(children.get(current, []))
        return found

    def below_on_or_after(self, candidate: int, ancestor: int, start: dt.date) -> bool:
        """Whether ``candidate`` stands under ``ancestor`` on some day from ``start`` on (checked on every day the
        tree changes, which is a different method from the service's)."""
        days = {start} | {v.valid_from for u in self.units.values() for v in u.versions if v.valid_from > start}
        return any(candidate in self.subtree_as_of(ancestor, day) for day in days)

    def children_after(self, pk: int, day: dt.date, moving: set[int] = frozenset()) -> bool:
        """Whether a unit other than those moving away on ``day`` stood, current, under ``pk`` after ``day``."""
        return any(
            v.parent == pk and v.status == "ACTIVE" and (v.valid_to is None or v.valid_to > day)
            for unit in self.units.values()
            if unit.pk not in moving
            for v in unit.versions
        )

    def fit(self, unit: ModelUnit, type_code: str, funding: str) -> str | None:
        """The error opening or filling this account would raise (invariant I2), if any."""
        if unit.kind not in TYPE_KINDS[type_code] or (type_code == "ZFZX" and not unit.zhengfa):
            return "quotas.type_not_allowed"
        if unit.current.cls == InstitutionClass.GY1 and funding != "QE":
            return "quotas.funding_gy1"
        return None

    def slot_keys(self, type_code: str, kind: str) -> list[tuple]:
        if kind != U:
            return [slot_key(kind, type_code)]
        keys = set()
        for unit in self.units.values():
            for funding in ("QE", "CE", "ZS"):
                if self.fit(unit, type_code, funding) is None:
                    keys.add(slot_key(U, type_code, unit.pk, funding))
        keys |= {
            k for m in self.moves if m.ledger == "S" for k in (m.source, m.target) if k[1] == U and k[3] == type_code
        }
        return sorted(keys, key=key_order)

    # ------------------------------------------------------------------ doing a step

    def draw_unit(self, data, label: str = "unit") -> int:
        """Mostly a current unit; sometimes any, closed ones included, so that their refusals happen too."""
        active = sorted(pk for pk, u in self.units.items() if u.active)
        if active and data.draw(st.integers(0, 9), label=f"current {label}?") < 8:
            return data.draw(st.sampled_from(active), label=label)
        return data.draw(st.sampled_from(sorted(self.units)), label=label)

    def draw_name(self, data) -> str:
        """Mostly a name no current unit has; sometimes any, so that clashes happen too."""
        free = [n for n in NAMES if not any(u.active and u.current.name == n for u in self.units.values())]
        if free and data.draw(st.integers(0, 9), label="free name?") < 8:
            return data.draw(st.sampled_from(free), label="name")
        return data.draw(st.sampled_from(NAMES), label="name")

    def draw_rank(self, data, parent: int | None) -> str:
        """Mostly a rank the parent allows; sometimes any."""
        if parent is not None and data.draw(st.integers(0, 9), label="rank fits?") < 8:
            top = RANK_ORDER[self.units[parent].rank]
            return data.draw(st.sampled_from([r for r in RANKS if RANK_ORDER[r] <= top]), label="rank")
        return data.draw(st.sampled_from(RANKS), label="rank")

    def doc(self, day: dt.date) -> DocumentRef:
        return DocumentRef(f"机测〔{day.year}〕{next(self.serial)}号", "关于机构编制事项的通知", day, "测试县编委")

    def attempt(self, step: Step, action):
        """Runs ``action`` as one request; checks the outcome against the model and books what it must."""
        before = snapshot() if step.violations else None
        marks = (
            Movement.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
            LeadershipMovement.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
        )
        self._keys = None  # the step may open accounts
        try:
            with transaction.atomic():
                result = action()
        except BianzhiError as error:
            assert step.violations, f"{step.name}: refused although valid: [{error.code}] {error.message}"
            assert error.code in step.violations, (
                f"{step.name}: [{error.code}] {error.message}; expected one of {step.violations}"
            )
            assert snapshot() == before, f"{step.name}: refused with {error.code} but rows changed"
            OUTCOMES[f"{step.name} refused"] += 1
            OUTCOMES[f"refused {error.code}"] += 1
            OUTCOMES[f"{step.name}: {error.code}"] += 1
            return None
        assert not step.violations, f"{step.name}: accepted although it breaks {step.violations}"
        self.book(step.moves, marks)
        OUTCOMES[f"{step.name} accepted"] += 1
        return result

    def book(self, expected: list[ModelMove], marks: tuple[int, int]) -> None:
        """The movements the step wrote must be exactly those the model expects; the model learns their keys."""
        written = [
            *self.written(Movement, QuotaAccount, "S", marks[0]),
            *self.written(LeadershipMovement, LeadershipAccount, "P", marks[1]),
        ]
        base = len(self.moves)
        self.moves.extend(expected)
        pks = [m.pk for m in self.moves]
        by_signature = defaultdict(list)
        for pk, signature in written:
            by_signature[signature].append(pk)
        for index, move in enumerate(expected, start=base):
            signature = move.signature(pks)
            assert by_signature[signature], f"expected {signature}, the service wrote {[s for _pk, s in written]}"
            move.pk = pks[index] = by_signature[signature].pop()
            if move.reverses is not None:
                self.moves[move.reverses].reversed_by = index
        assert not any(by_signature.values()), f"unexpected movements {dict(by_signature)}"

    @staticmethod
    def written(movement_model, account_model, ledger: str, mark: int):
        fields = (
            ("kind", "unit_id", "quota_type_id", "funding_form")
            if ledger == "S"
            else ("kind", "unit_id", "level", "grade")
        )
        keys = {row[0]: key_of(ledger, *row[1:]) for row in account_model.objects.values_list("pk", *fields)}
        rows = movement_model.objects.filter(pk__gt=mark).values_list(
            "pk", "kind", "from_account_id", "to_account_id", "amount", "effective_date", "reverses_id"
        )
        return [
            (pk, (ledger, kind, keys[src], keys[dst], amount, day, rev))
            for pk, kind, src, dst, amount, day, rev in rows
        ]

    def account(self, key: tuple):
        ledger, kind, unit, a, b = key
        if ledger == "S":
            if kind != U:
                return county_account(kind, a)
            existing = QuotaAccount.objects.filter(kind=U, unit_id=unit, quota_type_id=a, funding_form=b).first()
            return existing or unit_account(Unit.objects.get(pk=unit), a, b)
        if kind != U:
            return post_authority_account(a, b)
        return post_unit_account(Unit.objects.get(pk=unit), a, b)

    def common_violations(self, violations: set, keys, day: dt.date, doc_day: dt.date) -> None:
        if doc_day > day:
            violations.add("documents.effective_before_issue")
        for key in keys:
            if key[2] is not None:
                unit = self.units[key[2]]
                if not unit.active:
                    violations.add("orgs.unit_closed")
                if day < unit.established:
                    violations.add("orgs.unit_not_yet_established")

    # ------------------------------------------------------------------ quota and post movements

    def slot_movement_step(self, kind, source, target, amount, day, doc_day, grant):
        violations = set()
        if not valid_amount(amount):
            violations.add("quotas.amount_invalid")
        if source == target:
            violations.add("quotas.same_account")
        if source[3] != target[3]:
            violations.add("quotas.type_mismatch")
        if grant and source[1] != A:
            violations.add("quotas.grant_only_from_authority")
        if (source[1], target[1]) not in ALLOWED_ROUTES[kind]:
            violations.add("quotas.route")
        self.common_violations(violations, (source, target), day, doc_day)
        if target[1] == U and (problem := self.fit(self.units[target[2]], target[3], target[4])):
            violations.add(problem)
        move = ModelMove("S", kind, source, target, amount, day)
        if valid_amount(amount) and source != target:
            if self.goes_negative((source, target), (move,)):
                violations.add("quotas.insufficient")
            capped = source[1] == A and not grant and self.baselines[source[3]] is not None
            if capped and self.above_baseline(source[3], (move,), day):
                violations.add("quotas.baseline_exceeded")
        step = Step("movement", violations, [move])
        self.attempt(
            step,
            lambda: movement_post(
                actor=None,
                kind=kind,
                from_account=self.account(source),
                to_account=self.account(target),
                amount=amount,
                effective_date=day,
                document=self.doc(doc_day),
                authority_grant=grant,
            ),
        )

    @rule(data=st.data())
    def slot_movement(self, data):
        self.draw_slot_movement(data, any_route=True)

    @rule(data=st.data())
    def slot_movement_on_its_route(self, data):
        self.draw_slot_movement(data, any_route=False)

    def draw_slot_movement(self, data, *, any_route: bool):
        kind = data.draw(st.sampled_from(sorted(ALLOWED_ROUTES)), label="kind")
        type_code = data.draw(st.sampled_from(TYPES), label="type")
        if not any_route or data.draw(st.integers(0, 9), label="route") < 7:
            from_kind, to_kind = data.draw(st.sampled_from(sorted(ALLOWED_ROUTES[kind])), label="route kinds")
        else:
            from_kind, to_kind = (data.draw(st.sampled_from((A, P, T, U))) for _ in range(2))
        to_type = type_code
        if any_route and not data.draw(st.integers(0, 9), label="same type?"):
            to_type = data.draw(st.sampled_from(TYPES), label="to type")
        sources, targets = self.slot_keys(type_code, from_kind), self.slot_keys(to_type, to_kind)
        if not any_route:  # between current units
            sources = [k for k in sources if k[2] is None or self.units[k[2]].active] or sources
            targets = [k for k in targets if k[2] is None or self.units[k[2]].active] or targets
        if not sources or not targets:
            return
        source = data.draw(st.sampled_from(sources), label="from")
        target = data.draw(st.sampled_from(targets), label="to")
        amount = draw_amount(data, 6)
        day, doc_day = draw_dates(data)
        grant = data.draw(st.integers(0, 9), label="grant") == 0 if source[1] == A or any_route else False
        self.slot_movement_step(kind, source, target, amount, day, doc_day, grant)

    @rule(data=st.data())
    def post_movement(self, data):
        self.draw_post_movement(data, any_route=True)

    @rule(data=st.data())
    def post_movement_on_its_route(self, data):
        self.draw_post_movement(data, any_route=False)

    def draw_post_movement(self, data, *, any_route: bool):
        kind = data.draw(st.sampled_from(sorted(ALLOWED_POST_ROUTES)), label="kind")
        routes = sorted(ALLOWED_POST_ROUTES[kind]) + ([(U, U), (A, U)] if any_route else [])
        from_kind, to_kind = data.draw(st.sampled_from(routes), label="route kinds")
        holders = sorted(
            {k for k in self.replayed() if k[0] == "P" and k[1] == U and self.balance(k, DAYS[-1])}, key=key_order
        )
        if from_kind == U and holders and not any_route:  # from a unit that holds such posts
            source = data.draw(st.sampled_from(holders), label="from")
        else:
            level, grade = data.draw(st.sampled_from(POSTS), label="post")
            unit = self.draw_unit(data, "from unit") if from_kind == U else None
            source = post_key(from_kind, level, grade, unit)
        post = source[3:]
        if any_route and not data.draw(st.integers(0, 9), label="same post?"):
            post = data.draw(st.sampled_from(POSTS), label="to post")
        target = post_key(to_kind, *post, self.draw_unit(data, "to unit") if to_kind == U else None)
        amount = draw_amount(data, 3)
        day, doc_day = draw_dates(data)
        above = target[1] == U and RANK_ORDER[target[4]] > RANK_ORDER[self.units[target[2]].rank]
        gaopei = data.draw(st.booleans(), label="高配") if any_route else above

        violations = set()
        if not valid_amount(amount):
            violations.add("quotas.amount_invalid")
        if source == target:
            violations.add("quotas.same_account")
        if source[3:] != target[3:]:
            violations.add("quotas.post_mismatch")
        if (source[1], target[1]) not in ALLOWED_POST_ROUTES[kind]:
            violations.add("quotas.route")
        self.common_violations(violations, (source, target), day, doc_day)
        if above and not gaopei:
            violations.add("quotas.gaopei_required")
        move = ModelMove("P", kind, source, target, amount, day)
        if valid_amount(amount) and source != target and self.goes_negative((source, target), (move,)):
            violations.add("quotas.insufficient")
        self.attempt(
            Step("post movement", violations, [move]),
            lambda: post_movement_post(
                actor=None,
                kind=kind,
                from_account=self.account(source),
                to_account=self.account(target),
                amount=amount,
                effective_date=day,
                document=self.doc(doc_day),
                is_gaopei=gaopei,
            ),
        )

    @precondition(lambda self: len(self.moves) > 4)
    @rule(data=st.data())
    def reversal(self, data):
        index = data.draw(st.integers(4, len(self.moves) - 1), label="movement")  # the county totals stay
        day = data.draw(st.one_of(st.none(), st.sampled_from(DAYS[1:])), label="effective date")
        self.reversal_step(index, day, data.draw(st.sampled_from(DAYS), label="document day"))

    @rule(data=st.data())
    def reversal_as_planned(self, data):
        """A wrong entry corrected from its own date: one not yet reversed, between units still current, whose
        slots are still where it put them."""
        candidates = [
            i
            for i, m in enumerate(self.moves[4:], start=4)
            if m.reverses is None
            and m.reversed_by is None
            and all(k[2] is None or self.units[k[2]].active for k in (m.source, m.target))
            and not self.goes_negative((m.target,), (ModelMove(m.ledger, m.kind, m.target, m.source, m.amount, m.day),))
        ]
        if candidates:
            self.reversal_step(data.draw(st.sampled_from(candidates), label="movement"), None, DAYS[-1])

    def reversal_step(self, index: int, day: dt.date | None, doc_day: dt.date) -> None:
        original = self.moves[index]
        effective = day or original.day
        violations = set()
        if original.reverses is not None:
            violations.add("quotas.reversal_of_reversal")
        if original.reversed_by is not None:
            violations.add("quotas.already_reversed")
        if day is not None and day < original.day:
            violations.add("quotas.reversal_before_original")
        self.common_violations(violations, (original.source, original.target), effective, dt.date.min)
        move = ModelMove(
            original.ledger, original.kind, original.target, original.source, original.amount, effective, index
        )
        if self.goes_negative((original.source, original.target), (move,)):
            violations.add("quotas.insufficient")
        model = Movement if original.ledger == "S" else LeadershipMovement
        reverse = movement_reverse if original.ledger == "S" else post_movement_reverse
        self.attempt(
            Step("reversal", violations, [move]),
            lambda: reverse(
                actor=None,
                movement=model.objects.get(pk=original.pk),
                document=self.doc(doc_day),
                reason="更正",
                effective_date=day,
            ),
        )

    def baseline_step(self, type_code: str, total: int | None) -> None:
        self.attempt(
            Step("baseline", set()),
            lambda: quota_baseline_set(
                actor=None, quota_type=QuotaType.objects.get(code=type_code), total=total, document=self.doc(BASE)
            ),
        )
        self.baselines[type_code] = total

    @rule(type_code=st.sampled_from(("XZ", "SY")), total=st.one_of(st.none(), st.integers(8, 24)))
    def baseline(self, type_code, total):
        self.baseline_step(type_code, total)

    @rule(data=st.data())
    def open_an_account_of_the_wrong_type(self, data):
        """I2: 行政/政法/工勤 slots only in organs (政法 only in 政法 organs), 事业 slots only in institutions."""
        unit = self.units[self.draw_unit(data)]
        wrong = [(t, f) for t in TYPES for f in ("QE", "CE", "ZS") if self.fit(unit, t, f)]
        type_code, funding = data.draw(st.sampled_from(wrong), label="account")
        self.attempt(
            Step("wrong account", {self.fit(unit, type_code, funding)}),
            lambda: unit_account(Unit.objects.get(pk=unit.pk), type_code, funding),
        )

    # ------------------------------------------------------------------ the unit lifecycle

    def create_violations(self, violations, template, name, parent, rank, day, doc_day) -> None:
        if any(u.active and u.current.name == name for u in self.units.values()):
            violations.add("orgs.name_taken")
        if doc_day > day:
            violations.add("documents.effective_before_issue")
        if parent is not None:
            parent_unit = self.units[parent]
            if not parent_unit.active:
                violations.add("orgs.parent_inactive")
            if day < parent_unit.established:
                violations.add("orgs.unit_not_yet_established")
            if RANK_ORDER[rank] > RANK_ORDER[parent_unit.rank]:
                violations.add("orgs.rank_above_parent")

    def spec(self, template, name, parent, rank) -> UnitSpec:
        kind, zhengfa, cls = TEMPLATES[template]
        return UnitSpec(
            name=name,
            system_category=SystemCategory.ZHENGFU,
            kind=kind,
            nature=UnitNature.SHIYE if kind == UnitKind.SHIYE else UnitNature.XINGZHENG,
            rank=rank,
            parent=Unit.objects.get(pk=parent) if parent else None,
            institution_class=cls,
            is_zhengfa=zhengfa,
        )

    def learn_unit(self, unit: Unit, template: str, day: dt.date) -> None:
        kind, zhengfa, cls = TEMPLATES[template]
        version = Version(day, None, unit.name, unit.parent_id, "ACTIVE", cls)
        self.units[unit.pk] = ModelUnit(unit.pk, kind, zhengfa, unit.rank, day, [version])

    def create_step(self, template, name, parent, rank, day, doc_day):
        violations = set()
        self.create_violations(violations, template, name, parent, rank, day, doc_day)
        created = self.attempt(
            Step("set up", violations),
            lambda: unit_create(
                actor=None, spec=self.spec(template, name, parent, rank), document=self.doc(doc_day), effective_date=day
            ),
        )
        if created is not None:
            self.learn_unit(created, template, day)
        return created.pk if created is not None else None

    @precondition(lambda self: len(self.units) < MAX_UNITS)
    @rule(data=st.data())
    def set_up(self, data):
        template = data.draw(st.sampled_from(sorted(TEMPLATES)), label="template")
        name = self.draw_name(data)
        parent = self.draw_unit(data, "parent") if data.draw(st.integers(0, 3), label="top level?") else None
        rank = self.draw_rank(data, parent)
        day, doc_day = draw_dates(data)
        self.create_step(template, name, parent, rank, day, doc_day)

    def change_violations(self, violations, unit: ModelUnit, day, doc_day, *, revalidated: bool = False) -> None:
        if not unit.active:
            violations.add("orgs.unit_closed")
        if day < unit.established:
            violations.add("orgs.unit_not_yet_established")
        if doc_day > day:
            violations.add("documents.effective_before_issue")
        if day < unit.current.valid_from:
            violations.add("orgs.out_of_order")
            parent = unit.current.parent
            if revalidated and parent is not None and day < self.units[parent].established:
                violations.add("orgs.unit_not_yet_established")  # the attributes are checked before the date order

    @rule(data=st.data())
    def rename(self, data):
        unit = self.units[self.draw_unit(data)]
        name = self.draw_name(data)
        day, doc_day = draw_dates(data)
        violations = set()
        self.change_violations(violations, unit, day, doc_day, revalidated=True)
        if name == unit.current.name:
            violations.add("orgs.nothing_changed")
        if any(u.active and u.current.name == name and u.pk != unit.pk for u in self.units.values()):
            violations.add("orgs.name_taken")
        renamed = self.attempt(
            Step("rename", violations),
            lambda: unit_rename(
                actor=None, unit=Unit.objects.get(pk=unit.pk), name=name, document=self.doc(doc_day), effective_date=day
            ),
        )
        if renamed is not None:
            unit.record(day, name=name)

    def move_violations(self, violations, unit: ModelUnit, parent: int | None, day, doc_day) -> None:
        if parent is not None and (
            parent in self.current_subtree(unit.pk) or self.below_on_or_after(parent, unit.pk, day)
        ):
            violations.add("orgs.move_into_subtree")
        self.change_violations(violations, unit, day, doc_day)
        if parent == unit.current.parent:
            violations.add("orgs.nothing_changed")
        if parent is not None:
            new_parent = self.units[parent]
            if not new_parent.active:
                violations.add("orgs.parent_inactive")
            if day < new_parent.established:
                violations.add("orgs.unit_not_yet_established")
            if RANK_ORDER[unit.rank] > RANK_ORDER[new_parent.rank]:
                violations.add("orgs.rank_above_parent")

    @rule(data=st.data())
    def move(self, data):
        unit = self.units[self.draw_unit(data)]
        parent = self.draw_unit(data, "new parent") if data.draw(st.integers(0, 3), label="top level?") else None
        day, doc_day = draw_dates(data)
        self.move_step(unit, parent, day, doc_day)

    @rule(data=st.data())
    def move_as_planned(self, data):
        """A move the register allows today, on any date since the unit last changed: often before other moves."""
        unit = self.units[self.draw_unit(data)]
        parents = [
            u.pk
            for u in self.units.values()
            if u.active and u.pk not in self.current_subtree(unit.pk) and RANK_ORDER[u.rank] >= RANK_ORDER[unit.rank]
        ]
        parent = data.draw(st.sampled_from([None, *parents]), label="new parent")
        start = max([unit.current.valid_from, self.units[parent].established if parent else BASE])
        day = data.draw(st.sampled_from([d for d in DAYS[1:] if d >= start] or [DAYS[-1]]), label="day")
        self.move_step(unit, parent, day, day)

    @rule(data=st.data())
    def place_under_another_for_a_while(self, data):
        """托管: a unit is placed under another for a while, then returns where it was."""
        unit = self.units[self.draw_unit(data)]
        home = unit.current.parent
        hosts = [
            u.pk
            for u in self.units.values()
            if u.active
            and u.pk != home
            and u.pk not in self.current_subtree(unit.pk)
            and RANK_ORDER[u.rank] >= RANK_ORDER[unit.rank]
        ]
        if not hosts:
            return
        host = data.draw(st.sampled_from(hosts), label="host")
        start = max(unit.current.valid_from, self.units[host].established)
        days = [d for d in DAYS[1:] if d >= start]
        if len(days) < 2:
            return
        leave, back = sorted(data.draw(st.lists(st.sampled_from(days), min_size=2, max_size=2, unique=True)))
        self.move_step(unit, host, leave, leave)
        if unit.current.parent == host:
            self.move_step(unit, home, back, back)

    @rule(data=st.data())
    def move_under_a_former_sub_unit(self, data):
        """Reorganisations turn things round: a unit goes under one that stood under it before, sometimes entered
        with a date before that earlier arrangement ended (the tree of no date may then loop)."""
        pairs = [
            (unit.pk, former)
            for unit in self.units.values()
            if unit.active
            for former in set().union(*(self.subtree_as_of(unit.pk, d) for d in DAYS)) - self.current_subtree(unit.pk)
            if self.units[former].active
        ]
        if not pairs:
            return
        unit, parent = data.draw(st.sampled_from(sorted(pairs)), label="unit, former sub-unit")
        day = data.draw(st.sampled_from(DAYS[1:]), label="day")
        self.move_step(self.units[unit], parent, day, day)

    def move_step(self, unit: ModelUnit, parent: int | None, day: dt.date, doc_day: dt.date) -> None:
        violations = set()
        self.move_violations(violations, unit, parent, day, doc_day)
        moved = self.attempt(
            Step("move", violations),
            lambda: unit_move(
                actor=None,
                unit=Unit.objects.get(pk=unit.pk),
                new_parent=Unit.objects.get(pk=parent) if parent else None,
                document=self.doc(doc_day),
                effective_date=day,
            ),
        )
        if moved is not None:
            unit.record(day, parent=parent)

    @rule(data=st.data())
    def reclassify(self, data):
        unit = self.units[self.draw_unit(data)]
        cls = data.draw(st.sampled_from((InstitutionClass.GY1, InstitutionClass.GY2)), label="class")
        day, doc_day = draw_dates(data)
        violations = set()
        self.change_violations(violations, unit, day, doc_day, revalidated=True)
        if unit.kind != UnitKind.SHIYE:
            violations.add("orgs.class_not_allowed")
        elif cls == unit.current.cls:
            violations.add("orgs.nothing_changed")
        changed = self.attempt(
            Step("reclassify", violations),
            lambda: unit_change_class(
                actor=None,
                unit=Unit.objects.get(pk=unit.pk),
                institution_class=cls,
                document=self.doc(doc_day),
                effective_date=day,
            ),
        )
        if changed is not None:
            unit.record(day, cls=cls)

    def close_violations(self, violations, unit: ModelUnit, day, doc_day, moving: set[int] = frozenset()) -> None:
        self.change_violations(violations, unit, day, doc_day)
        if self.touched_after(unit.pk, day):
            violations.add("quotas.later_movements")
        if self.children_after(unit.pk, day, moving):
            violations.add("orgs.children_after")

    def hand_over(self, unit: ModelUnit, successor: ModelUnit | None, day, extra: tuple = ()) -> list[ModelMove]:
        moves = []
        for key, amount in self.held(unit.pk, "S", day, extra).items():
            if successor is None:
                moves.append(ModelMove("S", "HEJIAN", key, slot_key(P, key[3]), amount, day))
            else:
                moves.append(ModelMove("S", "HUAZHUAN", key, slot_key(U, key[3], successor.pk, key[4]), amount, day))
        for key, amount in self.held(unit.pk, "P", day, extra).items():
            target = post_key(A, key[3], key[4]) if successor is None else post_key(U, key[3], key[4], successor.pk)
            moves.append(ModelMove("P", "HEJIAN" if successor is None else "HUAZHUAN", key, target, amount, day))
        return moves

    def close(self, unit: ModelUnit, status: str, day: dt.date) -> None:
        unit.record(day, status=status)

    @rule(data=st.data())
    def abolish(self, data):
        unit = self.units[self.draw_unit(data)]
        day, doc_day = draw_dates(data)
        violations = set()
        if any(u.active and u.current.parent == unit.pk for u in self.units.values()):
            violations.add("orgs.has_children")
        self.close_violations(violations, unit, day, doc_day)
        moves = self.hand_over(unit, None, day)
        done = self.attempt(
            Step("abolish", violations, moves),
            lambda: unit_abolish(
                actor=None, unit=Unit.objects.get(pk=unit.pk), document=self.doc(doc_day), effective_date=day
            ),
        )
        if done is not None:
            self.close(unit, "ABOLISHED", day)

    @rule(data=st.data())
    def merge(self, data):
        unit = self.units[self.draw_unit(data)]
        successor = self.units[self.draw_unit(data, "successor")]
        day, doc_day = draw_dates(data)
        self.merge_step(unit, successor, day, doc_day)

    def merge_step(self, unit: ModelUnit, successor: ModelUnit, day: dt.date, doc_day: dt.date) -> None:
        violations = set()
        if successor.pk in self.current_subtree(unit.pk):
            violations.add("orgs.merge_into_self")
        if not successor.active:
            violations.add("orgs.unit_closed")
        if day < successor.established:
            violations.add("orgs.unit_not_yet_established")
        children = [u for u in self.units.values() if u.active and u.current.parent == unit.pk]
        for child in children:
            if day < child.current.valid_from:
                violations.add("orgs.out_of_order")
            if RANK_ORDER[child.rank] > RANK_ORDER[successor.rank]:
                violations.add("orgs.rank_above_parent")
            if self.below_on_or_after(successor.pk, child.pk, day):
                violations.add("orgs.move_into_subtree")
        self.close_violations(violations, unit, day, doc_day, {c.pk for c in children})
        for key in self.held(unit.pk, "S", day):
            if problem := self.fit(successor, key[3], key[4]):
                violations.add(problem)
        moves = self.hand_over(unit, successor, day)
        done = self.attempt(
            Step("merge", violations, moves),
            lambda: unit_merge(
                actor=None,
                unit=Unit.objects.get(pk=unit.pk),
                successor=Unit.objects.get(pk=successor.pk),
                document=self.doc(doc_day),
                effective_date=day,
            ),
        )
        if done is not None:
            for child in children:
                child.record(day, parent=successor.pk)
            self.close(unit, "MERGED", day)

    @rule(data=st.data())
    def merge_as_planned(self, data):
        """A merge as the 编办 prepares it: into a current unit of the same sort, after the unit's last change."""
        unit = self.units[self.draw_unit(data)]
        alike = [
            u.pk
            for u in self.units.values()
            if u.active
            and (u.kind, u.zhengfa) == (unit.kind, unit.zhengfa)
            and u.pk not in self.current_subtree(unit.pk)
            and RANK_ORDER[u.rank] >= RANK_ORDER[unit.rank]
        ]
        if not alike:
            return
        successor = data.draw(st.sampled_from(alike), label="successor")
        last = max(
            [unit.current.valid_from, self.units[successor].established]
            + [m.day for m in self.moves if unit.pk in (m.source[2], m.target[2])]
            + [c.current.valid_from for c in self.units.values() if c.current.parent == unit.pk]
        )
        day = data.draw(st.sampled_from([d for d in DAYS[1:] if d >= last] or [DAYS[-1]]), label="day")
        self.merge_step(unit, self.units[successor], day, day)

    @precondition(lambda self: len(self.units) < MAX_UNITS)
    @rule(data=st.data())
    def split(self, data):
        unit = self.units[self.draw_unit(data)]
        alike = [t for t, (kind, zhengfa, _cls) in TEMPLATES.items() if (kind, zhengfa) == (unit.kind, unit.zhengfa)]
        template = data.draw(st.sampled_from(alike if data.draw(st.integers(0, 3)) else sorted(TEMPLATES)))
        name = self.draw_name(data)
        parent = data.draw(st.sampled_from((unit.current.parent, unit.current.parent, None, unit.pk)), label="parent")
        rank = self.draw_rank(data, parent)
        held = sorted(self.held(unit.pk, "S", DAYS[-1]))
        quotas = data.draw(
            st.lists(
                st.tuples(
                    st.sampled_from(held or [slot_key(U, "XZ", unit.pk, "QE")]),
                    st.one_of(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4), st.sampled_from(BAD_AMOUNTS)),
                ),
                max_size=2,
                unique_by=lambda q: q[0],
            ),
            label="quotas",
        )
        abolish_original = data.draw(st.integers(0, 2), label="abolish the original") == 0
        day, doc_day = draw_dates(data)
        self.split_step(unit, template, name, parent, rank, quotas, abolish_original, day, doc_day)

    @precondition(lambda self: len(self.units) < MAX_UNITS and any(u.active for u in self.units.values()))
    @rule(data=st.data())
    def split_as_planned(self, data):
        """A split as the 编办 prepares it: a sibling like the original, taking part of what the original holds."""
        unit = self.units[data.draw(st.sampled_from(sorted(pk for pk, u in self.units.items() if u.active)))]
        template = next(t for t, spec in TEMPLATES.items() if spec == (unit.kind, unit.zhengfa, unit.current.cls))
        start = max(unit.current.valid_from, unit.established)
        day = data.draw(st.sampled_from([d for d in DAYS[1:] if d >= start] or [DAYS[-1]]), label="day")
        quotas = []
        for key in self.held(unit.pk, "S", day):
            lowest = min(self.balance(key, d) for d in [day, *self.change_days(key)] if d >= day)
            if lowest > 0 and data.draw(st.booleans(), label=f"take {key[3]}{key[4]}?"):
                quotas.append((key, data.draw(st.integers(1, lowest), label="amount")))
        name = self.draw_name(data)
        self.split_step(unit, template, name, unit.current.parent, unit.rank, quotas[:2], False, day, day)

    def split_step(self, unit, template, name, parent, rank, quotas, abolish_original, day, doc_day):
        violations = set()
        self.change_violations(violations, unit, day, doc_day)
        self.create_violations(violations, template, name, parent, rank, day, doc_day)
        kind, zhengfa, cls = TEMPLATES[template]
        new = ModelUnit(-1, kind, zhengfa, rank, day, [Version(day, None, name, parent, "ACTIVE", cls)])
        moves: list[ModelMove] = []
        for key, amount in quotas:
            for holder in (unit, new):
                if problem := self.fit(holder, key[3], key[4]):
                    violations.add(problem)
            if not valid_amount(amount):
                violations.add("quotas.amount_invalid")
                continue
            move = ModelMove("S", "HUAZHUAN", key, slot_key(U, key[3], new.pk, key[4]), amount, day)
            if self.goes_negative((key,), (*moves, move)):
                violations.add("quotas.insufficient")
            moves.append(move)
        if abolish_original:
            if parent == unit.pk:
                violations.add("orgs.has_children")
            if any(u.active and u.current.parent == unit.pk for u in self.units.values()):
                violations.add("orgs.has_children")
            self.close_violations(violations, unit, day, doc_day)
            moves += self.hand_over(unit, None, day, tuple(moves))

        def run():
            created = unit_split(
                actor=None,
                unit=Unit.objects.get(pk=unit.pk),
                parts=[SplitPart(self.spec(template, name, parent, rank), [(k[3], k[4], a) for k, a in quotas])],
                document=self.doc(doc_day),
                effective_date=day,
                abolish_original=abolish_original,
            )
            # the new unit's key is known only now: the model's expectations follow it
            for move in moves:
                move.target = tuple(created[0].pk if part == -1 else part for part in move.target)
            return created

        done = self.attempt(Step("split", violations, moves), run)
        if done is not None:
            self.learn_unit(done[0], template, day)
            if abolish_original:
                self.close(unit, "ABOLISHED", day)
            else:
                unit.record(day)

    # ------------------------------------------------------------------ what must hold after every step

    @invariant()
    def every_balance_on_every_date_is_the_replay_of_the_accepted_movements(self):
        stored = stored_intervals(self.account_keys())
        keys = set(stored) | {k for m in self.moves for k in (m.source, m.target)}
        days = {d for intervals in stored.values() for d, _to, _b in intervals} | {m.day for m in self.moves}
        days |= {d - dt.timedelta(days=1) for d in days} | set(CHECK_DATES) | {timezone.localdate()}
        for day in sorted(days):
            totals = Counter()
            for key in keys:
                held = stored_balance(stored.get(key, ()), day)
                assert held == self.balance(key, day), f"{key} on {day}: stored {held}, replay {self.balance(key, day)}"
                group = key[3:] if key[0] == "P" else key[3:4]  # posts: per 正副 and grade; slots: per type
                totals[(key[0], *group)] += held
                if key[1] != A:
                    assert held >= 0, f"{key} is negative on {day}"
            assert not any(totals.values()), f"not conserved on {day}: {totals}"
        negative = QuotaBalance.objects.filter(balance__lt=0).exclude(account__kind=A)
        assert (
            not negative.exists()
            and not LeadershipBalance.objects.filter(balance__lt=0).exclude(account__kind=A).exists()
        )

    @invariant()
    def balances_as_of_any_date_equal_the_replay(self):
        """``balances_as_of`` today and on three of the checked dates, the next three after each step."""
        keys = self.account_keys()
        self.checks += 1
        rotating = [CHECK_DATES[(self.checks * 3 + i) % len(CHECK_DATES)] for i in range(3)]
        for day in [*rotating, timezone.localdate()]:
            for ledger, interval_model in (("S", QuotaBalance), ("P", LeadershipBalance)):
                found = {keys[ledger][pk]: b for pk, b in balances_as_of(interval_model, None, day).items() if b}
                expected = {k: b for k in self.model_keys(ledger) if (b := self.balance(k, day))}
                assert found == expected, f"{ledger} as of {day}"

    @invariant()
    def the_reads_as_of_a_date_agree_with_the_model(self):
        """The selectors on one of the checked dates for four of the units, others after each step."""
        day = CHECK_DATES[(self.checks * 5) % len(CHECK_DATES)]
        pks = sorted(self.units)
        self.check_reads(day, {pks[(self.checks * 4 + i) % len(pks)] for i in range(4)})

    def check_reads(self, day: dt.date, pks: set[int]) -> None:
        units = {u.pk: u for u in Unit.objects.filter(pk__in=pks)}
        for pk in sorted(pks):
            model, unit = self.units[pk], units[pk]
            rows = {(r.quota_type, r.funding_form): r.approved for r in unit_ledger(None, unit, day)}
            assert rows == {(k[3], k[4]): b for k, b in self.held(pk, "S", day).items()}, f"ledger of {pk} on {day}"
            posts = {(r.level, r.grade): r.approved for r in unit_posts(None, unit, day)}
            assert posts == {(k[3], k[4]): b for k, b in self.held(pk, "P", day).items()}, f"posts of {pk} on {day}"
            assert subtree_ids_as_of(unit, day) == self.subtree_as_of(pk, day), f"subtree of {pk} on {day}"
            version, expected = version_as_of(unit, day), model.as_of(day)
            if expected is None:
                assert version is None
            else:
                found = (version.name, version.parent_id, version.status, version.institution_class)
                assert found == (expected.name, expected.parent, expected.status, expected.cls), f"{pk} on {day}"
            if expected is not None and expected.parent is None:  # a top of the tree: its whole subtree's ledger
                subtree = self.subtree_as_of(pk, day)
                rows = Counter()
                for row in ledger_rows(None, day, unit=unit):
                    rows[(row.unit_id, row.quota_type, row.funding_form)] += row.approved
                assert rows == Counter(
                    {(k[2], k[3], k[4]): b for u in subtree for k, b in self.held(u, "S", day).items()}
                ), f"ledger rows under {pk} on {day}"
        for summary in county_summary(day):
            code = summary.quota_type.code
            allocated = sum(
                b for k in self.model_keys("S") if k[1] == U and k[3] == code for b in [self.balance(k, day)]
            )
            found = (summary.set_from_above, summary.allocated, summary.pool, summary.turnover)
            expected = (
                -self.balance(slot_key(A, code), day),
                allocated,
                self.balance(slot_key(P, code), day),
                self.balance(slot_key(T, code), day),
            )
            assert found == expected, f"county totals of {code} on {day}"

    @invariant()
    def the_register_agrees_with_the_model_and_its_history_makes_sense(self):
        current = {
            pk: (name, status, parent)
            for pk, name, status, parent in Unit.objects.values_list("pk", "name", "status", "parent_id")
        }
        assert current == {pk: (u.current.name, u.current.status, u.current.parent) for pk, u in self.units.items()}
        for day in CHECK_DATES:
            standing = {u.pk: v for u in self.units.values() if (v := u.as_of(day)) is not None}
            for pk, version in standing.items():
                seen, parent = {pk}, version.parent
                while parent is not None:  # up to the top, through units that existed that day, without a loop
                    assert parent in standing and parent not in seen, f"tree of {day} broken at {pk}"
                    seen.add(parent)
                    parent = standing[parent].parent
                if version.status == "ACTIVE" and version.parent is not None:
                    assert standing[version.parent].status == "ACTIVE", f"{pk} stands under a closed unit on {day}"
                if version.status != "ACTIVE":
                    assert not self.held(pk, "S", day) and not self.held(pk, "P", day), f"closed {pk} holds on {day}"

    def account_keys(self) -> dict[str, dict[int, tuple]]:
        """The model's key of every account in the database, read once per step."""
        if self._keys is None:
            self._keys = account_keys()
        return self._keys

    def model_keys(self, ledger: str) -> set[tuple]:
        return {k for m in self.moves if m.ledger == ledger for k in (m.source, m.target)}


def replay(moves) -> dict[tuple, tuple[list, list]]:
    deltas: dict[tuple, Counter] = defaultdict(Counter)
    for move in moves:
        deltas[move.source][move.day] -= move.amount
        deltas[move.target][move.day] += move.amount
    result = {}
    for key, by_day in deltas.items():
        days = sorted(by_day)
        result[key] = (days, list(itertools.accumulate(by_day[d] for d in days)))
    return result


def key_of(ledger: str, kind: str, unit: int | None, a: str, b: str) -> tuple:
    return slot_key(kind, a, unit, b) if ledger == "S" else post_key(kind, a, b, unit)


def account_keys() -> dict[str, dict[int, tuple]]:
    return {
        "S": {
            pk: key_of("S", *row)
            for pk, *row in QuotaAccount.objects.values_list("pk", "kind", "unit_id", "quota_type_id", "funding_form")
        },
        "P": {
            pk: key_of("P", *row)
            for pk, *row in LeadershipAccount.objects.values_list("pk", "kind", "unit_id", "level", "grade")
        },
    }


def stored_intervals(keys: dict[str, dict[int, tuple]]) -> dict[tuple, list]:
    stored = defaultdict(list)
    for ledger, interval_model in (("S", QuotaBalance), ("P", LeadershipBalance)):
        for account, valid_from, valid_to, held in interval_model.objects.values_list(
            "account_id", "valid_from", "valid_to", "balance"
        ):
            stored[keys[ledger][account]].append((valid_from, valid_to, held))
    return stored


def stored_balance(intervals, day: dt.date) -> int:
    return next((b for start, end, b in intervals if start <= day and (end is None or day < end)), 0)


# One fixed seed: the same histories on every run, so the coverage assertions below hold in CI too, and they do not
# move when the machine's source is edited (a derandomized run seeds from it); widen locally with a soak run (more
# examples, no seed) when changing the ledger.
LEDGER_SEED = 1

# the PostgreSQL pass replays the first half of the same histories: what differs there is how the database runs
# each step, not which steps are tried (the SQLite pass runs them all)
EXAMPLES = 12 if USES_POSTGRES else 25
LEDGER_SETTINGS = settings(
    max_examples=EXAMPLES,
    stateful_step_count=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


@pytest.mark.slow
@pytest.mark.django_db
def test_random_histories_keep_the_ledger_right():
    OUTCOMES.clear()
    run_state_machine_as_test(seed(LEDGER_SEED)(CountyLedgerMachine), settings=LEDGER_SETTINGS)
    # the run did what it claims: backdated and refused steps of each sort, and each lifecycle event, happened
    missing = [
        step
        for step in ("movement", "post movement", "reversal", "set up", "rename", "move", "merge", "abolish", "split")
        if not OUTCOMES[f"{step} accepted"]
    ]
    assert not missing, (missing, sorted(OUTCOMES.items()))
    assert OUTCOMES["reversal refused"] > 0, sorted(OUTCOMES.items())
    assert OUTCOMES["movement refused"] > 0 and OUTCOMES["refused quotas.insufficient"] > 0, OUTCOMES
