"""The real server (``bianzhi serve``: gunicorn, several worker processes) answering concurrent partners the moment
it starts. In-process tests share one connection per thread and cannot see what forked workers share."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from bianzhi.accounts.roles import Role
from bianzhi.api.services import api_token_issue
from tests.factories import make_user
from tests.processes import served

WORKERS = 4
CLIENTS = 24


def _units_seen(base: str, token: str) -> tuple[int, list[str]]:
    request = urllib.request.Request(f"{base}/api/v1/units?limit=100", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            body = json.loads(response.read())
            return response.status, sorted(unit["name"] for unit in body["items"])
    except urllib.error.HTTPError as exc:
        return exc.code, [exc.read().decode(errors="replace")[:300]]


@pytest.mark.django_db(transaction=True)
def test_partners_calling_right_after_start_each_get_their_own_answer(county):
    """Each worker needs its own database connection: one inherited from the master mixes up answers."""
    callers = {
        "bianban": make_user("bianban", Role.BIANBAN_ADMIN, scope_county=True),
        "jiaoyu": make_user("jiaoyu", Role.UNIT_OPERATOR, scope_unit=county["education"]),
        "caizhengju": make_user("caizhengju", Role.UNIT_OPERATOR, scope_unit=county["finance"]),
    }
    tokens = {name: api_token_issue(actor=None, user=user, name="对接")[1] for name, user in callers.items()}
    expected = {
        "bianban": sorted(["锦绣县教育局", "锦绣县第一中学", "锦绣县财政局"]),
        "jiaoyu": sorted(["锦绣县教育局", "锦绣县第一中学"]),
        "caizhengju": ["锦绣县财政局"],
    }
    calls = [list(tokens)[i % len(tokens)] for i in range(CLIENTS)]

    with served(WORKERS) as base, ThreadPoolExecutor(CLIENTS) as pool:
        answers = list(pool.map(lambda name: _units_seen(base, tokens[name]), calls))

    wrong = [(name, answer) for name, answer in zip(calls, answers, strict=True) if answer != (200, expected[name])]
    assert not wrong, wrong
