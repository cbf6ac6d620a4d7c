"""The policy test's requests for the reports (see ``tests/core/policy_world.py``)."""

from tests.core.policy_world import TODAY, Call

CALLS = {
    ("page", "reports:index", "GET"): Call(),
    ("page", "reports:dashboards", "GET"): Call(query=lambda world, caller: {"as_of": TODAY.isoformat()}),
    ("page", "reports:ledger_xlsx", "GET"): Call(
        query=lambda world, caller: {"unit": world.unit(caller).pk, "as_of": TODAY.isoformat()}
    ),
}
