"""The policy test's requests for 数据共享 (see ``tests/core/policy_world.py``): the feed needs no object."""

from __future__ import annotations

from tests.core.policy_world import Call


def populate(world) -> None:
    pass


CALLS = {
    ("api", "list_events", "GET"): Call(),
}
