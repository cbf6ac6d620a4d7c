"""Operators racing for the same slots: the ledger serialises them, on PostgreSQL (row locks taken in a fixed
order) and on SQLite (IMMEDIATE transactions on the WAL file). Every thread has its own database connection."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import Counter

import pytest
from django.db import connection, connections, transaction

from bianzhi.core.errors import BianzhiError
from bianzhi.core.integrity import run_all
from bianzhi.lifecycle.services import unit_merge
from bianzhi.orgs.models import Unit
from bianzhi.quotas.ledger import balances_as_of
from bianzhi.quotas.models import AccountKind, Movement, MovementKind, QuotaBalance
from bianzhi.quotas.services import county_account, movement_post, movement_reverse, unit_account
from tests.factories import START, make_unit
from tests.quotas.support import document, fund_pool

THREADS = 8
AVAILABLE = 3

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shared_database(tmp_path):
    """Yields a function each racing thread calls first to get its own connection to the shared database.

    PostgreSQL: the test database. SQLite: the test database lives in shared-cache memory, where a second writer
    fails at once ("database table is locked") instead of waiting for the lock as it does on the WAL file a county
    runs on; so the race runs on a file copy of it, opened with the production connection options.
    """
    if connection.vendor != "sqlite":
        yield lambda: None
        return
    path = tmp_path / "race.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
    settings = {**connection.settings_dict, "NAME": str(path)}
    assert settings["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    in_memory = connections["default"]

    def connect() -> None:
        connections["default"] = in_memory.__class__(settings, alias="default")

    connect()
    yield connect
    connections["default"].close()
    connections["default"] = in_memory


def race(connect, jobs, *, start_together: bool = True) -> list[str]:
    """Runs the jobs at once, one thread and one connection each; returns 'ok' or the error code of each."""
    barrier = threading.Barrier(len(jobs) if start_together else 1)
    outcomes: list[str] = []

    def run(job) -> None:
        connect()
        try:
            barrier.wait()
            job()
            outcomes.append("ok")
        except BianzhiError as error:
            outcomes.append(error.code)
        except Exception as error:  # a crash is an outcome the assertions must see, not a silent thread death
            outcomes.append(repr(error))
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def assert_ledger_clean() -> None:
    assert not QuotaBalance.objects.filter(balance__lt=0).exclude(account__kind=AccountKind.AUTHORITY).exists()
    assert {name: drifts for name, drifts in run_all().items() if drifts} == {}


def test_only_the_available_slots_are_handed_out_when_operators_race(shared_database):
    fund_pool("XZ", AVAILABLE, START)
    pool = county_account(AccountKind.POOL, "XZ")
    targets = [unit_account(make_unit(f"锦绣县第{i}局"), "XZ", "QE") for i in range(THREADS)]
    # one document covering every unit, registered by whichever operator gets there first
    shared_doc = document(START, "关于核定县直单位行政编制的通知")

    def grant(account):
        return lambda: movement_post(
            actor=None,
            kind=MovementKind.HEZENG,
            from_account=pool,
            to_account=account,
            amount=1,
            effective_date=START,
            document=shared_doc,
        )

    outcomes = race(shared_database, [grant(account) for account in targets])

    assert Counter(outcomes) == {"ok": AVAILABLE, "quotas.insufficient": THREADS - AVAILABLE}
    balances = balances_as_of(QuotaBalance, [pool.pk, *(a.pk for a in targets)], START)
    assert balances[pool.pk] == 0
    assert sorted(balances.get(a.pk, 0) for a in targets) == [0] * (THREADS - AVAILABLE) + [1] * AVAILABLE
    assert Movement.objects.filter(to_account__in=targets).count() == AVAILABLE
    assert_ledger_clean()


def test_a_movement_is_reversed_once_when_operators_race(shared_database):
    fund_pool("SY", 10, START)
    school = make_unit("锦绣县第一小学", kind="SHIYE")
    granted = movement_post(
        actor=None,
        kind=MovementKind.HEZENG,
        from_account=county_account(AccountKind.POOL, "SY"),
        to_account=unit_account(school, "SY", "QE"),
        amount=4,
        effective_date=START,
        document=document(START),
    )
    corrections = [document(START, f"关于更正编制核定的通知（{i}）") for i in range(THREADS)]

    def reverse(doc):
        return lambda: movement_reverse(actor=None, movement=granted, document=doc, reason="登记错误")

    outcomes = race(shared_database, [reverse(doc) for doc in corrections])

    assert Counter(outcomes) == {"ok": 1, "quotas.already_reversed": THREADS - 1}
    assert Movement.objects.filter(reverses=granted).count() == 1
    pool = county_account(AccountKind.POOL, "SY")
    assert balances_as_of(QuotaBalance, [pool.pk], START) == {pool.pk: 10}
    assert_ledger_clean()


def test_slots_sent_to_a_unit_while_it_is_being_merged_are_refused(shared_database):
    """One operator merges the finance bureau; another, with the form loaded before, grants it slots meanwhile.
    The grant waits for the merge and is then refused: a merged unit never holds slots again."""
    fund_pool("XZ", 10, START)
    finance, education = make_unit("锦绣县财政局"), make_unit("锦绣县教育局")
    account = unit_account(finance, "XZ", "QE")
    movement_post(
        actor=None,
        kind=MovementKind.HEZENG,
        from_account=county_account(AccountKind.POOL, "XZ"),
        to_account=account,
        amount=3,
        effective_date=START,
        document=document(START),
    )
    merge_doc, grant_doc = document(START, "关于合并机构的通知"), document(START, "关于核增编制的通知")
    merging = threading.Event()

    def merge():
        with transaction.atomic():
            unit_merge(actor=None, unit=finance, successor=education, document=merge_doc, effective_date=START)
            merging.set()
            time.sleep(0.5)  # the merge is not committed yet while the grant arrives

    def grant():
        merging.wait(timeout=60)
        movement_post(
            actor=None,
            kind=MovementKind.HEZENG,
            from_account=county_account(AccountKind.POOL, "XZ"),
            to_account=account,
            amount=2,
            effective_date=START,
            document=grant_doc,
        )

    outcomes = race(shared_database, [merge, grant], start_together=False)

    assert sorted(outcomes) == ["ok", "orgs.unit_closed"]
    assert Unit.objects.get(pk=finance.pk).status == "MERGED"
    assert balances_as_of(QuotaBalance, [account.pk], START) == {account.pk: 0}
    assert_ledger_clean()
