"""The policy test's requests for the public pages (see ``tests/core/policy_world.py``)."""

from tests.core.policy_world import Call, unit_pk

CALLS = {
    ("page", "disclosure:unit_list", "GET"): Call(),
    ("page", "disclosure:county_xlsx", "GET"): Call(),
    ("page", "disclosure:unit_detail", "GET"): Call(args=unit_pk()),
    ("page", "disclosure:unit_xlsx", "GET"): Call(args=unit_pk()),
}
