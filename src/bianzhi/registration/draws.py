"""双随机一公开 (brief §6.7): the draw of the institutions to inspect and of a team of inspectors for each, its
notices, results and publication, and the verification that recomputes a draw from what it recorded.

The draw itself is a pure function (``draw_compute``) of the base (the USCCs), the rate, the seed and the inspectors
with the institutions each must stay away from; the service records all four, so that ``bianzhi draw verify``
recomputes the objects and teams however the register and the inspector pool have changed since."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import random
import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from bianzhi.accounts.permissions import Capability, has_capability, require_capability
from bianzhi.accounts.scoping import sees_whole_county
from bianzhi.audit.models import AuditEvent
from bianzhi.audit.services import audit_record
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.files import Upload, file_store
from bianzhi.core.locks import lock_row
from bianzhi.core.todo import TodoItem
from bianzhi.core.workdays import add_working_days
from bianzhi.orgs.models import Unit
from bianzhi.registration.choices import DrawState, InspectionMethod, InspectionResult, InstitutionStatus
from bianzhi.registration.codes import counter_next
from bianzhi.registration.errors import RegistrationError
from bianzhi.registration.models import (
    DrawObject,
    InspectionDraw,
    Inspector,
    InspectorRelation,
    Institution,
    InstitutionVersion,
)

TEAM_SIZE = 2  # 检查人员不少于两人
MIN_RATE, MAX_RATE = Decimal("0.01"), Decimal("0.03")
# results that leave the institution something to put right (read by the supervision work: inspection_problems)
PROBLEM_RESULTS = (InspectionResult.RECTIFY, InspectionResult.MISMATCH, InspectionResult.NO_ANNUAL_REPORT)


# ---------------------------------------------------------------- the algorithm


@dataclass(frozen=True)
class PoolMember:
    """An active inspector as the draw saw them: the institutions (USCCs) they may not inspect."""

    id: int
    conflicts: frozenset[str]


@dataclass(frozen=True)
class DrawOutcome:
    base: tuple[str, ...]  # sorted
    n: int
    teams: dict[str, tuple[int, ...]]  # each object's USCC (in USCC order) → its inspectors' ids

    @property
    def base_hash(self) -> str:
        return base_hash(self.base)


def base_hash(usccs: Iterable[str]) -> str:
    """SHA-256 of the sorted USCCs, one a line."""
    return hashlib.sha256("\n".join(sorted(usccs)).encode()).hexdigest()


def sample_size(rate: Decimal, base_size: int) -> int:
    return max(1, math.ceil(rate * base_size)) if base_size else 0


def draw_compute(
    base_usccs: Iterable[str],
    rate: Decimal,
    seed: str,
    inspectors_with_conflicts: Iterable[PoolMember],
    *,
    names: Mapping[str, str] | None = None,
) -> DrawOutcome:
    """The objects, ``max(1, ceil(rate × |base|))`` of the base sorted by USCC sampled with ``Random(seed:objects)``,
    and for each (in USCC order) two inspectors sampled with ``Random(seed:team:USCC)`` from the pool, sorted by id,
    less those in conflict with it. Fewer than two eligible refuses the whole draw, naming the object."""
    base = tuple(sorted(set(base_usccs)))
    n = sample_size(rate, len(base))
    objects = sorted(random.Random(f"{seed}:objects").sample(base, n))
    pool = sorted(inspectors_with_conflicts, key=lambda member: member.id)
    teams = {}
    for uscc in objects:
        eligible = [member.id for member in pool if uscc not in member.conflicts]
        if len(eligible) < TEAM_SIZE:
            name = (names or {}).get(uscc, uscc)
            raise BianzhiError(RegistrationError.TOO_FEW_INSPECTORS, name=name, uscc=uscc, count=len(eligible))
        teams[uscc] = tuple(random.Random(f"{seed}:team:{uscc}").sample(eligible, TEAM_SIZE))
    return DrawOutcome(base, n, teams)


# ---------------------------------------------------------------- what a draw starts from


def draw_base(year: int) -> list[str]:
    """The USCCs of the registered institutions not drawn yet in a draw of ``year``, sorted."""
    drawn = DrawObject.objects.filter(draw__year=year).values("institution_id")
    registered = Institution.objects.filter(status=InstitutionStatus.REGISTERED).exclude(pk__in=drawn)
    return sorted(registered.values_list("uscc", flat=True))


def _pool_snapshot(base: list[str]) -> list[dict]:
    """The active inspectors, each with the institutions of the base they may not inspect: their own unit, its
    举办单位 (the sponsor in the open registered items), and the relations they declared."""
    institutions = Institution.objects.filter(uscc__in=base)
    by_unit: dict[int, set[str]] = defaultdict(set)
    for unit_id, uscc in institutions.values_list("unit_id", "uscc"):
        by_unit[unit_id].add(uscc)
    sponsored = InstitutionVersion.objects.filter(
        institution__in=institutions, valid_to__isnull=True, sponsor__isnull=False
    ).values_list("sponsor_id", "institution__uscc")
    for sponsor_id, uscc in sponsored:
        by_unit[sponsor_id].add(uscc)
    declared: dict[int, set[str]] = defaultdict(set)
    relations = InspectorRelation.objects.filter(institution__in=institutions, inspector__active=True)
    for inspector_id, uscc in relations.values_list("inspector_id", "institution__uscc"):
        declared[inspector_id].add(uscc)
    return [
        {
            "id": inspector.pk,
            "name": inspector.name,
            "unit": inspector.unit.name,
            "conflicts": sorted(by_unit[inspector.unit_id] | declared[inspector.pk]),
        }
        for inspector in Inspector.objects.filter(active=True).select_related("unit").order_by("pk")
    ]


def pool_members(pool: list[dict]) -> list[PoolMember]:
    return [PoolMember(entry["id"], frozenset(entry["conflicts"])) for entry in pool]


def pool_hash(pool: list[dict]) -> str:
    return hashlib.sha256(json.dumps(pool, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


# ---------------------------------------------------------------- checks shared by the writes


def _require_county_staff(actor) -> None:
    """Draws cover the whole county: the 登记管理 staff and the 编办 with a county-wide scope."""
    require_capability(actor, Capability.MANAGE_REGISTRATION)
    if not sees_whole_county(actor):
        raise BianzhiError(CommonError.OUT_OF_SCOPE)


def checked_rate(raw) -> Decimal:
    try:
        rate = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        raise BianzhiError(RegistrationError.BAD_RATE, value=raw) from None
    if not rate.is_finite() or not MIN_RATE <= rate <= MAX_RATE:
        raise BianzhiError(RegistrationError.BAD_RATE, value=raw)
    return rate


def _checked_seed(seed: str | None) -> tuple[str, bool]:
    """A public lottery result as entered, or a fresh random seed."""
    if seed is None or not str(seed).strip():
        return secrets.token_hex(16), False
    seed = str(seed).strip()
    if len(seed) > 200:
        raise BianzhiError(RegistrationError.BAD_SEED, value=seed[:20] + "…")
    return seed, True


def _not_future(day: dt.date) -> None:
    if day > timezone.localdate():
        raise BianzhiError(RegistrationError.FUTURE_DATE, day=day)


def _locked_draw(draw: InspectionDraw) -> InspectionDraw:
    return lock_row(InspectionDraw.objects.filter(pk=draw.pk))


def _require_state(draw: InspectionDraw, states: tuple[str, ...], action: str) -> None:
    if draw.state not in states:
        state = draw.get_state_display()
        raise BianzhiError(RegistrationError.DRAW_STATE, number=draw.number, state=state, action=action)


# ---------------------------------------------------------------- writes


@transaction.atomic
def draw_create(
    *,
    actor,
    year: int,
    rate,
    checklist: str,
    method: str,
    inspected_by: dt.date,
    seed: str | None = None,
    drawn_on: dt.date | None = None,
) -> InspectionDraw:
    """抽取: the objects and their teams from the base of ``year``, with everything needed to recompute them."""
    _require_county_staff(actor)
    drawn_on = drawn_on or timezone.localdate()
    _not_future(drawn_on)
    if year not in (drawn_on.year, drawn_on.year - 1):
        raise BianzhiError(RegistrationError.BAD_YEAR, value=year)
    rate = checked_rate(rate)
    items = [line.strip() for line in (checklist or "").splitlines() if line.strip()]
    if not items:
        raise BianzhiError(RegistrationError.EMPTY_CHECKLIST)
    if method not in InspectionMethod.values:
        raise BianzhiError(RegistrationError.BAD_METHOD, value=method)
    if inspected_by < drawn_on:
        raise BianzhiError(RegistrationError.BAD_INSPECT_BY, day=inspected_by, drawn=drawn_on)
    seed, seed_public = _checked_seed(seed)
    # the year's counter row, bumped first, queues concurrent draws of a year so that none takes a drawn object
    number = f"{year}-{counter_next('draw', str(year)):02d}"
    base = draw_base(year)
    if not base:
        raise BianzhiError(RegistrationError.EMPTY_BASE, year=year)
    pool = _pool_snapshot(base)
    institutions = {i.uscc: i for i in Institution.objects.filter(uscc__in=base).select_related("unit")}
    names = {uscc: institution.unit.name for uscc, institution in institutions.items()}
    outcome = draw_compute(base, rate, seed, pool_members(pool), names=names)
    draw = InspectionDraw.objects.create(
        number=number,
        year=year,
        rate=rate,
        seed=seed,
        seed_public=seed_public,
        base_hash=outcome.base_hash,
        base=list(outcome.base),
        pool=pool,
        checklist="\n".join(items),
        method=method,
        drawn_on=drawn_on,
        inspected_by=inspected_by,
        created_by=actor,
    )
    for uscc, team in outcome.teams.items():
        drawn = DrawObject.objects.create(draw=draw, institution=institutions[uscc], uscc=uscc)
        drawn.inspectors.set(team)
    audit_record(
        actor=actor,
        action="registration.draw_created",
        obj=draw,
        after={
            "number": number,
            "year": year,
            "rate": str(rate),
            "seed": seed,
            "seed_public": seed_public,
            "base_size": len(outcome.base),
            "base_hash": outcome.base_hash,
            "pool_hash": pool_hash(pool),
            "objects": {uscc: list(team) for uscc, team in outcome.teams.items()},
        },
    )
    return draw


@transaction.atomic
def draw_notify(*, actor, draw: InspectionDraw, day: dt.date) -> InspectionDraw:
    """《抽查通知书》 sent to every object on ``day``."""
    _require_county_staff(actor)
    draw = _locked_draw(draw)
    _require_state(draw, (DrawState.DRAWN,), "发出抽查通知")
    _not_future(day)
    if day < draw.drawn_on:
        raise BianzhiError(RegistrationError.NOTICE_BEFORE_DRAW, day=day, drawn=draw.drawn_on)
    draw.targets.update(notice_sent_on=day)
    draw.state, draw.notified_on = DrawState.NOTIFIED, day
    draw.save(update_fields=["state", "notified_on"])
    audit_record(actor=actor, action="registration.draw_notified", obj=draw, after={"day": day.isoformat()})
    return draw


@transaction.atomic
def draw_object_record(
    *,
    actor,
    drawn: DrawObject,
    result: str,
    findings: str,
    inspected_on: dt.date,
    upload: Upload | None = None,
    rectification_required: bool | None = None,
) -> DrawObject:
    """One object's result (may be corrected until the draw is published); the last one in sets the inspection's
    end and the publication deadline, ``BIANZHI_INSPECTION_PUBLISH_DAYS`` working days after it."""
    _require_county_staff(actor)
    draw = _locked_draw(drawn.draw)
    _require_state(draw, (DrawState.NOTIFIED, DrawState.INSPECTED), "录入检查结果")
    drawn = DrawObject.objects.select_related("institution__unit").get(pk=drawn.pk, draw=draw)
    if result not in InspectionResult.values:
        allowed = "、".join(str(label) for label in InspectionResult.labels)
        raise BianzhiError(RegistrationError.BAD_RESULT, value=result, allowed=allowed)
    findings = (findings or "").strip()
    if result != InspectionResult.NO_PROBLEM and not findings:
        raise BianzhiError(RegistrationError.FINDINGS_REQUIRED, result=InspectionResult(result).label)
    _not_future(inspected_on)
    if drawn.notice_sent_on and inspected_on < drawn.notice_sent_on:
        raise BianzhiError(RegistrationError.INSPECTED_BEFORE_NOTICE, day=inspected_on, notified=drawn.notice_sent_on)
    before = {"result": drawn.result, "findings": drawn.findings} if drawn.result else None
    if upload is not None:
        drawn.record_file, drawn.record_name = file_store(upload), upload.name[:255]
    drawn.result, drawn.findings, drawn.inspected_on = result, findings, inspected_on
    drawn.rectification_required = (
        result in PROBLEM_RESULTS if rectification_required is None else bool(rectification_required)
    )
    drawn.recorded_at = timezone.now()
    drawn.save()
    if not draw.targets.filter(result="").exists():
        ended = max(draw.targets.values_list("inspected_on", flat=True))
        draw.state, draw.inspection_ended_on = DrawState.INSPECTED, ended
        draw.publish_due = add_working_days(ended, settings.BIANZHI_INSPECTION_PUBLISH_DAYS).due
        draw.save(update_fields=["state", "inspection_ended_on", "publish_due"])
    audit_record(
        actor=actor,
        action="registration.draw_result_recorded",
        obj=draw,
        object_repr=f"{draw} {drawn.institution.unit.name}"[:255],
        before=before,
        after={
            "uscc": drawn.uscc,
            "result": result,
            "findings": findings,
            "day": inspected_on.isoformat(),
            "rectification_required": drawn.rectification_required,
            "file": drawn.record_name,
        },
    )
    return drawn


def published_results(draw: InspectionDraw) -> dict[str, str]:
    return dict(draw.targets.order_by("uscc").values_list("uscc", "result"))


@transaction.atomic
def draw_publish(*, actor, draw: InspectionDraw, day: dt.date | None = None) -> InspectionDraw:
    """公示: every object has its result; the results go on the public page and into the audit log."""
    _require_county_staff(actor)
    draw = _locked_draw(draw)
    day = day or timezone.localdate()
    _not_future(day)
    _require_state(draw, (DrawState.NOTIFIED, DrawState.INSPECTED), "公示")
    missing = draw.targets.filter(result="").select_related("institution__unit").order_by("uscc")
    if missing.exists():
        raise BianzhiError(
            RegistrationError.RESULT_MISSING,
            number=draw.number,
            count=missing.count(),
            name=missing.first().institution.unit.name,
        )
    draw.state, draw.published_on = DrawState.PUBLISHED, day
    draw.save(update_fields=["state", "published_on"])
    audit_record(
        actor=actor,
        action="registration.draw_published",
        obj=draw,
        after={"day": day.isoformat(), "results": published_results(draw)},
    )
    return draw


# ---------------------------------------------------------------- the inspector pool


@transaction.atomic
def inspector_add(*, actor, name: str, unit: Unit, user=None) -> Inspector:
    _require_county_staff(actor)
    name = "".join((name or "").split())
    if not name:
        raise BianzhiError(RegistrationError.INSPECTOR_NAME)
    inspector = Inspector.objects.create(name=name[:50], unit=unit, user=user)
    audit_record(actor=actor, action="registration.inspector_added", obj=inspector, after={"unit": unit.name})
    return inspector


@transaction.atomic
def inspector_deactivate(*, actor, inspector: Inspector) -> Inspector:
    """Takes the inspector out of the pool for later draws; the draws they were in keep them."""
    _require_county_staff(actor)
    inspector = lock_row(Inspector.objects.select_related("unit").filter(pk=inspector.pk))
    if not inspector.active:
        raise BianzhiError(RegistrationError.INSPECTOR_INACTIVE, name=inspector.name)
    inspector.active = False
    inspector.save(update_fields=["active"])
    audit_record(actor=actor, action="registration.inspector_deactivated", obj=inspector)
    return inspector


@transaction.atomic
def inspector_relation_declare(
    *, actor, inspector: Inspector, institution: Institution, note: str
) -> InspectorRelation:
    """An interest the inspector declares in an institution: later draws never send them there."""
    _require_county_staff(actor)
    inspector = lock_row(Inspector.objects.select_related("unit").filter(pk=inspector.pk))
    if not inspector.active:
        raise BianzhiError(RegistrationError.INSPECTOR_INACTIVE, name=inspector.name)
    note = " ".join((note or "").split())
    if not note:
        raise BianzhiError(RegistrationError.RELATION_NOTE)
    if InspectorRelation.objects.filter(inspector=inspector, institution=institution).exists():
        raise BianzhiError(RegistrationError.RELATION_EXISTS, name=inspector.name, institution=institution.unit.name)
    relation = InspectorRelation.objects.create(inspector=inspector, institution=institution, note=note[:200])
    audit_record(
        actor=actor,
        action="registration.inspector_relation_declared",
        obj=inspector,
        after={"institution": institution.uscc, "note": relation.note},
    )
    return relation


# ---------------------------------------------------------------- verification


def _recorded(draw: InspectionDraw, action: str) -> dict:
    event = (
        AuditEvent.objects.filter(action=action, object_type=InspectionDraw._meta.label_lower, object_id=str(draw.pk))
        .order_by("pk")
        .last()
    )
    return (event.after or {}) if event else {}


def _team_names(draw: InspectionDraw, ids: Iterable[int]) -> str:
    names = {entry["id"]: entry["name"] for entry in draw.pool}
    return "、".join(names.get(pk, f"#{pk}") for pk in sorted(ids))


def draw_verify(draw: InspectionDraw) -> list[str]:
    """What differs between the draw as stored and the draw recomputed from its seed, base and pool, and between
    those and what the audit log recorded when it was drawn and published; empty when everything agrees."""
    problems = []
    created = _recorded(draw, "registration.draw_created")
    if not created:
        problems.append("审计日志中没有该抽查的抽取记录")
    if base_hash(draw.base) != draw.base_hash or (created and created.get("base_hash") != draw.base_hash):
        problems.append("基数名单已被改动：与抽取时记录的 SHA-256 不一致")
    if created and created.get("seed") != draw.seed:
        problems.append("随机种子已被改动：与抽取时审计日志记录的种子不一致")
    if created and created.get("pool_hash") != pool_hash(draw.pool):
        problems.append("检查人员名单或回避关系已被改动：与抽取时记录的不一致")
    stored = {
        drawn.uscc: {inspector.pk for inspector in drawn.inspectors.all()}
        for drawn in draw.targets.prefetch_related("inspectors")
    }
    try:
        outcome = draw_compute(draw.base, draw.rate, draw.seed, pool_members(draw.pool))
    except BianzhiError as exc:
        return [*problems, f"无法按记录重新抽取：{exc.message}"]
    expected = {uscc: set(team) for uscc, team in outcome.teams.items()}
    for uscc in sorted(set(expected) - set(stored)):
        problems.append(f"对象不一致：按种子应抽中 {uscc}，记录中没有")
    for uscc in sorted(set(stored) - set(expected)):
        problems.append(f"对象不一致：记录中的 {uscc} 不是按种子抽中的")
    for uscc in sorted(set(stored) & set(expected)):
        if stored[uscc] != expected[uscc]:
            should, recorded = _team_names(draw, expected[uscc]), _team_names(draw, stored[uscc])
            problems.append(f"检查组不一致：{uscc} 应为 {should}，记录为 {recorded}")
    if draw.state == DrawState.PUBLISHED:
        published = _recorded(draw, "registration.draw_published").get("results")
        current = published_results(draw)
        for uscc in sorted(set(current) | set(published or {})):
            if (published or {}).get(uscc) != current.get(uscc):
                problems.append(f"抽查结果不一致：{uscc} 公示后被改动")
    return problems


# ---------------------------------------------------------------- to-do


def draws_todo(*, user, today: dt.date) -> list[TodoItem]:
    """The 登记管理 staff: results still missing after the notices went out, and results to publish."""
    if user is None or not has_capability(user, Capability.MANAGE_REGISTRATION) or not sees_whole_county(user):
        return []
    open_draws = InspectionDraw.objects.filter(state__in=(DrawState.NOTIFIED, DrawState.INSPECTED)).annotate(
        missing=Count("targets", filter=Q(targets__result=""))
    )
    items = []
    for draw in open_draws.order_by("number"):
        if draw.state == DrawState.NOTIFIED:
            title, action = f"抽查 {draw.number}：{draw.missing} 个对象未录入检查结果", "录入检查结果"
        else:
            title, action = f"抽查 {draw.number}：检查已结束，待公示结果", "公示抽查结果"
        due = draw.inspected_by if draw.state == DrawState.NOTIFIED else draw.publish_due
        url = reverse("registration:draw_detail", args=[draw.pk])
        items.append(TodoItem(kind="双随机抽查", title=title, action=action, url=url, due=due))
    return items
