"""年度机构编制统计报送 (brief §8): the county's statistics on a year as a record, 草稿 → 已校验 → 已定稿 → 已报送.

校验 builds the seven tables as of 12-31 for the whole county and refuses while any balance relation fails; 定稿
checks again (the ledger may have moved since) and freezes the tables as snapshots, which nothing writes again; 报送
records who sent it and when, and past the deadline (``BIANZHI_STATS_DEADLINE`` of the next year) asks for the
reason, from which the 迟报说明 letter is printed. 更正 opens a new version of a final or sent round; the one it
replaces is kept as it was. The round is the county's: only a county-wide 编办 account acts on it, and only
county-wide readers see it (its tables hold every unit of the county).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from bianzhi.accounts.permissions import Capability, has_capability
from bianzhi.accounts.scoping import sees_whole_county
from bianzhi.audit.services import SYSTEM_ACTOR_NAME, audit_record
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.excel import county_name
from bianzhi.core.locks import lock_row
from bianzhi.core.pdf import pdf_render
from bianzhi.core.todo import TodoItem
from bianzhi.core.workdays import WorkCalendar
from bianzhi.reports.errors import ReportError, RoundError
from bianzhi.reports.models import RoundState, StatRound, StatSnapshot
from bianzhi.reports.selectors import stats_table
from bianzhi.reports.services import stats_pdf
from bianzhi.reports.stat_excel import stats_workbook
from bianzhi.reports.stats import TABLES, StatTable

FIRST_YEAR = 2000
TODO_KIND = "机构编制统计"


def stats_deadline(year: int) -> dt.date:
    """The last day to send the statistics on ``year``: ``BIANZHI_STATS_DEADLINE`` (月-日) of the next year."""
    month, day = (int(part) for part in settings.BIANZHI_STATS_DEADLINE.split("-"))
    return dt.date(year + 1, month, day)


# ---------------------------------------------------------------- reads


def sees_rounds(user) -> bool:
    """County-wide readers: the round's tables cover every unit of the county."""
    return has_capability(user, Capability.VIEW_BUSINESS) and sees_whole_county(user)


def acts_on_rounds(user) -> bool:
    """The county-wide 编办, who send the county's statistics upward."""
    return has_capability(user, Capability.MANAGE_REPORTS) and sees_whole_county(user)


def _require(allowed: bool) -> None:
    if not allowed:
        raise BianzhiError(CommonError.PERMISSION_DENIED)


def rounds_visible_to(user) -> QuerySet[StatRound]:
    _require(sees_rounds(user))
    return StatRound.objects.select_related("corrects", "correction", "submitted_by")


def round_for(user, pk: int) -> StatRound:
    found = rounds_visible_to(user).select_related("created_by", "checked_by", "finalised_by").filter(pk=pk).first()
    if found is None:
        raise BianzhiError(CommonError.NOT_FOUND, what="该统计报送")
    return found


def round_versions(stat_round: StatRound) -> QuerySet[StatRound]:
    """Every version of the round's year, the first first."""
    return StatRound.objects.filter(year=stat_round.year).order_by("version")


def round_tables(stat_round: StatRound) -> list[StatTable]:
    """The tables as frozen when the round was finalised (none before), T1 to T7."""
    return [StatTable.from_dict(snapshot.data) for snapshot in stat_round.snapshots.order_by("code")]


def round_history(stat_round: StatRound) -> list[tuple[dt.datetime, str, object]]:
    """(when, what, who) of each step the round has taken, oldest first."""
    steps = [
        (
            stat_round.created_at,
            "建立" if stat_round.corrects_id is None else "更正，建立新版本",
            stat_round.created_by,
        ),
        (stat_round.checked_at, "校验通过", stat_round.checked_by),
        (stat_round.finalised_at, "定稿，统计表冻结", stat_round.finalised_by),
        (stat_round.submitted_at, "逾期报送" if stat_round.late else "报送", stat_round.submitted_by),
    ]
    return [(when, what, who) for when, what, who in steps if when is not None]


def rounds_todo(*, user, today: dt.date) -> list[TodoItem]:
    """For the county-wide 编办: the latest version of each year not yet sent whose deadline is at most
    ``BIANZHI_STATS_REMIND_DAYS`` working days away (or past), and last year's round if not yet begun as its
    deadline nears."""
    if not acts_on_rounds(user):
        return []
    latest: dict[int, StatRound] = {}
    for stat_round in StatRound.objects.order_by("year", "version"):
        latest[stat_round.year] = stat_round
    open_rounds = [stat_round for stat_round in latest.values() if stat_round.state != RoundState.SUBMITTED]
    year = today.year - 1
    due = stats_deadline(year)
    not_begun = year not in latest and today <= due
    if not open_rounds and not not_begun:
        return []  # the usual case: no calendar to read
    calendar, remind = WorkCalendar.load(), settings.BIANZHI_STATS_REMIND_DAYS
    items = [
        TodoItem(
            kind=TODO_KIND,
            title=str(stat_round),
            action={RoundState.DRAFT: "校验", RoundState.CHECKED: "定稿"}.get(stat_round.state, "报送"),
            url=reverse("reports:round_detail", args=[stat_round.pk]),
            due=stat_round.due_on,
        )
        for stat_round in open_rounds
        if calendar.between(today, stat_round.due_on) <= remind
    ]
    if not_begun and calendar.between(today, due) <= remind:
        items.append(
            TodoItem(
                kind=TODO_KIND,
                title=f"{year} 年度机构编制统计",
                action="建立统计报送",
                url=reverse("reports:round_list"),
                due=due,
            )
        )
    return items


# ---------------------------------------------------------------- writes


def _county_tables(as_of: dt.date) -> list[StatTable]:
    """T1–T7 for the whole county as of ``as_of``: the round is the county's, whoever acts on it."""
    return [stats_table(None, code, as_of) for code in TABLES]


def _passing(tables: list[StatTable], action: str) -> list[StatTable]:
    for table in tables:
        for check in table.checks:
            if not check.ok:
                raise BianzhiError(
                    RoundError.CHECK_FAILED,
                    code=table.code,
                    title=table.title,
                    check=check.text,
                    detail=check.detail or "—",
                    action=action,
                    details={"table": table.code},
                )
    return tables


def _locked(actor, stat_round: StatRound, action: str, *states: RoundState) -> StatRound:
    _require(acts_on_rounds(actor))
    stat_round = lock_row(StatRound.objects.filter(pk=stat_round.pk))
    if stat_round.state not in states:
        raise BianzhiError(RoundError.WRONG_STATE, state=stat_round.get_state_display(), action=action)
    return stat_round


@transaction.atomic
def round_create(*, actor, year: int) -> StatRound:
    """Version 1 of the year's round, a draft; the year must be over and have no round yet."""
    _require(acts_on_rounds(actor))
    today = timezone.localdate()
    if not isinstance(year, int) or not FIRST_YEAR <= year <= today.year:
        raise BianzhiError(RoundError.BAD_YEAR, value=year)
    if year == today.year:
        raise BianzhiError(RoundError.YEAR_OPEN, year=year)
    try:
        with transaction.atomic():  # two offices creating the year at once: the second is told it exists
            if StatRound.objects.filter(year=year).exists():
                raise IntegrityError
            stat_round = StatRound.objects.create(
                year=year, as_of=dt.date(year, 12, 31), due_on=stats_deadline(year), created_by=actor
            )
    except IntegrityError:
        raise BianzhiError(RoundError.EXISTS, year=year) from None
    audit_record(
        actor=actor,
        action="reports.round_created",
        obj=stat_round,
        after={"year": year, "as_of": stat_round.as_of, "due_on": stat_round.due_on},
    )
    return stat_round


@transaction.atomic
def round_check(*, actor, stat_round: StatRound) -> StatRound:
    """校验: every balance relation of T1–T7 as of 12-31 holds (again, for a round already checked)."""
    stat_round = _locked(actor, stat_round, "校验", RoundState.DRAFT, RoundState.CHECKED)
    tables = _passing(_county_tables(stat_round.as_of), "校验")
    before = {"state": stat_round.state}
    stat_round.state, stat_round.checked_by, stat_round.checked_at = RoundState.CHECKED, actor, timezone.now()
    stat_round.save(update_fields=["state", "checked_by", "checked_at"])
    audit_record(
        actor=actor,
        action="reports.round_checked",
        obj=stat_round,
        before=before,
        after={"state": stat_round.state, "checks": sum(len(table.checks) for table in tables)},
    )
    return stat_round


@transaction.atomic
def round_finalise(*, actor, stat_round: StatRound) -> StatRound:
    """定稿: the tables are built and checked once more, then frozen as the round's snapshots."""
    stat_round = _locked(actor, stat_round, "定稿", RoundState.CHECKED)
    tables = _passing(_county_tables(stat_round.as_of), "定稿")
    StatSnapshot.objects.bulk_create(
        StatSnapshot(round=stat_round, code=table.code, data=table.as_dict()) for table in tables
    )
    stat_round.state, stat_round.finalised_by, stat_round.finalised_at = RoundState.FINAL, actor, timezone.now()
    stat_round.save(update_fields=["state", "finalised_by", "finalised_at"])
    audit_record(
        actor=actor,
        action="reports.round_finalised",
        obj=stat_round,
        before={"state": RoundState.CHECKED},
        after={"state": stat_round.state, "tables": [table.code for table in tables]},
    )
    return stat_round


@transaction.atomic
def round_submit(*, actor, stat_round: StatRound, late_reason: str = "") -> StatRound:
    """报送, today: past the deadline only with the reason for the delay (it goes into the 迟报说明)."""
    stat_round = _locked(actor, stat_round, "报送", RoundState.FINAL)
    today = timezone.localdate()
    late = today > stat_round.due_on
    reason = (late_reason or "").strip() if late else ""
    if late and not reason:
        raise BianzhiError(RoundError.LATE_REASON, due=stat_round.due_on.isoformat())
    stat_round.state, stat_round.submitted_on, stat_round.submitted_at = RoundState.SUBMITTED, today, timezone.now()
    stat_round.submitted_by, stat_round.late_reason = actor, reason
    stat_round.save(update_fields=["state", "submitted_on", "submitted_at", "submitted_by", "late_reason"])
    audit_record(
        actor=actor,
        action="reports.round_submitted",
        obj=stat_round,
        before={"state": RoundState.FINAL},
        after={"state": stat_round.state, "submitted_on": today, "due_on": stat_round.due_on, "late": late},
        reason=reason,
    )
    return stat_round


@transaction.atomic
def round_correct(*, actor, stat_round: StatRound, reason: str) -> StatRound:
    """更正: a new draft version of the year, to be checked, finalised and sent again; the latest version only, and
    the one it replaces keeps its state and its tables."""
    stat_round = _locked(actor, stat_round, "更正", RoundState.FINAL, RoundState.SUBMITTED)
    newest = StatRound.objects.filter(year=stat_round.year).order_by("-version").first()
    if newest.pk != stat_round.pk:
        raise BianzhiError(RoundError.SUPERSEDED, year=stat_round.year, version=newest.version)
    reason = (reason or "").strip()
    if not reason:
        raise BianzhiError(RoundError.NO_CORRECTION_REASON)
    correction = StatRound.objects.create(
        year=stat_round.year,
        version=stat_round.version + 1,
        corrects=stat_round,
        correction_reason=reason,
        as_of=stat_round.as_of,
        due_on=stat_round.due_on,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="reports.round_corrected",
        obj=correction,
        before={"version": stat_round.version, "state": stat_round.state},
        after={"version": correction.version, "state": correction.state},
        reason=reason,
    )
    return correction


# ---------------------------------------------------------------- what leaves the system


def round_export(*, actor, stat_round: StatRound, code: str, fmt: str = "xlsx") -> tuple[str, bytes]:
    """A frozen table (``code`` T1–T7), or all seven (``ALL``), as .xlsx or PDF (``fmt``) from the snapshots;
    audited."""
    _require(sees_rounds(actor))
    if code != "ALL" and code not in TABLES:
        raise BianzhiError(ReportError.BAD_TABLE, value=code[:10])
    tables = [table for table in round_tables(stat_round) if code in ("ALL", table.code)]
    if not tables:
        raise BianzhiError(RoundError.NOT_FROZEN)
    content = stats_workbook(tables) if fmt == "xlsx" else stats_pdf(tables)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="reports.round_exported",
            obj=stat_round,
            after={"tables": [table.code for table in tables], "format": fmt},
        )
    title = "全部统计表" if code == "ALL" else f"{code}{TABLES[code]}"
    return f"机构编制统计-{stat_round.year}年度-第{stat_round.version}版-{title}.{fmt}", content


def late_letter(*, actor, stat_round: StatRound) -> tuple[str, bytes]:
    """迟报说明: the signed explanation a late report needs, as a PDF in the layout of the office's other letters."""
    _require(acts_on_rounds(actor))
    if not stat_round.late:
        raise BianzhiError(RoundError.NOT_LATE)
    county = county_name()
    content = pdf_render(
        "reports/pdf/late_letter.html",
        {
            "round": stat_round,
            "title": f"关于{stat_round.year}年度机构编制统计报表迟报的说明",
            "serial": f"{stat_round.year}-{stat_round.version}",
            "unit": {"name": "上级机构编制部门"},
            "county": county,
            "issuer": f"{county}机构编制委员会办公室",
            "issued_on": stat_round.submitted_on,
            "days_late": (stat_round.submitted_on - stat_round.due_on).days,
            "remark": "",
            "copies_to": "本办存档",
            "printer": str(actor) if actor is not None else SYSTEM_ACTOR_NAME,
            "printed_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        },
    )
    with transaction.atomic():
        audit_record(actor=actor, action="reports.round_letter_printed", obj=stat_round)
    return f"迟报说明-{stat_round.year}年度-第{stat_round.version}版.pdf", content
