"""Registration applications (设立 / 变更 / 注销 / 证书补领 / 证书换领, brief §6.2–6.5) as a table of steps: which
states each leaves, the state it reaches, which side acts (the applying unit or the registration authority) and
what it must record. ``application_step`` is the one service that moves an application; the register itself is
written only through the register's services (``services``, ``credit``) and, for a unit that ends or is renamed,
through the register of units (``lifecycle``, ``orgs``).

Deadlines are counted in working days on the calendar (``core.workdays``): the 一次性告知 within three days of
receipt — after that the application counts as accepted from the day it was received — and the decision within
thirty days of acceptance (``BIANZHI_REGISTRATION_DAYS``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bianzhi.accounts.permissions import Capability, has_capability, require_capability
from bianzhi.accounts.scoping import ensure_unit_in_scope, unit_in_scope
from bianzhi.audit.services import SYSTEM_ACTOR_NAME, audit_record
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.excel import county_name
from bianzhi.core.files import Upload, file_store
from bianzhi.core.locks import lock_row
from bianzhi.core.todo import TodoItem
from bianzhi.core.workdays import Deadline, WorkCalendar, add_working_days
from bianzhi.lifecycle.services import unit_abolish
from bianzhi.orgs.choices import UnitKind, UnitStatus
from bianzhi.orgs.documents import DocumentRef
from bianzhi.orgs.models import Unit
from bianzhi.orgs.services import unit_rename
from bianzhi.registration import materials as checklists
from bianzhi.registration.choices import ApplicationKind, ApplicationState, CancelTrigger, CertificateKind
from bianzhi.registration.codes import counter_next
from bianzhi.registration.credit import credit_clean, credit_record, ensure_registration_allowed
from bianzhi.registration.errors import RegistrationError
from bianzhi.registration.models import (
    ITEM_FIELDS,
    Application,
    ApplicationEvent,
    ApplicationMaterial,
    Institution,
)
from bianzhi.registration.selectors import applications_visible_to
from bianzhi.registration.services import (
    ITEM_LABELS,
    certificate_issue,
    certificates_collect,
    clean_items,
    institution_cancel,
    institution_change,
    institution_register,
    items_of,
)

S = ApplicationState
K = ApplicationKind
APPLICANT, OFFICE = "applicant", "office"
PARTY_LABELS = {APPLICANT: "申请单位", OFFICE: "登记管理机关"}
ABANDONED = frozenset({S.NOT_ACCEPTED, S.REJECTED, S.WITHDRAWN})
FINISHED = ABANDONED | {S.CLOSED}
EDITABLE = frozenset({S.DRAFT, S.NEEDS_CORRECTION})
# 变更 of these items must be applied for within the days after the fact (细则 第45条); 住所 before moving in
TIMED_ITEMS = frozenset({"name", "legal_representative", "purpose", "funding_source", "sponsor"})


def days(name: str) -> int:
    return settings.BIANZHI_REGISTRATION_DAYS[name]


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    party: str
    comment: str = ""  # what the step must write down (empty: nothing required)


STEPS = {
    s.name: s
    for s in (
        Step("submit", "提交申请", frozenset({S.DRAFT, S.NEEDS_CORRECTION}), S.SUBMITTED, APPLICANT),
        Step("withdraw", "撤回申请", frozenset({S.DRAFT, S.SUBMITTED, S.NEEDS_CORRECTION}), S.WITHDRAWN, APPLICANT),
        Step(
            "request_correction",
            "一次性告知补正",
            frozenset({S.SUBMITTED}),
            S.NEEDS_CORRECTION,
            OFFICE,
            "需要补正的全部内容",
        ),
        Step("accept", "受理", frozenset({S.SUBMITTED}), S.ACCEPTED, OFFICE),
        Step("not_accept", "不予受理", frozenset({S.SUBMITTED}), S.NOT_ACCEPTED, OFFICE, "不予受理的理由"),
        Step("review", "审查通过", frozenset({S.ACCEPTED}), S.REVIEWED, OFFICE, "审查意见"),
        Step("approve", "核准登记", frozenset({S.REVIEWED}), S.APPROVED, OFFICE),
        Step("reject", "不予登记", frozenset({S.ACCEPTED, S.REVIEWED}), S.REJECTED, OFFICE, "不予登记的理由"),
        Step("issue", "发证", frozenset({S.APPROVED}), S.CERT_ISSUED, OFFICE),
        Step("publish", "公告", frozenset({S.CERT_ISSUED}), S.PUBLISHED, OFFICE),
        Step("close", "办结归档", frozenset({S.PUBLISHED}), S.CLOSED, OFFICE),
    )
}
NEXT_PARTY = {
    S.DRAFT: APPLICANT,
    S.NEEDS_CORRECTION: APPLICANT,
    S.SUBMITTED: OFFICE,
    S.ACCEPTED: OFFICE,
    S.REVIEWED: OFFICE,
    S.APPROVED: OFFICE,
    S.CERT_ISSUED: OFFICE,
    S.PUBLISHED: OFFICE,
}
NEXT_STEP = {
    S.DRAFT: "补齐材料并提交申请",
    S.NEEDS_CORRECTION: "按一次性告知补正后再提交",
    S.SUBMITTED: "审核材料：受理、一次性告知补正或不予受理",
    S.ACCEPTED: "审查",
    S.REVIEWED: "核准登记或不予登记",
    S.APPROVED: "发证",
    S.CERT_ISSUED: "公告",
    S.PUBLISHED: "办结归档",
}


def step_label(step: Step, application: Application) -> str:
    """注销 collects the certificates where the others issue them."""
    if step.name == "issue" and application.kind == K.CANCEL:
        return "收缴证书和印章"
    return step.label


def acts_for(user, application: Application, party: str) -> bool:
    """Whether ``user`` may act as ``party`` on ``application`` (``None``, the system, acts for both)."""
    if user is None:
        return True
    needed = Capability.MANAGE_REGISTRATION if party == OFFICE else Capability.APPLY_REGISTRATION
    return has_capability(user, needed) and unit_in_scope(user, application.unit)


def allowed_steps(user, application: Application) -> list[Step]:
    return [s for s in STEPS.values() if application.state in s.sources and acts_for(user, application, s.party)]


# deadlines ------------------------------------------------------------------------------------------------------


def notice_deadline(application: Application, calendar: WorkCalendar | None = None) -> Deadline | None:
    """一次性告知 is due within three working days of receipt."""
    if application.received_on is None:
        return None
    return add_working_days(application.received_on, days("notice"), calendar=calendar)


def deemed_accepted(application: Application, today: dt.date, calendar: WorkCalendar | None = None) -> bool:
    """An application waiting past the 一次性告知 deadline counts as accepted from the day it was received."""
    if application.state != S.SUBMITTED:
        return application.deemed_accepted
    notice = notice_deadline(application, calendar)
    return notice is not None and today > notice.due


def decision_deadline(
    application: Application, today: dt.date, calendar: WorkCalendar | None = None
) -> Deadline | None:
    """The decision is due thirty working days after acceptance (after receipt, when acceptance is deemed)."""
    start = application.accepted_on
    if start is None and deemed_accepted(application, today, calendar):
        start = application.received_on
    return add_working_days(start, days("decision"), calendar=calendar) if start else None


def current_deadline(application: Application, today: dt.date, calendar: WorkCalendar | None = None):
    """The date by which the side that acts next must act, if the rules set one."""
    if application.state == S.SUBMITTED and not deemed_accepted(application, today, calendar):
        return notice_deadline(application, calendar)
    if application.state in (S.SUBMITTED, S.ACCEPTED, S.REVIEWED):
        return decision_deadline(application, today, calendar)
    return None


# what an application asks for ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What the applicant states: the items asked for and the dates the rules count from."""

    items: dict | None = None
    fact_date: dt.date | None = None
    move_date: dt.date | None = None
    remedies: bool = False
    certificate_kinds: tuple[str, ...] = ()
    trigger: str = ""
    liquidation_started_on: dt.date | None = None
    first_notice_on: dt.date | None = None
    statement: str = ""


def _json_items(items: dict) -> dict:
    shown = dict(items)
    if "capital" in shown:
        shown["capital"] = str(shown["capital"])
    if "sponsor" in shown:
        shown["sponsor"] = shown["sponsor"].pk if shown["sponsor"] else None
    return shown


def _past(day: dt.date | None, what: str, today: dt.date) -> dt.date:
    if day is None:
        raise BianzhiError(RegistrationError.FACT_DATE_REQUIRED, what=what)
    if day > today:
        raise BianzhiError(RegistrationError.FACT_DATE_FUTURE, what=what, day=day)
    return day


def capital_change_mandatory(before: Decimal, after: Decimal) -> bool:
    """开办资金 must be registered anew when it moves by more than the rate (20 %) either way."""
    if before == 0:
        return after != 0
    return abs(after - before) / before > Decimal(str(settings.BIANZHI_CAPITAL_CHANGE_RATE))


def changed_items(application: Application) -> set[str]:
    return set(application.items) if application.kind == K.CHANGE else set()


def requested_items(application: Application) -> dict:
    """The registered items the application asks for, cleaned (for a 变更, merged over the items in force)."""
    if application.kind == K.SETUP:
        return clean_items(application.items)
    current = items_of(application.institution.versions.get(valid_to__isnull=True))
    return clean_items({**current, **application.items})


def _late(fact: dt.date, key: str, what: str, today: dt.date) -> list[str]:
    due = add_working_days(fact, days(key)).due
    return [f"{what}（{fact}）起 {days(key)} 个工作日内（{due} 前）申请"] if today > due else []


def late_reasons(application: Application, today: dt.date) -> list[str]:
    """Why the application is late under brief §6.2–6.4 (empty when it is not): it then needs a statement of why."""
    fact = application.fact_date
    if application.kind == K.SETUP and fact:
        return _late(fact, "apply_setup", "设立登记应自批准设立之日", today)
    if application.kind == K.CANCEL and fact:
        return _late(fact, "apply_cancel", "注销登记应自清算结束之日", today)
    if application.kind != K.CHANGE:
        return []
    reasons = []
    timed = changed_items(application) & TIMED_ITEMS
    if "capital" in application.items:
        before = application.institution.versions.get(valid_to__isnull=True).capital
        if capital_change_mandatory(before, Decimal(application.items["capital"])):
            timed.add("capital")
    if timed and fact:
        labels = "、".join(ITEM_LABELS[name] for name in ITEM_FIELDS if name in timed)
        reasons += _late(fact, "apply_change", f"{labels}变更应自变更之日", today)
    if "address" in application.items and application.move_date and application.move_date < today:
        reasons.append(f"住所变更应在迁入新住所（{application.move_date}）前申请")
    return reasons


def _institution_of(unit: Unit) -> Institution:
    institution = Institution.objects.filter(unit=unit).first()
    if institution is None:
        raise BianzhiError(RegistrationError.NO_INSTITUTION, unit=unit.name)
    return institution


def _checked(kind: str, unit: Unit, facts: Facts, today: dt.date) -> dict:
    """The application's fields from what the applicant stated, checked under the rules of its kind."""
    fields = {
        "items": {},
        "fact_date": None,
        "move_date": None,
        "remedies": False,
        "certificate_kinds": "",
        "trigger": "",
        "liquidation_started_on": None,
        "first_notice_on": None,
        "statement": facts.statement.strip(),
        "institution": None,
    }
    if kind == K.SETUP:
        if unit.kind != UnitKind.SHIYE:
            raise BianzhiError(RegistrationError.NOT_SHIYE, unit=unit.name)
        if unit.status != UnitStatus.ACTIVE:
            raise BianzhiError(RegistrationError.UNIT_NOT_ACTIVE, unit=unit.name)
        existing = Institution.objects.filter(unit=unit).first()
        if existing is not None:
            raise BianzhiError(RegistrationError.ALREADY_REGISTERED, unit=unit.name, uscc=existing.uscc)
        fields["items"] = _json_items(clean_items(facts.items or {}))
        fields["fact_date"] = _past(facts.fact_date, "批准设立日期", today)
        return fields
    institution = _institution_of(unit)
    fields["institution"] = institution
    if institution.status != "REGISTERED":
        raise BianzhiError(RegistrationError.NOT_REGISTERED, status=institution.get_status_display(), action="申请登记")
    ensure_registration_allowed(institution, remedies=kind == K.CHANGE and facts.remedies)
    if kind == K.CHANGE:
        before = items_of(institution.versions.get(valid_to__isnull=True))
        after = clean_items({**before, **(facts.items or {})})
        changed = {name: after[name] for name in ITEM_FIELDS if after[name] != before[name]}
        if not changed:
            raise BianzhiError(RegistrationError.NO_CHANGE)
        fields["items"] = _json_items(changed)
        fields["remedies"] = facts.remedies
        capital_due = "capital" in changed and capital_change_mandatory(before["capital"], after["capital"])
        if set(changed) & TIMED_ITEMS or capital_due or facts.fact_date:  # the 30 days count from it
            fields["fact_date"] = _past(facts.fact_date, "变更事项发生日期", today)
        if "address" in changed:
            if facts.move_date is None:
                raise BianzhiError(RegistrationError.MOVE_DATE_REQUIRED)
            fields["move_date"] = facts.move_date
    elif kind == K.CANCEL:
        if facts.trigger not in CancelTrigger.values:
            raise BianzhiError(RegistrationError.TRIGGER_REQUIRED)
        started = _past(facts.liquidation_started_on, "清算组成立日期", today)
        first = _past(facts.first_notice_on, "第一次注销公告日期", today)
        ended = _past(facts.fact_date, "清算结束日期", today)
        if first < started:
            raise BianzhiError(RegistrationError.LIQUIDATION_DATES, problem="第一次公告不能早于清算组成立")
        creditors_end = first + dt.timedelta(days=days("creditors_calendar"))
        if ended < creditors_end:
            raise BianzhiError(
                RegistrationError.CREDITOR_PERIOD,
                first=first,
                days=days("creditors_calendar"),
                end=creditors_end,
                ended=ended,
            )
        fields.update(trigger=facts.trigger, liquidation_started_on=started, first_notice_on=first, fact_date=ended)
    else:  # 补领 / 换领
        kinds = [k for k in CertificateKind.values if k in facts.certificate_kinds]
        if not kinds:
            raise BianzhiError(RegistrationError.CERT_KINDS_REQUIRED)
        for name in kinds:
            if not institution.certificates.filter(kind=name, voided_on__isnull=True).exists():
                raise BianzhiError(RegistrationError.NO_LIVE_CERTIFICATE, kind=CertificateKind(name).label)
        fields["certificate_kinds"] = ",".join(kinds)
    return fields


def _ensure_no_open_application(unit: Unit, excluding: int | None = None) -> None:
    other = Application.objects.filter(unit=unit).exclude(state__in=FINISHED).exclude(pk=excluding).first()
    if other is not None:
        raise BianzhiError(
            RegistrationError.APPLICATION_OPEN, unit=unit.name, kind=other.get_kind_display(), number=other.number
        )


def _sync_checklist(application: Application, today: dt.date) -> None:
    late = bool(late_reasons(application, today))
    checklists.materials_sync(
        application, checklists.checklist(application.kind, changed_items(application), late=late)
    )


def _today(actor, today: dt.date | None) -> dt.date:
    """The day a step happens: today, or an earlier day the system (never a person) records a history for."""
    return today if actor is None and today is not None else timezone.localdate()


def _require(actor, application: Application, party: str) -> None:
    """Refused with what is wrong: the user may not act for that side at all, or not for that unit."""
    if actor is None:
        return
    needed = Capability.MANAGE_REGISTRATION if party == OFFICE else Capability.APPLY_REGISTRATION
    require_capability(actor, needed)
    ensure_unit_in_scope(actor, application.unit)


def event_record(
    application: Application, step: str, source: str, target: str, *, actor, comment: str = "", day: dt.date
):
    now = timezone.now()
    at = now if day == timezone.localdate(now) else timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    return ApplicationEvent.objects.create(
        application=application,
        transition=step,
        from_state=source,
        to_state=target,
        actor=actor,
        actor_name=actor.get_username() if actor is not None else SYSTEM_ACTOR_NAME,
        at=at,
        comment=comment,
    )


@transaction.atomic
def application_create(*, actor, unit: Unit, kind: str, facts: Facts, today: dt.date | None = None) -> Application:
    """A draft application of the unit, its checklist made from its kind and the items it changes. ``today``: the
    day it happens, given only by the system building a history (the demo); people act today."""
    if kind not in K.values:
        raise BianzhiError(CommonError.INVALID_INPUT, reason=f"申请类别「{kind}」无效")
    unit = lock_row(Unit.objects.filter(pk=unit.pk))  # one open application per unit, even when two ask at once
    probe = Application(unit=unit, kind=kind)
    _require(actor, probe, APPLICANT)
    _ensure_no_open_application(unit)
    today = _today(actor, today)
    fields = _checked(kind, unit, facts, today)
    number = f"DJ{today.year}-{counter_next('application', str(today.year)):05d}"
    application = Application.objects.create(
        number=number, kind=kind, unit=unit, state=S.DRAFT, state_since=today, applicant=actor, **fields
    )
    _sync_checklist(application, today)
    event_record(application, "create", S.DRAFT, S.DRAFT, actor=actor, day=today)
    audit_record(
        actor=actor,
        action="registration.application_created",
        obj=application,
        after={"number": number, "kind": kind, "unit": unit.name, "items": fields["items"]},
    )
    return application


@transaction.atomic
def application_update(*, actor, application: Application, facts: Facts) -> Application:
    """The applicant corrects what the application asks for while it is a draft or awaits correction."""
    application = lock_row(Application.objects.select_related("unit").filter(pk=application.pk))
    _require(actor, application, APPLICANT)
    if application.state not in EDITABLE:
        raise BianzhiError(RegistrationError.APPLICATION_STATE, state=application.get_state_display(), action="修改")
    today = timezone.localdate()
    fields = _checked(application.kind, application.unit, facts, today)
    before = {"items": application.items}
    for name, value in fields.items():
        setattr(application, name, value)
    application.save()
    _sync_checklist(application, today)
    audit_record(
        actor=actor,
        action="registration.application_updated",
        obj=application,
        before=before,
        after={"items": fields["items"]},
    )
    return application


def _material(application: Application, code: str) -> ApplicationMaterial:
    material = application.materials.filter(code=code).first()
    if material is None:
        raise BianzhiError(RegistrationError.UNKNOWN_MATERIAL, code=code)
    return material


@transaction.atomic
def material_upload(
    *, actor, application: Application, code: str, upload: Upload, today: dt.date | None = None
) -> ApplicationMaterial:
    """A file for one line of the checklist, while the application is being prepared or corrected; a 容缺 line
    also later, until the certificate is issued (补正 as promised)."""
    application = lock_row(Application.objects.select_related("unit").filter(pk=application.pk))
    _require(actor, application, APPLICANT)
    material = _material(application, code)
    open_promise = material.deferred and application.state in (S.SUBMITTED, S.ACCEPTED, S.REVIEWED, S.APPROVED)
    if application.state not in EDITABLE and not open_promise:
        raise BianzhiError(RegistrationError.MATERIALS_LOCKED, state=application.get_state_display())
    stored = file_store(upload)
    material.file, material.file_name, material.supplied_on = stored, upload.name[:200], _today(actor, today)
    material.save()
    audit_record(
        actor=actor,
        action="registration.material_supplied",
        obj=application,
        after={
            "material": material.label,
            "file": upload.name,
            "sha256": stored.sha256,
            "promised": bool(material.due_on),
        },
    )
    return material


@transaction.atomic
def material_defer(
    *,
    actor,
    application: Application,
    code: str,
    promise: Upload | None,
    due_on: dt.date | None,
    today: dt.date | None = None,
) -> ApplicationMaterial:
    """容缺受理 (brief §6.5): a non-essential material handed in later, on the applicant's written promise, by a date
    within ``promise_max`` working days; only for an applicant without a credit entry in recent years."""
    application = lock_row(Application.objects.select_related("unit", "institution").filter(pk=application.pk))
    _require(actor, application, APPLICANT)
    if application.state not in EDITABLE:
        raise BianzhiError(RegistrationError.MATERIALS_LOCKED, state=application.get_state_display())
    material = _material(application, code)
    if material.essential:
        raise BianzhiError(RegistrationError.NOT_DEFERRABLE, label=material.label)
    today = _today(actor, today)
    blot = credit_clean(application.institution, today)
    if blot is not None:
        raise BianzhiError(
            RegistrationError.DEFER_CREDIT,
            unit=application.unit.name,
            years=settings.BIANZHI_CREDIT_CLEAN_YEARS,
            day=blot.day,
            state=blot.get_state_display(),
        )
    if promise is None:
        raise BianzhiError(RegistrationError.PROMISE_FILE_REQUIRED)
    limit = add_working_days(today, days("promise_max")).due
    if due_on is None or not today < due_on <= limit:
        raise BianzhiError(RegistrationError.PROMISE_DUE, limit=limit, days=days("promise_max"), day=due_on or "")
    stored = file_store(promise)
    material.promise, material.promise_name, material.due_on = stored, promise.name[:200], due_on
    material.save()
    audit_record(
        actor=actor,
        action="registration.material_deferred",
        obj=application,
        after={"material": material.label, "due_on": due_on.isoformat(), "promise": promise.name},
    )
    return material


# the steps ---------------------------------------------------------------------------------------------------------


def _authority() -> str:
    return f"{county_name()}事业单位登记管理局"


def _decision(application: Application, today: dt.date) -> DocumentRef:
    """The 登记决定 the approval rests on, numbered once per year (``事登决〔2026〕0001号``)."""
    number = f"事登决〔{today.year}〕{counter_next('decision', str(today.year)):04d}号"
    title = f"关于准予{application.unit.name}{application.get_kind_display()}的决定"
    return DocumentRef(number, title, today, _authority())


def _approve(actor, application: Application, today: dt.date) -> None:
    """核准: the register changes as the application asks, through the register's services."""
    document = _decision(application, today)
    application.decided_on, application.decision_number = today, document.number
    unit = application.unit
    if application.kind == K.SETUP:
        application.institution = institution_register(
            actor=actor, unit=unit, items=requested_items(application), document=document, effective_date=today
        )
    elif application.kind == K.CHANGE:
        changes = requested_items(application)
        changes = {name: changes[name] for name in application.items}
        new_name = changes.get("name")
        if new_name and unit.name != new_name:  # the unit is renamed with its legal person
            if not has_capability(actor, Capability.MANAGE_ORGS):
                raise BianzhiError(RegistrationError.RENAME_NEEDS_ORGS, name=new_name)
            unit_rename(actor=actor, unit=unit, name=new_name, document=document, effective_date=today)
        institution_change(
            actor=actor,
            institution=application.institution,
            changes=changes,
            document=document,
            effective_date=today,
            remedies=application.remedies,
        )
    elif application.kind == K.CANCEL:
        if unit.status == UnitStatus.ACTIVE:  # the body ends with its legal person
            if not has_capability(actor, Capability.MANAGE_ORGS):
                raise BianzhiError(RegistrationError.CANCEL_NEEDS_ORGS, unit=unit.name)
            unit_abolish(
                actor=actor,
                unit=unit,
                document=document,
                effective_date=today,
                reason=f"注销登记：{application.get_trigger_display()}",
            )
        institution_cancel(actor=actor, institution=application.institution, document=document, effective_date=today)


ISSUE_REASONS = {
    K.CHANGE: "变更登记，换发新证书",
    K.REISSUE: "补领：原证书遗失，声明作废",
    K.RENEW: "换领新证书，原证书收缴",
}


def _issue(actor, application: Application, today: dt.date) -> None:
    """发证 (or, for 注销, 收缴): refused while a 容缺 material is still owed."""
    owed = checklists.open_promises(application)
    if owed:
        raise BianzhiError(RegistrationError.PROMISE_OPEN, labels="、".join(f"「{m.label}」" for m in owed))
    institution = application.institution
    if application.kind == K.CANCEL:
        certificates_collect(actor=actor, institution=institution, day=today, reason="注销登记，收缴证书和印章")
    else:
        kinds = application.certificate_kinds.split(",") if application.certificate_kinds else CertificateKind.values
        for kind in kinds:
            certificate_issue(
                actor=actor,
                institution=institution,
                kind=kind,
                valid_from=today,
                reason=ISSUE_REASONS.get(application.kind, "换发新证书"),
            )
    application.issued_on = today


def facts_of(application: Application) -> Facts:
    """What the application states, as the applicant would state it again (the items' JSON is read back by
    ``clean_items``)."""
    return Facts(
        items=dict(application.items),
        fact_date=application.fact_date,
        move_date=application.move_date,
        remedies=application.remedies,
        certificate_kinds=tuple(application.certificate_kinds.split(",")),
        trigger=application.trigger,
        liquidation_started_on=application.liquidation_started_on,
        first_notice_on=application.first_notice_on,
        statement=application.statement,
    )


def _submit(actor, application: Application, today: dt.date) -> None:
    _ensure_no_open_application(application.unit, excluding=application.pk)
    _checked(application.kind, application.unit, facts_of(application), today)  # the register may have moved
    _sync_checklist(application, today)
    missing = checklists.missing_materials(application)
    if missing:
        raise BianzhiError(RegistrationError.MATERIALS_MISSING, labels="、".join(f"「{m.label}」" for m in missing))
    application.received_on = today


def _within_notice(application: Application, today: dt.date) -> None:
    notice = notice_deadline(application)
    if today > notice.due:
        raise BianzhiError(RegistrationError.NOTICE_TOO_LATE, due=notice.due, received=application.received_on)


def _request_correction(actor, application: Application, today: dt.date) -> None:
    if application.corrected:
        first = application.events.filter(transition="request_correction").order_by("at").first()
        raise BianzhiError(RegistrationError.CORRECTION_ONCE, day=timezone.localdate(first.at) if first else "")
    _within_notice(application, today)
    application.corrected = True


def _accept(actor, application: Application, today: dt.date) -> None:
    if deemed_accepted(application, today):
        application.deemed_accepted, application.accepted_on = True, application.received_on
    else:
        application.accepted_on = today


def _not_accept(actor, application: Application, today: dt.date) -> None:
    _within_notice(application, today)


def _publish(actor, application: Application, today: dt.date) -> None:
    application.published_on = today


EFFECTS = {
    "submit": _submit,
    "request_correction": _request_correction,
    "accept": _accept,
    "not_accept": _not_accept,
    "approve": _approve,
    "issue": _issue,
    "publish": _publish,
}


@transaction.atomic
def application_step(
    *, actor, application: Application, name: str, comment: str = "", today: dt.date | None = None
) -> Application:
    """Moves the application one step, recording who, when and what (its timeline and the audit log). Refused —
    nothing changed, the register included — when the step does not leave the application's state, the user may
    not act for that side, or what the step needs is missing."""
    step = STEPS.get(name)
    if step is None:
        raise BianzhiError(RegistrationError.UNKNOWN_APPLICATION_STEP, name=name)
    application = lock_row(Application.objects.select_related("unit", "institution").filter(pk=application.pk))
    _require(actor, application, step.party)
    label = step_label(step, application)
    if application.state not in step.sources:
        raise BianzhiError(RegistrationError.APPLICATION_STATE, state=application.get_state_display(), action=label)
    comment = comment.strip()
    if step.comment and not comment:
        raise BianzhiError(RegistrationError.COMMENT_REQUIRED, action=label, what=step.comment)
    today = _today(actor, today)
    effect = EFFECTS.get(name)
    if effect is not None:
        effect(actor, application, today)
    source = application.state
    application.state, application.state_since = step.target, today
    application.save()
    event_record(application, name, source, step.target, actor=actor, comment=comment, day=today)
    audit_record(
        actor=actor,
        action="registration.application_step",
        obj=application,
        before={"state": source},
        after={"state": step.target, "step": name, "decision": application.decision_number},
        reason=comment,
    )
    return application


# 容缺 promises not kept --------------------------------------------------------------------------------------------


def promises_check(*, today: dt.date) -> int:
    """The daily job: each 容缺 material still owed after its date is marked once, and — for a registered body —
    written into its credit record (容缺承诺未履行). Returns how many were marked."""
    overdue = ApplicationMaterial.objects.filter(
        due_on__lt=today, file__isnull=True, promise_broken_on__isnull=True
    ).exclude(application__state__in=ABANDONED)
    count = 0
    for material in overdue.select_related("application__unit", "application__institution"):
        application = material.application
        ApplicationMaterial.objects.filter(pk=material.pk).update(promise_broken_on=today)
        institution = application.institution
        if institution is not None and institution.status == "REGISTERED":
            promise = DocumentRef(
                f"{application.number}容缺承诺书（{material.code}）",
                f"{application.unit.name}关于补正「{material.label}」的承诺书",
                application.received_on or timezone.localdate(application.created_at),
                application.unit.name,
            )
            credit_record(
                actor=None,
                institution=institution,
                action="promise",
                reason=f"{application.number} 容缺受理，承诺 {material.due_on} 前补交「{material.label}」，逾期未交",
                document=promise,
                day=today,
            )
        count += 1
    return count


# reads -------------------------------------------------------------------------------------------------------------


def applications_todo(*, user, today: dt.date) -> list[TodoItem]:
    """Applications waiting for ``user``: the authority's side for registration staff, the applicant's for the
    others (drafts, corrections, and 容缺 materials owed), within their scope."""
    if has_capability(user, Capability.MANAGE_REGISTRATION):
        party = OFFICE
    elif has_capability(user, Capability.APPLY_REGISTRATION):
        party = APPLICANT
    else:
        return []
    states = [state for state, side in NEXT_PARTY.items() if side == party]
    waiting = list(applications_visible_to(user).filter(state__in=states).select_related("unit"))
    calendar = WorkCalendar.load() if waiting else None
    items = []
    for application in waiting:
        deadline = current_deadline(application, today, calendar)
        items.append(
            TodoItem(
                kind="事业单位登记",
                title=f"{application.unit.name}{application.get_kind_display()}（{application.number}）",
                action=NEXT_STEP[application.state],
                url=reverse("registration:application_detail", args=[application.pk]),
                due=deadline.due if deadline else None,
                note=deadline.note if deadline else "",
            )
        )
    if party == APPLICANT:
        owed = ApplicationMaterial.objects.filter(
            application__in=applications_visible_to(user).exclude(state__in=FINISHED),
            due_on__isnull=False,
            file__isnull=True,
        ).select_related("application__unit")
        for material in owed:
            items.append(
                TodoItem(
                    kind="事业单位登记",
                    title=f"{material.application.unit.name}（{material.application.number}）",
                    action=f"补交容缺材料「{material.label}」",
                    url=reverse("registration:application_detail", args=[material.application.pk]),
                    due=material.due_on,
                )
            )
    return items
