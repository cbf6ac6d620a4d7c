"""The policy test's requests for core's page (see ``policy_world.py``)."""

from tests.core.policy_world import Call

CALLS = {("page", "home", "GET"): Call()}
