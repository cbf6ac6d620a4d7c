"""The demo county's evaluations, one in each state: last year's 执行情况评估 of a department, reported; this
year's, decided, of the department holding the office that is 超编 on purpose, with a matter decided without a
meeting on record, its findings partly turned into rectification items; a 使用效益评估 computed and half scored;
a 事业单位履职评估 of a township health centre, decided; and a draft just begun."""

from __future__ import annotations

import datetime as dt

from bianzhi.demo.matters import DELIBERATING, _run
from bianzhi.matters.choices import Decision, MatterKind
from bianzhi.matters.services import matter_create
from bianzhi.matters.workflow import matter_transition
from bianzhi.orgs.choices import UnitKind, UnitStatus
from bianzhi.orgs.models import Unit
from bianzhi.roster.selectors import over_quota_units
from bianzhi.supervision.choices import Category
from bianzhi.supervision.evaluations import (
    evaluation_compute,
    evaluation_create,
    evaluation_decide,
    evaluation_finding_add,
    evaluation_finding_rectify,
    evaluation_report,
    evaluation_score,
)

REPORTED_TO = "县委、县政府；县委组织部、县纪委监委、县财政局、县人力资源和社会保障局"
# the 定性 scores the evaluators gave, by indicator (score, comment)
SCORES = {
    "E7": ("8", "“三定”规定明确的职责基本落实，个别职责交叉尚未理顺。"),
    "E8": ("9", "实名制信息按时更新，抽查 20 人无差错。"),
    "B4": ("16", "业务量与编制大体匹配，部分股室忙闲不均。"),
    "P5": ("17", "对照“三定”履职到位，公共卫生服务有短板。"),
    "P6": ("13", "门诊平均候诊时间较上年缩短。"),
    "P7": ("14", "群众满意度调查 91%。"),
}


def _top(unit: Unit) -> Unit:
    """The department at the top of ``unit``'s branch."""
    return Unit.objects.get(pk=int(unit.tree_path.strip("/").split("/")[0]))


def _scored(evaluation, codes) -> None:
    evaluation_score(actor=None, evaluation=evaluation, scores={code: SCORES[code] for code in codes})


def _undiscussed_matter(unit: Unit, day: dt.date) -> None:
    """A matter decided by the 编委 without the meeting named: the evaluation finds it (程序合规)."""
    matter = matter_create(
        actor=None,
        proposer=unit,
        kind=MatterKind.DUTIES,
        title=f"关于调整{unit.name}内设机构职责分工的请示",
        necessity="股室职责交叉，需理顺。",
    )
    for name in DELIBERATING:
        matter = _run(matter, name, day)
    matter_transition(actor=None, matter=matter, name="decide", decision=Decision.APPROVED, decided_on=day)


def build_evaluations(today: dt.date) -> int:
    departments = list(
        Unit.objects.filter(
            status=UnitStatus.ACTIVE, kind=UnitKind.JIGUAN, parent__isnull=True, name__endswith="局"
        ).order_by("code")
    )
    if len(departments) < 3:
        return 0
    over = over_quota_units(None, today)
    audited = _top(over[0].unit) if over else departments[0]
    others = [unit for unit in departments if unit.pk != audited.pk]
    made = 0

    last_year = dt.date(today.year - 1, 12, 31)
    reported = evaluation_create(actor=None, set_code="EXEC", version="2025.1", unit=others[0], as_of=last_year)
    evaluation_compute(actor=None, evaluation=reported)
    _scored(reported, ["E7"])
    evaluation_decide(actor=None, evaluation=reported)
    evaluation_report(actor=None, evaluation=reported, reported_to=REPORTED_TO, day=today - dt.timedelta(days=300))
    made += 1

    _undiscussed_matter(audited, today - dt.timedelta(days=20))
    decided = evaluation_create(actor=None, set_code="EXEC", unit=audited, as_of=today - dt.timedelta(days=1))
    evaluation_compute(actor=None, evaluation=decided)
    _scored(decided, ["E7"])  # E8 is computed from the reconciliation in the 2026.2 set
    decided = evaluation_decide(actor=None, evaluation=decided)
    evaluation_finding_add(
        actor=None,
        evaluation=decided,
        category=Category.REFORM,
        text="现场评估发现：“三定”规定的安全监管职责未明确到股室，存在职责交叉。",
    )
    for finding in decided.findings.order_by("pk")[:2]:
        evaluation_finding_rectify(actor=None, evaluation=decided, finding_id=finding.pk, day=today)
    made += 1

    computed = evaluation_create(actor=None, set_code="BENEFIT", unit=others[1], as_of=today - dt.timedelta(days=1))
    evaluation_compute(actor=None, evaluation=computed)
    _scored(computed, ["B4"])
    made += 1

    centre = Unit.objects.filter(status=UnitStatus.ACTIVE, kind=UnitKind.SHIYE, name__endswith="卫生院").first()
    if centre is not None:
        performance = evaluation_create(
            actor=None,
            set_code="PERF",
            unit=centre,
            as_of=today - dt.timedelta(days=1),
            category="LIVELIHOOD",
        )
        evaluation_compute(actor=None, evaluation=performance)
        _scored(performance, ["P5", "P6", "P7"])
        evaluation_decide(actor=None, evaluation=performance)
        made += 1

    evaluation_create(actor=None, set_code="BENEFIT", unit=others[2], as_of=today, title="")
    return made + 1
