"""The county's public workbook is built once per change of the data and then served from the cache, shared by every
server process; a client asking for workbooks too often is told to wait, with a Chinese page and a 429."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.cache.backends.filebased import FileBasedCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bianzhi.core.excel import county_name
from bianzhi.disclosure.selectors import county_workbook_key
from bianzhi.roster import staffing
from tests.disclosure.test_public import county, hire, workbook_text  # noqa: F401  (county: a fixture)
from tests.roster.support import approved

pytestmark = pytest.mark.django_db
URL = reverse("disclosure:county_xlsx")


def _download(client, **extra) -> tuple[bytes, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, **extra)
    assert response.status_code == 200
    return response.content, len(queries)


def test_the_second_download_is_the_same_file_from_the_cache(client, county):  # noqa: F811
    first, built_with = _download(client)
    second, served_with = _download(client)
    assert second == first
    assert served_with <= 3 < built_with  # the data's change mark and the county name, not the whole county
    # another server process (a second gunicorn worker) finds it too
    other_worker = FileBasedCache(settings.CACHES["default"]["LOCATION"], {})
    assert other_worker.get(county_workbook_key(timezone.localdate(), county_name())) == first


def test_a_change_of_the_roster_or_the_register_is_in_the_next_download(client, county):  # noqa: F811
    before, _ = _download(client)
    approval = approved(county["finance"], 1, today=dt.date(2022, 2, 1))
    hire(staffing.Slot(approval=approval), "孙八", birth=dt.date(1993, 4, 4))
    after, rebuilt_with = _download(client)
    assert "孙八" not in workbook_text(before) and "孙八" in workbook_text(after)
    assert rebuilt_with > 3
    assert _download(client)[0] == after


def test_too_many_downloads_from_one_address_are_told_to_wait(client, county, settings):  # noqa: F811
    settings.BIANZHI_PUBLIC_DOWNLOADS_PER_MINUTE = 3
    unit_workbook = reverse("disclosure:unit_xlsx", args=[county["finance"].pk])
    for url in (URL, URL, unit_workbook):  # both workbooks count
        assert client.get(url).status_code == 200
    for url in (URL, unit_workbook):
        refused = client.get(url)
        assert refused.status_code == 429
        html = refused.content.decode()
        assert "请求过于频繁，请稍后再试" in html and "秒后再试" in html
        assert 1 <= int(refused["Retry-After"]) <= 60
        assert refused["Content-Type"].startswith("text/html")
    assert client.get(URL, REMOTE_ADDR="10.20.30.40").status_code == 200  # another address is not held up
    assert client.get(reverse("disclosure:unit_list")).status_code == 200  # the pages stay open


def test_no_limit_when_set_to_zero(client, county, settings):  # noqa: F811
    settings.BIANZHI_PUBLIC_DOWNLOADS_PER_MINUTE = 0
    assert all(client.get(URL).status_code == 200 for _ in range(12))
