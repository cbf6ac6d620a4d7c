"""年度报告: the refusals first (each changes nothing), then every transition, the window and 逾期, the sanction
steps in their order with their credit effects, the public selector without personal data, and the to-do lines."""

from __future__ import annotations

import datetime as dt

import pytest

from bianzhi.accounts.roles import Role
from bianzhi.core.errors import BianzhiError
from bianzhi.core.files import Upload
from bianzhi.core.todo import todo_for
from bianzhi.registration import annual
from bianzhi.registration.annual import (
    annual_report_accept,
    annual_report_attachment_remove,
    annual_report_publish,
    annual_report_return,
    annual_report_save,
    annual_report_submit,
    annual_sanction_record,
    overdue_institutions,
)
from bianzhi.registration.choices import AnnualReportState, CreditState, InstitutionStatus, SanctionStep
from bianzhi.registration.credit import credit_record, credit_state
from bianzhi.registration.models import AnnualReport, AnnualReportSanction
from tests.factories import doc, make_unit, make_user
from tests.registration.annual_support import (
    AFTER_WINDOW,
    IN_WINDOW,
    YEAR,
    balance_sheet,
    complete,
    on_day,
    register,
    sections,
)

S = AnnualReportState


@pytest.fixture
def institution(county):
    return register("锦绣县档案馆")


@pytest.fixture
def in_window(monkeypatch):
    on_day(monkeypatch, IN_WINDOW)
    return IN_WINDOW


def refused(code: str, service, *args, **kwargs):
    with pytest.raises(BianzhiError) as caught:
        service(*args, **kwargs)
    assert caught.value.code == code, caught.value.message
    return caught.value


# ---------------------------------------------------------------- refusals


def test_a_year_not_ended_is_refused_and_nothing_is_kept(institution, in_window):
    error = refused(
        "registration.annual_year_not_ended",
        annual_report_save,
        actor=None,
        institution=institution,
        year=2026,
        sections=sections(),
    )
    assert "2026 年度尚未结束" in error.message
    assert not AnnualReport.objects.exists()


def test_a_year_before_registration_is_refused(county, in_window):
    late = register("锦绣县新设中心", on=dt.date(2026, 1, 5))
    refused(
        "registration.annual_not_registered_in_year",
        annual_report_save,
        actor=None,
        institution=late,
        year=YEAR,
        sections=sections(),
    )


@pytest.mark.parametrize(
    ("change", "code", "words"),
    [
        ({"litigation": "  "}, "registration.annual_missing_section", "涉及诉讼情况"),
        ({"uploads": []}, "registration.annual_missing_attachment", "上一年度年末资产负债表"),
        ({"items_consistent": False}, "registration.annual_not_declared", "先办理变更登记"),
    ],
)
def test_an_incomplete_report_is_not_sent(institution, in_window, change, code, words):
    kwargs = {
        "actor": None,
        "institution": institution,
        "year": YEAR,
        "sections": sections(),
        "items_consistent": True,
        "uploads": balance_sheet(),
    }
    for key, value in change.items():
        if key in kwargs:
            kwargs[key] = value
        else:
            kwargs["sections"] = sections(**{key: value})
    report = annual_report_save(**kwargs)
    error = refused(code, annual_report_submit, actor=None, report=report)
    assert words in error.message
    report.refresh_from_db()
    assert report.state == S.NOT_SUBMITTED and report.first_submitted_on is None


def test_a_bad_amount_or_attachment_kind_is_refused(institution, in_window):
    refused(
        "registration.annual_bad_amount",
        annual_report_save,
        actor=None,
        institution=institution,
        year=YEAR,
        sections=sections(),
        figures={"income": "很多"},
    )
    refused(
        "registration.annual_bad_kind",
        annual_report_save,
        actor=None,
        institution=institution,
        year=YEAR,
        sections=sections(),
        uploads=[("SECRET", Upload("a.pdf", b"%PDF-1.4"))],
    )
    assert not AnnualReport.objects.exists()


def test_wrong_states_are_refused(institution, in_window):
    report = complete(institution)
    refused("registration.annual_wrong_state", annual_report_accept, actor=None, report=report)
    refused("registration.annual_wrong_state", annual_report_publish, actor=None, report=report)
    refused("registration.annual_wrong_state", annual_report_return, actor=None, report=report, reason="不全")
    annual_report_submit(actor=None, report=report)
    refused("registration.annual_wrong_state", annual_report_submit, actor=None, report=report)
    error = refused(
        "registration.annual_wrong_state",
        annual_report_save,
        actor=None,
        institution=institution,
        year=YEAR,
        sections=sections(activities="改了"),
    )
    assert "已报送" in error.message
    refused("registration.annual_wrong_state", annual_report_publish, actor=None, report=report)
    refused("registration.reason_required", annual_report_return, actor=None, report=report, reason="  ")
    report.refresh_from_db()
    assert report.state == S.SUBMITTED


def test_another_units_report_is_out_of_scope(county, in_window):
    education = make_unit("锦绣县教育局")
    school = register("锦绣县第一中学", education)
    archive = register("锦绣县档案馆")
    operator = make_user("unit_op", Role.UNIT_OPERATOR, scope_unit=education)
    report = complete(school, operator)
    assert report.state == S.NOT_SUBMITTED
    refused("common.out_of_scope", complete, archive, operator)
    other = complete(archive)
    refused("common.out_of_scope", annual_report_submit, actor=operator, report=other)
    refused("common.permission_denied", annual_report_accept, actor=operator, report=report)
    assert AnnualReport.objects.get(pk=other.pk).state == S.NOT_SUBMITTED


# ---------------------------------------------------------------- transitions


def test_the_whole_way_with_a_return(institution, in_window):
    report = complete(institution)
    annual_report_submit(actor=None, report=report)
    report = annual_report_return(actor=None, report=report, reason="资产损益情况与资产负债表不符")
    assert report.state == S.RETURNED and report.return_reason == "资产损益情况与资产负债表不符"
    report = annual_report_save(
        actor=None, institution=institution, year=YEAR, sections={"assets": "已更正"}, items_consistent=True
    )
    assert report.assets == "已更正" and report.activities  # the other sections stay
    report = annual_report_submit(actor=None, report=report)
    assert report.state == S.SUBMITTED and report.first_submitted_on == IN_WINDOW
    assert not annual.is_late(report)
    report = annual_report_accept(actor=None, report=report)
    assert report.state == S.ACCEPTED and report.decided_at
    report = annual_report_publish(actor=None, report=report)
    assert report.state == S.PUBLISHED and report.published_on == IN_WINDOW
    timeline = list(report.events.values_list("action", flat=True))
    assert timeline == ["保存", "报送", "退回", "保存", "报送", "审核通过", "公示"]


def test_an_attachment_can_be_removed_from_a_draft_only(institution, in_window):
    report = complete(institution)
    attachment = report.attachments.get()
    assert attachment.name == "资产负债表.pdf"
    annual_report_attachment_remove(actor=None, report=report, attachment=attachment)
    refused("registration.annual_missing_attachment", annual_report_submit, actor=None, report=report)
    report = complete(institution)
    annual_report_submit(actor=None, report=report)
    refused(
        "registration.annual_wrong_state",
        annual_report_attachment_remove,
        actor=None,
        report=report,
        attachment=report.attachments.first(),
    )


def test_a_late_report_is_taken_and_marked(institution, monkeypatch):
    on_day(monkeypatch, dt.date(2026, 5, 10))
    report = annual_report_submit(actor=None, report=complete(institution))
    assert report.state == S.SUBMITTED and annual.is_late(report)
    assert report.events.get(action="报送").note == "逾期报送"


# ---------------------------------------------------------------- 逾期 as of a date


def test_overdue_as_of_dates_around_the_end_of_march(county, monkeypatch):
    early, late, silent = register("甲中心"), register("乙中心"), register("丙中心")
    register("丁中心", on=dt.date(2026, 2, 1))  # registered after the year: owes nothing on it
    on_day(monkeypatch, dt.date(2026, 3, 31))
    annual_report_submit(actor=None, report=complete(early))
    on_day(monkeypatch, dt.date(2026, 4, 15))
    annual_report_submit(actor=None, report=complete(late))

    def names(day):
        return [i.unit.name for i in overdue_institutions(YEAR, day)]

    assert names(dt.date(2026, 3, 31)) == []  # the last day of the window: nobody is late yet
    assert names(dt.date(2026, 4, 1)) == ["乙中心", "丙中心"]
    assert names(dt.date(2026, 4, 15)) == ["丙中心"]
    assert names(dt.date(2026, 12, 1)) == ["丙中心"]
    assert [i.unit.name for i in annual.sanctionable_institutions(YEAR, AFTER_WINDOW)] == ["乙中心", "丙中心"]
    rows = {row["institution"].unit.name: row for row in annual.annual_report_list(None, year=YEAR, as_of=AFTER_WINDOW)}
    assert rows["丙中心"]["state_label"] == "逾期未报" and rows["甲中心"]["state"] == S.SUBMITTED
    assert "丁中心" not in rows
    # sent in time and returned after the window: to be sent again, but not 逾期未报
    annual_report_return(actor=None, report=AnnualReport.objects.get(institution=early), reason="请补充")
    assert names(dt.date(2026, 4, 20)) == ["丙中心"]
    row = next(r for r in annual.annual_report_list(None, year=YEAR, as_of=AFTER_WINDOW) if r["institution"] == early)
    assert (row["state_label"], row["overdue"]) == ("已退回", False)
    assert silent.pk not in {early.pk, late.pk}


# ---------------------------------------------------------------- sanctions


def sanction(institution, step, day=dt.date(2026, 4, 10), year=YEAR):
    return annual_sanction_record(
        actor=None,
        institution=institution,
        year=year,
        step=step,
        day=day,
        reason="未按规定报送年度报告",
        document=doc(dt.date(2026, 4, 1)),
    )


@pytest.fixture
def after_window(monkeypatch):
    on_day(monkeypatch, dt.date(2026, 11, 30))


def test_sanctions_only_after_the_window_and_only_for_the_late(county, monkeypatch):
    on_day(monkeypatch, IN_WINDOW)
    diligent, silent = register("甲中心"), register("乙中心")
    annual_report_submit(actor=None, report=complete(diligent))
    refused(
        "registration.sanction_not_overdue",
        annual_sanction_record,
        actor=None,
        institution=silent,
        year=YEAR,
        step=SanctionStep.WARNING,
        day=IN_WINDOW,
        reason="未报",
        document=doc(IN_WINDOW),
    )
    on_day(monkeypatch, dt.date(2026, 11, 30))
    refused("registration.sanction_not_overdue", sanction, diligent, SanctionStep.WARNING)
    assert not AnnualReportSanction.objects.exists()


def test_sanctions_come_in_order_with_their_credit_effects(county, after_window):
    institution = register("乙中心")
    error = refused("registration.sanction_order", sanction, institution, SanctionStep.WITHHOLD)
    assert "须先「书面警告」" in error.message
    sanction(institution, SanctionStep.WARNING)
    assert credit_state(institution) == CreditState.WARNED
    refused("registration.sanction_done", sanction, institution, SanctionStep.WARNING)
    refused("registration.sanction_date_order", sanction, institution, SanctionStep.WITHHOLD, dt.date(2026, 4, 9))
    withheld = sanction(institution, SanctionStep.WITHHOLD, dt.date(2026, 5, 6))
    assert withheld.correct_by > withheld.day
    assert annual.certificates_withheld(institution) == withheld
    error = refused(
        "registration.sanction_credit_first", sanction, institution, SanctionStep.REVOKE, dt.date(2026, 5, 7)
    )
    assert "列入异常名录" in error.message and "黑名单" in error.message
    for action in ("list", "blacklist"):
        credit_record(
            actor=None,
            institution=institution,
            action=action,
            reason="逾期不改正",
            document=doc(dt.date(2026, 6, 1)),
            day=dt.date(2026, 6, 1),
        )
    sanction(institution, SanctionStep.REVOKE, dt.date(2026, 6, 2))
    institution.refresh_from_db()
    assert institution.status == InstitutionStatus.REVOKED
    assert credit_state(institution) == CreditState.REVOKED


def test_a_warning_leaves_a_listed_credit_as_it_is(county, after_window):
    institution = register("乙中心")
    credit_record(
        actor=None, institution=institution, action="list", reason="其他", document=doc(), day=dt.date(2026, 4, 2)
    )
    sanction(institution, SanctionStep.WARNING)
    assert credit_state(institution) == CreditState.ABNORMAL_LISTED


def test_sending_the_report_ends_the_withholding(county, after_window):
    institution = register("乙中心")
    sanction(institution, SanctionStep.WARNING)
    sanction(institution, SanctionStep.WITHHOLD, dt.date(2026, 5, 6))
    annual_report_submit(actor=None, report=complete(institution))
    assert annual.certificates_withheld(institution) is None
    assert AnnualReportSanction.objects.get(step=SanctionStep.WITHHOLD).released_on == dt.date(2026, 11, 30)


# ---------------------------------------------------------------- public, to-do


def test_the_public_selector_shows_published_reports_only_without_personal_data(county, in_window):
    shown, hidden = register("甲中心"), register("乙中心")
    text = "法定代表人赵敏（身份证号 330122198001011234，1980年1月1日出生），电话 13912345678、0571-88886666。"
    report = annual_report_submit(actor=None, report=complete(shown, activities=text))
    annual_report_publish(actor=None, report=annual_report_accept(actor=None, report=report))
    annual_report_submit(actor=None, report=complete(hidden))
    assert list(annual.published_annual_reports()) == [AnnualReport.objects.get(institution=shown)]
    assert list(annual.published_annual_reports("乙")) == []
    public = dict(annual.public_sections(report))["开展业务活动情况"]
    assert "赵敏" in public
    for secret in ("330122198001011234", "13912345678", "88886666", "1980年1月1日"):
        assert secret not in public


def test_to_do_for_the_unit_in_the_window_and_for_the_staff(county, in_window):
    education = make_unit("锦绣县教育局")
    school = register("锦绣县第一中学", education)
    operator = make_user("unit_op", Role.UNIT_OPERATOR, scope_unit=education)
    staff = make_user("reg", Role.REGISTRATION, scope_county=True)
    items = [item for item in todo_for(operator, IN_WINDOW) if item.kind == "事业单位年度报告"]
    assert [(item.title, item.due) for item in items] == [("锦绣县第一中学：报送 2025 年度报告", dt.date(2026, 3, 31))]
    # after the window the line stays, overdue, until the report is sent
    late = [item for item in todo_for(operator, dt.date(2025, 12, 20)) if item.kind == "事业单位年度报告"]
    assert [item.title for item in late] == ["锦绣县第一中学：报送 2024 年度报告"]
    assert late[0].overdue(dt.date(2025, 12, 20))
    annual_report_submit(actor=operator, report=complete(school, operator))
    assert not [item for item in todo_for(operator, IN_WINDOW) if item.kind == "事业单位年度报告"]
    waiting = [item for item in todo_for(staff, IN_WINDOW) if item.kind == "事业单位年度报告"]
    assert [item.title for item in waiting] == ["2025 年度报告待审核：1 份"]
