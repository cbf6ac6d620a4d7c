"""The operations a change set's steps may hold, each one carried out by the existing services of the register
(``orgs``, ``lifecycle``) or the ledger (``quotas``), never by code of its own.

A step is an operation code and a dict of parameters, as stored (JSON). A unit is named by its key, or as ``"#N"``:
the unit that step N of the same change set creates. ``apply`` reads the parameters, calls the service and returns
the records it wrote; a parameter that is missing or wrong is refused with ``MatterError`` naming its label, a
refusal of the service comes as the service raised it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models

from bianzhi.core.errors import BianzhiError
from bianzhi.lifecycle.services import SplitPart, unit_abolish, unit_merge, unit_split
from bianzhi.matters.errors import MatterError
from bianzhi.orgs.choices import InstitutionClass, SystemCategory, UnitKind, UnitNature, UnitRank
from bianzhi.orgs.models import Document, SanDingVersion, Unit
from bianzhi.orgs.sanding import SanDingContent, sanding_publish
from bianzhi.orgs.services import UnitSpec, unit_change_class, unit_change_rank, unit_create, unit_move, unit_rename
from bianzhi.quotas.models import AccountKind, FundingForm, MovementKind, PostLevel, PostMovementKind
from bianzhi.quotas.selectors import quota_type_names
from bianzhi.quotas.services import AccountSide, movement_post_between, post_movement_for_unit


@dataclass
class Context:
    """What every step of one application (or one check) shares: who acts, the document and date it is done under,
    and the units created by earlier steps, by position."""

    actor: object
    document: Document
    effective_date: dt.date
    created: dict[int, Unit] = field(default_factory=dict)
    position: int = 0


@dataclass(frozen=True)
class Operation:
    code: str
    label: str
    run: Callable[[Context, dict], list[models.Model]]  # the records written; a created unit first


# the operations that set up a unit, which later steps may name as ``#N``
CREATING = ("unit_create", "unit_split")
OPERATIONS: dict[str, Operation] = {}


def operation(code: str, label: str):
    def register(run):
        OPERATIONS[code] = Operation(code, label, run)
        return run

    return register


# ---------------------------------------------------------------- reading parameters


def allowed(choices: type[models.TextChoices]) -> str:
    return "可选：" + "、".join(map(str, choices.labels))


def _value(params: dict, key: str, label: str, *, required: bool = True):
    value = params.get(key)
    if value in (None, "") and required:
        raise BianzhiError(MatterError.MISSING_PARAM, label=label)
    return value


def _text(params: dict, key: str, label: str, *, required: bool = True) -> str:
    value = _value(params, key, label, required=required)
    return str(value).strip() if value not in (None, "") else ""


def _choice(params: dict, key: str, label: str, choices: type[models.TextChoices], *, required: bool = True) -> str:
    value = _text(params, key, label, required=required)
    if value and value not in choices.values:
        raise BianzhiError(
            MatterError.BAD_PARAM, label=label, value=value, reason="可选：" + "、".join(map(str, choices.labels))
        )
    return value


def _count(params: dict, key: str, label: str) -> int:
    value = _value(params, key, label)
    text = str(value).strip()
    if isinstance(value, bool) or not isinstance(value, int | str) or not text.isdigit() or len(text) > 9:
        raise BianzhiError(MatterError.BAD_PARAM, label=label, value=value, reason="须为正整数")
    number = int(value)
    if number <= 0:
        raise BianzhiError(MatterError.BAD_PARAM, label=label, value=value, reason="须为正整数")
    return number


def _unit(context: Context, params: dict, key: str, label: str, *, required: bool = True) -> Unit | None:
    value = _value(params, key, label, required=required)
    if value in (None, ""):
        return None
    if isinstance(value, str) and value.startswith("#"):
        step = value[1:]
        created = context.created.get(int(step)) if step.isdigit() and int(step) < context.position else None
        if created is None:
            raise BianzhiError(MatterError.STEP_UNIT_MISSING, label=label, step=step)
        return Unit.objects.get(pk=created.pk)  # as it stands now, after the steps since
    key_text = str(value)
    unit = Unit.objects.filter(pk=int(key_text)).first() if key_text.isdigit() and len(key_text) <= 18 else None
    if unit is None:
        raise BianzhiError(MatterError.UNKNOWN_UNIT, label=label, value=value)
    return unit


def _common(context: Context, params: dict) -> dict:
    return {"document": context.document, "effective_date": context.effective_date, "reason": params.get("reason", "")}


# ---------------------------------------------------------------- the register


@operation("unit_create", "机构设立")
def _unit_create(context: Context, params: dict) -> list[models.Model]:
    return [unit_create(actor=context.actor, spec=_spec(context, params), **_common(context, params))]


def _spec(context: Context, params: dict) -> UnitSpec:
    return UnitSpec(
        name=_text(params, "name", "机构名称"),
        system_category=_choice(params, "system_category", "系统类别", SystemCategory),
        kind=_choice(params, "kind", "机构类型", UnitKind),
        nature=_choice(params, "nature", "机构性质", UnitNature),
        rank=_choice(params, "rank", "机构规格", UnitRank),
        parent=_unit(context, params, "parent", "上级机构", required=False),
        short_name=_text(params, "short_name", "简称", required=False),
        institution_class=_choice(params, "institution_class", "事业单位类别", InstitutionClass, required=False),
    )


@operation("unit_rename", "机构更名")
def _unit_rename(context: Context, params: dict) -> list[models.Model]:
    unit = _unit(context, params, "unit", "机构")
    name = _text(params, "name", "新名称")
    return [unit_rename(actor=context.actor, unit=unit, name=name, **_common(context, params))]


@operation("unit_change_rank", "规格调整")
def _unit_change_rank(context: Context, params: dict) -> list[models.Model]:
    unit = _unit(context, params, "unit", "机构")
    rank = _choice(params, "rank", "机构规格", UnitRank)
    return [unit_change_rank(actor=context.actor, unit=unit, rank=rank, **_common(context, params))]


@operation("unit_change_class", "性质类别调整")
def _unit_change_class(context: Context, params: dict) -> list[models.Model]:
    unit = _unit(context, params, "unit", "机构")
    values = {
        "institution_class": _choice(params, "institution_class", "事业单位类别", InstitutionClass, required=False)
        or None,
        "nature": _choice(params, "nature", "机构性质", UnitNature, required=False) or None,
    }
    return [unit_change_class(actor=context.actor, unit=unit, **values, **_common(context, params))]


@operation("unit_move", "隶属调整")
def _unit_move(context: Context, params: dict) -> list[models.Model]:
    unit = _unit(context, params, "unit", "机构")
    parent = _unit(context, params, "parent", "新的上级机构", required=False)
    return [unit_move(actor=context.actor, unit=unit, new_parent=parent, **_common(context, params))]


@operation("unit_merge", "机构合并")
def _unit_merge(context: Context, params: dict) -> list[models.Model]:
    unit = _unit(context, params, "unit", "并入的机构")
    successor = _unit(context, params, "successor", "并入至")
    return [unit_merge(actor=context.actor, unit=unit, successor=successor, **_common(context, params))]


@operation("unit_split", "机构分设")
def _unit_split(context: Context, params: dict) -> list[models.Model]:
    """A new unit carved out of ``unit``, taking ``amount`` slots of one type and funding form along (people follow
    by the roster's own transfers)."""
    unit = _unit(context, params, "unit", "分设自")
    quotas = []
    if params.get("amount") not in (None, ""):
        funding = _choice(params, "funding_form", "经费形式", FundingForm) or FundingForm.QE
        quotas.append((_text(params, "quota_type", "编制类型"), funding, _count(params, "amount", "划转编制数")))
    part = SplitPart(_spec(context, {**params, "parent": params.get("parent") or unit.parent_id}), quotas)
    return list(unit_split(actor=context.actor, unit=unit, parts=[part], **_common(context, params)))


def _lines(params: dict, key: str, label: str, *, required: bool) -> list[str]:
    text = _text(params, key, label, required=required)
    return [line.strip() for line in text.splitlines() if line.strip()]


@operation("sanding_revise", "三定修订")
def _sanding_revise(context: Context, params: dict) -> list[models.Model]:
    """A new 三定 version: the duties (one a line), the internal bodies (one a line, or as they were), the other
    clauses; staffing and posts as the version before says (the ledger steps change those)."""
    unit = _unit(context, params, "unit", "机构")
    previous = SanDingVersion.objects.filter(unit=unit).order_by("-version").first()
    bodies = _lines(params, "bodies", "内设机构", required=False)
    content = SanDingContent(
        duties=_lines(params, "duties", "主要职责", required=True),
        internal_bodies=[{"name": name, "duties": []} for name in bodies]
        if bodies
        else [
            {"name": b["name"], "duties": b.get("duties", [])} for b in (previous.internal_bodies if previous else [])
        ],
        staffing=dict(previous.staffing) if previous else {},
        leadership=dict(previous.leadership) if previous else {},
        other_clauses=_text(params, "other_clauses", "其他事项", required=False),
    )
    return [
        sanding_publish(
            actor=context.actor,
            unit=unit,
            content=content,
            document=context.document,
            effective_date=context.effective_date,
        )
    ]


@operation("unit_abolish", "机构撤销")
def _unit_abolish(context: Context, params: dict) -> list[models.Model]:
    unit = _unit(context, params, "unit", "机构")
    return [unit_abolish(actor=context.actor, unit=unit, **_common(context, params))]


# ---------------------------------------------------------------- the ledger


def _side(context: Context, params: dict, key: str, label: str) -> AccountSide:
    side = _value(params, key, label)
    if not isinstance(side, dict):
        raise BianzhiError(MatterError.BAD_PARAM, label=label, value=side, reason="须写明账户")
    kind = _choice(side, "kind", f"{label}账户", AccountKind)
    unit = _unit(context, side, "unit", f"{label}机构", required=kind == AccountKind.UNIT)
    funding = _choice(side, "funding_form", f"{label}经费形式", FundingForm, required=False)
    return AccountSide(kind=kind, unit=unit, funding_form=funding)


@operation("quota_movement", "编制调整")
def _quota_movement(context: Context, params: dict) -> list[models.Model]:
    movement = movement_post_between(
        actor=context.actor,
        kind=_choice(params, "kind", "业务类型", MovementKind),
        quota_type=_text(params, "quota_type", "编制类型"),
        source=_side(context, params, "source", "划出方"),
        target=_side(context, params, "target", "划入方"),
        amount=_count(params, "amount", "数量"),
        confirm_overstaffing=bool(params.get("confirm_overstaffing")),
        **_common(context, params),
    )
    return [movement]


@operation("post_movement", "领导职数调整")
def _post_movement(context: Context, params: dict) -> list[models.Model]:
    movement = post_movement_for_unit(
        actor=context.actor,
        kind=_choice(params, "kind", "业务类型", PostMovementKind),
        unit=_unit(context, params, "unit", "机构"),
        level=_choice(params, "level", "职务层次", PostLevel),
        grade=_choice(params, "grade", "职级", UnitRank),
        amount=_count(params, "amount", "职数"),
        from_unit=_unit(context, params, "from_unit", "划出机构", required=False),
        is_gaopei=bool(params.get("is_gaopei")),
        confirm_overstaffing=bool(params.get("confirm_overstaffing")),
        **_common(context, params),
    )
    return [movement]


def operation_for(code: str) -> Operation:
    found = OPERATIONS.get(code)
    if found is None:
        raise BianzhiError(MatterError.UNKNOWN_OPERATION, operation=code)
    return found


# ---------------------------------------------------------------- a step as people read it

_LABELS = {
    "name": "名称",
    "unit": "机构",
    "parent": "上级机构",
    "successor": "并入至",
    "from_unit": "划出机构",
    "system_category": "系统类别",
    "nature": "性质",
    "rank": "规格",
    "institution_class": "事业单位类别",
    "kind": "类型",
    "quota_type": "编制类型",
    "source": "划出方",
    "target": "划入方",
    "funding_form": "经费形式",
    "amount": "数量",
    "level": "职务层次",
    "grade": "职级",
    "confirm_overstaffing": "确认超编",
    "reason": "事由",
    "duties": "主要职责",
    "bodies": "内设机构",
    "other_clauses": "其他事项",
}
_CHOICES = {
    "system_category": SystemCategory,
    "nature": UnitNature,
    "rank": UnitRank,
    "grade": UnitRank,
    "institution_class": InstitutionClass,
    "funding_form": FundingForm,
    "level": PostLevel,
}


def _shown(key: str, value, units: dict[int, str]) -> str:
    if isinstance(value, dict):
        return "、".join(_shown(k, v, units) for k, v in value.items() if k != "kind") or _shown(
            "kind", value["kind"], units
        )
    if key in ("unit", "parent", "successor", "from_unit"):
        if isinstance(value, str) and value.startswith("#"):
            return f"第 {value[1:]} 步设立的机构"
        return units.get(int(value), str(value)) if str(value).isdigit() else str(value)
    if key == "kind":
        for choices in (MovementKind, PostMovementKind, UnitKind, AccountKind):
            if value in choices.values:
                return str(choices(value).label)
    if key in _CHOICES and value in _CHOICES[key].values:
        return str(_CHOICES[key](value).label)
    if key == "quota_type":
        return quota_type_names().get(value, str(value))
    if key in ("confirm_overstaffing", "is_gaopei"):
        return "是" if value else "否"
    if key in ("duties", "bodies"):
        lines = [line.strip() for line in str(value).splitlines() if line.strip()]
        return f"{len(lines)} 项（{lines[0]}{'…' if len(lines) > 1 else ''}）" if lines else "—"
    return str(value)


def describe_params(params: dict) -> str:
    """The step's parameters in words: 「类型：划转；编制类型：XZ；划出方：锦绣县财政局、全额拨款 …」."""
    ids = {int(v) for v in _unit_values(params) if str(v).isdigit()}
    units = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "name"))
    return "；".join(f"{_LABELS.get(key, key)}：{_shown(key, value, units)}" for key, value in params.items())


def _unit_values(params: dict):
    for key, value in params.items():
        if isinstance(value, dict):
            yield from _unit_values(value)
        elif key in ("unit", "parent", "successor", "from_unit"):
            yield value
