"""The task worker cannot be forgotten: a running ``bianzhi db_worker`` keeps a heartbeat, ``bianzhi check`` fails
when tasks wait and no worker beats, and ``bianzhi serve --with-worker`` (what ``bianzhi demo`` runs) brings one."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bianzhi.core.models import WorkerHeartbeat
from bianzhi.core.selectors import worker_alive
from bianzhi.core.workers import ALIVE_WITHIN, INTERRUPTED
from bianzhi.roster.import_tasks import run_roster_import
from tests.processes import served, task_worker, wait_until
from tests.quotas.test_check import run_check

pytestmark = pytest.mark.django_db


def beat(seconds_ago: float) -> WorkerHeartbeat:
    seen = timezone.now() - dt.timedelta(seconds=seconds_ago)
    return WorkerHeartbeat.objects.create(worker_id="w1", host="server", pid=1, started_at=seen, last_seen=seen)


def queue_a_task():
    return run_roster_import.enqueue(0)  # a task nobody has taken up


def process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_check_fails_naming_the_waiting_tasks_when_no_worker_runs():
    queue_a_task()
    queue_a_task()
    code, out, err = run_check()
    assert code == 1, out + err
    since = timezone.localtime(timezone.now()).strftime("%Y-%m-%d")
    assert "错误 [tasks.waiting_without_worker]：后台任务未运行：2 个任务排队等待，最早的自 " in err
    assert since in err and "请运行 bianzhi db_worker" in err
    assert "数据检查通过" in out  # the data itself is fine, and says so


def test_check_fails_when_the_only_worker_stopped_beating():
    queue_a_task()
    beat(seconds_ago=ALIVE_WITHIN.total_seconds() + 5)  # killed without a word: its row stayed
    assert not worker_alive()
    assert run_check()[0] == 1


def test_check_passes_with_a_beating_worker_and_says_how_many_wait():
    queue_a_task()
    beat(seconds_ago=1)
    code, out, err = run_check()
    assert (code, err) == (0, "")
    assert "后台任务：运行中，1 个任务排队。" in out


def test_check_passes_without_a_worker_when_nothing_waits_and_notes_it():
    code, out, err = run_check()
    assert (code, err) == (0, "")
    assert "后台任务：未运行（没有排队的任务" in out


@pytest.mark.django_db(transaction=True)  # the worker commits and closes connections, as in production
def test_a_worker_run_in_batch_leaves_no_heartbeat_behind():
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert not WorkerHeartbeat.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_beats_while_it_runs_and_takes_its_row_when_stopped():
    assert not worker_alive()
    with task_worker() as worker:
        first = wait_until(lambda: WorkerHeartbeat.objects.filter(pid=worker.pid).first(), "心跳记录")
        assert worker_alive()
        # idle, it still beats: the row is renewed after the first beat interval
        wait_until(lambda: WorkerHeartbeat.objects.filter(pk=first.pk, last_seen__gt=first.last_seen).exists(), "心跳")
        code, out, _err = run_check()
        assert code == 0 and "后台任务：运行中，0 个任务排队。" in out
    assert not WorkerHeartbeat.objects.exists() and not worker_alive()


@pytest.mark.django_db(transaction=True)
def test_serve_with_worker_runs_the_worker_beside_the_server_and_stops_it_with_the_server():
    with served(1, "--with-worker"):
        row = wait_until(lambda: WorkerHeartbeat.objects.first(), "随服务启动的后台任务进程的心跳")
        assert worker_alive()
    assert wait_until(lambda: process_gone(row.pid), "后台任务进程随服务停止")
    assert not WorkerHeartbeat.objects.exists()


def dead_pid() -> int:
    sleeper = subprocess.Popen(["sleep", "60"])
    sleeper.kill()
    sleeper.wait()
    return sleeper.pid


def claimed_by(worker_id: str, *, host: str, pid: int, seconds_ago: float = 1) -> DBTaskResult:
    """A task taken up by a worker whose heartbeat row says where it ran and when it last beat."""
    seen = timezone.now() - dt.timedelta(seconds=seconds_ago)
    WorkerHeartbeat.objects.create(worker_id=worker_id, host=host, pid=pid, started_at=seen, last_seen=seen)
    task = DBTaskResult.objects.get(pk=queue_a_task().id)
    task.claim(worker_id)
    return task


@pytest.mark.django_db(transaction=True)  # the worker commits and closes connections, as in production
def test_a_task_whose_worker_died_is_ended_as_interrupted_when_a_worker_starts():
    """SIGKILL leaves the task 运行中 and the heartbeat row behind: the next worker tells the dead from the living."""
    here = socket.gethostname()
    killed = claimed_by("killed", host=here, pid=dead_pid())  # this host, process gone: known at once
    silent = claimed_by("silent", host="other", pid=1, seconds_ago=ALIVE_WITHIN.total_seconds() + 5)
    busy = claimed_by("busy", host="other", pid=1)  # another server's worker, beating: still running
    this = claimed_by("this", host=here, pid=os.getpid())  # alive here
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    status = {t.pk: t.status for t in DBTaskResult.objects.all()}
    assert [status[t.pk] for t in (killed, silent, busy, this)] == ["FAILED", "FAILED", "RUNNING", "RUNNING"]
    killed.refresh_from_db()
    assert killed.exception_class_path == INTERRUPTED and "后台任务进程 killed 已退出" in killed.traceback
    assert killed.finished_at is not None


def test_check_ends_tasks_whose_worker_died_and_still_passes():
    claimed_by("killed", host=socket.gethostname(), pid=dead_pid())
    code, out, err = run_check()
    assert (code, err) == (0, "")
    assert "后台任务：1 个任务的进程已退出，已记为已中断（可在原页面重新发起）。" in out
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"FAILED"}
    assert "已记为已中断" not in run_check()[1]  # once
