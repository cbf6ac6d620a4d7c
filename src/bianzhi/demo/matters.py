"""The demo county's 机构编制事项: a handful in the states a real office has on its desk, so that the 编委事项 pages,
the to-do lists and the deadlines have something to show. None is implemented: the demo's ledger stays what the
county builder made it."""

from __future__ import annotations

import datetime as dt

from bianzhi.core.files import Upload
from bianzhi.matters.choices import Body, Decision, LegalityItem, MatterKind
from bianzhi.matters.services import change_step_add, matter_create
from bianzhi.matters.workflow import matter_record_legality_review, matter_transition
from bianzhi.orgs.models import Unit

ACCEPTED = ["propose", "submit", "accept"]
STUDIED = [*ACCEPTED, "study", "review"]
DELIBERATING = [*STUDIED, "to_office_meeting", "to_deliberation"]
# (title, kind, the steps of the procedure taken so far, 必要性)
PLANS = (
    ("关于县教育局增加行政编制的请示", MatterKind.QUOTA, ["propose", "submit"], "学生数量增加，教研任务加重。"),
    ("关于设立县教育考试中心的请示", MatterKind.SETUP, [], "考务工作量逐年增加，需专门机构承担。"),
    ("关于调整县教育局内设机构的请示", MatterKind.DUTIES, ACCEPTED, "职能划入，内设机构需调整。"),
    ("关于县教育局更名的请示", MatterKind.RENAME, STUDIED, "教育和体育职能合并。"),
    (
        "关于核减县教育局工勤编制的请示",
        MatterKind.QUOTA,
        [*STUDIED, "to_office_meeting", "to_deliberation"],
        "工勤岗位服务外包。",
    ),
    ("关于增设县教育局领导职数的请示", MatterKind.POSTS, ["propose", "submit", "refuse"], "分管领导不足。"),
)
# the minutes the demo attaches to every 动议: one small PDF, stored once
DEMO_MINUTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n%%EOF\n"
)
INPUTS = {
    "propose": {"minutes": "局党组会议纪要"},
    "refuse": {"comment": "未经事前沟通，且领导职数已达上限"},
    "to_deliberation": {"body": Body.BIANWEI, "meeting": "县委编委第3次会议"},
    "decide": {"decision": Decision.APPROVED},
}


def build_matters(today: dt.date) -> int:
    """The matters of the county's 教育局 (none when the demo is too small to have it); returns how many."""
    bureau = Unit.objects.filter(name__endswith="教育局", status="ACTIVE").order_by("pk").first()
    if bureau is None:
        return 0
    rename = {"unit": bureau.pk, "name": bureau.name.replace("教育局", "教育体育局")}
    grant = {
        "kind": "HEZENG",
        "quota_type": "XZ",
        "source": {"kind": "POOL"},
        "target": {"kind": "UNIT", "unit": bureau.pk, "funding_form": "QE"},
        "amount": 2,
    }
    for title, kind, path, necessity in PLANS:
        matter = matter_create(actor=None, proposer=bureau, kind=kind, title=title, necessity=necessity)
        step = ("unit_rename", rename) if kind == MatterKind.RENAME else ("quota_movement", grant)
        change_step_add(actor=None, matter=matter, operation=step[0], params=step[1])
        for name in path:
            if name == "review":
                items = {item.value: (True, "") for item in LegalityItem}
                matter_record_legality_review(actor=None, matter=matter, items=items)
                continue
            inputs = dict(INPUTS.get(name, {}))
            if name == "propose":
                inputs["meeting_on"] = today - dt.timedelta(days=7)
                inputs["minutes_file"] = Upload("局党组会议纪要.pdf", DEMO_MINUTES)
            matter = matter_transition(actor=None, matter=matter, name=name, **inputs)
    return len(PLANS)
