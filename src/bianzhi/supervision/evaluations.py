"""机构编制执行情况和使用效益评估 (brief §7.4) and 事业单位履职评估 (brief §2.12).

An evaluation scores a unit and its subtree as of a day against an indicator set: versioned data
(``data/evaluation_sets.json``), checked when loaded. Each set weighs its indicators to 100 points; a 定量
indicator names a computation of ``indicators.py`` and a scoring rule, a 定性 one is scored by hand. The evaluation
keeps a snapshot of its set, so a later version never changes it.

草稿 (自查自评、录入) → 已计算 (the computed indicators scored; the 定性 scores entered, recomputing allowed) →
已评定 (total and grade fixed, frozen; each indicator that lost points becomes a finding, and a finding may become
an item of the 整改台账) → 已报送 (the report issued). The grades are ``settings.BIANZHI_EVALUATION_GRADES``.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from bianzhi.accounts.scoping import ensure_unit_in_scope, scope_queryset
from bianzhi.audit.services import SYSTEM_ACTOR_NAME, audit_record
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.excel import county_name, table_workbook
from bianzhi.core.locks import lock_row
from bianzhi.core.pdf import pdf_render
from bianzhi.matters.printing import Printed
from bianzhi.orgs.choices import UnitKind, UnitStatus
from bianzhi.orgs.models import Unit
from bianzhi.orgs.selectors import version_as_of
from bianzhi.supervision.choices import Category, EvaluationKind, IndicatorMethod, InstitutionCategory, Source
from bianzhi.supervision.choices import EvaluationState as E
from bianzhi.supervision.errors import EvaluationError, SupervisionError
from bianzhi.supervision.indicators import computations
from bianzhi.supervision.models import Evaluation, EvaluationFinding, EvaluationScore
from bianzhi.supervision.rectification import rectification_open
from bianzhi.supervision.selectors import require_supervisor

DATA = Path(__file__).parent / "data" / "evaluation_sets.json"
ONE = Decimal("0.1")
HUNDRED = Decimal(100)
QUANTITATIVE, QUALITATIVE = IndicatorMethod.QUANTITATIVE.value, IndicatorMethod.QUALITATIVE.value

# the steps of the page, in order
STEPS = (
    (E.DRAFT, "自查自评、录入"),
    (E.COMPUTED, "计算定量指标、定性评分"),
    (E.DECIDED, "综合评定"),
    (E.REPORTED, "报送评估报告"),
)


# ---------------------------------------------------------------------------------------------------------------
# the indicator sets


def _set_error(where: str, problem: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"评估指标体系 {DATA.name} {where}：{problem}")


def _number(raw, where: str, what: str) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise _set_error(where, f"{what}「{raw}」不是数字")
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        raise _set_error(where, f"{what}「{raw}」不是数字") from None


def _check_rule(rule, where: str) -> dict:
    if not isinstance(rule, dict):
        raise _set_error(where, "定量指标须给出计分规则 rule")
    kind = rule.get("type")
    if kind == "deduct":
        for key in ("target", "per", "points"):
            _number(rule.get(key), where, f"rule.{key}")
        if _number(rule["per"], where, "rule.per") <= 0 or _number(rule["points"], where, "rule.points") < 0:
            raise _set_error(where, "rule.per 须大于 0，rule.points 不能小于 0")
        if rule.get("direction", "above") not in ("above", "below", "both"):
            raise _set_error(where, f"rule.direction「{rule.get('direction')}」须为 above、below 或 both")
    elif kind == "linear":
        if _number(rule.get("full"), where, "rule.full") == _number(rule.get("zero"), where, "rule.zero"):
            raise _set_error(where, "rule.full 与 rule.zero 不能相同")
    else:
        raise _set_error(where, f"计分规则类型「{kind}」未知（deduct 或 linear）")
    return rule


def check_set(raw: dict) -> dict:
    """One set as the JSON gives it, checked: a clear error naming the set and the indicator at fault."""
    where = f"指标体系 {raw.get('code', '?')} {raw.get('version', '?')}"
    for key in ("code", "version", "title", "kind", "indicators"):
        if not raw.get(key):
            raise _set_error(where, f"缺少 {key}")
    if raw["kind"] not in EvaluationKind.values:
        raise _set_error(where, f"kind「{raw['kind']}」须为 {'、'.join(EvaluationKind.values)}")
    seen, total = set(), Decimal(0)
    for indicator in raw["indicators"]:
        at = f"{where} 指标 {indicator.get('code', '?')}"
        for key in ("code", "name", "weight", "method"):
            if indicator.get(key) in (None, ""):
                raise _set_error(at, f"缺少 {key}")
        if indicator["code"] in seen:
            raise _set_error(at, "指标代码重复")
        seen.add(indicator["code"])
        weight = _number(indicator["weight"], at, "weight")
        if weight <= 0:
            raise _set_error(at, "分值须大于 0")
        total += weight
        if indicator["method"] not in (QUANTITATIVE, QUALITATIVE):
            raise _set_error(at, f"method「{indicator['method']}」须为 定量 或 定性")
        if indicator.get("category", Category.OTHER) not in Category.values:
            raise _set_error(at, f"问题类别「{indicator['category']}」未知")
        if indicator["method"] == QUANTITATIVE:
            if indicator.get("computation") not in computations():
                raise _set_error(at, f"计算「{indicator.get('computation')}」未登记（见 indicators.COMPUTATIONS）")
            _check_rule(indicator.get("rule"), at)
    if total != HUNDRED:
        raise _set_error(where, f"各指标分值合计 {total}，须为 100")
    return raw


def load_sets(path: Path = DATA) -> dict[tuple[str, str], dict]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ImproperlyConfigured(f"评估指标体系 {path.name} 无法读取：{exc}") from exc
    found = {}
    for raw in document.get("sets", []):
        checked = check_set(raw)
        key = (checked["code"], checked["version"])
        if key in found:
            raise _set_error(f"指标体系 {key[0]} {key[1]}", "同一版本出现两次")
        found[key] = checked
    return found


@functools.cache
def indicator_sets() -> dict[tuple[str, str], dict]:
    """Every (code, version) of the file, checked once per process."""
    return load_sets()


def current_sets() -> list[dict]:
    """The latest version of each set, for the new-evaluation form."""
    latest: dict[str, dict] = {}
    for (code, _version), found in sorted(indicator_sets().items()):
        latest[code] = found
    return list(latest.values())


def indicator_set(code: str, version: str | None = None) -> dict:
    matching = [found for (c, v), found in sorted(indicator_sets().items()) if c == code and version in (None, v)]
    if not matching:
        raise BianzhiError(EvaluationError.UNKNOWN_SET, code=f"{code} {version or ''}".strip())
    return matching[-1]


# ---------------------------------------------------------------------------------------------------------------
# scoring


def _points(raw) -> Decimal:
    return Decimal(str(raw))


def rule_score(rule: dict, weight: Decimal, value: Decimal) -> Decimal:
    """The points a computed ``value`` earns out of ``weight`` by ``rule``, to one decimal, never below 0.

    ``deduct``: full marks at ``target``; ``points`` off for every ``per`` of deviation (``direction`` above: only
    a value over the target loses points; below: only one under it; both). ``linear``: full marks at ``full`` or
    better, none at ``zero`` or worse, a straight line between (``full`` below ``zero``: lower is better)."""
    weight, value = Decimal(weight), Decimal(value)
    if rule["type"] == "deduct":
        target = _points(rule["target"])
        direction = rule.get("direction", "above")
        over = {"above": value - target, "below": target - value, "both": abs(value - target)}[direction]
        score = weight - _points(rule["points"]) * max(over, Decimal(0)) / _points(rule["per"])
    else:
        full, zero = _points(rule["full"]), _points(rule["zero"])
        share = (zero - value) / (zero - full)
        score = weight * min(max(share, Decimal(0)), Decimal(1))
    return max(score, Decimal(0)).quantize(ONE, rounding=ROUND_HALF_UP)


def grade_of(total: Decimal) -> str:
    """The grade of ``total`` by the configured thresholds (the highest reached)."""
    for threshold, grade in sorted(settings.BIANZHI_EVALUATION_GRADES, key=lambda pair: -pair[0]):
        if total >= Decimal(str(threshold)):
            return grade
    return ""


# ---------------------------------------------------------------------------------------------------------------
# reads


def evaluations_visible_to(user):
    require_supervisor(user)
    return scope_queryset(Evaluation.objects.select_related("unit"), user)


def evaluation_for(user, pk: int) -> Evaluation:
    """One evaluation: 404 if there is none, 403 if its unit is outside the user's scope."""
    require_supervisor(user)
    found = Evaluation.objects.select_related("unit").filter(pk=pk).first()
    if found is None:
        raise BianzhiError(CommonError.NOT_FOUND, what="该评估")
    if user is not None:
        ensure_unit_in_scope(user, found.unit)
    return found


def indicator_of(evaluation: Evaluation, code: str) -> dict | None:
    return next((i for i in evaluation.set_snapshot["indicators"] if i["code"] == code), None)


# ---------------------------------------------------------------------------------------------------------------
# the procedure


def _locked(actor, evaluation: Evaluation, action: str, *states: str) -> Evaluation:
    require_supervisor(actor)
    evaluation = lock_row(Evaluation.objects.select_related("unit").filter(pk=evaluation.pk))
    if actor is not None:
        ensure_unit_in_scope(actor, evaluation.unit)
    if evaluation.state not in states:
        raise BianzhiError(EvaluationError.NOT_ALLOWED, state=str(E(evaluation.state).label), action=action)
    return evaluation


@transaction.atomic
def evaluation_create(
    *,
    actor,
    set_code: str,
    unit: Unit,
    as_of: dt.date,
    version: str | None = None,
    title: str = "",
    category: str = "",
) -> Evaluation:
    """A new evaluation (草稿) of ``unit`` and its subtree as of ``as_of`` with the set ``set_code`` (its latest
    version unless ``version``); one score row per indicator, none computed yet."""
    require_supervisor(actor)
    found = indicator_set(set_code, version)
    if not isinstance(unit, Unit):
        raise BianzhiError(SupervisionError.MISSING, label="评估对象")
    if actor is not None:
        ensure_unit_in_scope(actor, unit)
    if not isinstance(as_of, dt.date):
        raise BianzhiError(SupervisionError.MISSING, label="评估基准日")
    if as_of > timezone.localdate():
        raise BianzhiError(EvaluationError.FUTURE_DATE, day=as_of)
    then = version_as_of(unit, as_of)
    if then is None or then.status != UnitStatus.ACTIVE:
        raise BianzhiError(EvaluationError.UNIT_INACTIVE, unit=unit.name, day=as_of)
    kind = found["kind"]
    if kind == EvaluationKind.PERFORMANCE:
        if then.kind != UnitKind.SHIYE:
            raise BianzhiError(EvaluationError.NOT_INSTITUTION, unit=unit.name)
        if category not in InstitutionCategory.values:
            raise BianzhiError(
                SupervisionError.BAD_CHOICE if category else SupervisionError.MISSING, label="单位类别", value=category
            )
    else:
        category = ""
    title = (title or "").strip()[:200] or f"{unit.name}{as_of.year}年度{EvaluationKind(kind).label}"
    evaluation = Evaluation.objects.create(
        title=title,
        year=as_of.year,
        kind=kind,
        set_code=found["code"],
        set_version=found["version"],
        set_snapshot=json.loads(json.dumps(found)),
        unit=unit,
        category=category,
        as_of=as_of,
        created_by=actor,
    )
    EvaluationScore.objects.bulk_create(
        EvaluationScore(
            evaluation=evaluation,
            position=position,
            code=indicator["code"],
            name=indicator["name"][:100],
            method=indicator["method"],
            weight=Decimal(str(indicator["weight"])),
        )
        for position, indicator in enumerate(found["indicators"], start=1)
    )
    audit_record(
        actor=actor,
        action="supervision.evaluation_created",
        obj=evaluation,
        after={"unit": unit.name, "set": f"{found['code']} {found['version']}", "as_of": as_of.isoformat()},
    )
    return evaluation


@transaction.atomic
def evaluation_compute(*, actor, evaluation: Evaluation) -> Evaluation:
    """Computes every 定量 indicator from the system's data as of the evaluation's day and scores it (已计算);
    again as often as needed until 评定."""
    evaluation = _locked(actor, evaluation, "计算定量指标", E.DRAFT, E.COMPUTED)
    computed, known = {}, computations()
    for score in evaluation.scores.filter(method=QUANTITATIVE):
        indicator = indicator_of(evaluation, score.code)
        computation = known[indicator["computation"]]
        value = computation.compute(evaluation.unit, evaluation.as_of)
        score.value = value.number
        score.detail = {**value.as_detail(), "measure": computation.measure}
        score.score = rule_score(indicator["rule"], score.weight, value.number)
        score.save(update_fields=["value", "detail", "score"])
        computed[score.code] = f"{value.number} → {score.score}"
    evaluation.state = E.COMPUTED
    evaluation.computed_at = timezone.now()
    evaluation.save(update_fields=["state", "computed_at"])
    audit_record(actor=actor, action="supervision.evaluation_computed", obj=evaluation, after=computed)
    return evaluation


def _manual(score: EvaluationScore, raw) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise BianzhiError(EvaluationError.SCORE_INVALID, name=score.name, value=raw) from None
    if not value.is_finite():
        raise BianzhiError(EvaluationError.SCORE_INVALID, name=score.name, value=raw)
    if value < 0:
        raise BianzhiError(EvaluationError.SCORE_NEGATIVE, name=score.name, value=value)
    if value > score.weight:
        raise BianzhiError(EvaluationError.SCORE_ABOVE_WEIGHT, name=score.name, value=value, weight=score.weight)
    return value.quantize(ONE, rounding=ROUND_HALF_UP)


@transaction.atomic
def evaluation_score(*, actor, evaluation: Evaluation, scores: dict[str, tuple]) -> Evaluation:
    """The 定性 scores, ``{code: (score, comment)}`` (an empty score clears it), all checked before any is kept."""
    evaluation = _locked(actor, evaluation, "定性评分", E.DRAFT, E.COMPUTED)
    rows = {score.code: score for score in evaluation.scores.all()}
    changes = []
    for code, (raw, comment) in scores.items():
        score = rows.get(code)
        if score is None:
            raise BianzhiError(EvaluationError.UNKNOWN_INDICATOR, code=code)
        if score.method != QUALITATIVE:
            raise BianzhiError(EvaluationError.NOT_QUALITATIVE, name=score.name)
        changes.append((score, _manual(score, raw), (comment or "").strip()[:2000]))
    for score, value, comment in changes:
        score.manual_score = score.score = value
        score.comment = comment
        score.save(update_fields=["manual_score", "score", "comment"])
    audit_record(
        actor=actor,
        action="supervision.evaluation_scored",
        obj=evaluation,
        after={score.code: str(value) if value is not None else "" for score, value, _c in changes},
    )
    return evaluation


def _finding_text(score: EvaluationScore) -> str:
    lost = score.weight - (score.score or 0)
    value = f"{score.value.normalize():f}{score.detail.get('measure', '')}"
    return f"{score.name}（{value}）：{score.detail.get('summary', '')}（扣 {lost} 分）。"


@transaction.atomic
def evaluation_decide(*, actor, evaluation: Evaluation) -> Evaluation:
    """综合评定: the total and the grade fixed and the evaluation frozen; each computed indicator that lost points
    is recorded as a finding. Refused until computed and every 定性 indicator scored."""
    evaluation = _locked(actor, evaluation, "综合评定", E.DRAFT, E.COMPUTED)
    if evaluation.state != E.COMPUTED:
        raise BianzhiError(EvaluationError.NOT_COMPUTED)
    scores = list(evaluation.scores.all())
    missing = [score.name for score in scores if score.score is None]
    if missing:
        raise BianzhiError(EvaluationError.QUALITATIVE_MISSING, names="、".join(missing))
    evaluation.total = sum((score.score for score in scores), Decimal(0)).quantize(ONE)
    evaluation.grade = grade_of(evaluation.total)
    evaluation.state = E.DECIDED
    evaluation.decided_by = actor
    evaluation.decided_at = timezone.now()
    evaluation.save(update_fields=["total", "grade", "state", "decided_by", "decided_at"])
    for score in scores:
        if score.method == QUANTITATIVE and score.score < score.weight:
            indicator = indicator_of(evaluation, score.code)
            EvaluationFinding.objects.create(
                evaluation=evaluation,
                indicator=score.code,
                category=indicator.get("category", Category.OTHER),
                text=_finding_text(score),
            )
    audit_record(
        actor=actor,
        action="supervision.evaluation_decided",
        obj=evaluation,
        after={"total": str(evaluation.total), "grade": evaluation.grade},
    )
    return evaluation


@transaction.atomic
def evaluation_finding_add(*, actor, evaluation: Evaluation, text: str, category: str) -> EvaluationFinding:
    """A problem found by the 现场评估 (听、看、查、访、议), recorded at 评定."""
    evaluation = _locked(actor, evaluation, "登记问题", E.DECIDED)
    text = (text or "").strip()
    if not text:
        raise BianzhiError(SupervisionError.MISSING, label="问题描述")
    if category not in Category.values:
        raise BianzhiError(
            SupervisionError.BAD_CHOICE if category else SupervisionError.MISSING, label="问题类别", value=category
        )
    finding = EvaluationFinding.objects.create(evaluation=evaluation, category=category, text=text[:5000])
    audit_record(
        actor=actor, action="supervision.evaluation_finding_added", obj=evaluation, after={"finding": text[:200]}
    )
    return finding


@transaction.atomic
def evaluation_finding_rectify(
    *, actor, evaluation: Evaluation, finding_id: int, basis: str = "", day: dt.date | None = None
):
    """Turns a finding into an item of the 整改台账 for the evaluated unit (source 评估)."""
    evaluation = _locked(actor, evaluation, "转为整改事项", E.DECIDED, E.REPORTED)
    finding = evaluation.findings.filter(pk=finding_id).first()
    if finding is None:
        raise BianzhiError(EvaluationError.UNKNOWN_FINDING)
    if finding.rectification_id is not None:
        raise BianzhiError(EvaluationError.FINDING_RECTIFIED, item=finding.rectification_id)
    item = rectification_open(
        actor=actor,
        unit=evaluation.unit,
        source=Source.EVALUATION,
        category=finding.category,
        finding=finding.text,
        basis=basis or f"《机构编制工作条例》；{evaluation.set_snapshot['title']}",
        source_ref=f"{evaluation.title}（评估基准日 {evaluation.as_of:%Y-%m-%d}）",
        day=day,
        evaluation=evaluation,
    )
    finding.rectification = item
    finding.save(update_fields=["rectification"])
    return item


@transaction.atomic
def evaluation_report(*, actor, evaluation: Evaluation, reported_to: str, day: dt.date | None = None) -> Evaluation:
    """报送: the report issued to the Party committee and government and the departments that use it."""
    evaluation = _locked(actor, evaluation, "报送评估报告", E.DECIDED)
    reported_to = (reported_to or "").strip()
    if not reported_to:
        raise BianzhiError(SupervisionError.MISSING, label="报送对象")
    day = day or timezone.localdate()
    if day > timezone.localdate():
        raise BianzhiError(EvaluationError.FUTURE_DATE, day=day)
    evaluation.state, evaluation.reported_on, evaluation.reported_to = E.REPORTED, day, reported_to[:200]
    evaluation.save(update_fields=["state", "reported_on", "reported_to"])
    audit_record(
        actor=actor,
        action="supervision.evaluation_reported",
        obj=evaluation,
        after={"to": reported_to, "day": day.isoformat()},
    )
    return evaluation


# ---------------------------------------------------------------------------------------------------------------
# the list as a workbook, the report as a PDF

COLUMNS = (
    ("评估名称", 40),
    ("评估类型", 22),
    ("评估对象", 30),
    ("单位类别", 14),
    ("年度", 6),
    ("评估基准日", 12),
    ("指标体系", 14),
    ("状态", 16),
    ("总分", 8),
    ("等次", 8),
)


def evaluations_export(*, actor, evaluations, description: str) -> tuple[str, bytes]:
    require_supervisor(actor)
    rows = [
        [
            e.title,
            e.get_kind_display(),
            e.unit.name,
            e.get_category_display(),
            e.year,
            e.as_of.isoformat(),
            f"{e.set_code} {e.set_version}",
            e.get_state_display(),
            float(e.total) if e.total is not None else "",
            e.grade,
        ]
        for e in evaluations
    ]
    today = timezone.localdate()
    content = table_workbook(sheet="评估", title=f"机构编制评估（{today.isoformat()}）", headers=COLUMNS, rows=rows)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="supervision.evaluations_exported",
            object_type="supervision.export",
            object_repr=description[:255],
            after={"rows": len(rows), "format": "xlsx"},
        )
    return f"机构编制评估_{today.isoformat()}.xlsx", content


def evaluation_report_pdf(*, actor, evaluation: Evaluation) -> Printed:
    """The evaluation report: object, day, each indicator with its score, total, grade and findings. Printed from
    已评定 on (before that the figures may still change); every print is in the audit log."""
    evaluation = evaluation_for(actor, evaluation.pk)
    if evaluation.state not in (E.DECIDED, E.REPORTED):
        raise BianzhiError(EvaluationError.NOT_ALLOWED, state=str(E(evaluation.state).label), action="打印评估报告")
    context = {
        "evaluation": evaluation,
        "scores": list(evaluation.scores.all()),
        "findings": list(evaluation.findings.select_related("rectification")),
        "county": county_name(),
        "printer": str(actor) if actor is not None else SYSTEM_ACTOR_NAME,
        "printed_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }
    content = pdf_render("supervision/pdf/evaluation_report.html", context)
    with transaction.atomic():
        audit_record(actor=actor, action="supervision.evaluation_report_printed", obj=evaluation)
    return Printed(f"评估报告_{evaluation.pk}_{evaluation.as_of.isoformat()}.pdf", content)
