"""The policy test's requests for the reports (see ``tests/core/policy_world.py``)."""

from tests.core.policy_world import TODAY, Call

CALLS = {
    ("page", "reports:index", "GET"): Call(),
    ("page", "reports:dashboards", "GET"): Call(query=lambda world, caller: {"as_of": TODAY.isoformat()}),
    ("page", "reports:ledger_xlsx", "GET"): Call(
        query=lambda world, caller: {"unit": world.unit(caller).pk, "as_of": TODAY.isoformat()}
    ),
}
CALLS.update(
    {
        ("page", "reports:stats_index", "GET"): Call(),
        ("page", "reports:stats_table", "GET"): Call(
            args=lambda world, caller: {"code": "T2"}, query=lambda world, caller: {"as_of": TODAY.isoformat()}
        ),
        ("page", "reports:stats_cell", "GET"): Call(
            args=lambda world, caller: {"code": "T2"},
            query=lambda world, caller: {"as_of": TODAY.isoformat(), "part": 0, "row": "all", "col": "XZ.A"},
        ),
        ("page", "reports:stats_xlsx", "GET"): Call(
            args=lambda world, caller: {"code": "T5"}, query=lambda world, caller: {"as_of": TODAY.isoformat()}
        ),
    }
)
