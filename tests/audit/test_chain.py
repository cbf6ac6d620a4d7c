import threading
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction

from bianzhi.audit.chain import CHAIN_LANES, GENESIS_HASH
from bianzhi.audit.models import AuditChainHead, AuditEvent
from bianzhi.audit.selectors import last_change_mark, verify_chain
from bianzhi.audit.services import audit_record
from bianzhi.core.request_context import RequestInfo, reset_request_info, set_request_info

pytestmark = pytest.mark.django_db


def tamper(sql: str, *params) -> None:
    """What someone with direct database access could do: switch the guard off, then change rows."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")  # superuser: triggers off
        else:
            cursor.execute("DROP TRIGGER audit_event_append_only")
        cursor.execute(sql, params)


@pytest.fixture
def events():
    return [audit_record(actor=None, action="test.event", object_repr=f"事件{i}", after={"n": i}) for i in range(1, 6)]


def test_events_are_numbered_and_chained(events):
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert events[0].prev_hash == GENESIS_HASH
    assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(events))
    report = verify_chain()
    assert report.intact and report.events == 5


def test_request_id_and_address_are_recorded():
    token = set_request_info(RequestInfo("req-12345678", "10.1.2.3"))
    try:
        event = audit_record(actor=None, action="test.event")
    finally:
        reset_request_info(token)
    event.refresh_from_db()
    assert (event.request_id, event.client_ip, event.actor_name) == ("req-12345678", "10.1.2.3", "系统")
    assert verify_chain().intact


def test_a_modified_event_is_named(events):
    tamper("UPDATE audit_auditevent SET after = %s WHERE seq = 3", '{"n": 300}')
    report = verify_chain()
    assert not report.intact and report.broken_seq == 3
    assert "被修改" in report.problem


def test_a_deleted_event_is_named(events):
    tamper("DELETE FROM audit_auditevent WHERE seq = 2")
    report = verify_chain()
    assert not report.intact and report.broken_seq == 2
    assert "删除" in report.problem


def test_a_deleted_last_event_is_noticed(events):
    tamper("DELETE FROM audit_auditevent WHERE seq = 5")
    report = verify_chain()
    assert not report.intact and report.broken_seq == 5


def test_an_inserted_event_is_named(events):
    tamper(
        "INSERT INTO audit_auditevent (seq, occurred_at, actor_name, request_id, action, object_type, object_id,"
        " object_repr, reason, prev_hash, hash) VALUES (6, %s, '系统', '', 'test.forged', '', '', '', '', %s, %s)",
        events[-1].occurred_at,
        events[-1].hash,
        "f" * 64,
    )
    report = verify_chain()
    assert not report.intact and report.broken_seq == 6


def test_the_database_refuses_to_update_audit_events(events):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=1).update(reason="改过")
    assert verify_chain().intact


def test_deleting_an_event_is_refused_on_postgres_and_caught_by_verify_on_sqlite(events):
    # SQLite keeps DELETE open because Django's test flush empties tables with DELETE
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(seq=1).delete()
        assert verify_chain().intact
    else:
        AuditEvent.objects.filter(seq=1).delete()
        assert verify_chain().broken_seq == 1


def test_audit_verify_command_exit_codes(events, capsys):
    call_command("audit", "verify")
    assert "审计链完整：共 5 条事件" in capsys.readouterr().out
    tamper("UPDATE audit_auditevent SET reason = '改过' WHERE seq = 4")
    with pytest.raises(SystemExit) as exited:
        call_command("audit", "verify")
    assert exited.value.code == 1
    assert "第 4 条事件" in capsys.readouterr().err


# ---------------------------------------------------------------- lanes: writers side by side


def _hold_lane(started: threading.Event, release: threading.Event, lanes: list[int]) -> None:
    try:
        with transaction.atomic():
            lanes.append(audit_record(actor=None, action="test.event", object_repr="甲").lane)
            started.set()
            release.wait(20)
    finally:
        connections["default"].close()


@pytest.mark.django_db(transaction=True)
def test_a_second_writer_takes_another_lane_without_waiting():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite 同一时刻只有一个写事务：只用第 1 条审计链")
    # a flushed test database has no lanes yet: the first event lays them out (migration audit.0003 does in a
    # real one), so that the two writers below do not meet on creating them
    audit_record(actor=None, action="test.event", object_repr="开始")
    started, release, lanes = threading.Event(), threading.Event(), []
    holder = threading.Thread(target=_hold_lane, args=(started, release, lanes))
    holder.start()
    try:
        assert started.wait(20)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")  # waiting for the holder's lane would fail here
            first = audit_record(actor=None, action="test.event", object_repr="乙")
            second = audit_record(actor=None, action="test.event", object_repr="丙")
    finally:
        release.set()
        holder.join(30)
    assert lanes == [1]
    assert (first.lane, first.seq, second.lane, second.seq) == (2, 1, 2, 2)
    report = verify_chain()
    assert report.intact and report.events == 4
    # a change in the other lane is still found, and named with its lane
    with transaction.atomic():
        tamper("UPDATE audit_auditevent SET reason = '改过' WHERE lane = 2 AND seq = 2")
    report = verify_chain()
    assert not report.intact and (report.lane, report.broken_seq) == (2, 2)
    assert "审计链 2" in report.problem


def test_an_event_moved_to_another_lane_is_found(events):
    tamper("UPDATE audit_auditevent SET lane = 2, seq = 1 WHERE seq = 5")
    report = verify_chain()
    assert not report.intact


def test_the_change_mark_follows_commits_in_every_lane(events):
    mark = last_change_mark(("test",))
    AuditChainHead.objects.filter(pk=2).update(last_seq=1, last_hash=events[0].hash)
    tamper(
        "INSERT INTO audit_auditevent (lane, seq, occurred_at, actor_name, request_id, action, object_type, object_id,"
        " object_repr, reason, prev_hash, hash) VALUES (2, 1, %s, '系统', '', 'test.other', '', '', '', '', %s, %s)",
        events[-1].occurred_at,
        GENESIS_HASH,
        events[0].hash,
    )
    assert last_change_mark(("test",)) != mark
    assert last_change_mark(("orgs",)) == "none"


@pytest.mark.django_db(transaction=True)
def test_with_every_lane_held_a_writer_waits_for_one_and_the_chain_stays_whole():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite 同一时刻只有一个写者")
    audit_record(actor=None, action="test.event", object_repr="开始")  # lays the lanes out (flushed database)
    release, holders, lanes = threading.Event(), [], []
    for _ in range(CHAIN_LANES):
        started = threading.Event()
        holder = threading.Thread(target=_hold_lane, args=(started, release, lanes))
        holder.start()
        holders.append(holder)
        assert started.wait(20)
    assert sorted(lanes) == list(range(1, CHAIN_LANES + 1))  # each holder took a lane no other held

    done: list[int] = []

    def late_writer() -> None:
        try:
            done.append(audit_record(actor=None, action="test.event", object_repr="丁").lane)
        finally:
            connections["default"].close()

    late = threading.Thread(target=late_writer)
    late.start()
    late.join(1)
    assert late.is_alive() and not done  # queued behind a held lane, not failed
    release.set()
    for thread in [*holders, late]:
        thread.join(30)
    assert len(done) == 1 and 1 <= done[0] <= CHAIN_LANES
    report = verify_chain()
    assert report.intact and report.events == CHAIN_LANES + 2
