"""The pages of the 规范性文件审核 and the 机构编制报告 as their users work them: the 编办 registers a draft with its
file, records clause opinions and replies, prints the letter and exports the register; it schedules report tasks,
a unit sends its report with several files, the 编办 returns and accepts. A bad file or a missing conclusion is said
on the page (with its code), never a 500, and keeps nothing; a unit never reaches another unit's report."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bianzhi.accounts.roles import Role
from bianzhi.core.files import pdf_text
from bianzhi.core.models import StoredFile
from bianzhi.matters.choices import ReportState, ReviewState
from bianzhi.matters.models import NormativeReview, ReportTask
from tests.factories import make_unit, make_user
from tests.roster.support import client_for

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PDF = b"%PDF-1.4 draft"


@pytest.fixture
def county():
    education, finance = make_unit("锦绣县教育局"), make_unit("锦绣县财政局")
    return {
        "education": education,
        "finance": finance,
        "office": client_for(make_user("bianban", Role.BIANBAN_OPERATOR, scope_county=True)),
        "unit": client_for(make_user("jiaoyu", Role.UNIT_OPERATOR, scope_unit=education)),
        "other": client_for(make_user("caizheng", Role.UNIT_OPERATOR, scope_unit=finance)),
        "oversight": client_for(make_user("jiandu", Role.OVERSIGHT, scope_county=True)),
    }


def post_ok(client, url: str, data: dict) -> str:
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return client.get(response["Location"]).content.decode()


def menu(client) -> str:
    return client.get(reverse("home")).content.decode().split('id="navbar-menu"')[1].split("</ul>")[0]


def test_the_menu_offers_each_page_to_those_who_may_use_it(county):
    office = menu(county["office"])
    assert "规范性文件审核" in office and "机构编制报告" in office
    unit = menu(county["unit"])
    assert "机构编制报告" in unit and "规范性文件审核" not in unit
    oversight = menu(county["oversight"])
    assert "编委事项" in oversight and "规范性文件审核" not in oversight and "机构编制报告" not in oversight


# ---------------------------------------------------------------- 规范性文件审核


def new_review(client, **changes):
    data = {
        "title": "县人社局关于事业单位公开招聘的实施办法（送审稿）",
        "department": "县人力资源和社会保障局",
        "received_on": "2026-09-30",
        "draft": SimpleUploadedFile("送审稿.pdf", PDF),
        **changes,
    }
    return client.post(reverse("matters:normative_new"), data)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"draft": SimpleUploadedFile("送审稿.xlsx", b"PK")}, "normative.draft_type"),
        ({"draft": SimpleUploadedFile("送审稿.pdf", b"plain text")}, "files.not_pdf"),
        ({"draft": ""}, "matters.missing_param"),
        ({"draft": SimpleUploadedFile("送审稿.docx", b"")}, "files.empty"),
        ({"received_on": "2999-01-01"}, "normative.future_date"),
    ],
)
def test_a_bad_draft_is_said_on_the_form_and_keeps_nothing(county, changes, code):
    response = new_review(county["office"], **changes)
    assert response.status_code == 400 and code in response.content.decode()
    assert NormativeReview.objects.count() == 0 and StoredFile.objects.count() == 0


def test_the_office_reviews_a_draft_and_replies(county, settings):
    settings.BIANZHI_NORMATIVE_REVIEW_DAYS = 5
    office = county["office"]
    response = new_review(office)
    assert response.status_code == 302
    review = NormativeReview.objects.get()
    html = office.get(response["Location"]).content.decode()
    assert "2026-10-13" in html and "收文后 5 个工作日" in html  # 国庆 and the Saturday worked, counted
    assert office.get(reverse("matters:normative_draft", args=[review.pk])).content == PDF
    reply = reverse("matters:normative_reply", args=[review.pk])
    refused = office.post(reply, {"reply-returned_on": TODAY.isoformat()})
    assert refused.status_code == 400 and "normative.no_conclusion" in refused.content.decode()
    clause = reverse("matters:normative_clause_add", args=[review.pk])
    missing = office.post(clause, {"clause-reference": "第五条", "clause-opinion": "DELETE"})
    assert missing.status_code == 400 and "normative.opinion_text" in missing.content.decode()
    html = post_ok(
        office,
        clause,
        {
            "clause-reference": "第五条",
            "clause-quoted": "各单位可根据需要自行增设内设机构。",
            "clause-opinion": "DELETE",
            "clause-opinion_text": "内设机构设置须按程序报批。",
        },
    )
    assert "审核中" in html and "内设机构设置须按程序报批。" in html
    html = post_ok(office, reply, {"reply-returned_on": TODAY.isoformat(), "reply-reply_number": "锦编函〔2026〕3号"})
    review.refresh_from_db()
    assert review.state == ReviewState.REPLIED and "增加条款意见" not in html and "打印审核意见" in html
    letter = office.get(reverse("matters:normative_letter", args=[review.pk]))
    assert letter["Content-Type"] == "application/pdf"
    assert "内设机构设置须按程序报批" in pdf_text(letter.content).replace("\n", "")
    listing = office.get(reverse("matters:normative_list") + "?q=人社").content.decode()
    assert review.title in listing
    export = office.get(reverse("matters:normative_export") + "?state=REPLIED")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert any(row[1] == review.title for row in sheet.iter_rows(values_only=True))


def test_overdue_reviews_come_first_and_say_so(county):
    office = county["office"]
    for title, day in (("新收的送审稿", TODAY), ("早收的送审稿", TODAY - dt.timedelta(days=30))):
        assert new_review(office, title=title, received_on=day.isoformat()).status_code == 302
    html = office.get(reverse("matters:normative_list")).content.decode()
    assert html.index("早收的送审稿") < html.index("新收的送审稿") and "已逾期" in html


def test_units_and_other_roles_are_refused_every_review_page(county):
    new_review(county["office"])
    review = NormativeReview.objects.get()
    for who in ("unit", "oversight"):
        client = county[who]
        for url in (
            reverse("matters:normative_list"),
            reverse("matters:normative_detail", args=[review.pk]),
            reverse("matters:normative_letter", args=[review.pk]),
            reverse("matters:normative_draft", args=[review.pk]),
        ):
            assert client.get(url).status_code == 403, (who, url)
        response = client.post(reverse("matters:normative_withdraw", args=[review.pk]))
        assert response.status_code == 403
    review.refresh_from_db()
    assert review.state == ReviewState.RECEIVED


# ---------------------------------------------------------------- 机构编制报告


def schedule(client, **changes) -> str:
    data = {
        "kind": "ANNUAL",
        "title": "2025 年度机构编制执行情况报告",
        "year": "2025",
        "due_on": (TODAY + dt.timedelta(days=20)).isoformat(),
        **changes,
    }
    return post_ok(client, reverse("matters:report_schedule"), data)


def test_a_report_scheduled_sent_with_files_returned_and_accepted(county):
    office, unit = county["office"], county["unit"]
    html = schedule(office)
    assert "已向 2 个单位布置报告任务" in html
    assert ReportTask.objects.count() == 2
    again = office.post(
        reverse("matters:report_schedule"),
        {"kind": "ANNUAL", "title": "再布置", "year": "2025", "due_on": TODAY.isoformat()},
    )
    assert again.status_code == 400 and "report_tasks.all_skipped" in again.content.decode()
    task = ReportTask.objects.get(unit=county["education"])
    submit = reverse("matters:report_submit", args=[task.pk])
    empty = unit.post(submit, {"submit-note": "无附件"})
    assert empty.status_code == 400 and "report_tasks.no_files" in empty.content.decode()
    bad = unit.post(submit, {"submit-files": [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.exe", b"MZ")]})
    assert bad.status_code == 400 and "files.unsupported_type" in bad.content.decode()
    empty = unit.post(submit, {"submit-files": [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", b"")]})
    assert empty.status_code == 400 and "files.empty" in empty.content.decode()
    assert StoredFile.objects.count() == 0
    files = [SimpleUploadedFile("报告.pdf", PDF), SimpleUploadedFile("附表.xlsx", b"PK\x03\x04")]
    html = post_ok(unit, submit, {"submit-files": files, "submit-note": "请审阅"})
    assert "报告.pdf" in html and "附表.xlsx" in html and "已报送" in html
    attachment = task.attachments.first()
    assert unit.get(reverse("matters:report_file", args=[task.pk, attachment.pk])).content == PDF
    returned = reverse("matters:report_return", args=[task.pk])
    no_reason = office.post(returned, {"return-reason": ""})
    assert no_reason.status_code == 400 and "report_tasks.no_reason" in no_reason.content.decode()
    post_ok(office, returned, {"return-reason": "缺少附表说明"})
    html = unit.get(reverse("matters:report_detail", args=[task.pk])).content.decode()
    assert "缺少附表说明" in html and "报送" in html
    post_ok(unit, submit, {"submit-files": [SimpleUploadedFile("报告（修改）.pdf", PDF + b"2")]})
    post_ok(office, reverse("matters:report_accept", args=[task.pk]), {})
    task.refresh_from_db()
    assert task.state == ReportState.ACCEPTED
    export = office.get(reverse("matters:report_export") + "?year=2025")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert any(row[1] == "锦绣县教育局" and row[6] == "已确认" for row in rows)


def test_a_unit_sees_only_its_subtree_and_is_refused_another_units_report(county):
    schedule(county["office"])
    own = ReportTask.objects.get(unit=county["education"])
    other = ReportTask.objects.get(unit=county["finance"])
    unit = county["unit"]
    html = unit.get(reverse("matters:report_list")).content.decode()
    assert "锦绣县教育局" in html and "锦绣县财政局" not in html and "布置报告任务" not in html
    assert unit.get(reverse("matters:report_detail", args=[other.pk])).status_code == 403
    response = unit.post(
        reverse("matters:report_submit", args=[other.pk]), {"submit-files": [SimpleUploadedFile("a.pdf", PDF)]}
    )
    assert response.status_code == 403
    assert unit.get(reverse("matters:report_detail", args=[99999])).status_code == 404
    assert unit.post(reverse("matters:report_accept", args=[own.pk])).status_code == 403
    assert unit.get(reverse("matters:report_schedule")).status_code == 403
    other.refresh_from_db()
    assert other.state == ReportState.PENDING and StoredFile.objects.count() == 0


def test_the_overdue_are_flagged_and_filtered(county):
    schedule(county["office"])
    ReportTask.objects.filter(unit=county["finance"]).update(due_on=dt.date(2026, 3, 31))
    html = county["office"].get(reverse("matters:report_list") + "?overdue=1").content.decode()
    assert "锦绣县财政局" in html and "锦绣县教育局" not in html and "已逾期" in html
    assert "1 项报告已过报送期限仍未报送" in html
    odd = county["office"].get(reverse("matters:report_list") + "?year=99999999999999999999&kind=X&state=Y&page=abc")
    assert odd.status_code == 200 and "锦绣县财政局" in odd.content.decode()
