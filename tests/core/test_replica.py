"""Read replicas (DATABASE_REPLICA_URL): report and list pages of a real ``bianzhi serve`` read a real PostgreSQL
streaming replica of the test run's server, started here on loopback; a user who has just written reads the
primary; a replica that lags past the limit, or is down, is not read at all, and no page fails because of it."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.test import Client

from bianzhi.accounts.roles import Role
from tests.conftest import ROOT, USES_POSTGRES
from tests.factories import make_unit, make_user
from tests.processes import BIANZHI, environment, free_port, start, stop, wait_until

postgres_only = pytest.mark.skipif(not USES_POSTGRES, reason="只读副本只用于 PostgreSQL")
pytestmark = pytest.mark.xdist_group("replica")  # one worker makes the streaming replica once
PG_CTL = ROOT / "scripts" / "pg_ctl_as_postgres"
PGBIN = (
    sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))[-1] if USES_POSTGRES else None
)
# what the reader opens: every page marked to read the replica, and the two exports
PAGES = ("/", "/orgs/", "/quotas/", "/quotas/movements/", "/roster/", "/reports/ledger.xlsx", "/roster/export.xlsx")
NEW_UNIT = "锦绣县数据局"


# ---------------------------------------------------------------- settings: nothing changes without a replica


def _settings_of(env: dict[str, str]) -> str:
    script = (
        "from bianzhi import settings as s; "
        "print(sorted(s.DATABASES), getattr(s, 'DATABASE_ROUTERS', []), "
        "[m for m in s.MIDDLEWARE if 'replica' in m], s.DATABASES.get('replica', {}).get('TEST'), "
        "s.DATABASES.get('replica', {}).get('OPTIONS'))"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("BIANZHI_", "DATABASE_"))}
    done = subprocess.run(
        [sys.executable, "-c", script], env={**environment, **env}, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.mark.no_database
def test_without_a_replica_url_there_is_one_database_and_no_router(tmp_path):
    assert _settings_of({"BIANZHI_HOME": str(tmp_path)}) == "['default'] [] [] None None"
    primary = "postgres://bianzhi@db.example:5432/bianzhi"
    assert _settings_of({"BIANZHI_HOME": str(tmp_path), "DATABASE_URL": primary}) == "['default'] [] [] None None"


@pytest.mark.no_database
def test_a_replica_url_adds_the_replica_alias_the_router_and_the_middleware(tmp_path):
    found = _settings_of(
        {
            "BIANZHI_HOME": str(tmp_path),
            "DATABASE_URL": "postgres://bianzhi@db1.example:5432/bianzhi",
            "DATABASE_REPLICA_URL": "postgres://bianzhi@db2.example:5432/bianzhi",
        }
    )
    assert found == (
        "['default', 'replica'] ['bianzhi.core.replica.ReplicaRouter'] ['bianzhi.core.replica.ReplicaMiddleware'] "
        "{'MIRROR': 'default'} {'connect_timeout': 2}"
    )


@pytest.mark.no_database
def test_a_replica_of_sqlite_is_refused_with_a_clear_message(tmp_path):
    from tests.core.test_cli import assert_clean_failure, run

    refused = run("check", home=tmp_path, DATABASE_REPLICA_URL="postgres://bianzhi@db2.example:5432/bianzhi")
    assert_clean_failure(refused, "config.bad_replica_url")
    assert "DATABASE_REPLICA_URL 只能指向 PostgreSQL 流复制副本" in refused.stderr


# ---------------------------------------------------------------- a real streaming replica


def _as_postgres(*command) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *map(str, command)] if os.geteuid() == 0 else list(map(str, command))


class StreamingReplica:
    """A hot standby of the test run's PostgreSQL server, made with ``pg_basebackup -R``, on its own loopback port."""

    def __init__(self, primary, folder: Path):
        self.primary = primary
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()

    def create(self) -> None:
        subprocess.run(
            [PGBIN / "pg_basebackup", "-h", self.primary.host, "-p", str(self.primary.port), "-U", self.primary.user,
             "-D", self.data, "-R", "-X", "stream", "-c", "fast"],
            check=True, capture_output=True, env={**os.environ, "PGPASSWORD": self.primary.password or ""},
        )  # fmt: skip
        self.start()

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.folder}"
            " -c hot_standby=on -c fsync=off"
        )
        subprocess.run(
            [PG_CTL, "-D", self.data, "-l", self.folder / "replica.log", "-w", "-t", "60", "start", "-o", options],
            check=True,
            capture_output=True,
        )

    def stop(self, mode: str = "fast") -> None:
        subprocess.run([PG_CTL, "-D", self.data, "-m", mode, "-w", "stop"], check=False, capture_output=True)

    def sql(self, statement: str, *, port: int | None = None):
        import psycopg

        with psycopg.connect(
            host="127.0.0.1",
            port=port or self.port,
            user=self.primary.user,
            password=self.primary.password or "",
            dbname="postgres",
            autocommit=True,
        ) as connection:
            return connection.execute(statement).fetchone()

    def caught_up(self) -> bool:
        (primary_lsn,) = self.sql("SELECT pg_current_wal_lsn()::text", port=self.primary.port)
        return self.sql(f"SELECT pg_last_wal_replay_lsn() >= '{primary_lsn}'::pg_lsn")[0]

    def wait_caught_up(self) -> None:
        wait_until(self.caught_up, "只读副本追上主库")

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Replay stopped: the replica keeps receiving the primary's WAL but shows the data as of now."""
        self.wait_caught_up()
        self.sql("SELECT pg_wal_replay_pause()")
        try:
            wait_until(lambda: self.sql("SELECT pg_get_wal_replay_pause_state()")[0] == "paused", "副本暂停回放")
            yield
        finally:
            self.sql("SELECT pg_wal_replay_resume()")

    @contextmanager
    def stopped(self) -> Iterator[None]:
        self.stop()
        try:
            yield
        finally:
            self.start()

    def env(self, **settings_: str) -> dict[str, str]:
        """The server's environment: the test database on the primary, and the same database on the replica."""
        db = settings.DATABASES["default"]
        url = f"postgres://{db['USER']}:{db['PASSWORD']}@127.0.0.1:{self.port}/{db['NAME']}"
        return {"DATABASE_REPLICA_URL": url, **{f"BIANZHI_REPLICA_{k.upper()}": v for k, v in settings_.items()}}


@pytest.fixture(scope="module")
def streaming_replica(request, django_db_setup, tmp_path_factory) -> Iterator[StreamingReplica]:
    """One replica for the module, made after the test database exists on the primary, removed even on failure."""
    replica = StreamingReplica(request.getfixturevalue("postgresql_proc"), tmp_path_factory.mktemp("replica"))
    try:
        replica.create()
        yield replica
    finally:
        replica.stop("immediate")


class SignedIn:
    """A signed-in user's browser: their session cookie (made here, as their login would), then the CSRF cookie."""

    def __init__(self, base: str, user):
        client = Client()
        client.force_login(user)
        self.address = urlsplit(base)
        self.cookies = {name: morsel.value for name, morsel in client.cookies.items()}

    def request(self, method: str, path: str, fields: dict | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if fields is not None:
            body = urlencode({**fields, "csrfmiddlewaretoken": self.cookies["csrftoken"]})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.address.hostname, self.address.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                self.cookies.update({name: morsel.value for name, morsel in SimpleCookie(header).items()})
            return response.status, response.read().decode(errors="replace")
        finally:
            connection.close()

    def page(self, path: str) -> str:
        status, text = self.request("GET", path)
        assert status == 200, (path, status, text[-2000:])
        return text


def _create_unit_through_the_form(writer: SignedIn, name: str) -> None:
    writer.page("/orgs/new/")  # the form, and with it the CSRF cookie
    status, text = writer.request(
        "POST",
        "/orgs/new/",
        {
            "name": name,
            "system_category": "ZHENGFU",
            "kind": "JIGUAN",
            "nature": "XINGZHENG",
            "rank": "ZHENGKE",
            "effective_date": "2026-03-01",
            "doc_number": "锦编发〔2026〕31号",
            "doc_title": "关于设立锦绣县数据局的通知",
            "doc_issued_on": "2026-03-01",
            "doc_issuer": "县编委",
        },
    )
    assert status == 302, text[-3000:]


@contextmanager
def _servers(**envs: dict[str, str]) -> Iterator[dict[str, tuple[str, subprocess.Popen]]]:
    """``bianzhi serve`` (one worker) once for each environment, started side by side; their addresses and processes."""
    ports = {name: free_port() for name in envs}
    processes = {
        name: start("serve", "--bind", f"127.0.0.1:{ports[name]}", "--workers", "1",
                    BIANZHI_ALLOWED_HOSTS="127.0.0.1", **env)
        for name, env in envs.items()
    }  # fmt: skip
    try:
        running = {name: (f"http://127.0.0.1:{ports[name]}", process) for name, process in processes.items()}
        for base, process in running.values():
            wait_until(lambda base=base, process=process: _answers(base, process), "bianzhi serve 开始监听")
        yield running
    finally:
        for process in processes.values():
            if process.returncode is None:  # not stopped by the test to read what it logged
                stop(process)


def _answers(base: str, process: subprocess.Popen) -> bool:
    assert process.poll() is None, process.stdout.read()
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=1)
    try:
        connection.request("GET", "/accounts/login/")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


@pytest.fixture(scope="module")
def servers(streaming_replica) -> Iterator[dict[str, str]]:
    """Two servers on the primary and the replica: one tolerates any lag, the other 1 second of it."""
    with _servers(
        patient=streaming_replica.env(max_lag_seconds="3600"), strict=streaming_replica.env(max_lag_seconds="1")
    ) as running:
        yield {name: base for name, (base, _) in running.items()}


@pytest.fixture
def county():
    make_unit("锦绣县教育局")
    return {
        "writer": make_user("jingban", Role.BIANBAN_ADMIN, scope_county=True),
        "reader": make_user("chayue", Role.BIANBAN_OPERATOR, scope_county=True),
    }


@postgres_only
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_readers_see_the_replica_and_whoever_wrote_sees_the_primary(streaming_replica, servers, county):
    base = servers["patient"]
    writer, reader, *exporters = (SignedIn(base, county[who]) for who in ("writer", "reader", "reader", "reader"))
    streaming_replica.wait_caught_up()
    assert "锦绣县教育局" in reader.page("/orgs/")
    with streaming_replica.paused():
        _create_unit_through_the_form(writer, NEW_UNIT)
        # the writer finds what they saved at once, though the replica has not replayed it
        assert NEW_UNIT in writer.page("/orgs/")
        # another user, within the lag limit, sees the replica's view: the unit is not there yet
        assert NEW_UNIT not in reader.page("/orgs/")
        for path in PAGES[:-2]:  # the reader's report and list pages all answer from the replica
            reader.page(path)
        assert NEW_UNIT not in reader.page("/orgs/")
        # an export, read from the replica, is audited, a write through a service: that session reads the primary
        for exporter, path in zip(exporters, PAGES[-2:], strict=True):
            exporter.page(path)
            assert NEW_UNIT in exporter.page("/orgs/")
        assert NEW_UNIT not in reader.page("/orgs/")
    wait_until(lambda: NEW_UNIT in reader.page("/orgs/"), "副本恢复回放后，其他用户看到新机构")


@postgres_only
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_past_the_lag_limit_reads_move_to_the_primary(streaming_replica, servers, county):
    patient, strict = servers["patient"], servers["strict"]
    on_patient, on_strict = SignedIn(patient, county["reader"]), SignedIn(strict, county["reader"])
    with streaming_replica.paused():
        make_unit(NEW_UNIT)  # on the primary only
        # replay stays paused: once it is more than 1 s behind, the strict server reads the primary
        wait_until(lambda: NEW_UNIT in on_strict.page("/orgs/"), "副本落后超过 1 秒后改读主库")
        checked = subprocess.run(
            [BIANZHI, "check"],
            env=environment(**streaming_replica.env(max_lag_seconds="1")),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert NEW_UNIT not in on_patient.page("/orgs/")  # within its limit: still the replica
    assert checked.returncode == 0, checked.stderr
    assert "警告 [replica.lagging]：只读副本 127.0.0.1:" in checked.stderr
    assert "超过上限 1 秒" in checked.stderr


@postgres_only
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_with_the_replica_down_every_page_is_served_by_the_primary(streaming_replica, county):
    env = streaming_replica.env()
    checked = subprocess.run([BIANZHI, "check"], env=environment(**env), capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stderr
    assert f"只读副本：127.0.0.1:{streaming_replica.port}/" in checked.stdout and "正常" in checked.stdout
    with _servers(alone=env) as running:
        base, server = running["alone"]
        reader = SignedIn(base, county["reader"])
        reader.page("/orgs/")  # a connection to the replica is open when it goes away
        with streaming_replica.stopped():
            make_unit(NEW_UNIT)
            for _ in range(3):
                for path in PAGES:
                    reader.page(path)
            assert NEW_UNIT in reader.page("/orgs/")
            checked = subprocess.run(
                [BIANZHI, "check"], env=environment(**env), capture_output=True, text=True, timeout=120
            )
            server.terminate()
            output = server.communicate(timeout=60)[0]
    assert checked.returncode == 0, checked.stderr
    assert "警告 [replica.unreachable]：无法连接只读副本 127.0.0.1:" in checked.stderr
    assert "Traceback" not in output, output[-4000:]
    assert output.count("[replica.unreachable]") == 1, output[-4000:]  # said once, not on every request
