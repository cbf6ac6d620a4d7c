"""年度机构编制统计报送: draft → checked → final → submitted, the frozen tables, corrections, refusals, the late
letter and the pages."""

from __future__ import annotations

import datetime as dt
import io
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bianzhi.accounts.roles import Role
from bianzhi.audit.models import AuditEvent
from bianzhi.core.errors import BianzhiError
from bianzhi.core.todo import todo_for
from bianzhi.quotas.models import AccountKind, FundingForm, MovementKind
from bianzhi.quotas.services import county_account, movement_post, unit_account
from bianzhi.reports import rounds
from bianzhi.reports.models import RoundState, StatRound, StatSnapshot
from bianzhi.reports.selectors import stats_table
from bianzhi.reports.stats import TABLES, Check
from tests.factories import doc, make_user
from tests.roster.test_notices import pdf_text

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year - 1
AS_OF = dt.date(YEAR, 12, 31)
ON_TIME = "12-31"  # due 12-31 of this year: today is never past it


@pytest.fixture
def office(county):
    return make_user("tongji", Role.BIANBAN_OPERATOR, scope_county=True)


@pytest.fixture
def clerk(county):
    return make_user("danwei", Role.UNIT_OPERATOR, scope_unit=county.finance)


@pytest.fixture
def on_time(settings):
    settings.BIANZHI_STATS_DEADLINE = ON_TIME


def _final(actor) -> StatRound:
    stat_round = rounds.round_create(actor=actor, year=YEAR)
    stat_round = rounds.round_check(actor=actor, stat_round=stat_round)
    return rounds.round_finalise(actor=actor, stat_round=stat_round)


def _frozen_xz(stat_round: StatRound) -> int:
    t5 = next(table for table in rounds.round_tables(stat_round) if table.code == "T5")
    return t5.value(0, "type:XZ", "A")


def _live_xz() -> int:
    return stats_table(None, "T5", AS_OF).value(0, "type:XZ", "A")


def _backdated_grant(county, amount: int = 5):
    """A movement registered now but effective inside the counted year: the live tables of that year change."""
    movement_post(
        actor=None,
        kind=MovementKind.HEZENG,
        from_account=county_account(AccountKind.POOL, "XZ"),
        to_account=unit_account(county.finance, "XZ", FundingForm.QE),
        amount=amount,
        effective_date=dt.date(YEAR, 6, 1),
        document=doc(dt.date(YEAR, 6, 1)),
    )


def _refused(code: str, call, **kwargs) -> BianzhiError:
    with pytest.raises(BianzhiError) as refused:
        call(**kwargs)
    assert refused.value.code == code, refused.value.message
    return refused.value


def _actions() -> list[str]:
    return list(
        AuditEvent.objects.filter(action__startswith="reports.round").order_by("seq").values_list("action", flat=True)
    )


# ---------------------------------------------------------------- the path


def test_draft_checked_final_submitted(county, office, on_time):
    stat_round = rounds.round_create(actor=office, year=YEAR)
    assert (stat_round.state, stat_round.version, stat_round.as_of) == (RoundState.DRAFT, 1, AS_OF)
    assert stat_round.due_on == dt.date(YEAR + 1, 12, 31)

    stat_round = rounds.round_check(actor=office, stat_round=stat_round)
    assert stat_round.state == RoundState.CHECKED and stat_round.checked_by == office
    assert not stat_round.snapshots.exists()

    stat_round = rounds.round_finalise(actor=office, stat_round=stat_round)
    assert stat_round.state == RoundState.FINAL and stat_round.finalised_by == office
    tables = rounds.round_tables(stat_round)
    assert [table.code for table in tables] == list(TABLES)
    assert all(table.passed and table.day == AS_OF and table.scope == "全县" for table in tables)
    assert _frozen_xz(stat_round) == 26  # 财政局 10, 公安局 4, 教育局 12

    stat_round = rounds.round_submit(actor=office, stat_round=stat_round)
    stat_round.refresh_from_db()
    assert stat_round.state == RoundState.SUBMITTED
    assert (stat_round.submitted_by, stat_round.submitted_on) == (office, TODAY)
    assert not stat_round.late and stat_round.late_reason == ""
    assert [what for _, what, _ in rounds.round_history(stat_round)] == ["建立", "校验通过", "定稿，统计表冻结", "报送"]
    assert _actions() == ["reports.round_created", "reports.round_checked", "reports.round_finalised",
                          "reports.round_submitted"]  # fmt: skip


def test_frozen_tables_survive_later_movements(county, office, on_time):
    stat_round = _final(office)
    frozen = {snapshot.code: snapshot.data for snapshot in stat_round.snapshots.all()}
    assert _live_xz() == 26

    _backdated_grant(county)
    rounds.round_submit(actor=office, stat_round=stat_round)

    assert _live_xz() == 31
    assert _frozen_xz(stat_round) == 26
    assert {snapshot.code: snapshot.data for snapshot in StatSnapshot.objects.filter(round=stat_round)} == frozen


def test_a_correction_is_a_new_version_and_both_are_kept(county, office, on_time):
    first = _final(office)
    first = rounds.round_submit(actor=office, stat_round=first)
    _backdated_grant(county)

    second = rounds.round_correct(actor=office, stat_round=first, reason="财政局行政编制核增文件漏登")
    assert (second.version, second.state, second.corrects_id) == (2, RoundState.DRAFT, first.pk)
    assert (second.as_of, second.due_on, second.correction_reason) == (
        first.as_of,
        first.due_on,
        "财政局行政编制核增文件漏登",
    )
    rounds.round_check(actor=office, stat_round=second)
    second = rounds.round_finalise(actor=office, stat_round=second)

    first.refresh_from_db()
    assert first.state == RoundState.SUBMITTED
    assert (_frozen_xz(first), _frozen_xz(second)) == (26, 31)
    assert StatSnapshot.objects.filter(round__year=YEAR).count() == 2 * len(TABLES)
    assert list(rounds.round_versions(second)) == [first, second]
    # only the latest version is corrected, and only once
    _refused("reports.round_superseded", rounds.round_correct, actor=office, stat_round=first, reason="再改")


# ---------------------------------------------------------------- refusals change nothing


def _failing_t5(monkeypatch):
    """T5 as built, with one balance relation that does not hold."""
    real = rounds.stats_table

    def built(user, code, day, **kwargs):
        table = real(user, code, day, **kwargs)
        if code == "T5":
            table.checks.append(Check("行政编制合计＝各系统之和", False, "合计 26，各系统之和 25"))
        return table

    monkeypatch.setattr(rounds, "stats_table", built)


def test_a_failing_check_refuses_checking_and_names_the_table(county, office, monkeypatch):
    stat_round = rounds.round_create(actor=office, year=YEAR)
    _failing_t5(monkeypatch)
    refusal = _refused("reports.round_check_failed", rounds.round_check, actor=office, stat_round=stat_round)
    assert "T5 机构编制汇总" in refusal.message and "行政编制合计＝各系统之和" in refusal.message
    assert "合计 26，各系统之和 25" in refusal.message
    stat_round.refresh_from_db()
    assert stat_round.state == RoundState.DRAFT and stat_round.checked_at is None
    assert _actions() == ["reports.round_created"]


def test_finalising_checks_again(county, office, monkeypatch):
    stat_round = rounds.round_check(actor=office, stat_round=rounds.round_create(actor=office, year=YEAR))
    _failing_t5(monkeypatch)
    refusal = _refused("reports.round_check_failed", rounds.round_finalise, actor=office, stat_round=stat_round)
    assert refusal.message.endswith("重新定稿。")
    stat_round.refresh_from_db()
    assert stat_round.state == RoundState.CHECKED and not stat_round.snapshots.exists()


@pytest.mark.parametrize(
    ("reached", "service", "kwargs"),
    [
        ("create", rounds.round_finalise, {}),
        ("create", rounds.round_submit, {}),
        ("create", rounds.round_correct, {"reason": "有误"}),
        ("check", rounds.round_submit, {}),
        ("finalise", rounds.round_check, {}),
        ("finalise", rounds.round_finalise, {}),
    ],
)
def test_wrong_state(county, office, on_time, reached, service, kwargs):
    stat_round = rounds.round_create(actor=office, year=YEAR)
    if reached in ("check", "finalise"):
        stat_round = rounds.round_check(actor=office, stat_round=stat_round)
    if reached == "finalise":
        stat_round = rounds.round_finalise(actor=office, stat_round=stat_round)
    state, events = stat_round.state, _actions()
    _refused("reports.round_wrong_state", service, actor=office, stat_round=stat_round, **kwargs)
    stat_round.refresh_from_db()
    assert stat_round.state == state and _actions() == events
    assert StatRound.objects.count() == 1


def test_a_unit_operator_may_not_act(county, office, clerk, on_time):
    _refused("common.permission_denied", rounds.round_create, actor=clerk, year=YEAR)
    stat_round = rounds.round_create(actor=office, year=YEAR)
    for service in (rounds.round_check, rounds.round_finalise, rounds.round_submit):
        _refused("common.permission_denied", service, actor=clerk, stat_round=stat_round)
    _refused("common.permission_denied", rounds.round_for, user=clerk, pk=stat_round.pk)
    stat_round.refresh_from_db()
    assert stat_round.state == RoundState.DRAFT and _actions() == ["reports.round_created"]


def test_a_county_round_per_year_once_the_year_is_over(county, office):
    _refused("reports.round_year_open", rounds.round_create, actor=office, year=TODAY.year)
    _refused("reports.round_bad_year", rounds.round_create, actor=office, year=1999)
    rounds.round_create(actor=office, year=YEAR)
    _refused("reports.round_exists", rounds.round_create, actor=office, year=YEAR)
    assert StatRound.objects.count() == 1


def test_late_submission_needs_a_reason_and_gives_a_letter(county, office, settings, tmp_path):
    settings.BIANZHI_STATS_DEADLINE = "01-01"  # of this year: today is past it, except on New Year's Day
    if dt.date(TODAY.year, 1, 1) == TODAY:
        pytest.skip("no day before the deadline")
    stat_round = _final(office)
    _refused("reports.round_late_reason", rounds.round_submit, actor=office, stat_round=stat_round, late_reason="  ")
    stat_round.refresh_from_db()
    assert stat_round.state == RoundState.FINAL
    _refused("reports.round_not_late", rounds.late_letter, actor=office, stat_round=stat_round)

    stat_round = rounds.round_submit(actor=office, stat_round=stat_round, late_reason="年底机构改革，台账核对延误")
    assert stat_round.late and stat_round.late_reason == "年底机构改革，台账核对延误"
    name, content = rounds.late_letter(actor=office, stat_round=stat_round)
    assert name == f"迟报说明-{YEAR}年度-第1版.pdf" and content.startswith(b"%PDF")
    path = tmp_path / "letter.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    assert f"关于{YEAR}年度机构编制统计报表迟报的说明" in text
    assert "年底机构改革，台账核对延误" in text and "锦绣县机构编制委员会办公室" in text
    assert _actions()[-1] == "reports.round_letter_printed"


def test_to_do_when_the_deadline_nears(county, office, clerk, on_time):
    stat_round = rounds.round_create(actor=office, year=YEAR)
    StatRound.objects.filter(pk=stat_round.pk).update(due_on=TODAY + dt.timedelta(days=3))
    items = [item for item in todo_for(office, TODAY) if item.kind == rounds.TODO_KIND]
    assert [(item.title, item.action, item.due) for item in items] == [
        (str(stat_round), "校验", TODAY + dt.timedelta(days=3))
    ]
    assert not [item for item in todo_for(clerk, TODAY) if item.kind == rounds.TODO_KIND]
    StatRound.objects.filter(pk=stat_round.pk).update(due_on=TODAY + dt.timedelta(days=60))
    assert not [item for item in todo_for(office, TODAY) if item.kind == rounds.TODO_KIND]


def test_to_do_to_begin_last_years_round(county, office, settings):
    due = TODAY + dt.timedelta(days=3)
    if due.year != TODAY.year:
        pytest.skip("the deadline must fall in this year")
    settings.BIANZHI_STATS_DEADLINE = due.strftime("%m-%d")
    items = [item for item in todo_for(office, TODAY) if item.kind == rounds.TODO_KIND]
    assert [(item.title, item.action, item.due) for item in items] == [
        (f"{YEAR} 年度机构编制统计", "建立统计报送", due)
    ]
    rounds.round_create(actor=office, year=YEAR)
    assert [item.action for item in todo_for(office, TODAY) if item.kind == rounds.TODO_KIND] == ["校验"]


# ---------------------------------------------------------------- pages


def test_pages_walk_the_round(client, county, office, on_time, tmp_path):
    client.force_login(office)
    response = client.post(reverse("reports:round_create"), {"year": YEAR})
    stat_round = StatRound.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:round_detail", args=[stat_round.pk])
    for step in ("round_check", "round_finalise", "round_submit"):
        response = client.post(reverse(f"reports:{step}", args=[stat_round.pk]))
        assert response.status_code == 302, response.content.decode()[:500]
    page = client.get(reverse("reports:round_detail", args=[stat_round.pk]), {"table": "T5"}).content.decode()
    assert "定稿时冻结的统计表" in page and "机构编制汇总" in page and "stat-table" in page
    assert reverse("reports:stats_cell", args=["T5"]) not in page  # frozen figures do not link to live rows
    listing = client.get(reverse("reports:round_list")).content.decode()
    assert "已报送" in listing and "逾期" not in listing

    response = client.get(reverse("reports:round_xlsx", args=[stat_round.pk, "T5"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert any("机构编制汇总" in str(cell.value) for row in sheet.iter_rows(max_row=3) for cell in row if cell.value)
    assert _actions()[-1] == "reports.round_exported"
    printed = client.get(reverse("reports:round_pdf", args=[stat_round.pk, "ALL"]))
    assert printed.status_code == 200 and printed["Content-Type"] == "application/pdf"
    text = pdf_text(printed.content, tmp_path)
    assert all(f"（{code}）" in text for code in ("T1", "T2", "T3", "T4", "T5", "T6", "T7"))


def test_pages_show_refusals_and_overdue(client, county, office, clerk, monkeypatch):
    stat_round = rounds.round_create(actor=office, year=YEAR)  # due 02-27 of this year
    client.force_login(office)
    if stat_round.due_on < TODAY:
        assert "逾期" in client.get(reverse("reports:round_list")).content.decode()
    _failing_t5(monkeypatch)
    response = client.post(reverse("reports:round_check", args=[stat_round.pk]))
    assert response.status_code == 400 and "reports.round_check_failed" in response.content.decode()
    client.force_login(clerk)
    assert client.get(reverse("reports:round_detail", args=[stat_round.pk])).status_code == 403
    assert client.post(reverse("reports:round_check", args=[stat_round.pk])).status_code == 403
