"""The 年度报告 pages as their users see them: the unit fills in, attaches and sends (a refusal is shown on the form
with its code), the staff return, accept and publish, the status list counts and exports, the overdue list records
sanctions and the institution's page shows its certificates 暂扣; the public pages and the API."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from bianzhi.accounts.roles import Role
from bianzhi.api.services import api_token_issue
from bianzhi.registration.annual import annual_report_accept, annual_report_publish, annual_report_submit
from bianzhi.registration.choices import AnnualReportState
from bianzhi.registration.models import AnnualReport, AnnualReportSanction
from tests.factories import make_unit, make_user
from tests.registration.annual_support import AFTER_WINDOW, IN_WINDOW, PDF, YEAR, complete, on_day, register, sections

S = AnnualReportState


@pytest.fixture
def world(county):
    education = make_unit("锦绣县教育局")
    school = register("锦绣县第一中学", education, representative="钱学文")
    archive = register("锦绣县档案馆")
    unit = Client()
    unit.force_login(make_user("unit_op", Role.UNIT_OPERATOR, scope_unit=education))
    staff = Client()
    staff.force_login(make_user("dengji", Role.REGISTRATION, scope_county=True))
    return {"school": school, "archive": archive, "unit": unit, "staff": staff, "education": education}


def _form(**changes) -> dict:
    return {**sections(), "items_consistent": "on", "net_assets_start": "100", **changes}


def test_the_unit_fills_in_attaches_and_sends(world, monkeypatch):
    on_day(monkeypatch, IN_WINDOW)
    unit, school = world["unit"], world["school"]
    mine = unit.get(reverse("registration:annual_mine")).content.decode()
    assert "锦绣县第一中学" in mine and "锦绣县档案馆" not in mine and "2026-03-31" in mine
    url = reverse("registration:annual_report_edit", args=[school.pk, YEAR])

    refused = unit.post(url, _form(action="submit"))  # no balance sheet: kept as a draft, not sent
    text = refused.content.decode()
    assert refused.status_code == 400 and "registration.annual_missing_attachment" in text
    report = AnnualReport.objects.get(institution=school, year=YEAR)
    assert report.state == S.NOT_SUBMITTED and report.net_assets_start == 100

    sheet = SimpleUploadedFile("资产负债表.pdf", PDF, content_type="application/pdf")
    sent = unit.post(url, {**_form(action="submit"), "file_BALANCE_SHEET": sheet})
    assert sent.status_code == 302
    report.refresh_from_db()
    assert report.state == S.SUBMITTED and report.first_submitted_on == IN_WINDOW
    detail = unit.get(sent["Location"]).content.decode()
    assert "资产负债表.pdf" in detail and "报送" in detail and "审核通过" not in detail
    assert unit.get(url).status_code == 302  # sent: no more editing

    other = reverse("registration:annual_report_edit", args=[world["archive"].pk, YEAR])
    assert unit.get(other).status_code == 403
    assert unit.get(reverse("registration:annual_report_list")).status_code == 403


def test_a_year_not_ended_is_refused_on_the_form(world, monkeypatch):
    on_day(monkeypatch, IN_WINDOW)
    url = reverse("registration:annual_report_edit", args=[world["school"].pk, 2026])
    response = world["unit"].post(url, _form(action="save"))
    assert response.status_code == 400 and "registration.annual_year_not_ended" in response.content.decode()
    assert not AnnualReport.objects.exists()


def test_staff_return_accept_and_publish(world, monkeypatch):
    on_day(monkeypatch, IN_WINDOW)
    staff, unit = world["staff"], world["unit"]
    report = annual_report_submit(actor=None, report=complete(world["school"]))
    detail = reverse("registration:annual_report_detail", args=[report.pk])
    refused = staff.post(reverse("registration:annual_report_return", args=[report.pk]), {"return-reason": ""})
    assert refused.status_code == 400 and "registration.reason_required" in refused.content.decode()
    staff.post(reverse("registration:annual_report_return", args=[report.pk]), {"return-reason": "绩效情况过于简略"})
    assert "绩效情况过于简略" in unit.get(reverse("registration:annual_mine")).content.decode()
    wrong = staff.post(reverse("registration:annual_report_accept", args=[report.pk]))
    assert wrong.status_code == 400 and "registration.annual_wrong_state" in wrong.content.decode()
    annual_report_submit(actor=None, report=report)
    assert staff.post(reverse("registration:annual_report_accept", args=[report.pk])).status_code == 302
    assert staff.post(reverse("registration:annual_report_publish", args=[report.pk])).status_code == 302
    page = staff.get(detail).content.decode()
    assert "已公示" in page and "绩效情况过于简略" in page  # the timeline keeps the return
    attachment = report.attachments.get()
    download = unit.get(reverse("registration:annual_report_file", args=[report.pk, attachment.pk]))
    assert download.status_code == 200 and download.content == PDF


def test_the_status_list_counts_highlights_and_exports(world, monkeypatch):
    on_day(monkeypatch, IN_WINDOW)
    annual_report_submit(actor=None, report=complete(world["school"]))
    on_day(monkeypatch, AFTER_WINDOW)
    staff = world["staff"]
    page = staff.get(reverse("registration:annual_report_list"), {"year": YEAR}).content.decode()
    assert "锦绣县第一中学" in page and "锦绣县档案馆" in page and "table-danger" in page and "逾期未报" in page
    only = staff.get(reverse("registration:annual_report_list"), {"year": YEAR, "state": "OVERDUE"}).content.decode()
    assert "锦绣县档案馆" in only and "锦绣县第一中学" not in only
    export = staff.get(reverse("registration:annual_report_export"), {"year": YEAR})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(row for row in rows if row and row[1] == "机构")
    assert header[1:] == ["机构", "统一社会信用代码", "年度", "状态", "报送日期", "是否逾期", "处理措施"]
    by_name = {row[1]: row for row in rows if row and row[1] in ("锦绣县第一中学", "锦绣县档案馆")}
    assert by_name["锦绣县第一中学"][4:7] == ["已报送", "2026-03-20", "否"]
    assert by_name["锦绣县档案馆"][4:7] == ["逾期未报", None, "逾期未报"]


def _sanction(staff, institution, step, day):
    fields = {
        "doc_number": f"锦事登〔2026〕{day.month}{day.day:02d}号",
        "doc_title": "关于未按规定报送年度报告的处理决定",
        "doc_issued_on": day.isoformat(),
        "doc_issuer": "锦绣县事业单位登记管理局",
        "day": day.isoformat(),
        "reason": "未按规定报送 2025 年度报告",
    }
    url = reverse("registration:annual_sanction", args=[institution.pk, YEAR, step])
    return staff.post(url, {f"s{institution.pk}-{name}": value for name, value in fields.items()})


def test_the_overdue_list_records_sanctions_and_the_certificates_show_withheld(world, monkeypatch):
    from bianzhi.registration.services import certificate_issue

    on_day(monkeypatch, dt.date(2026, 5, 20))
    staff, archive = world["staff"], world["archive"]
    certificate_issue(actor=None, institution=archive, kind="ORIGINAL", valid_from=dt.date(2024, 3, 1))
    overdue = reverse("registration:annual_overdue")
    page = staff.get(overdue, {"year": YEAR}).content.decode()
    assert "锦绣县档案馆" in page and "书面警告" in page
    assert "锦绣县档案馆" not in staff.get(overdue, {"year": YEAR, "as_of": "2026-03-31"}).content.decode()
    wrong = _sanction(staff, archive, "WITHHOLD", dt.date(2026, 5, 10))
    assert wrong.status_code == 400 and "registration.sanction_order" in wrong.content.decode()
    assert _sanction(staff, archive, "WARNING", dt.date(2026, 4, 10)).status_code == 302
    assert _sanction(staff, archive, "WITHHOLD", dt.date(2026, 5, 10)).status_code == 302
    assert AnnualReportSanction.objects.filter(institution=archive).count() == 2
    detail = staff.get(reverse("registration:institution_detail", args=[archive.pk])).content.decode()
    assert "暂扣" in detail and "书面警告" in detail
    refused = _sanction(staff, archive, "REVOKE", dt.date(2026, 5, 11))
    assert refused.status_code == 400 and "列入黑名单" in refused.content.decode()


def test_public_pages_show_published_reports_only_without_personal_data(world, monkeypatch):
    on_day(monkeypatch, IN_WINDOW)
    text = "本年度完成教学任务。联系人电话 13912345678，身份证 330122198001011234。"
    published = annual_report_submit(actor=None, report=complete(world["school"], activities=text))
    annual_report_publish(actor=None, report=annual_report_accept(actor=None, report=published))
    hidden = annual_report_submit(actor=None, report=complete(world["archive"]))
    public = Client()
    listing = public.get("/public/registration/annual-reports/").content.decode()
    assert "锦绣县第一中学" in listing and "锦绣县档案馆" not in listing
    page = public.get(f"/public/registration/annual-reports/{published.pk}/")
    body = page.content.decode()
    assert page.status_code == 200 and "钱学文" in body and "本年度完成教学任务" in body
    for secret in ("13912345678", "330122198001011234", "资产负债表.pdf"):
        assert secret not in body
    assert public.get(f"/public/registration/annual-reports/{hidden.pk}/").status_code == 404


def test_public_pages_are_rate_limited(world, settings):
    settings.BIANZHI_PUBLIC_PAGES_PER_MINUTE = 2
    public = Client()
    statuses = [public.get("/public/registration/annual-reports/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_the_api_lists_reports_in_scope_with_filters(world, monkeypatch, client):
    on_day(monkeypatch, IN_WINDOW)
    annual_report_submit(actor=None, report=complete(world["school"]))
    complete(world["archive"])
    complete(world["archive"], year=2024)

    def get(user, **params):
        headers = {"Authorization": f"Bearer {api_token_issue(actor=None, user=user, name='测试')[1]}"}
        return client.get("/api/v1/annual-reports", params, headers=headers).json()

    staff = make_user("api_dj", Role.REGISTRATION, scope_county=True)
    assert get(staff)["count"] == 3
    assert [item["unit"]["name"] for item in get(staff, year=YEAR, state="SUBMITTED")["items"]] == ["锦绣县第一中学"]
    own = get(make_user("api_unit", Role.UNIT_OPERATOR, scope_unit=world["education"]))
    assert own["count"] == 1 and own["items"][0]["sections"]["activities"].startswith("开展业务活动情况")
    assert own["items"][0]["late"] is False and own["items"][0]["figures"]["income"] == "88.00"
    assert get(make_user("api_partner", Role.PARTNER_READONLY, scope_county=True))["count"] == 0
    bad = client.get(
        "/api/v1/annual-reports",
        {"state": "LOST"},
        headers={"Authorization": f"Bearer {api_token_issue(actor=None, user=staff, name='x')[1]}"},
    )
    assert bad.status_code == 422


def test_a_year_out_of_range_is_refused_not_a_crash(world):
    for year in (1999, 99999):
        response = world["unit"].get(reverse("registration:annual_report_edit", args=[world["school"].pk, year]))
        assert response.status_code == 400 and "registration.annual_bad_year" in response.content.decode()
    url = reverse("registration:annual_sanction", args=[world["archive"].pk, 99999, "WARNING"])
    assert world["staff"].post(url, {}).status_code == 400
    assert world["staff"].get(reverse("registration:annual_report_list"), {"year": "abc"}).status_code == 200


def test_a_refused_file_keeps_nothing_and_a_wrong_file_can_be_removed(world, monkeypatch):
    on_day(monkeypatch, IN_WINDOW)
    unit, school = world["unit"], world["school"]
    url = reverse("registration:annual_report_edit", args=[school.pk, YEAR])
    virus = SimpleUploadedFile("setup.exe", b"MZ", content_type="application/octet-stream")
    refused = unit.post(url, {**_form(action="save"), "file_OTHER": virus})
    assert refused.status_code == 400 and "files.unsupported_type" in refused.content.decode()
    assert not AnnualReport.objects.exists()
    wrong = SimpleUploadedFile("错的表.pdf", PDF, content_type="application/pdf")
    assert unit.post(url, {**_form(action="save"), "file_BALANCE_SHEET": wrong}).status_code == 302
    report = AnnualReport.objects.get()
    attachment = report.attachments.get()
    removed = unit.post(reverse("registration:annual_attachment_remove", args=[report.pk, attachment.pk]))
    assert removed.status_code == 302 and not report.attachments.exists()
    page = unit.get(url).content.decode()
    assert "已删除附件 错的表.pdf" in page and f"/files/{attachment.pk}/" not in page
