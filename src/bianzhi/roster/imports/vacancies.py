"""Vacancies: the accounts a file fills, and whether each has room for the file's rows.

The checks are the onboarding's own (``roster.slots``), made a batch of rows at a time with a few queries per batch,
counted again with the accounts locked just before the write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from bianzhi.core.errors import BianzhiError
from bianzhi.orgs.models import Unit
from bianzhi.quotas.ledger import balances_as_of
from bianzhi.quotas.models import AccountKind, FundingForm, QuotaAccount, QuotaBalance, QuotaType
from bianzhi.quotas.services import check_quota_type_fits
from bianzhi.roster.imports.reading import PersonReader, PersonRow
from bianzhi.roster.imports.results import AccountUse
from bianzhi.roster.slots import SlotState, ensure_available, ensure_unit_not_over
from bianzhi.roster.usage import use_as_of

_NO_SLOTS = SlotState(0, 0, 0, 0)


@dataclass
class Target:
    """One (unit, type, funding form) the file fills: its slots today and the file's rows for it."""

    unit: Unit
    quota_type: str
    funding_form: str
    account: QuotaAccount | None = None  # None: the unit has no such account, so no vacancy
    state: SlotState = _NO_SLOTS
    refusal: BianzhiError | None = None
    count: int = 0
    excess: list[tuple[int, str, str, bool]] = field(default_factory=list)  # (row, name, masked, otherwise clean)

    @property
    def key(self) -> tuple[int, str, str]:
        return (self.unit.pk, self.quota_type, self.funding_form)


class Slots:
    """The accounts a file fills, found a batch of rows at a time. Their slot states are read together (a few queries
    per batch, not per account) with the ``SlotState`` arithmetic of the onboarding; an account found wanting is
    then refused by the onboarding's own checks (``ensure_unit_not_over``, ``ensure_available``).

    Vacancies are counted as of today only: a first load records entries from before the register kept the ledger,
    so the every-day-since check of a back-dated onboarding would refuse history the system never held."""

    def __init__(self, today: dt.date):
        self.today = today
        self.targets: dict[tuple[int, str, str], Target] = {}
        self.quota_types = {t.code: t for t in QuotaType.objects.all()}

    def _states(self, unit_ids) -> dict[tuple[int, str, str], tuple[QuotaAccount, SlotState]]:
        """Every account of these units with its slots today: a few queries, however many accounts."""
        units = QuotaAccount.objects.filter(kind=AccountKind.UNIT, unit_id__in=unit_ids)
        accounts = list(units.select_related("unit", "quota_type"))
        approved = balances_as_of(QuotaBalance, [a.pk for a in accounts], self.today)
        counts = use_as_of([a.pk for a in accounts], self.today)
        return {
            (a.unit_id, a.quota_type_id, a.funding_form): (
                a,
                SlotState(approved.get(a.pk, 0), *counts.get(a.pk, (0,) * 3)),
            )
            for a in accounts
        }

    @staticmethod
    def _over_quota(key: tuple[int, str, str], states) -> bool:
        """I5: the unit is over quota in this type, all funding forms together."""
        siblings = [state for (unit_id, code, _), (_, state) in states.items() if (unit_id, code) == key[:2]]
        return sum(s.occupied for s in siblings) > sum(s.approved for s in siblings)

    def _refusal(self, target: Target, count: int) -> BianzhiError | None:
        """The onboarding's refusal of ``count`` persons into the target's account (one that may not exist yet)."""
        account = target.account or QuotaAccount(
            kind=AccountKind.UNIT,
            unit=target.unit,
            quota_type=self.quota_types[target.quota_type],
            funding_form=target.funding_form,
        )
        try:
            ensure_unit_not_over(account, self.today)
            ensure_available(account, self.today, count)
        except BianzhiError as exc:
            return exc
        return None

    def resolve(self, rows: list[PersonRow]) -> None:
        """The targets of a batch of rows not seen before."""
        wanted: dict[tuple[int, str, str], Unit] = {}
        for row in rows:
            if row.unit is not None and row.quota_type and row.funding_form:
                key = (row.unit.pk, row.quota_type, row.funding_form)
                if key not in self.targets:
                    wanted[key] = row.unit
        if not wanted:
            return
        states = self._states({key[0] for key in wanted})
        for key, unit in wanted.items():
            target = self.targets[key] = Target(unit, key[1], key[2])
            try:
                # the rule unit_account applies when it opens an account; the account may not exist yet
                check_quota_type_fits(unit, self.quota_types[target.quota_type], target.funding_form)
            except BianzhiError as exc:
                target.refusal = exc
                continue
            if key in states:
                target.account, target.state = states[key]
                if self._over_quota(key, states):
                    target.refusal = self._refusal(target, 0)

    def take(self, row: PersonRow, reader: PersonReader) -> Target | None:
        """Counts the row against its account (``resolve`` has seen its batch); rows past the account's vacancy are
        refused at the end, once the file's total for the account is known."""
        target = self.targets.get((row.unit.pk, row.quota_type, row.funding_form)) if row.unit else None
        if target is None:
            return None
        if target.refusal is not None:
            reader.refusal(row, "quota_type", target.refusal)
            return None
        target.count += 1
        if target.count > target.state.available:
            target.excess.append((row.number, row.name or row.raw.get("name", ""), row.masked, not row.issues))
        return target

    def shortfalls(self) -> Iterator[tuple[int, str, str, bool, BianzhiError]]:
        """(row, name, masked ID, whether the row is otherwise clean, the refusal) for each row past a vacancy."""
        for target in self.targets.values():
            if target.excess:
                error = self._refusal(target, target.count)
                for excess in target.excess:
                    yield (*excess, error)

    def recheck(self) -> None:
        """The same counts again, with the accounts locked: someone may have entered a slot since the check."""
        filled = [t for t in self.targets.values() if t.count]
        states = self._states({t.unit.pk for t in filled})
        for target in filled:
            wanting = self._over_quota(target.key, states) or states[target.key][1].available < target.count
            if wanting and (refusal := self._refusal(target, target.count)) is not None:
                raise refusal

    def uses(self) -> list[AccountUse]:
        return [
            AccountUse(
                t.unit.name,
                self.quota_types[t.quota_type].name,
                FundingForm(t.funding_form).label,
                t.count,
                t.state.available,
            )
            for t in self.targets.values()
            if t.count
        ]
