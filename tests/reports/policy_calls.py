"""The policy test's requests for the reports (see ``tests/core/policy_world.py``)."""

from bianzhi.reports import rounds
from tests.core.policy_world import TODAY, Call, pk_of

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
        ("page", "reports:stats_pdf", "GET"): Call(
            args=lambda world, caller: {"code": "T1"}, query=lambda world, caller: {"as_of": TODAY.isoformat()}
        ),
        ("page", "reports:stats_xlsx", "GET"): Call(
            args=lambda world, caller: {"code": "T5"}, query=lambda world, caller: {"as_of": TODAY.isoformat()}
        ),
    }
)


def populate(world) -> None:
    """One round of the county in each state a route acts on, built by the system (the rounds are the county's)."""

    def reached(year: int, *steps):
        stat_round = rounds.round_create(actor=None, year=year)
        for step in steps:
            stat_round = step(actor=None, stat_round=stat_round)
        return stat_round

    late = reached(2022, rounds.round_check, rounds.round_finalise)
    late = rounds.round_submit(actor=None, stat_round=late, late_reason="机构改革，台账核对延误")
    for kind, stat_round in (
        ("draft_round", reached(2019)),
        ("checked_round", reached(2020, rounds.round_check)),
        ("final_round", reached(2021, rounds.round_check, rounds.round_finalise)),
        ("late_round", late),
    ):
        world.put(kind, stat_round, stat_round)  # the county's: no unit's side


CALLS.update(
    {
        ("page", "reports:round_list", "GET"): Call(),
        ("page", "reports:round_create", "POST"): Call(data=lambda world, caller: {"year": 2018}, status=302),
        ("page", "reports:round_detail", "GET"): Call(args=pk_of("late_round")),
        ("page", "reports:round_check", "POST"): Call(args=pk_of("draft_round"), status=302),
        ("page", "reports:round_finalise", "POST"): Call(args=pk_of("checked_round"), status=302),
        ("page", "reports:round_submit", "POST"): Call(
            args=pk_of("final_round"), data=lambda world, caller: {"late_reason": "数据核对延误"}, status=302
        ),
        ("page", "reports:round_correct", "POST"): Call(
            args=pk_of("final_round"), data=lambda world, caller: {"reason": "漏登一项核增"}, status=302
        ),
        ("page", "reports:round_xlsx", "GET"): Call(
            args=lambda world, caller: {"pk": world.get("late_round", caller).pk, "code": "T5"}
        ),
        ("page", "reports:round_pdf", "GET"): Call(
            args=lambda world, caller: {"pk": world.get("late_round", caller).pk, "code": "T1"}
        ),
        ("page", "reports:round_letter", "GET"): Call(args=pk_of("late_round")),
    }
)
