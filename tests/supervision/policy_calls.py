"""The policy test's requests for the pages of 监督检查 (see ``tests/core/policy_world.py``). A complaint is not a
unit's object: both sides of the world get the same one. A rectification item is: 教育局's school has one, 财政局
another, both notified (a unit sees its items from then on)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from bianzhi.core.files import Upload
from bianzhi.supervision import inspections
from bianzhi.supervision.complaints import complaint_file_add, complaint_receive, complaint_transition
from bianzhi.supervision.evaluations import (
    evaluation_compute,
    evaluation_create,
    evaluation_decide,
    evaluation_finding_add,
    evaluation_score,
)
from bianzhi.supervision.rectification import rectification_file_add, rectification_open, rectification_transition
from tests.core.policy_world import LONG_AGO, TODAY, Call, pk_of

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
    concluded = complaint_receive(
        actor=None, received_on=TODAY, channel="LETTER", category="STAFFING", description="超编进人。"
    )
    for name, inputs in (
        ("accept", {}),
        ("assign", {"handling_type": "SELF", "opinion": "自办"}),
        ("investigate", {}),
        ("conclude", {"finding": "TRUE", "conclusion": "属实", "public_reply": "属实，已责令整改。"}),
    ):
        concluded = complaint_transition(actor=None, complaint=concluded, name=name, **inputs)
    world.put("concluded_complaint", concluded, concluded)
    items, files = [], []
    for unit in (world.units["school"], world.units["finance"]):
        item = rectification_open(actor=None, unit=unit, source="AUDIT", category="STAFFING", finding="借调人员。")
        items.append(rectification_transition(actor=None, item=item, name="notify"))
        files.append(rectification_file_add(actor=None, item=item, upload=Upload("整改报告.pdf", PDF)))
    world.put("rectification", *items)
    world.put("rectification_file", *files)
    _inspections(world)


def _campaign(unit, *, running: bool):
    plan = inspections.Plan(
        title=f"{unit.name}机构编制专项检查",
        year=TODAY.year,
        kind="SPECIAL",
        period_from=LONG_AGO,
        period_to=TODAY,
        units=[unit],
    )
    campaign = inspections.inspection_create(actor=None, plan=plan)
    if not running:
        return campaign, None
    inspections.inspection_start(actor=None, inspection=campaign)
    entries = [inspections.Entry("BZ-01", "NONCOMPLIANT", "超编 1 名")]
    (finding,) = inspections.inspection_record(actor=None, inspection=campaign, unit=unit, entries=entries)
    return campaign, finding


def _inspections(world) -> None:
    """A campaign of 教育局 (the own side) and one of 财政局 (the other side), planned and under way."""
    for kind, running in (("inspection_planned", False), ("inspection", True)):
        own, other = (
            _campaign(world.units["education"], running=running),
            _campaign(world.units["finance"], running=running),
        )
        world.put(kind, own[0], other[0])
        if running:
            world.put("inspection_finding", own[1], other[1])
    populate_evaluations(world)


def _new(world, caller) -> dict:
    return {
        "received_on": TODAY.isoformat(),
        "channel": "LETTER",
        "anonymous": "on",
        "category": "ORGANS",
        "description": "擅自设立内设机构。",
    }


def _campaign_fields(world, caller) -> dict:
    return {
        "title": "2026 年度专项检查",
        "year": TODAY.year,
        "kind": "ROUTINE",
        "period_from": LONG_AGO.isoformat(),
        "period_to": TODAY.isoformat(),
        "units": [world.units["education"].pk],
    }


def _edit_fields(world, caller) -> dict:
    campaign = world.get("inspection", caller)
    return {**_campaign_fields(world, caller), "units": [unit.pk for unit in campaign.units.all()]}


def _campaign_unit(world, caller) -> dict:
    campaign = world.get("inspection", caller)
    return {"pk": campaign.pk, "unit_pk": campaign.units.get().pk}


def _file(world, caller) -> dict:
    added = world.get("complaint_file", caller)
    return {"pk": added.complaint_id, "file_pk": added.pk}


def _item_file(world, caller) -> dict:
    added = world.get("rectification_file", caller)
    return {"pk": added.item_id, "file_pk": added.pk}


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
    ("page", "supervision:complaint_rectify", "POST"): Call(
        args=pk_of("concluded_complaint"),
        data=lambda world, caller: {"rectify-unit": world.unit(caller).name, "rectify-finding": "超编进人 2 名。"},
        status=302,
    ),
    ("page", "supervision:index", "GET"): Call(status=302),
    ("page", "supervision:overview", "GET"): Call(),
    ("api", "list_rectifications", "GET"): Call(),
    ("page", "supervision:rectification_list", "GET"): Call(),
    ("page", "supervision:rectification_export", "GET"): Call(),
    ("page", "supervision:rectification_new", "GET"): Call(),
    ("page", "supervision:rectification_new", "POST"): Call(
        data=lambda world, caller: {
            "unit": world.unit(caller).name,
            "source": "PATROL",
            "category": "ORGANS",
            "finding": "擅自设立机构。",
            "day": TODAY.isoformat(),
        },
        status=302,
    ),
    ("page", "supervision:rectification_detail", "GET"): Call(args=pk_of("rectification")),
    ("page", "supervision:rectification_step", "POST"): Call(
        args=lambda world, caller: {"pk": world.get("rectification", caller).pk, "step": "plan"},
        data=lambda world, caller: {"plan-plan": "清退借调人员。"},
        status=302,
    ),
    ("page", "supervision:rectification_file_add", "POST"): Call(
        args=pk_of("rectification"),
        data=lambda world, caller: {"file": SimpleUploadedFile("佐证.pdf", PDF, content_type="application/pdf")},
        status=302,
    ),
    ("page", "supervision:rectification_file", "GET"): Call(args=_item_file),
    ("page", "supervision:rectification_notice_pdf", "GET"): Call(args=pk_of("rectification")),
    ("page", "supervision_public:complaint_track", "GET"): Call(),
    ("page", "supervision_public:complaint_track", "POST"): Call(
        data=lambda world, caller: {"code": world.get("complaint", caller).code}
    ),
    ("page", "supervision:inspection_list", "GET"): Call(),
    ("page", "supervision:inspection_new", "GET"): Call(),
    ("page", "supervision:inspection_new", "POST"): Call(data=_campaign_fields, status=302),
    ("page", "supervision:inspection_detail", "GET"): Call(args=pk_of("inspection")),
    ("page", "supervision:inspection_edit", "GET"): Call(args=pk_of("inspection")),
    ("page", "supervision:inspection_edit", "POST"): Call(args=pk_of("inspection"), data=_edit_fields, status=302),
    ("page", "supervision:inspection_source_add", "POST"): Call(
        args=pk_of("inspection"),
        data=lambda world, caller: {
            "source-kind": "AUDIT",
            "source-body": "县审计局",
            "source-doc_number": "锦审〔2026〕5号",
            "source-day": TODAY.isoformat(),
        },
        status=302,
    ),
    ("page", "supervision:inspection_step", "POST"): Call(
        args=lambda world, caller: {"pk": world.get("inspection_planned", caller).pk, "step": "start"},
        data=lambda world, caller: {"day": TODAY.isoformat()},
        status=302,
    ),
    ("page", "supervision:inspection_unit", "GET"): Call(args=_campaign_unit),
    ("page", "supervision:inspection_unit", "POST"): Call(
        args=_campaign_unit, data=lambda world, caller: {"result_JG-01": "COMPLIANT"}, status=302
    ),
    ("page", "supervision:inspection_rectify", "POST"): Call(
        args=lambda world, caller: {
            "pk": world.get("inspection", caller).pk,
            "finding_pk": world.get("inspection_finding", caller).pk,
        },
        status=302,
    ),
    ("page", "supervision:inspection_export", "GET"): Call(args=pk_of("inspection")),
    ("page", "supervision:inspection_notice", "GET"): Call(args=pk_of("inspection")),
}


# ---------------------------------------------------------------------------------------------------------------
# 机构编制评估: for each side's unit, an evaluation decided with a finding, a draft and one computed and scored


def _evaluation(unit, *, compute: bool = False, decide: bool = False):
    evaluation = evaluation_create(actor=None, set_code="EXEC", version="2026.1", unit=unit, as_of=TODAY)
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
