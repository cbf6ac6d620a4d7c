"""The audit log names every action in Chinese: each action any code records has a label, read off the source."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.urls import reverse

from bianzhi.accounts.roles import Role
from bianzhi.audit.actions import ACTION_LABELS
from bianzhi.audit.services import audit_record
from bianzhi.orgs.choices import UnitChange
from bianzhi.quotas.services import POST_LEDGER, QUOTA_LEDGER
from bianzhi.roster.notices import NOTICES
from tests.factories import make_unit, make_user

SOURCE = Path(__file__).resolve().parents[2] / "src" / "bianzhi"


def _tree(relative: str) -> ast.Module:
    return ast.parse((SOURCE / relative).read_text(encoding="utf-8"))


# the functions of roster.approvals that record a step, and the argument naming it
STEP_ARGUMENT = {"_step": "action", "_decide": "step"}


def _approval_steps() -> set[str]:
    """The steps roster.approvals records as ``roster.approval_<step>``."""
    return {
        keyword.value.value
        for node in ast.walk(_tree("roster/approvals.py"))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in STEP_ARGUMENT
        for keyword in node.keywords
        if keyword.arg == STEP_ARGUMENT[node.func.id] and isinstance(keyword.value, ast.Constant)
    }


# Actions built at run time, by the source text that builds them.
BUILT = {
    'f"orgs.unit_{change.lower()}"': lambda: {f"orgs.unit_{change.lower()}" for change in UnitChange.values},
    'f"roster.approval_{action}"': lambda: {f"roster.approval_{step}" for step in _approval_steps()},
    "spec.action": lambda: {QUOTA_LEDGER.action, POST_LEDGER.action},
    'f"{spec.action}_overstaffed"': lambda: {f"{QUOTA_LEDGER.action}_overstaffed", f"{POST_LEDGER.action}_overstaffed"},
    'f"roster.{notice}_printed"': lambda: {f"roster.{notice}_printed" for notice in NOTICES},
    'f"core.calendar_{change}"': lambda: {"core.calendar_imported", "core.calendar_day_set"},
}


def _actions(expression: ast.expr, where: str) -> set[str]:
    if isinstance(expression, ast.Constant):
        return {expression.value}
    if isinstance(expression, ast.IfExp):
        return _actions(expression.body, where) | _actions(expression.orelse, where)
    text = ast.unparse(expression).replace("'", '"')
    assert text in BUILT, f"{where}: an action built as {text}; add to BUILT the actions it can be"
    return BUILT[text]()


def recorded_actions() -> set[str]:
    found = set()
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            callee = node.func if isinstance(node, ast.Call) else None
            if getattr(callee, "id", getattr(callee, "attr", None)) != "audit_record":
                continue
            for keyword in node.keywords:
                if keyword.arg == "action":
                    found |= _actions(keyword.value, f"{path.relative_to(SOURCE)}:{node.lineno}")
    return found


@pytest.mark.no_database
def test_every_recorded_action_has_a_chinese_label_and_every_label_an_action():
    recorded = recorded_actions()
    assert {"roster.onboarded", "orgs.unit_split", "roster.approval_expired", "quotas.movement_posted"} <= recorded
    assert sorted(recorded - ACTION_LABELS.keys()) == []
    assert sorted(ACTION_LABELS.keys() - recorded) == []


@pytest.mark.django_db
def test_the_audit_log_shows_and_filters_by_the_chinese_label(client):
    unit = make_unit("锦绣县统计局")
    audit_record(actor=None, action="roster.onboarded", obj=unit)
    audit_record(actor=None, action="orgs.unit_renamed", obj=unit)
    client.force_login(make_user("shenji", Role.AUDIT_ADMIN))

    page = client.get(reverse("audit:event_list")).content.decode()
    assert '<td title="roster.onboarded">入编</td>' in page
    assert '<td title="orgs.unit_renamed">机构更名</td>' in page
    assert '<option value="roster.onboarded">入编</option>' in page

    filtered = client.get(reverse("audit:event_list"), {"action": "orgs.unit_renamed"}).content.decode()
    assert '<option value="orgs.unit_renamed" selected>机构更名</option>' in filtered
    assert '<td title="roster.onboarded">' not in filtered
