"""A full disk on SQLite (issue 11, item 5): the database and BIANZHI_HOME on a small tmpfs, filled up while the real
``bianzhi serve`` runs. An onboarding (the web form and the API) and a roster import upload are answered with the
Chinese page of ``db.disk_full`` and HTTP 507, never a 500; nothing is half-written; once space is freed,
``bianzhi check`` and ``bianzhi audit verify`` pass and the same onboarding goes through."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import suppress
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.api.services import api_token_issue
from tests.conftest import USES_POSTGRES
from tests.factories import PASSWORD, make_unit, make_user
from tests.faults.harness import assert_consistent, serve
from tests.roster.support import approved, give_slots, new_id
from tests.roster.test_import import person_row, roster_file

pytestmark = [
    pytest.mark.skipif(USES_POSTGRES, reason="SQLite 专项：数据库文件所在磁盘已满"),
    pytest.mark.django_db(transaction=True),  # copied to the small disk, so it must be committed
    pytest.mark.argon2,  # the server checks the passwords with the production hasher
]
TABLES = ("roster_person", "roster_occupancy", "roster_rosterimport", "audit_auditevent", "orgs_document")
TODAY = timezone.localdate()


@pytest.fixture
def small_disk(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", str(home)], capture_output=True, text=True, check=False
    )
    if mounted.returncode:
        pytest.skip(f"无法挂载 tmpfs（需以 root 运行）：{mounted.stderr.strip()}")
    yield home
    subprocess.run(["umount", "-l", str(home)], check=False)


def _fill(folder: Path) -> Path:
    """Writes until the disk refuses another byte."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (1 << 20, 1 << 12, 1):
            with suppress(OSError):
                while True:
                    os.write(fd, b"\0" * size)
    finally:
        os.close(fd)
    return filler


def _counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as db:
        return {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}


def _browser(base: str, username: str):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD})
    opener.open(urllib.request.Request(f"{base}/accounts/login/", data=data.encode(), headers={"Referer": base}))
    return opener


def _token(opener, url: str) -> str:
    return opener.open(url).read().decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]


def _post(opener, url: str, data: bytes, content_type: str) -> tuple[int, str]:
    request = urllib.request.Request(url, data=data, headers={"Referer": url, "Content-Type": content_type})
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _multipart(fields: dict[str, str], name: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_a_full_disk_gives_a_clear_error_and_loses_nothing(small_disk, tmp_path):
    unit = make_unit("锦绣县统计局")
    give_slots(unit, 5)
    approval = approved(unit, 2)
    make_user("tongji", Role.UNIT_OPERATOR, scope_unit=unit)
    make_user("bianban", Role.BIANBAN_OPERATOR, scope_county=True)
    admin = make_user("xitong", Role.BIANBAN_ADMIN, scope_county=True)
    api_token = api_token_issue(actor=None, user=admin, name="磁盘测试")[1]
    database = small_disk / "bianzhi.sqlite3"
    with sqlite3.connect(database) as copy:  # the test's database, committed, moved onto the small disk
        connection.ensure_connection()
        connection.connection.backup(copy)
    env = {"DATABASE_URL": f"sqlite:///{database}", "BIANZHI_HOME": str(small_disk), "BIANZHI_SECURE_COOKIES": "0"}
    server, base = serve(tmp_path / "serve.log", **env)
    try:
        tongji, bianban = _browser(base, "tongji"), _browser(base, "bianban")
        onboard_url, import_url = f"{base}/roster/onboard/", f"{base}/roster/import/"
        fields = {
            "csrfmiddlewaretoken": _token(tongji, onboard_url),
            "source": f"a{approval.pk}",
            "name": "陈满",
            "id_number": new_id(),
            "start_date": TODAY.isoformat(),
            "entry_mode": "KL",
            "hire_kind": "NEW",
            "doc_number": f"锦人社〔{TODAY.year}〕301号",
            "doc_title": "录用审批表",
            "doc_issued_on": TODAY.isoformat(),
            "doc_issuer": "锦绣县人力资源和社会保障局",
        }
        upload = _multipart(
            {"csrfmiddlewaretoken": _token(bianban, import_url)},
            "花名册.xlsx",
            roster_file(person_row("钱满", "锦绣县统计局")),
        )
        with sqlite3.connect(database) as db:  # the write-ahead log emptied: the next write must grow a file
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        before = _counts(database)
        filler = _fill(small_disk)

        status, page = _post(
            tongji, onboard_url, urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"
        )
        assert status == 507, page[-3000:]
        assert "磁盘已满" in page and "服务器磁盘空间已满，本次操作未能保存" in page and "db.disk_full" in page
        status, page = _post(bianban, import_url, *upload)
        assert status == 507 and "db.disk_full" in page, page[-3000:]
        body = {
            "person": {"name": "孙满", "id_number": new_id()},
            "approval_id": approval.pk,
            "start_date": TODAY.isoformat(),
            "entry_mode": "KL",
            "document": {
                "number": f"锦人社〔{TODAY.year}〕302号",
                "title": "录用审批表",
                "issued_on": TODAY.isoformat(),
                "issuer": "锦绣县人社局",
            },
        }
        request = urllib.request.Request(
            f"{base}/api/v1/onboardings",
            data=json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {api_token}", "Content-Type": "application/json"},
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=60)
        answer = json.loads(refused.value.read())
        assert refused.value.code == 507 and answer["code"] == "db.disk_full", answer
        assert "磁盘空间已满" in answer["message"]

        filler.unlink()  # the 系统管理员 frees space
        assert _counts(database) == before  # nothing half-written
        assert_consistent("磁盘已满之后", **env)
        fields["csrfmiddlewaretoken"] = _token(tongji, onboard_url)
        status, page = _post(
            tongji, onboard_url, urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"
        )
        assert status == 200 and "陈满" in page, page[-3000:]  # the same entry, now saved (the redirect followed)
        assert _counts(database)["roster_occupancy"] == before["roster_occupancy"] + 1
    finally:
        server.stop()
