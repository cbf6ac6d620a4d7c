"""The roster import pages: upload, the background task (through the real worker), progress, result, confirmation,
the error report, and who may use them."""

from __future__ import annotations

import io
import os
import socket
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from bianzhi.accounts.roles import Role
from bianzhi.audit.services import audit_record
from bianzhi.core.models import WorkerHeartbeat
from bianzhi.roster import import_tasks
from bianzhi.roster.import_tasks import run_roster_import
from bianzhi.roster.models import Person, RosterImport
from tests.excel import FORMULA_LIKE, assert_written_as_text
from tests.factories import make_user
from tests.processes import task_worker, wait_until
from tests.roster import test_import
from tests.roster.support import new_id
from tests.roster.test_import import FIRST_ROW, ID_PATTERN, person_row, roster_file

pytestmark = pytest.mark.django_db
county = test_import.county  # the same two units with vacancies, as a fixture here too
DOCUMENT = {
    "document_number": "锦编发〔2026〕40号",
    "document_title": "关于实名制数据初始化的通知",
    "document_issued_on": "2026-11-02",
    "document_issuer": "锦绣县机构编制委员会",
}


@pytest.fixture(autouse=True)
def _staging_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def bianban(db, client):
    user = make_user("bianban", Role.BIANBAN_OPERATOR, scope_county=True)
    client.force_login(user)
    return user


def upload(client, data: bytes, name: str = "花名册.xlsx", *, dry_run: bool = True, **fields):
    form = {"file": SimpleUploadedFile(name, data), **fields}
    if dry_run:
        form["dry_run"] = "on"
    return client.post(reverse("roster:import_start"), form)


def progress(client, record: RosterImport) -> str:
    return client.get(reverse("roster:import_progress", args=[record.pk]), HTTP_HX_REQUEST="true").content.decode()


def work() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


@pytest.mark.django_db(transaction=True)  # the worker commits and closes connections, as in production
def test_dry_run_then_confirm_through_the_worker(client, bianban, county, settings):
    page = client.get(reverse("roster:import_start")).content.decode()
    assert "从旧系统导入实名制人员" in page and "仅检查，不导入" in page and "身份证号" in page

    data = roster_file(person_row("钱多", "锦绣县财政局"), person_row("孔明", "锦绣县第一小学", quota="事业编制"))
    response = upload(client, data, **DOCUMENT)
    dry = RosterImport.objects.get()
    assert response.status_code == 302 and response.url == reverse("roster:import_status", args=[dry.pk])
    status = client.get(response.url).content.decode()
    assert "后台任务未运行：请运行 bianzhi db_worker" in status  # no worker yet: said plainly
    assert 'hx-trigger="every 1s"' in status and "花名册.xlsx" in status
    assert dry.dry_run and dry.task_id and dry.document["number"] == "锦编发〔2026〕40号"

    work()
    dry.refresh_from_db()
    assert dry.state == RosterImport.State.CHECKED and dry.progress == 100
    fragment = progress(client, dry)
    assert "检查通过：2 行均可导入，入编依据 锦编发〔2026〕40号" in fragment
    assert "hx-trigger" not in fragment  # polling stops once the run has finished
    assert "确认导入 2 人" in fragment and "锦绣县第一小学" in fragment
    assert not Person.objects.exists()

    response = client.post(reverse("roster:import_confirm", args=[dry.pk]))
    real = RosterImport.objects.exclude(pk=dry.pk).get()
    assert response.url == reverse("roster:import_status", args=[real.pk])
    assert real.confirms == dry and not real.dry_run
    work()
    real.refresh_from_db()
    assert real.state == RosterImport.State.IMPORTED and real.rows_written == 2
    assert "已导入 2 人（其中再次入编 0 人），入编依据 锦编发〔2026〕40号" in progress(client, real)
    assert Person.objects.count() == 2
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert not (settings.VAR_DIR / "imports" / real.staged_token).exists()  # the upload is not kept after import


def test_a_queued_import_says_whether_a_worker_is_there_to_take_it(client, bianban, county):
    upload(client, roster_file(person_row("钱多", "锦绣县财政局")))
    record = RosterImport.objects.get()
    waiting = progress(client, record)
    assert "后台任务未运行：请运行 bianzhi db_worker（<code>tasks.no_worker</code>）" in waiting
    assert "运维指南「后台任务」" in waiting and 'role="alert"' in waiting
    assert 'hx-trigger="every 1s"' in waiting  # it keeps asking, and moves on once a worker starts
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="w", host="server", pid=1, started_at=now, last_seen=now)
    queued = progress(client, record)
    assert "排队中" in queued and "后台任务正在运行，本次导入在队列中等待" in queued
    assert "后台任务未运行" not in queued


@pytest.mark.django_db(transaction=True)  # the worker is another process: it sees only what is committed
def test_the_page_flips_from_no_worker_to_the_result_once_a_real_worker_runs(
    client, bianban, county, settings, tmp_path
):
    settings.VAR_DIR = tmp_path / "var"  # where the worker, given BIANZHI_HOME, finds the upload
    upload(client, roster_file(person_row("钱多", "锦绣县财政局")), **DOCUMENT)
    record = RosterImport.objects.get()
    assert "后台任务未运行：请运行 bianzhi db_worker" in progress(client, record)
    with task_worker(BIANZHI_HOME=str(tmp_path)):
        done = wait_until(lambda: "检查通过" in (page := progress(client, record)) and page, "导入结果")
    assert "检查通过：1 行均可导入，入编依据 锦编发〔2026〕40号" in done and "后台任务未运行" not in done
    record.refresh_from_db()
    assert record.state == RosterImport.State.CHECKED and record.worker.split(":")[1] != str(os.getpid())


def test_an_upload_is_queued_only_once_its_record_is_committed(
    client, bianban, county, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(client, roster_file(person_row("钱多", "锦绣县财政局")))
    record = RosterImport.objects.get()
    assert response.url == reverse("roster:import_status", args=[record.pk])
    assert (record.state, record.task_id) == (RosterImport.State.QUEUED, "")
    assert not DBTaskResult.objects.exists() and len(callbacks) == 1
    callbacks[0]()
    record.refresh_from_db()
    assert [str(t.pk) for t in DBTaskResult.objects.all()] == [record.task_id]
    assert (settings.VAR_DIR / "imports" / record.staged_token).is_file()


def test_a_refused_upload_keeps_no_record_no_file_and_queues_nothing(
    client, bianban, county, settings, django_capture_on_commit_callbacks
):
    data = roster_file(person_row("钱多", "锦绣县财政局"))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = upload(client, data, document_number="锦编发〔2026〕99号")
    assert response.status_code == 200 and "尚未登记，请同时填写文件标题" in response.content.decode()
    assert not RosterImport.objects.exists() and not DBTaskResult.objects.exists() and not callbacks
    staged = settings.VAR_DIR / "imports"
    assert not staged.exists() or not any(staged.iterdir())


def test_bad_rows_are_listed_with_a_report_and_nothing_imported(client, bianban, county):
    numbers = [new_id(), new_id()]
    data = roster_file(
        person_row("冯一", "锦绣县财政局", number=numbers[0]),
        person_row("冯二", "锦绣县财政局", number=numbers[1], start="明年"),
        person_row("冯一", "锦绣县财政局", number=numbers[0]),
    )
    upload(client, data, dry_run=False)
    record = RosterImport.objects.get()
    assert run_roster_import.call(record.pk) == RosterImport.State.REJECTED

    fragment = progress(client, record)
    assert "检查未通过：3 行中有 2 行共 2 处问题，未导入任何人员" in fragment
    assert f'<td class="num">{FIRST_ROW + 1}</td><td class="text-nowrap">冯二</td>' in fragment
    assert "入编时间「明年」不是有效日期" in fragment and f"与文件第 {FIRST_ROW} 行重复" in fragment
    assert numbers[0][:6] + "********" + numbers[0][-4:] in fragment
    assert "下载错误报告" in fragment and not ID_PATTERN.search(fragment)

    response = client.get(reverse("roster:import_errors", args=[record.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content))["错误"].iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [FIRST_ROW + 1, FIRST_ROW + 2]
    assert not any(number in str(rows) for number in numbers)
    assert not Person.objects.exists()


def test_the_error_report_writes_names_as_text_never_as_formulas(client, bianban, county):
    upload(client, roster_file(*(person_row(text, "锦绣县财政局") for text in FORMULA_LIKE)), dry_run=False)
    record = RosterImport.objects.get()
    assert run_roster_import.call(record.pk) == RosterImport.State.REJECTED
    response = client.get(reverse("roster:import_errors", args=[record.pk]))
    assert_written_as_text(response.content, *FORMULA_LIKE)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("花名册.xlsx", b"PK\x03\x04 broken zip", "无法读取「花名册.xlsx」"),
        ("花名册.csv", b"\x00\xff\x00\xfe" * 100, "无法读取「花名册.csv」"),
        ("花名册.csv", "人员名单\n张三\n".encode(), "没有找到表头"),
    ],
)
def test_a_broken_file_gets_a_chinese_message_not_a_500(client, bianban, county, name, data, message):
    upload(client, data, name)
    record = RosterImport.objects.get()
    assert run_roster_import.call(record.pk) == RosterImport.State.REJECTED
    response = client.get(reverse("roster:import_status", args=[record.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "未导入任何人员" in html and message in html and "imports." in html


@pytest.mark.parametrize(
    ("name", "data", "fields", "message"),
    [
        ("旧名册.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 64, {}, "另存为 .xlsx"),
        ("空.csv", b"", {}, "所提交的是空文件"),
        ("名册.csv", b"x", {"document_number": "锦编发〔2026〕99号"}, "尚未登记，请同时填写文件标题"),
    ],
)
def test_upload_refusals_show_on_the_form(client, bianban, name, data, fields, message):
    response = upload(client, data, name, **fields)
    assert response.status_code == 200 and message in response.content.decode()
    assert not RosterImport.objects.exists()


def test_progress_bar_while_checking(client, bianban):
    record = RosterImport.objects.create(
        file_name="a.xlsx",
        state=RosterImport.State.CHECKING,
        progress=40,
        rows_checked=800,
        rows_total=2000,
        created_by=bianban,
    )
    fragment = progress(client, record)
    assert 'class="progress-bar" style="width: 40%"' in fragment and "已检查 800 行，约 2000 行" in fragment
    assert f'hx-get="{reverse("roster:import_progress", args=[record.pk])}"' in fragment


def test_an_import_whose_process_died_is_shown_as_interrupted(client, bianban):
    """A worker killed mid-import (its transaction rolled back with it) must not leave the page at 检查中 forever."""
    sleeper = subprocess.Popen(["sleep", "60"])
    dead = f"{socket.gethostname()}:{sleeper.pid}:{import_tasks._process_start(sleeper.pid)}"
    sleeper.kill()
    sleeper.wait()
    records = {
        worker: RosterImport.objects.create(
            file_name="a.xlsx", state=RosterImport.State.WRITING, worker=worker, created_by=bianban
        )
        for worker in (
            dead,
            import_tasks.this_worker(),  # alive
            "elsewhere:1:1",  # another server's process cannot be asked from here
            f"{socket.gethostname()}:{os.getpid()}:1",  # this pid, but since reused by another process
        )
    }
    fragment = progress(client, records[dead])
    assert "导入已中断" in fragment and "未导入任何人员" in fragment and "hx-get" not in fragment
    for record in records.values():
        progress(client, record)
    states = {worker: RosterImport.objects.get(pk=r.pk).state for worker, r in records.items()}
    assert list(states.values()) == ["INTERRUPTED", "WRITING", "WRITING", "INTERRUPTED"]
    assert "导入已中断" in client.get(reverse("roster:import_status", args=[records[dead].pk])).content.decode()


def _dead_worker_takes(record: RosterImport, state=RosterImport.State.CHECKING) -> None:
    """The worker took the record's task and was then killed (SIGKILL): its row and the task stay behind."""
    sleeper = subprocess.Popen(["sleep", "60"])
    sleeper.kill()
    sleeper.wait()
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="killed", host=socket.gethostname(), pid=sleeper.pid, started_at=now, last_seen=now
    )
    DBTaskResult.objects.get(pk=record.task_id).claim("killed")
    RosterImport.objects.filter(pk=record.pk).update(state=state, started_at=now)


def test_an_import_whose_worker_was_killed_says_so_and_can_be_started_again(
    client, bianban, county, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, roster_file(person_row("钱多", "锦绣县财政局")), dry_run=False, **DOCUMENT)
    record = RosterImport.objects.get()
    _dead_worker_takes(record)

    fragment = progress(client, record)
    assert "已中断" in fragment and "导入已中断：执行导入的后台进程已退出" in fragment and "hx-get" not in fragment
    assert "roster_import.interrupted" in fragment and "重新开始导入" in fragment
    record.refresh_from_db()
    assert record.state == RosterImport.State.INTERRUPTED and record.finished_at is not None
    assert DBTaskResult.objects.get(pk=record.task_id).status == "FAILED"
    assert "已中断" in client.get(reverse("roster:import_start")).content.decode()  # in the recent list too
    assert not Person.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("roster:import_retry", args=[record.pk]))
    again = RosterImport.objects.exclude(pk=record.pk).get()
    assert response.url == reverse("roster:import_status", args=[again.pk])
    assert (again.staged_token, again.document, again.dry_run) == (record.staged_token, record.document, False)
    assert again.state == RosterImport.State.QUEUED and again.task_id
    assert run_roster_import.call(again.pk) == RosterImport.State.IMPORTED
    assert Person.objects.count() == 1

    response = client.post(reverse("roster:import_retry", args=[again.pk]), follow=True)  # not interrupted
    assert "只有已中断的导入可以重新开始" in response.content.decode()
    assert RosterImport.objects.count() == 2


def test_an_interrupted_import_whose_file_was_cleaned_up_asks_for_the_file_again(client, bianban, county, settings):
    record = RosterImport.objects.create(
        file_name="a.xlsx", staged_token="x" * 32, state=RosterImport.State.INTERRUPTED, created_by=bianban
    )
    response = client.post(reverse("roster:import_retry", args=[record.pk]), follow=True)
    assert "上传的文件已不存在" in response.content.decode() and RosterImport.objects.count() == 1


def test_an_import_killed_right_after_its_write_committed_says_imported(client, bianban, county):
    """The data and the import's audit event commit together; a process killed before it could update the record
    must not leave the page saying that nothing was imported."""
    record = RosterImport.objects.create(file_name="a.xlsx", state=RosterImport.State.WRITING, created_by=bianban)
    record.task_id = str(run_roster_import.enqueue(record.pk).id)
    record.save()
    _dead_worker_takes(record, state=RosterImport.State.WRITING)
    after = {"persons": 2, "returning": 0, "document": "锦编发〔2026〕40号"}
    audit_record(
        actor=None, action="roster.imported", object_type="roster.import", object_id=str(record.pk), after=after
    )
    fragment = progress(client, record)
    assert "已导入 2 人（其中再次入编 0 人），入编依据 锦编发〔2026〕40号" in fragment and "已中断" not in fragment
    record.refresh_from_db()
    assert (record.state, record.rows_written) == (RosterImport.State.IMPORTED, 2)


def test_only_a_clean_dry_run_can_be_confirmed(client, bianban):
    record = RosterImport.objects.create(
        file_name="a.xlsx", state=RosterImport.State.REJECTED, dry_run=True, created_by=bianban
    )
    response = client.post(reverse("roster:import_confirm", args=[record.pk]), follow=True)
    assert "只有检查通过的试导入可以确认导入" in response.content.decode()
    assert RosterImport.objects.count() == 1


def test_who_may_import(client, county):
    finance, _ = county
    url = reverse("roster:import_start")
    assert client.get(url).status_code == 302  # to the login page

    operator = make_user("caizheng", Role.UNIT_OPERATOR, scope_unit=finance)
    client.force_login(operator)
    assert client.get(url).status_code == 403
    response = upload(client, roster_file(person_row("郝仁", "锦绣县财政局")))
    assert response.status_code == 403 and "您没有权限执行此操作" in response.content.decode()
    assert not RosterImport.objects.exists()

    owner = make_user("bianban", Role.BIANBAN_OPERATOR, scope_county=True)
    record = RosterImport.objects.create(file_name="a.xlsx", created_by=owner)
    other = make_user("jingban", Role.BIANBAN_OPERATOR, scope_county=True)
    client.force_login(other)
    for name in ("roster:import_status", "roster:import_progress", "roster:import_errors"):
        assert client.get(reverse(name, args=[record.pk])).status_code == 404
    assert client.post(reverse("roster:import_confirm", args=[record.pk])).status_code == 404
