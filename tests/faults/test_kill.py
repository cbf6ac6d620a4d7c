"""SIGKILL at random moments (issue 11, item 5), on PostgreSQL, against the real processes a county runs: the task
worker in the middle of roster imports, the whole ``bianzhi serve`` process group in the middle of onboardings.
Nothing is ever half-written, an interrupted import says 已中断 and can be started again, and ``bianzhi check`` and
``bianzhi audit verify`` pass afterwards. ``ROUNDS`` kills per kind, each at a moment drawn from a seeded random:
the seed is printed, and ``BIANZHI_FAULT_SEED=<seed>`` repeats a run.

Marked slow: each round restarts a real process (a worker, or ``bianzhi serve`` with two workers), about 7 s on a
busy 2-core machine, so the module takes about 5 minutes. CI runs it in ``make test-postgres`` like the rest; being
slow, it starts first on one pytest-xdist worker while the other works through the suite. ``BIANZHI_FAULT_ROUNDS=3``
makes a quick local run.

Change sets (issue 12): decided matters are implemented through the API by several clients while the server is
killed at a random moment; each matter is then applied whole (every step's records, state 已实施) or not at all
(state 已决定, nothing written), and ``assert_consistent`` passes.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from datetime import timedelta
from http.client import HTTPException

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bianzhi.accounts.roles import Role
from bianzhi.api.services import api_token_issue
from bianzhi.audit.models import AuditEvent
from bianzhi.matters.choices import MatterKind, MatterState
from bianzhi.matters.models import ChangeStep, Matter
from bianzhi.orgs.documents import DocumentRef, document_resolve
from bianzhi.orgs.models import Unit
from bianzhi.roster import crypto
from bianzhi.roster.models import Occupancy, Person, RosterImport, SerialCounter
from tests.conftest import USES_POSTGRES
from tests.factories import make_unit, make_user
from tests.faults.harness import ROUNDS, Faults, assert_consistent, serve, worker
from tests.processes import wait_until
from tests.quotas.support import fund_pool
from tests.roster.support import give_slots, new_id
from tests.roster.test_import import person_row, roster_file

pytestmark = [
    pytest.mark.skipif(not USES_POSTGRES, reason="故障注入测试在 PostgreSQL 上运行（DATABASE_URL=postgres://…）"),
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),  # the processes see only what is committed
]
State = RosterImport.State
ROWS = 1500  # persons per imported workbook
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
DOCUMENT = {
    "document_number": "锦编发〔2026〕77号",
    "document_title": "关于实名制数据初始化的通知",
    "document_issued_on": "2026-11-02",
    "document_issuer": "锦绣县机构编制委员会",
}


def _name(faults: Faults) -> str:
    pick = faults.random.choice
    return pick(SURNAMES) + "".join(pick(GIVEN) for _ in range(faults.random.choice((1, 2))))


# ---------------------------------------------------------------- imports: the worker killed


def _workbook(faults: Faults, index: int):
    """A unit of its own with room for every row, and a workbook of ``ROWS`` new persons for it."""
    unit = make_unit(f"锦绣县故障测试第{index:02d}局")
    give_slots(unit, ROWS)
    return unit, roster_file(*(person_row(_name(faults), unit.name, number=new_id()) for _ in range(ROWS)))


def _upload(client, data: bytes) -> RosterImport:
    response = client.post(
        reverse("roster:import_start"), {"file": SimpleUploadedFile("花名册.xlsx", data), **DOCUMENT}
    )  # no 仅检查: imported once checked
    assert response.status_code == 302, response.content.decode()[-2000:]
    return RosterImport.objects.latest("pk")


def _finished(record: RosterImport) -> RosterImport | None:
    record.refresh_from_db()
    return record if record.finished else None


def _progress(client, record: RosterImport) -> str:
    url = reverse("roster:import_progress", args=[record.pk])
    return client.get(url, HTTP_HX_REQUEST="true").content.decode()


def _assert_whole(record: RosterImport, unit, faults: Faults) -> None:
    """Imported with every row, its audit event and a serial for each person — or not at all."""
    entered = Occupancy.objects.filter(account__unit=unit)
    if record.state == State.IMPORTED:
        assert entered.count() == ROWS and record.rows_written == ROWS, faults
        assert AuditEvent.objects.filter(action="roster.imported", object_id=str(record.pk)).count() == 1, faults
    else:
        assert record.state == State.INTERRUPTED, (record.state, record.summary, faults)
        assert not entered.exists(), faults
        assert not AuditEvent.objects.filter(action="roster.imported", object_id=str(record.pk)).exists(), faults


def test_imports_survive_the_worker_being_killed_at_any_moment(client, settings, tmp_path):
    faults = Faults("实名制导入，强行终止后台任务进程")
    settings.VAR_DIR = tmp_path / "var"  # where the worker, given BIANZHI_HOME, finds the uploads
    client.force_login(make_user("bianban", Role.BIANBAN_OPERATOR, scope_county=True))
    log = tmp_path / "worker.log"
    running = worker(log, BIANZHI_HOME=str(tmp_path))
    try:
        # one import left alone, to know how long the worker takes; the kills fall anywhere within that
        unit, data = _workbook(faults, 0)
        first = _upload(client, data)
        record = wait_until(lambda: _finished(first), "导入完成", seconds=180)
        _assert_whole(record, unit, faults)
        assert record.state == State.IMPORTED, (record.summary, running.output())
        duration = (record.finished_at - record.started_at).total_seconds()
        outcomes = []
        for index in range(1, ROUNDS + 1):
            unit, data = _workbook(faults, index)
            record = _upload(client, data)
            wait_until(lambda r=record: RosterImport.objects.get(pk=r.pk).state != State.QUEUED, "后台任务开始导入")
            time.sleep(faults.moment(duration))  # while it checks the rows, or writes them, or just after
            phase = RosterImport.objects.get(pk=record.pk).state
            running.kill()
            running = worker(log, BIANZHI_HOME=str(tmp_path))  # it marks what the killed one left 运行中
            record = wait_until(lambda r=record: _finished(r), "被中断的导入有结果", seconds=180)
            _assert_whole(record, unit, faults)
            outcomes.append(f"{phase}→{record.state}")
            if record.state == State.INTERRUPTED:
                page = _progress(client, record)
                assert "已中断" in page and "roster_import.interrupted" in page and "hx-get" not in page, faults
                response = client.post(reverse("roster:import_retry", args=[record.pk]))  # the user starts it again
                again = RosterImport.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[1]))
                again = wait_until(lambda r=again: _finished(r), "重新开始的导入完成", seconds=180)
                assert again.state == State.IMPORTED, (again.summary, faults)
                _assert_whole(again, unit, faults)
        print(f"{duration:.1f} 秒导入 {ROWS} 行；{ROUNDS} 次强行终止：{'，'.join(outcomes)}")
        assert not DBTaskResult.objects.filter(status="RUNNING").exists(), faults
    finally:
        running.stop()
    assert_consistent(faults)


# ---------------------------------------------------------------- onboardings: the web server killed

CLIENTS = 4
ENTRY_DOCUMENT = DocumentRef("锦人社发〔2026〕15号", "关于公开招录公务员的通知", timezone.localdate(), "锦绣县人社局")


def _onboard(base: str, token: str, unit_id: int, number: str, name: str) -> tuple[int | None, dict]:
    """One POST /api/v1/onboardings; the status (None when the connection failed) and the answer."""
    body = {
        "person": {"name": name, "id_number": number},
        "unit_id": unit_id,
        "quota_type": "XZ",
        "funding_form": "QE",
        "override_reason": "故障注入测试",
        "start_date": timezone.localdate().isoformat(),
        "entry_mode": "KL",
        "document": {
            "number": ENTRY_DOCUMENT.number,
            "title": ENTRY_DOCUMENT.title,
            "issued_on": ENTRY_DOCUMENT.issued_on.isoformat(),
            "issuer": ENTRY_DOCUMENT.issuer,
        },
    }
    request = urllib.request.Request(
        f"{base}/api/v1/onboardings",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, {"body": exc.read().decode(errors="replace")[:500]}
    except (OSError, HTTPException):  # killed mid-request, or refused while it was down
        return None, {}


def _answers(base: str, token: str) -> bool:
    request = urllib.request.Request(f"{base}/api/v1/units?limit=1", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status == 200
    except (OSError, HTTPException):
        return False


def test_onboardings_survive_the_web_server_being_killed_at_any_moment(tmp_path):
    faults = Faults("入编，强行终止 bianzhi serve 进程组")
    units = [make_unit(f"锦绣县故障测试第{i}局") for i in range(CLIENTS)]
    for unit in units:
        give_slots(unit, 400)
    with transaction.atomic():
        document_resolve(ENTRY_DOCUMENT)  # registered once: the clients do not race to register it
    admin = make_user("bianban", Role.BIANBAN_ADMIN, scope_county=True)
    token = api_token_issue(actor=None, user=admin, name="故障注入")[1]
    people = {i: [(new_id(), _name(faults)) for _ in range(400)] for i in range(CLIENTS)}
    sent: dict[str, tuple[int | None, dict]] = {}  # by ID number
    log = tmp_path / "serve.log"
    server, base = serve(log)
    try:
        for _round in range(ROUNDS):
            stop = threading.Event()

            def client(i: int, base=base, stop=stop) -> None:
                while not stop.is_set() and people[i]:
                    number, name = people[i].pop()
                    sent[number] = _onboard(base, token, units[i].pk, number, name)

            wait_until(lambda base=base: _answers(base, token), "bianzhi serve 开始应答")
            threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
            for thread in threads:
                thread.start()
            time.sleep(0.1 + faults.moment(1.0))
            server.kill()  # master and workers, mid-request
            stop.set()
            for thread in threads:
                thread.join()
            server, base = serve(log)
    finally:
        server.stop()

    answered = {number: outcome for number, outcome in sent.items() if outcome[0] is not None}
    assert all(status == 201 for status, _ in answered.values()), [o for o in answered.values() if o[0] != 201][:3]
    succeeded = {number: body for number, (status, body) in answered.items() if status == 201}
    in_database = {p.id_hash: p for p in Person.objects.all()}
    hashes = {crypto.lookup_hash(number): number for number in sent}
    assert set(in_database) <= set(hashes), faults  # nothing that was not sent
    for number, body in succeeded.items():  # everything seen to succeed, whole
        person = in_database.get(crypto.lookup_hash(number))
        assert person is not None and person.pk == body["person_id"], (number, faults)
    lost = [hashes[h] for h in in_database if hashes[h] not in succeeded]  # committed, the answer killed on its way
    assert len(lost) <= CLIENTS * ROUNDS, faults
    occupancies = Occupancy.objects.filter(person__in=in_database.values())
    serials = sorted(occupancies.values_list("entry_serial", flat=True))
    assert len(serials) == len(in_database) and len(set(serials)) == len(serials), faults  # one open slot each
    year = timezone.localdate().year
    assert SerialCounter.objects.get(kind="entry", year=year).last == len(serials), faults  # no serial lost
    events = AuditEvent.objects.filter(action="roster.onboarded_override")
    assert sorted(events.values_list("after__serial", flat=True)) == serials, faults  # one event per entry
    print(f"{ROUNDS} 次强行终止：{len(answered)} 次请求得到回复（均成功），{len(lost)} 次已提交但回复随进程丢失")
    assert succeeded, faults
    assert_consistent(faults)


# ---------------------------------------------------------------- change sets (issue 12)

STEPS_PER_MATTER = 12  # a new unit, ten grants to it and a rename: a change set that takes a while to apply


def _decided_matters(proposer, count: int) -> list[Matter]:
    """``count`` decided matters, each setting up a unit, granting it slots one by one and renaming it; written
    straight to their tables (the setup, not what is tested: ``tests/matters`` covers drafting them)."""
    matters = Matter.objects.bulk_create(
        Matter(proposer=proposer, kind=MatterKind.SETUP, title=f"故障测试事项{i}", state=MatterState.DECIDED)
        for i in range(count)
    )
    grant = {"kind": "HEZENG", "quota_type": "XZ", "source": {"kind": "POOL"}, "amount": 1,
             "target": {"kind": "UNIT", "unit": "#1", "funding_form": "QE"}}  # fmt: skip
    steps = []
    for index, matter in enumerate(matters):
        new_unit = {"name": f"锦绣县故障测试新设第{index}局", "system_category": "ZHENGFU", "kind": "JIGUAN",
                    "nature": "XINGZHENG", "rank": "ZHENGKE"}  # fmt: skip
        plan = [("unit_create", new_unit), *[("quota_movement", grant)] * (STEPS_PER_MATTER - 2)]
        plan.append(("unit_rename", {"unit": "#1", "name": f"锦绣县故障测试第{index}中心"}))
        steps += [ChangeStep(matter=matter, position=n, operation=op, params=p) for n, (op, p) in enumerate(plan, 1)]
    ChangeStep.objects.bulk_create(steps)
    return matters


def _implement(base: str, token: str, matter: Matter) -> int | None:
    today = timezone.localdate().isoformat()
    body = {
        "name": "implement",
        "document": {"number": f"锦编复〔2026〕{900 + matter.pk}号", "title": "批复", "issued_on": today,
                     "issuer": "锦绣县机构编制委员会"},
        "effective_date": today,
    }  # fmt: skip
    request = urllib.request.Request(
        f"{base}/api/v1/matters/{matter.pk}/transitions",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (OSError, HTTPException):
        return None


def test_change_sets_are_applied_whole_or_not_at_all_when_the_server_is_killed(tmp_path):
    faults = Faults("实施事项的变更，强行终止 bianzhi serve 进程组")
    proposer = make_unit("锦绣县人民政府办公室")
    fund_pool("XZ", 10_000, timezone.localdate() - timedelta(days=30))
    matters = _decided_matters(proposer, CLIENTS * ROUNDS * 10)
    admin = make_user("bianban", Role.BIANBAN_ADMIN, scope_county=True)
    token = api_token_issue(actor=None, user=admin, name="故障注入")[1]
    queue = list(reversed(matters))
    answers: dict[int, int | None] = {}
    log = tmp_path / "serve.log"
    server, base = serve(log)
    try:
        for _round in range(ROUNDS):
            stop = threading.Event()

            def client(base=base, stop=stop) -> None:
                while not stop.is_set() and queue:
                    matter = queue.pop()
                    answers[matter.pk] = _implement(base, token, matter)
                    if answers[matter.pk] is None:  # the server is down: wait for the next round
                        break

            wait_until(lambda base=base: _answers(base, token), "bianzhi serve 开始应答")
            threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
            for thread in threads:
                thread.start()
            time.sleep(0.1 + faults.moment(1.0))
            server.kill()
            stop.set()
            for thread in threads:
                thread.join()
            server, base = serve(log)
    finally:
        server.stop()

    applied = interrupted = 0
    for matter in Matter.objects.filter(pk__in=answers):
        effects = matter.effects.count()
        created = Unit.objects.filter(name=f"锦绣县故障测试第{matter.title[6:]}中心")
        if matter.applied_on is not None:  # whole: every step's records, the unit renamed, the state says so
            assert matter.state == MatterState.IMPLEMENTED and effects == STEPS_PER_MATTER, (matter.pk, faults)
            assert created.count() == 1, faults
            applied += 1
        else:  # nothing: no unit, no movement under its decision, still waiting to be implemented
            assert matter.state == MatterState.DECIDED and effects == 0, (matter.pk, faults)
            assert not Unit.objects.filter(name__contains=f"故障测试新设第{matter.title[6:]}局").exists(), faults
            assert answers[matter.pk] != 200, (matter.pk, faults)
            interrupted += 1
    assert all(status in (200, None) for status in answers.values()), faults
    print(f"{ROUNDS} 次强行终止：{applied} 件事项完整实施，{interrupted} 件未实施（进程终止时尚未提交）")
    assert applied, faults
    assert_consistent(faults)
