"""``bianzhi daily``: the scheduled jobs, run once a day by the systemd timer (deploy/bianzhi-daily.timer). One line
per job with its count; run twice the same day, the second run changes nothing; a failing job is rolled back,
reported and audited, the others still run, and the command exits non-zero."""

from __future__ import annotations

import datetime as dt
import io
import os
import time

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from bianzhi.audit.models import AuditEvent
from bianzhi.audit.selectors import verify_chain
from bianzhi.core.daily import daily_jobs, register_daily_job
from bianzhi.core.models import WorkerHeartbeat
from bianzhi.roster.choices import ApprovalStatus as S
from bianzhi.roster.import_tasks import run_roster_import
from bianzhi.roster.models import Approval
from tests.factories import make_unit
from tests.registration.support import missed_promise
from tests.roster.support import approved, cut, give_slots, hire
from tests.supervision.conftest import receive

pytestmark = pytest.mark.django_db
NOW = timezone.now()

JOB_LINES = {  # in the order the apps register them
    "core.tasks_settle_interrupted": "将进程已退出的后台任务记为已中断",
    "core.heartbeats_prune": "清理已停止的后台任务进程记录",
    "core.sessions_clear_expired": "清理过期的登录会话",
    "core.task_results_prune": "清理 30 天前已完成的后台任务记录",
    "core.staged_files_prune": "清理未确认的导入上传文件",
    "roster.approvals_expire": "过期用编核准单",
    "registration.promises_check": "记录逾期未补正的容缺承诺",
    "supervision.complaints_escalate": "逾期 12310 举报督办",
    "supervision.rectifications_sync": "按台账登记、提请销号超编超职数整改事项",
}


def daily() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("daily", stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def counts(out: str) -> dict[str, int]:
    """``标签：数量`` lines by label."""
    found = {}
    for line in out.splitlines():
        label, _, count = line.rpartition("：")
        if count.isdigit():
            found[label] = int(count)
    return found


def heartbeat(worker_id: str, seen: dt.datetime) -> None:
    WorkerHeartbeat.objects.create(worker_id=worker_id, host="server", pid=1, started_at=seen, last_seen=seen)


def running_task(worker_id: str) -> None:
    result = DBTaskResult.objects.get(pk=run_roster_import.enqueue(0).id)
    result.claim(worker_id)


def session(key: str, expires: dt.datetime) -> None:
    Session.objects.create(session_key=key, session_data="", expire_date=expires)


def finished_task(days_ago: int) -> None:
    result = DBTaskResult.objects.get(pk=run_roster_import.enqueue(0).id)
    result.status, result.finished_at = TaskResultStatus.SUCCESSFUL, NOW - dt.timedelta(days=days_ago)
    result.save()


def staged_file(folder, name: str, hours_ago: float) -> None:
    path = folder / "imports" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(b"x")
    when = time.time() - hours_ago * 3600
    os.utime(path, (when, when))


@pytest.fixture
def world(settings, tmp_path):
    """Something for every job to do, beside things each must keep."""
    settings.VAR_DIR = tmp_path
    unit = make_unit("锦绣县财政局")
    give_slots(unit, 3)
    stale = approved(unit, 1, today=timezone.localdate() - dt.timedelta(days=400))
    current = approved(unit, 1)
    heartbeat("killed", NOW - dt.timedelta(days=2))
    heartbeat("running", timezone.now())  # beating now (NOW is when the module was imported)
    session("a" * 32, NOW - dt.timedelta(hours=1))
    session("b" * 32, NOW + dt.timedelta(minutes=20))
    missed_promise()  # a 容缺 material not handed in by the day promised
    receive(days_ago=30)  # a complaint waiting for its 拟办 past the deadline
    crowded = make_unit("锦绣县审计局")
    give_slots(crowded, 2)
    hire(crowded, 2)
    cut(crowded, 1, dt.date(2024, 5, 6), reason="机构调整", confirm_overstaffing=True)  # 超编: the ledger's item
    finished_task(days_ago=40)
    finished_task(days_ago=2)
    run_roster_import.enqueue(0)  # queued: never pruned
    running_task("killed")  # its worker died: ended as interrupted
    running_task("running")  # its worker beats: left to run
    staged_file(tmp_path, "old", hours_ago=5)
    staged_file(tmp_path, "new", hours_ago=1)
    return stale, current


def state():
    return (
        sorted(Approval.objects.values_list("pk", "status", "closed_on")),
        sorted(WorkerHeartbeat.objects.values_list("worker_id", flat=True)),
        sorted(Session.objects.values_list("session_key", flat=True)),
        sorted(DBTaskResult.objects.values_list("status", flat=True)),
    )


def test_daily_runs_every_job_once_with_its_count_and_a_second_run_changes_nothing(world, tmp_path):
    stale, current = world
    code, out, err = daily()
    assert code == 0, err
    assert counts(out) == {
        "将进程已退出的后台任务记为已中断": 1,
        "过期用编核准单": 1,
        "清理已停止的后台任务进程记录": 1,
        "清理过期的登录会话": 1,
        "清理 30 天前已完成的后台任务记录": 1,
        "清理未确认的导入上传文件": 1,
        "记录逾期未补正的容缺承诺": 1,
        "逾期 12310 举报督办": 1,
        "按台账登记、提请销号超编超职数整改事项": 1,
    }
    assert "每日任务：9 项全部完成。" in out
    stale.refresh_from_db()
    current.refresh_from_db()
    assert stale.status == S.EXPIRED and current.status == S.APPROVED
    assert [p.name for p in (tmp_path / "imports").iterdir()] == ["new"]
    after_first = state()
    assert after_first[1] == ["running"] and after_first[2] == ["b" * 32]
    assert after_first[3] == ["FAILED", "READY", "RUNNING", "SUCCESSFUL"]

    code, out, err = daily()
    assert code == 0, err
    assert set(counts(out).values()) == {0}
    assert state() == after_first
    assert [p.name for p in (tmp_path / "imports").iterdir()] == ["new"]


def test_each_run_of_each_job_is_audited_once_with_its_count(world):
    daily()
    daily()
    runs = AuditEvent.objects.filter(action="daily.job_ran").order_by("seq")
    assert [e.object_id for e in runs] == list(JOB_LINES) * 2
    assert [e.after["count"] for e in runs][:9] == [1] * 9
    assert [e.object_repr for e in runs][:9] == list(JOB_LINES.values())
    assert {e.actor_name for e in runs} == {"系统"}
    assert AuditEvent.objects.filter(action="roster.approval_expired").count() == 1
    assert verify_chain().intact


def test_a_failing_job_is_rolled_back_reported_and_audited_and_the_others_still_run(world, monkeypatch):
    def broken(*, today):
        WorkerHeartbeat.objects.all().delete()  # a change the failure must take back
        raise ValueError("磁盘已满")

    [expiry] = [job for job in daily_jobs.functions if job.name == "roster.approvals_expire"]
    monkeypatch.setattr(daily_jobs, "_functions", [expiry])  # approval expiry alone …
    register_daily_job("tests.broken", "会失败的任务", broken)  # … then a failing one
    register_daily_job("tests.after", "之后的任务", lambda *, today: 7)  # … then one that still runs
    code, out, err = daily()
    assert code == 1
    assert "失败 [tests.broken] 会失败的任务：ValueError: 磁盘已满" in err
    assert "每日任务：3 项中 1 项失败" in err
    assert counts(out) == {"过期用编核准单": 1, "之后的任务": 7}
    assert sorted(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["killed", "running"]
    failed = AuditEvent.objects.get(action="daily.job_failed")
    assert failed.object_id == "tests.broken" and "磁盘已满" in failed.reason
    assert list(
        AuditEvent.objects.filter(action="daily.job_ran").order_by("seq").values_list("object_id", flat=True)
    ) == [
        "roster.approvals_expire",
        "tests.after",
    ]
    assert "Traceback" not in out + err
