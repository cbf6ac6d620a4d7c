"""年度报告 of registered 事业单位 (brief §6.6): the unit fills in the eight sections of its report on the previous
year, attaches the balance sheet and whatever else applies, and sends it in the window (1 January – 31 March by
default, ``BIANZHI_ANNUAL_REPORT_WINDOW``); later is still taken but marked 逾期报送. The 登记管理机关 returns it
with reasons or accepts it, and publishes it.

An institution that has not sent its report when the window closes is 逾期未报 — computed from the day the report was
first sent, so the overdue list is right as of any date — and may be sanctioned, one step after the other: 书面警告
(with the credit step 书面警告 when its credit is 正常), 暂扣证书及印章、责令限期改正 (until the report is sent), then
撤销登记, which only the credit service does, once the institution is on the 黑名单.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from pathlib import PurePath

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from bianzhi.accounts.permissions import Capability, has_capability, require_capability
from bianzhi.accounts.scoping import ensure_unit_in_scope, scope_queryset
from bianzhi.audit.services import audit_record
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.excel import table_workbook
from bianzhi.core.files import Upload, check_upload, file_store
from bianzhi.core.locks import lock_row
from bianzhi.core.todo import TodoItem
from bianzhi.core.workdays import add_working_days
from bianzhi.orgs.documents import DocumentRef, check_effective_date, document_resolve
from bianzhi.orgs.models import Document
from bianzhi.registration.choices import AnnualReportState, CreditState, InstitutionStatus, SanctionStep
from bianzhi.registration.credit import TRANSITIONS, credit_record, credit_state
from bianzhi.registration.errors import RegistrationError
from bianzhi.registration.models import (
    ANNUAL_FIGURES,
    ANNUAL_SECTIONS,
    AnnualReport,
    AnnualReportAttachment,
    AnnualReportEvent,
    AnnualReportSanction,
    Institution,
)

S = AnnualReportState
SENT = frozenset({S.SUBMITTED, S.ACCEPTED, S.PUBLISHED})
EDITABLE = frozenset({S.NOT_SUBMITTED, S.RETURNED})
SECTION_NAMES = tuple(name for name, _label in ANNUAL_SECTIONS)
FIGURE_NAMES = tuple(name for name, _label in ANNUAL_FIGURES)
FIRST_YEAR, LAST_YEAR = 2000, 2099
STEP_ORDER = (SanctionStep.WARNING, SanctionStep.WITHHOLD, SanctionStep.REVOKE)


# ---------------------------------------------------------------- the window and the attachment table


def report_window(year: int) -> tuple[dt.date, dt.date]:
    """The first and last day to send the report on ``year`` (in the year after it)."""
    first, last = (
        dt.date(year + 1, *(int(part) for part in value.split("-"))) for value in settings.BIANZHI_ANNUAL_REPORT_WINDOW
    )
    return first, last


def reporting_year(today: dt.date) -> int:
    """The year whose report is due this year: the previous one."""
    return today.year - 1


@dataclass(frozen=True)
class AttachmentKind:
    code: str
    label: str
    required: bool
    help: str = ""


@cache
def attachment_kinds() -> tuple[AttachmentKind, ...]:
    """The kinds of attachment, from the shipped table ``registration/data/annual_report_attachments.json``."""
    text = resources.files("bianzhi.registration").joinpath("data/annual_report_attachments.json").read_text("utf-8")
    return tuple(AttachmentKind(**row) for row in json.loads(text)["kinds"])


def attachment_label(code: str) -> str:
    return next((kind.label for kind in attachment_kinds() if kind.code == code), code)


# ---------------------------------------------------------------- reads


def _handles_reports(user) -> bool:
    return user is None or any(
        has_capability(user, c) for c in (Capability.APPLY_REGISTRATION, Capability.MANAGE_REGISTRATION)
    )


def annual_reports_visible_to(user) -> QuerySet[AnnualReport]:
    """The reports of the institutions in the user's scope, for who sends or reviews them (``None``: all)."""
    if not _handles_reports(user):
        return AnnualReport.objects.none()
    reports = AnnualReport.objects.select_related("institution__unit")
    return scope_queryset(reports, user, path_field="institution__unit__tree_path")


def annual_report_for(user, pk: int) -> AnnualReport:
    """One report: 403 for who handles no reports or when its unit is outside the scope, 404 if there is none."""
    if not _handles_reports(user):
        raise BianzhiError(CommonError.PERMISSION_DENIED)
    report = (
        AnnualReport.objects.select_related("institution__unit", "submitted_by", "decided_by").filter(pk=pk).first()
    )
    if report is None:
        raise BianzhiError(CommonError.NOT_FOUND, what="该年度报告")
    ensure_unit_in_scope(user, report.institution.unit)
    return report


def institutions_due(year: int) -> QuerySet[Institution]:
    """The institutions that owe a report on ``year``: registered now, and registered by the end of that year."""
    return Institution.objects.filter(status=InstitutionStatus.REGISTERED, registered_on__lte=dt.date(year, 12, 31))


def _sent_by(year: int, day: dt.date) -> Exists:
    return Exists(AnnualReport.objects.filter(institution=OuterRef("pk"), year=year, first_submitted_on__lte=day))


def overdue_institutions(year: int, as_of: dt.date, *, user=None) -> QuerySet[Institution]:
    """逾期未报: on ``as_of``, after the window of ``year`` closed, the institutions owing a report on ``year`` that
    had not sent it by that day; within the user's scope (``None``: the county)."""
    _first, last = report_window(year)
    if as_of <= last:
        return Institution.objects.none()
    institutions = scope_queryset(institutions_due(year), user, path_field="unit__tree_path")
    return institutions.exclude(_sent_by(year, as_of)).select_related("unit").order_by("unit__tree_path")


def sanctionable_institutions(year: int, as_of: dt.date, *, user=None) -> QuerySet[Institution]:
    """The institutions that did not send their report on ``year`` in time (late or not yet), once the window has
    closed: those the sanction steps apply to."""
    _first, last = report_window(year)
    if as_of <= last:
        return Institution.objects.none()
    institutions = scope_queryset(institutions_due(year), user, path_field="unit__tree_path")
    return institutions.exclude(_sent_by(year, last)).select_related("unit").order_by("unit__tree_path")


def is_overdue(report: AnnualReport | None, year: int, today: dt.date) -> bool:
    """逾期未报 on ``today``: the window of ``year`` has closed and the report (if there is one) was never sent."""
    return today > report_window(year)[1] and (report is None or report.first_submitted_on is None)


def is_late(report: AnnualReport) -> bool:
    """逾期报送: first sent after the window closed."""
    return report.first_submitted_on is not None and report.first_submitted_on > report_window(report.year)[1]


def annual_report_list(user, *, year: int, state: str = "", query: str = "", as_of: dt.date) -> list[dict]:
    """The status list of ``year``: every institution that owes the report (in the user's scope), with its report if
    it has one, its state as shown (逾期未报 for a report not sent once the window has closed) and its sanctions."""
    institutions = scope_queryset(institutions_due(year), user, path_field="unit__tree_path").select_related("unit")
    if query.strip():
        text = query.strip()
        institutions = institutions.filter(Q(unit__name__icontains=text) | Q(uscc__contains=text.upper()))
    reports = {r.institution_id: r for r in AnnualReport.objects.filter(year=year, institution__in=institutions)}
    sanctions: dict[int, list[AnnualReportSanction]] = {}
    for sanction in AnnualReportSanction.objects.filter(year=year, institution__in=institutions).order_by("day", "pk"):
        sanctions.setdefault(sanction.institution_id, []).append(sanction)
    rows = []
    for institution in institutions.order_by("unit__tree_path"):
        report = reports.get(institution.pk)
        current = report.state if report else S.NOT_SUBMITTED
        overdue = is_overdue(report, year, as_of)
        shown = "OVERDUE" if overdue else current
        if state and state != shown:
            continue
        rows.append(
            {
                "institution": institution,
                "report": report,
                "state": shown,
                "state_label": "逾期未报" if overdue else str(S(current).label),
                "overdue": overdue,
                "late": bool(report and is_late(report)),
                "sanctions": sanctions.get(institution.pk, []),
            }
        )
    return rows


def state_counts(rows: list[dict]) -> list[tuple[str, str, int]]:
    """(state, label, count) of the list's rows, in the order of the states."""
    counted: dict[str, int] = {}
    for row in rows:
        counted[row["state"]] = counted.get(row["state"], 0) + 1
    labels = [*S.choices, ("OVERDUE", "逾期未报")]
    return [(value, str(label), counted.get(value, 0)) for value, label in labels]


def report_years(today: dt.date) -> list[int]:
    """The years the lists offer: the one due now first, then the earlier ones that have reports."""
    due = reporting_year(today)
    years = set(AnnualReport.objects.values_list("year", flat=True).distinct()) | {due}
    return sorted((y for y in years if y <= due), reverse=True)


def certificates_withheld(institution: Institution) -> AnnualReportSanction | None:
    """The 暂扣证书及印章 in force on the institution's certificates, if any."""
    return (
        AnnualReportSanction.objects.filter(
            institution=institution, step=SanctionStep.WITHHOLD, released_on__isnull=True
        )
        .order_by("-day")
        .first()
    )


_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])|(?<!\d)\d{15}(?!\d)")
_PHONE = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")
_BIRTH = re.compile(r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?\s*(?:出生|生)")


def redact_personal(text: str) -> str:
    """Text fit for the public page: 公民身份号码, telephone numbers and birth dates blotted out."""
    text = _ID_NUMBER.sub("（已隐去）", text)
    text = _PHONE.sub("（已隐去）", text)
    return _BIRTH.sub("（已隐去）", text)


def published_annual_reports(query: str = "") -> QuerySet[AnnualReport]:
    """The published reports anyone may read, newest year first; ``query`` matches the name or the code."""
    reports = AnnualReport.objects.filter(state=S.PUBLISHED).select_related("institution__unit")
    text = "".join(query.split())
    if text:
        reports = reports.filter(
            Q(institution__unit__name__icontains=text) | Q(institution__uscc__contains=text.upper())
        )
    return reports.order_by("-year", "institution__unit__tree_path")


def published_annual_report(pk: int) -> AnnualReport | None:
    return published_annual_reports().filter(pk=pk).first()


def public_sections(report: AnnualReport) -> list[tuple[str, str]]:
    return [(label, redact_personal(text)) for label, text in report.sections()]


def annual_todo(*, user, today: dt.date) -> list[TodoItem]:
    """The 登记管理机关: the reports sent and waiting for review, one line per year. A unit: during the window (and
    after it, as overdue), each institution of its scope whose report on the previous year is not yet sent."""
    if has_capability(user, Capability.MANAGE_REGISTRATION):
        waiting = (
            annual_reports_visible_to(user)
            .filter(state=S.SUBMITTED)
            .values("year")
            .annotate(count=Count("pk"))
            .order_by("-year")
        )
        return [
            TodoItem(
                kind="事业单位年度报告",
                title=f"{group['year']} 年度报告待审核：{group['count']} 份",
                action="审核或退回",
                url=reverse("registration:annual_report_list")
                + "?"
                + urlencode({"year": group["year"], "state": S.SUBMITTED}),
                due=None,
            )
            for group in waiting
        ]
    if not has_capability(user, Capability.APPLY_REGISTRATION):
        return []
    year = reporting_year(today)
    first, last = report_window(year)
    if today < first:
        return []
    owing = scope_queryset(institutions_due(year), user, path_field="unit__tree_path").exclude(_sent_by(year, today))
    return [
        TodoItem(
            kind="事业单位年度报告",
            title=f"{institution.unit.name}：报送 {year} 年度报告",
            action="填写并报送",
            url=reverse("registration:annual_report_edit", args=[institution.pk, year]),
            due=last,
        )
        for institution in owing.select_related("unit").order_by("unit__tree_path")
    ] + [
        TodoItem(
            kind="事业单位年度报告",
            title=f"{report.institution.unit.name}：{year} 年度报告被退回",
            action="按退回意见修改后重新报送",
            url=reverse("registration:annual_report_edit", args=[report.institution_id, year]),
            due=last,
        )
        for report in annual_reports_visible_to(user).filter(year=year, state=S.RETURNED, first_submitted_on__lte=today)
    ]


# ---------------------------------------------------------------- writes: the unit's side


def _timeline(report: AnnualReport, *, actor, step: str, note: str = "") -> None:
    """The step on the report's timeline (``note``: what the unit reads there)."""
    AnnualReportEvent.objects.create(
        report=report, action=step, state=report.state, note=note, at=timezone.now(), by=actor
    )


def check_year(year) -> int:
    """A year a report may be on at all (2000–2099), or a refusal."""
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise BianzhiError(RegistrationError.ANNUAL_BAD_YEAR, value=year)
    return year


def _check_year(institution: Institution, year: int) -> None:
    today = timezone.localdate()
    check_year(year)
    if year >= today.year:
        first, last = report_window(year)
        raise BianzhiError(
            RegistrationError.ANNUAL_YEAR_NOT_ENDED,
            year=year,
            start=first.strftime("%m-%d"),
            end=last.strftime("%m-%d"),
        )
    if institution.registered_on > dt.date(year, 12, 31):
        raise BianzhiError(RegistrationError.ANNUAL_NOT_REGISTERED_IN_YEAR, day=institution.registered_on, year=year)


def _locked_institution(actor, institution: Institution, capability: Capability) -> Institution:
    require_capability(actor, capability)
    institution = lock_row(Institution.objects.select_related("unit").filter(pk=institution.pk))
    ensure_unit_in_scope(actor, institution.unit)
    return institution


def _locked_report(actor, report: AnnualReport, capability: Capability) -> AnnualReport:
    require_capability(actor, capability)
    report = lock_row(AnnualReport.objects.select_related("institution__unit").filter(pk=report.pk))
    ensure_unit_in_scope(actor, report.institution.unit)
    return report


def _wrong_state(report: AnnualReport, action: str) -> BianzhiError:
    return BianzhiError(RegistrationError.ANNUAL_WRONG_STATE, state=report.get_state_display(), action=action)


def _amount(label: str, value) -> Decimal | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        amount = Decimal(str(value).strip()).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise BianzhiError(RegistrationError.ANNUAL_BAD_AMOUNT, label=label, value=value) from None
    if not amount.is_finite() or abs(amount) >= Decimal(10) ** 12:
        raise BianzhiError(RegistrationError.ANNUAL_BAD_AMOUNT, label=label, value=value)
    return amount


def _attach(*, actor, report: AnnualReport, uploads: list[tuple[str, Upload]]) -> list[str]:
    """Keeps the files with the report, each checked before any is kept."""
    codes = [kind.code for kind in attachment_kinds()]
    for code, upload in uploads:
        if code not in codes:
            allowed = "、".join(kind.label for kind in attachment_kinds())
            raise BianzhiError(RegistrationError.ANNUAL_BAD_KIND, value=code, allowed=allowed)
        check_upload(upload)
    names = []
    for code, upload in uploads:
        name = PurePath(upload.name).name[:255]
        AnnualReportAttachment.objects.create(
            report=report, kind=code, name=name, file=file_store(upload), uploaded_by=actor
        )
        names.append(f"{attachment_label(code)}：{name}")
    return names


@transaction.atomic
def annual_report_save(
    *,
    actor,
    institution: Institution,
    year: int,
    sections: dict,
    figures: dict | None = None,
    items_consistent: bool = False,
    uploads: list[tuple[str, Upload]] = (),
) -> AnnualReport:
    """The unit keeps its draft (new, or returned to it): the sections and figures given, the files added."""
    institution = _locked_institution(actor, institution, Capability.APPLY_REGISTRATION)
    if institution.status != InstitutionStatus.REGISTERED:
        raise BianzhiError(
            RegistrationError.NOT_REGISTERED, status=institution.get_status_display(), action="报送年度报告"
        )
    _check_year(institution, year)
    report = AnnualReport.objects.filter(institution=institution, year=year).first()
    if report is None:
        report = AnnualReport(institution=institution, year=year)
    elif report.state not in EDITABLE:
        raise _wrong_state(report, "修改")
    for name in SECTION_NAMES:
        if name in sections:
            setattr(report, name, str(sections[name] or "").strip())
    labels = dict(ANNUAL_FIGURES)
    for name, value in (figures or {}).items():
        if name in FIGURE_NAMES:
            setattr(report, name, _amount(str(labels[name]), value))
    report.items_consistent = bool(items_consistent)
    report.save()
    files = _attach(actor=actor, report=report, uploads=list(uploads))
    _timeline(report, actor=actor, step="保存")
    audit_record(
        actor=actor, action="registration.annual_saved", obj=report, after={"state": report.state, "files": files}
    )
    return report


@transaction.atomic
def annual_report_attachment_remove(*, actor, report: AnnualReport, attachment: AnnualReportAttachment) -> None:
    report = _locked_report(actor, report, Capability.APPLY_REGISTRATION)
    if report.state not in EDITABLE:
        raise _wrong_state(report, "删除附件")
    if attachment.report_id != report.pk:
        raise BianzhiError(CommonError.NOT_FOUND, what="该附件")
    AnnualReportAttachment.objects.filter(pk=attachment.pk).delete()
    audit_record(
        actor=actor,
        action="registration.annual_attachment_removed",
        obj=report,
        before={"file": f"{attachment_label(attachment.kind)}：{attachment.name}"},
    )


def _missing(report: AnnualReport) -> BianzhiError | None:
    for name, label in ANNUAL_SECTIONS:
        if not getattr(report, name).strip():
            return BianzhiError(RegistrationError.ANNUAL_MISSING_SECTION, label=label)
    kinds = set(report.attachments.values_list("kind", flat=True))
    for kind in attachment_kinds():
        if kind.required and kind.code not in kinds:
            return BianzhiError(RegistrationError.ANNUAL_MISSING_ATTACHMENT, label=kind.label)
    if not report.items_consistent:
        return BianzhiError(RegistrationError.ANNUAL_NOT_DECLARED)
    return None


@transaction.atomic
def annual_report_submit(*, actor, report: AnnualReport) -> AnnualReport:
    """The unit sends its report: every section filled, the required attachments there, and its declaration that
    the registered items are as they really are. Sent after the window it is 逾期报送; a 暂扣 of the certificates
    for this year's report ends with it (责令限期改正 complied with)."""
    report = _locked_report(actor, report, Capability.APPLY_REGISTRATION)
    if report.state not in EDITABLE:
        raise _wrong_state(report, "报送")
    if report.institution.status != InstitutionStatus.REGISTERED:
        raise BianzhiError(
            RegistrationError.NOT_REGISTERED, status=report.institution.get_status_display(), action="报送年度报告"
        )
    _check_year(report.institution, report.year)
    problem = _missing(report)
    if problem is not None:
        raise problem
    today, before = timezone.localdate(), report.state
    report.state, report.submitted_at, report.submitted_by = S.SUBMITTED, timezone.now(), actor
    report.first_submitted_on = report.first_submitted_on or today
    report.save()
    released = AnnualReportSanction.objects.filter(
        institution=report.institution, year=report.year, step=SanctionStep.WITHHOLD, released_on__isnull=True
    ).update(released_on=today)
    late = is_late(report)
    _timeline(report, actor=actor, step="报送", note="逾期报送" if late else "")
    audit_record(
        actor=actor,
        action="registration.annual_submitted",
        obj=report,
        before={"state": before},
        after={"state": report.state, "late": late, "certificates_released": bool(released)},
    )
    return report


# ---------------------------------------------------------------- writes: the 登记管理机关


@transaction.atomic
def annual_report_return(*, actor, report: AnnualReport, reason: str) -> AnnualReport:
    """Sent back to the unit with the reasons it reads; it amends and sends it again."""
    report = _locked_report(actor, report, Capability.MANAGE_REGISTRATION)
    if report.state not in (S.SUBMITTED, S.ACCEPTED):
        raise _wrong_state(report, "退回")
    reason = (reason or "").strip()
    if not reason:
        raise BianzhiError(RegistrationError.REASON_REQUIRED, what="退回理由")
    before = report.state
    report.state, report.return_reason = S.RETURNED, reason
    report.decided_at, report.decided_by = timezone.now(), actor
    report.save()
    _timeline(report, actor=actor, step="退回", note=reason)
    audit_record(
        actor=actor,
        action="registration.annual_returned",
        obj=report,
        before={"state": before},
        after={"state": report.state},
        reason=reason,
    )
    return report


def _decide(actor, report: AnnualReport, source: str, target: str, *, step: str) -> AnnualReport:
    report = _locked_report(actor, report, Capability.MANAGE_REGISTRATION)
    if report.state != source:
        raise _wrong_state(report, step)
    report.state = target
    if target == S.PUBLISHED:
        report.published_on = timezone.localdate()
    else:
        report.decided_at, report.decided_by = timezone.now(), actor
    report.save()
    _timeline(report, actor=actor, step=step)
    audit_record(
        actor=actor,
        action="registration.annual_published" if target == S.PUBLISHED else "registration.annual_accepted",
        obj=report,
        before={"state": source},
        after={"state": target},
    )
    return report


@transaction.atomic
def annual_report_accept(*, actor, report: AnnualReport) -> AnnualReport:
    return _decide(actor, report, S.SUBMITTED, S.ACCEPTED, step="审核通过")


@transaction.atomic
def annual_report_publish(*, actor, report: AnnualReport) -> AnnualReport:
    """公示: the accepted report goes on the public pages (without personal data, ``public_sections``)."""
    return _decide(actor, report, S.ACCEPTED, S.PUBLISHED, step="公示")


# ---------------------------------------------------------------- sanctions


@transaction.atomic
def annual_sanction_record(
    *,
    actor,
    institution: Institution,
    year: int,
    step: str,
    day: dt.date,
    reason: str,
    document: DocumentRef | Document,
) -> AnnualReportSanction:
    """One step against an institution that did not send its report on ``year`` in time, after the one before it:
    书面警告 (and the credit step 书面警告 when the credit is 正常), 暂扣证书及印章、责令限期改正 (with the date to
    comply by), 撤销登记 (the credit step, allowed only from the 黑名单)."""
    institution = _locked_institution(actor, institution, Capability.MANAGE_REGISTRATION)
    if step not in SanctionStep.values:
        allowed = "、".join(str(label) for label in SanctionStep.labels)
        raise BianzhiError(RegistrationError.ANNUAL_BAD_KIND, value=step, allowed=allowed)
    step = SanctionStep(step)
    check_year(year)
    reason = (reason or "").strip()
    if not reason:
        raise BianzhiError(RegistrationError.REASON_REQUIRED, what="事由")
    if day > timezone.localdate():
        raise BianzhiError(RegistrationError.FUTURE_DATE, day=day)
    if institution.status != InstitutionStatus.REGISTERED:
        raise BianzhiError(RegistrationError.NOT_REGISTERED, status=institution.get_status_display(), action=step.label)
    if not sanctionable_institutions(year, day).filter(pk=institution.pk).exists():
        raise BianzhiError(RegistrationError.SANCTION_NOT_OVERDUE, day=day, year=year, end=report_window(year)[1])
    taken = {s.step: s for s in AnnualReportSanction.objects.filter(institution=institution, year=year)}
    if step in taken:
        raise BianzhiError(RegistrationError.SANCTION_DONE, year=year, day=taken[step].day, step=step.label)
    position = STEP_ORDER.index(step)
    if position:
        previous = taken.get(STEP_ORDER[position - 1])
        if previous is None:
            raise BianzhiError(
                RegistrationError.SANCTION_ORDER, previous=STEP_ORDER[position - 1].label, step=step.label
            )
        if day < previous.day:
            raise BianzhiError(RegistrationError.SANCTION_DATE_ORDER, day=day, last=previous.day)
    document = document_resolve(document)
    check_effective_date(document, day)
    state = credit_state(institution)
    if step == SanctionStep.REVOKE and state not in TRANSITIONS["revoke"].sources:
        raise BianzhiError(RegistrationError.SANCTION_CREDIT_FIRST, state=CreditState(state).label)
    credit_action = None
    if step == SanctionStep.WARNING and state == CreditState.NORMAL:
        credit_action = "warn"
    elif step == SanctionStep.REVOKE:
        credit_action = "revoke"
    if credit_action:
        credit_record(
            actor=actor, institution=institution, action=credit_action, reason=reason, document=document, day=day
        )
    correct_by = None
    if step == SanctionStep.WITHHOLD:
        correct_by = add_working_days(day, settings.BIANZHI_ANNUAL_REPORT_CORRECTION_DAYS).due
    sanction = AnnualReportSanction.objects.create(
        institution=institution,
        year=year,
        step=step,
        day=day,
        reason=reason,
        document=document,
        correct_by=correct_by,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="registration.annual_sanctioned",
        obj=institution,
        after={
            "year": year,
            "step": step.value,
            "day": day.isoformat(),
            "document": document.number,
            "credit": credit_action or "",
            "correct_by": correct_by.isoformat() if correct_by else "",
        },
        reason=reason,
    )
    return sanction


def next_sanction_step(sanctions: list[AnnualReportSanction]) -> SanctionStep | None:
    """The step that may come next after those taken (none after 撤销登记)."""
    taken = {s.step for s in sanctions}
    return next((step for step in STEP_ORDER if step not in taken), None)


# ---------------------------------------------------------------- the status list as .xlsx

EXPORT_COLUMNS = (
    ("序号", 6),
    ("机构", 32),
    ("统一社会信用代码", 22),
    ("年度", 8),
    ("状态", 10),
    ("报送日期", 12),
    ("是否逾期", 10),
    ("处理措施", 40),
)


def annual_reports_export(*, actor, rows: list[dict], year: int, description: str) -> tuple[str, bytes]:
    """The status list as the page filters it; audited."""
    require_capability(actor, Capability.MANAGE_REGISTRATION)
    today = timezone.localdate()
    lines = []
    for number, row in enumerate(rows, 1):
        report = row["report"]
        sent = report.first_submitted_on.isoformat() if report and report.first_submitted_on else ""
        late = "逾期未报" if row["overdue"] else ("逾期报送" if row["late"] else "否")
        measures = "；".join(f"{s.day.isoformat()} {s.get_step_display()}" for s in row["sanctions"])
        lines.append(
            [
                number,
                row["institution"].unit.name,
                row["institution"].uscc,
                year,
                row["state_label"],
                sent,
                late,
                measures,
            ]
        )
    content = table_workbook(
        sheet="年度报告",
        title=f"{year} 年度事业单位年度报告报送情况（{today.isoformat()}）",
        headers=EXPORT_COLUMNS,
        rows=lines,
    )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="registration.annual_exported",
            object_type="registration.annual_export",
            object_repr=description[:255],
            after={"rows": len(lines), "format": "xlsx", "year": year},
        )
    return f"事业单位年度报告_{year}_{today.isoformat()}.xlsx", content
