"""工作日历 pages: anyone signed in sees a year's 法定节假日 and 调休上班日; the 系统管理员 imports a year's notice (a
file with any wrong row imports nothing and says where) and corrects a day, each audited under their name."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.audit.models import AuditEvent
from bianzhi.core.models import CalendarDay, CalendarYear
from tests.factories import make_user

pytestmark = pytest.mark.django_db
PAGE = reverse("accounts:calendar")


@pytest.fixture
def xitong(client):
    user = make_user("xitong", Role.SYSTEM_ADMIN)
    client.force_login(user)
    return user


def test_a_year_is_listed_day_by_day_with_what_is_missing_said(client, xitong):
    html = client.get(PAGE, {"year": 2026}).content.decode()
    assert "工作日历 · 2026 年" in html
    assert "2026-02-14" in html and "春节调休上班" in html and "班 · 调休上班" in html
    assert "2025年11月4日" in html  # the notice the year rests on
    next_year = timezone.localdate().year + 1
    if not CalendarYear.objects.filter(year=next_year).exists():
        assert f"{next_year} 年的节假日安排尚未载入" in html
    html = client.get(PAGE, {"year": 2031}).content.decode()
    assert "2031 年的节假日安排尚未载入，该年的期限按周一至周五推算。" in html
    assert client.get(PAGE, {"year": "明年"}).status_code == 200  # a bad year shows this year


def test_a_notice_is_imported_by_the_system_admin_under_their_name(client, xitong):
    upload = SimpleUploadedFile("2027.csv", "日期,类型,名称\n2027-01-01,休,元旦\n2027-02-06,班,春节调休上班\n".encode())
    response = client.post(reverse("accounts:calendar_import"), {"file": upload, "basis": "2027年通知"})
    assert response.status_code == 302 and response["Location"].endswith("?year=2027")
    html = client.get(response["Location"]).content.decode()
    assert "已导入 2027 年的节假日安排，共 2 天。" in html and "2027-02-06" in html
    event = AuditEvent.objects.get(action="core.calendar_imported")
    assert event.actor == xitong and event.reason == "2027年通知"


def test_a_file_with_wrong_rows_imports_nothing_and_shows_each_row(client, xitong):
    upload = SimpleUploadedFile("2027.csv", "日期,类型\n2027-01-01,休\n2027-01-04,班\n2027-13-01,休\n".encode())
    response = client.post(reverse("accounts:calendar_import"), {"file": upload, "basis": "2027年通知"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "文件有 2 处错误，未导入任何内容" in html
    assert "2027-01-04 是星期一，本来就是工作日" in html and "日期「2027-13-01」不是有效日期" in html
    assert not CalendarYear.objects.filter(year=2027).exists()
    upload = SimpleUploadedFile("2027.pdf", b"%PDF-1.4")
    response = client.post(reverse("accounts:calendar_import"), {"file": upload, "basis": "2027年通知"})
    assert response.status_code == 400 and "imports.unsupported_type" in response.content.decode()


def test_a_day_is_corrected_or_refused_with_the_reason(client, xitong):
    day = {"day": "2026-12-31", "kind": "OFF", "name": "本县调整", "reason": "县政府通知"}
    response = client.post(reverse("accounts:calendar_day"), day)
    assert response.status_code == 302
    assert CalendarDay.objects.get(day=dt.date(2026, 12, 31)).name == "本县调整"
    assert AuditEvent.objects.get(action="core.calendar_day_set").actor == xitong
    refused = client.post(reverse("accounts:calendar_day"), {**day, "day": "2031-03-03"})
    assert refused.status_code == 400
    assert (
        "2031 年的节假日安排尚未导入" in refused.content.decode()
        and "calendar.year_not_loaded" in refused.content.decode()
    )
    refused = client.post(reverse("accounts:calendar_day"), {**day, "kind": "WORK", "day": "2026-12-30"})
    assert refused.status_code == 400 and "calendar.work_on_weekday" in refused.content.decode()


def test_others_see_the_calendar_but_cannot_change_it(client):
    client.force_login(make_user("jingban", Role.BIANBAN_OPERATOR, scope_county=True))
    html = client.get(PAGE, {"year": 2026}).content.decode()
    assert "2026-10-10" in html and "导入全年安排" not in html and "更正某一天" not in html
    assert 'href="/accounts/calendar/"' not in html  # not in their menu: deadlines link to it where shown
    day = {"day": "2026-12-31", "kind": "OFF", "name": "x", "reason": "y"}
    assert client.post(reverse("accounts:calendar_day"), day).status_code == 403
    assert not CalendarDay.objects.filter(day=dt.date(2026, 12, 31)).exists()


def test_the_export_is_a_file_the_import_reads_back(client, xitong):
    exported = client.get(reverse("accounts:calendar_export"), {"year": 2026})
    assert exported["Content-Type"].startswith("text/csv")
    before = list(CalendarDay.objects.filter(day__year=2026).values_list("day", "kind", "name"))
    upload = SimpleUploadedFile("2026.csv", exported.content)
    assert client.post(reverse("accounts:calendar_import"), {"file": upload, "basis": "重新导入"}).status_code == 302
    assert list(CalendarDay.objects.filter(day__year=2026).values_list("day", "kind", "name")) == before
