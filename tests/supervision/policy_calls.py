"""The policy test's requests for the pages of the 12310 complaints (see ``tests/core/policy_world.py``). A
complaint is not a unit's object: both sides of the world get the same one."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from bianzhi.core.files import Upload
from bianzhi.supervision.complaints import complaint_file_add, complaint_receive
from bianzhi.supervision.evaluations import (
    evaluation_compute,
    evaluation_create,
    evaluation_decide,
    evaluation_finding_add,
    evaluation_score,
)
from tests.core.policy_world import TODAY, Call, pk_of

PDF = b"%PDF-1.4\n% evidence\n"


def populate(world) -> None:
    complaint = complaint_receive(
        actor=None,
        received_on=TODAY,
        channel="PHONE",
        category="STAFFING",
        description="某单位超编进人。",
        anonymous=False,
        name="策略测试举报人",
        contact="13900000000",
        accused_units=[world.units["finance"]],
    )
    world.put("complaint", complaint, complaint)
    added = complaint_file_add(actor=None, complaint=complaint, upload=Upload("证据.pdf", PDF))
    world.put("complaint_file", added, added)
    populate_evaluations(world)


def _new(world, caller) -> dict:
    return {
        "received_on": TODAY.isoformat(),
        "channel": "LETTER",
        "anonymous": "on",
        "category": "ORGANS",
        "description": "擅自设立内设机构。",
    }


def _file(world, caller) -> dict:
    added = world.get("complaint_file", caller)
    return {"pk": added.complaint_id, "file_pk": added.pk}


CALLS = {
    ("api", "list_complaints", "GET"): Call(),
    ("page", "supervision:complaint_list", "GET"): Call(),
    ("page", "supervision:complaint_export", "GET"): Call(),
    ("page", "supervision:complaint_new", "GET"): Call(),
    ("page", "supervision:complaint_new", "POST"): Call(data=_new, status=302),
    ("page", "supervision:complaint_detail", "GET"): Call(args=pk_of("complaint")),
    ("page", "supervision:complaint_step", "POST"): Call(
        args=lambda world, caller: {"pk": world.get("complaint", caller).pk, "step": "accept"},
        data=lambda world, caller: {"accept-day": TODAY.isoformat()},
        status=302,
    ),
    ("page", "supervision:complaint_reveal", "POST"): Call(args=pk_of("complaint")),
    ("page", "supervision:complaint_file_add", "POST"): Call(
        args=pk_of("complaint"),
        data=lambda world, caller: {"file": SimpleUploadedFile("照片.pdf", PDF, content_type="application/pdf")},
        status=302,
    ),
    ("page", "supervision:complaint_file", "GET"): Call(args=_file),
    ("page", "supervision_public:complaint_new", "GET"): Call(),
    # without the question asked first in the same session the answer is refused, nothing saved
    ("page", "supervision_public:complaint_new", "POST"): Call(
        data=lambda world, caller: {"category": "OTHER", "description": "测试", "answer": "3"}, status=400
    ),
    ("page", "supervision_public:complaint_track", "GET"): Call(),
    ("page", "supervision_public:complaint_track", "POST"): Call(
        data=lambda world, caller: {"code": world.get("complaint", caller).code}
    ),
}


# ---------------------------------------------------------------------------------------------------------------
# 机构编制评估: for each side's unit, an evaluation decided with a finding, a draft and one computed and scored


def _evaluation(unit, *, compute: bool = False, decide: bool = False):
    evaluation = evaluation_create(actor=None, set_code="EXEC", unit=unit, as_of=TODAY)
    if compute or decide:
        evaluation_compute(actor=None, evaluation=evaluation)
        evaluation_score(actor=None, evaluation=evaluation, scores={"E7": ("8", ""), "E8": ("8", "")})
    return evaluation_decide(actor=None, evaluation=evaluation) if decide else evaluation


def populate_evaluations(world) -> None:
    education, finance = world.units["education"], world.units["finance"]
    decided = [_evaluation(unit, decide=True) for unit in (education, finance)]
    world.put("evaluation", *decided)
    world.put("evaluation_draft", _evaluation(education), _evaluation(finance))
    world.put("evaluation_computed", _evaluation(education, compute=True), _evaluation(finance, compute=True))
    findings = [
        evaluation_finding_add(actor=None, evaluation=evaluation, text="现场评估发现的问题。", category="OTHER")
        for evaluation in decided
    ]
    world.put("evaluation_finding", *findings)


def _finding(world, caller) -> dict:
    finding = world.get("evaluation_finding", caller)
    return {"pk": finding.evaluation_id, "finding_pk": finding.pk}


CALLS.update(
    {
        ("api", "list_evaluations", "GET"): Call(),
        ("api", "get_evaluation", "GET"): Call(args=pk_of("evaluation", "id")),
        ("page", "supervision:evaluation_list", "GET"): Call(),
        ("page", "supervision:evaluation_export", "GET"): Call(),
        ("page", "supervision:evaluation_new", "GET"): Call(),
        ("page", "supervision:evaluation_new", "POST"): Call(
            data=lambda world, caller: {
                "indicator_set": "EXEC:2026.1",
                "unit": world.units["education"].name,
                "as_of": TODAY.isoformat(),
            },
            status=302,
        ),
        ("page", "supervision:evaluation_detail", "GET"): Call(args=pk_of("evaluation")),
        ("page", "supervision:evaluation_compute", "POST"): Call(args=pk_of("evaluation_draft"), status=302),
        ("page", "supervision:evaluation_scores", "POST"): Call(
            args=pk_of("evaluation_draft"), data=lambda world, caller: {"score_E7": "7", "score_E8": "9"}, status=302
        ),
        ("page", "supervision:evaluation_decide", "POST"): Call(args=pk_of("evaluation_computed"), status=302),
        ("page", "supervision:evaluation_finding_add", "POST"): Call(
            args=pk_of("evaluation"), data=lambda world, caller: {"category": "OTHER", "text": "职责交叉。"}, status=302
        ),
        ("page", "supervision:evaluation_finding_rectify", "POST"): Call(args=_finding, status=302),
        ("page", "supervision:evaluation_report", "POST"): Call(
            args=pk_of("evaluation"),
            data=lambda world, caller: {"reported_to": "县委、县政府", "day": TODAY.isoformat()},
            status=302,
        ),
        ("page", "supervision:evaluation_pdf", "GET"): Call(args=pk_of("evaluation")),
    }
)
