"""The policy test's requests for 数据共享 (see ``tests/core/policy_world.py``). A reconciliation run is the county's,
not a unit's: both sides of the world get the same one, finished, with one open finding. The feed needs no object."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from bianzhi.exchange.models import Finding, ReconciliationRun
from tests.core.policy_world import TODAY, Call, pk_of

CSV = "姓名,身份证号\n".encode()


def populate(world) -> None:
    run = ReconciliationRun.objects.create(
        as_of=TODAY,
        payroll_name="工资.csv",
        hr_name="人事.csv",
        state=ReconciliationRun.State.DONE,
        progress=100,
        counts={"unknown_unit": 1},
    )
    finding = Finding.objects.create(
        run=run,
        kind="unit_mismatch",
        side="payroll",
        summary="甲在统发工资名册第 3 行属另一单位。",
        unit=world.units["education"],
        rows=[{"side": "payroll", "row": 3, "values": {"姓名": "甲"}}],
    )
    world.put("reconciliation", run, run)
    world.put("reconciliation_finding", finding, finding)


def _finding(world, caller) -> dict:
    finding = world.get("reconciliation_finding", caller)
    return {"pk": finding.run_id, "finding_pk": finding.pk}


CALLS = {
    ("api", "list_events", "GET"): Call(),
    ("page", "exchange:reconciliation_list", "GET"): Call(),
    ("page", "exchange:reconciliation_new", "GET"): Call(),
    ("page", "exchange:reconciliation_new", "POST"): Call(
        data=lambda world, caller: {
            "payroll": SimpleUploadedFile("工资.csv", CSV, content_type="text/csv"),
            "hr": SimpleUploadedFile("人事.csv", CSV, content_type="text/csv"),
            "as_of": TODAY.isoformat(),
        },
        status=302,
    ),
    ("page", "exchange:reconciliation_detail", "GET"): Call(args=pk_of("reconciliation")),
    ("page", "exchange:reconciliation_progress", "GET"): Call(args=pk_of("reconciliation")),
    ("page", "exchange:reconciliation_export", "GET"): Call(args=pk_of("reconciliation")),
    ("page", "exchange:reconciliation_finding_review", "POST"): Call(
        args=_finding,
        data=lambda world, caller: {
            f"f{world.get('reconciliation_finding', caller).pk}-action": "dismiss",
            f"f{world.get('reconciliation_finding', caller).pk}-reason": "借调，工资由原单位发放。",
        },
        status=302,
    ),
    ("page", "exchange:reconciliation_finding_rectify", "POST"): Call(args=_finding, status=302),
}
