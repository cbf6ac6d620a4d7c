"""The policy test's requests for the audit log pages (see ``tests/core/policy_world.py``)."""

from tests.core.policy_world import Call

CALLS = {
    ("page", "audit:event_list", "GET"): Call(),
    ("page", "audit:chain_verify", "POST"): Call(),
}
