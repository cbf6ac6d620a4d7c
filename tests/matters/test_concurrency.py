"""Two matters decided at once compete for the county's last slots: exactly one applies, the other applies nothing
and names the step and the conflict; the same matter applied twice at once applies once. Real threads, each with its
own connection, on SQLite and PostgreSQL; the ledger's check and the audit chain stay clean."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from bianzhi.audit.selectors import verify_chain
from bianzhi.matters.choices import MatterKind, MatterState
from bianzhi.matters.models import Matter
from bianzhi.matters.services import change_step_add, matter_apply, matter_create
from bianzhi.orgs.models import Unit
from bianzhi.quotas.models import Movement
from tests.factories import doc, make_unit
from tests.quotas.support import fund_pool
from tests.quotas.test_concurrency import assert_ledger_clean, race, shared_database  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)
DAY = dt.date(2024, 6, 3)


def decided_matter(proposer, name: str, slots: int) -> Matter:
    matter = matter_create(actor=None, proposer=proposer, kind=MatterKind.SETUP, title=f"设立{name}")
    unit = {"name": name, "system_category": "ZHENGFU", "kind": "JIGUAN", "nature": "XINGZHENG", "rank": "ZHENGKE"}
    change_step_add(actor=None, matter=matter, operation="unit_create", params=unit)
    grant = {
        "kind": "HEZENG",
        "quota_type": "XZ",
        "source": {"kind": "POOL"},
        "target": {"kind": "UNIT", "unit": "#1", "funding_form": "QE"},
        "amount": slots,
    }
    change_step_add(actor=None, matter=matter, operation="quota_movement", params=grant)
    Matter.objects.filter(pk=matter.pk).update(state=MatterState.DECIDED)
    return Matter.objects.get(pk=matter.pk)


def test_two_matters_for_the_last_slots_apply_one_and_name_the_conflict(shared_database):  # noqa: F811
    fund_pool("XZ", 3, dt.date(2020, 1, 2))
    proposer = make_unit("锦绣县人民政府办公室")
    first, second = decided_matter(proposer, "锦绣县数据局", 2), decided_matter(proposer, "锦绣县信访局", 2)
    decisions = [doc(DAY, "关于设立县数据局的批复"), doc(DAY, "关于设立县信访局的批复")]

    def apply(matter, decision):
        return lambda: matter_apply(actor=None, matter=matter, document=decision, effective_date=DAY)

    outcomes = race(shared_database, [apply(first, decisions[0]), apply(second, decisions[1])])

    assert Counter(outcomes) == {"ok": 1, "matters.step_failed": 1}
    matters = {m.pk: m for m in Matter.objects.all()}
    applied = [m for m in matters.values() if m.applied_on]
    refused = [m for m in matters.values() if not m.applied_on]
    assert len(applied) == len(refused) == 1
    assert refused[0].state == MatterState.DECIDED
    assert refused[0].apply_problem.startswith("第 2 步（编制调整）无法实施：")
    assert Unit.objects.filter(name__in=["锦绣县数据局", "锦绣县信访局"]).count() == 1  # the loser made no unit
    assert Movement.objects.filter(to_account__unit__name__in=["锦绣县数据局", "锦绣县信访局"]).count() == 1
    assert_ledger_clean()
    assert verify_chain().intact


def test_one_matter_applied_twice_at_once_applies_once(shared_database):  # noqa: F811
    fund_pool("XZ", 5, dt.date(2020, 1, 2))
    matter = decided_matter(make_unit("锦绣县人民政府办公室"), "锦绣县数据局", 2)
    decision = doc(DAY, "关于设立县数据局的批复")

    def apply():
        matter_apply(actor=None, matter=matter, document=decision, effective_date=DAY)

    outcomes = race(shared_database, [apply, apply])

    assert Counter(outcomes) == {"ok": 1, "matters.already_applied": 1}
    assert Unit.objects.filter(name="锦绣县数据局").count() == 1
    assert_ledger_clean()
    assert verify_chain().intact
