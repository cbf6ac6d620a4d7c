"""The task worker cannot be forgotten: a running ``bianzhi db_worker`` keeps a heartbeat, ``bianzhi check`` fails
when tasks wait and no worker beats, and ``bianzhi serve --with-worker`` (what ``bianzhi demo`` runs) brings one."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.core.management import call_command
from django.utils import timezone

from bianzhi.core.models import WorkerHeartbeat
from bianzhi.core.selectors import worker_alive
from bianzhi.core.workers import ALIVE_WITHIN
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
