"""`bianzhi backup` and `bianzhi restore` as a 系统管理员 runs them: real processes on real databases (SQLite files,
or databases created on the test run's PostgreSQL server)."""

from __future__ import annotations

import io
import json
import os
import tarfile
import uuid
from pathlib import Path

import pytest

from bianzhi.core.backup import Database, table_checksums
from tests.conftest import USES_POSTGRES
from tests.core.test_cli import assert_clean_failure, run

# one pytest-xdist worker runs the module, so the demo county and the archive are made once, not once per worker
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("backup")]
VENDOR = "postgresql" if USES_POSTGRES else "sqlite"


@pytest.fixture(scope="module")
def new_database(request, tmp_path_factory):
    """Makes a new empty database and gives its DATABASE_URL."""
    if not USES_POSTGRES:
        folder = tmp_path_factory.mktemp("databases")
        return lambda: f"sqlite:///{folder / uuid.uuid4().hex}.sqlite3"
    import psycopg

    proc = request.getfixturevalue("postgresql_proc")
    password = proc.password or ""

    def create() -> str:
        name = f"bianzhi_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(
            host=proc.host, port=proc.port, user=proc.user, password=password, dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return f"postgres://{proc.user}:{password}@{proc.host}:{proc.port}/{name}"

    return create


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """One BIANZHI_HOME for every command: the same keys on both sides, as when they are restored first."""
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="module")
def source(home, new_database):
    """A demo county (30 units with their roster) and one uploaded file."""
    url = new_database()
    built = run("demo", "--no-serve", "--units", "30", home=home, DATABASE_URL=url)
    assert built.returncode == 0, built.stderr
    imports = home / "var" / "imports"
    imports.mkdir(parents=True, exist_ok=True)
    (imports / "a").write_bytes(b"uploaded roster bytes")
    return url


@pytest.fixture(scope="module")
def archive(home, source):
    path = home / "bianzhi-backup.tar.gz"
    done = run("backup", str(path), home=home, DATABASE_URL=source)
    assert done.returncode == 0, done.stderr
    assert "备份不含密钥" in done.stdout and "audit_key" in done.stdout
    return path


def checksums(url: str) -> dict:
    import dj_database_url

    database = Database("sqlite" if url.startswith("sqlite") else "postgresql", dj_database_url.parse(url))
    if database.vendor == "sqlite" and not database.path.exists():
        return {}
    with database.connect() as connection:
        return table_checksums(connection, database.vendor)


def test_a_round_trip_keeps_every_table_and_passes_check_and_audit_verify(home, source, archive, new_database):
    target = new_database()
    restored = run("restore", str(archive), home=home, DATABASE_URL=target)
    assert restored.returncode == 0, restored.stderr
    assert "逐表核对一致" in restored.stdout
    before, after = checksums(source), checksums(target)
    assert after == before
    assert after["audit_auditevent"]["rows"] > 100 and after["roster_person"]["rows"] > 100
    checked = run("check", home=home, DATABASE_URL=target)
    assert checked.returncode == 0, checked.stderr
    assert "数据检查通过" in checked.stdout
    verified = run("audit", "verify", home=home, DATABASE_URL=target)
    assert verified.returncode == 0, verified.stderr
    assert f"共 {after['audit_auditevent']['rows']} 条事件" in verified.stdout


def test_the_archive_holds_the_database_and_the_files_but_no_key(home, archive):
    with tarfile.open(archive) as opened:
        names = opened.getnames()
        manifest = json.loads(opened.extractfile("manifest.json").read())
        contents = b"".join(opened.extractfile(m).read() for m in opened.getmembers() if m.isfile())
    assert names[0] == "manifest.json" and "files/imports/a" in names
    assert manifest["vendor"] == VENDOR and manifest["keys_included"] is False
    assert ["audit", "0001_initial"] in manifest["migrations"]
    assert not {"secret_key", "audit_key", "personal_data_key", "api_token_key"} & {Path(n).name for n in names}
    for key in ("secret_key", "audit_key", "personal_data_key"):
        assert (home / "var" / key).read_bytes().strip() not in contents


def test_the_files_come_back_under_var(home, archive, new_database):
    (home / "var" / "imports" / "a").unlink()
    restored = run("restore", str(archive), home=home, DATABASE_URL=new_database())
    assert restored.returncode == 0, restored.stderr
    assert (home / "var" / "imports" / "a").read_bytes() == b"uploaded roster bytes"


def test_restore_into_a_database_with_data_is_refused_and_changes_nothing(home, source, archive):
    before = checksums(source)
    refused = run("restore", str(archive), home=home, DATABASE_URL=source)
    assert_clean_failure(refused, "backup.target_not_empty")
    assert "只能恢复到空数据库" in refused.stderr and "新建一个空数据库" in refused.stderr
    assert checksums(source) == before


def test_restore_into_a_freshly_migrated_database_is_allowed(home, archive, new_database):
    target = new_database()
    assert run("migrate", home=home, DATABASE_URL=target).returncode == 0
    restored = run("restore", str(archive), home=home, DATABASE_URL=target)
    assert restored.returncode == 0, restored.stderr


def _rewrite(archive: Path, destination: Path, change) -> Path:
    with tarfile.open(archive) as source, tarfile.open(destination, "w:gz") as copy:
        for member in source.getmembers():
            data = change(member.name, source.extractfile(member).read())
            if data is None:
                continue
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    return destination


def _written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _flip_a_byte(name: str, data: bytes) -> bytes:
    if name.startswith("database."):
        middle = len(data) // 2
        return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]
    return data


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda archive, path: _written(path, b"not an archive at all"), "backup.not_an_archive"),
        (lambda archive, path: _written(path, archive.read_bytes()[:5000]), "backup.not_an_archive"),
        (
            lambda archive, path: _rewrite(archive, path, lambda n, d: None if n == "manifest.json" else d),
            "backup.not_an_archive",
        ),
        (lambda archive, path: _rewrite(archive, path, _flip_a_byte), "backup.corrupt"),
        (
            lambda archive, path: _rewrite(archive, path, lambda n, d: b"changed" if n.startswith("files/") else d),
            "backup.corrupt",
        ),
    ],
    ids=["garbage", "truncated", "foreign-tar", "database-changed", "file-changed"],
)
def test_a_corrupted_or_foreign_archive_is_refused_and_changes_nothing(
    home, archive, new_database, tmp_path, make, code
):
    target = new_database()
    stored = home / "var" / "imports" / "a"
    bad = make(archive, tmp_path / "bad.tar.gz")
    refused = run("restore", str(bad), home=home, DATABASE_URL=target)
    assert_clean_failure(refused, code)
    assert "未作任何改动" in refused.stderr
    assert checksums(target) == {}
    assert stored.read_bytes() == b"uploaded roster bytes"


def test_a_backup_of_the_other_database_kind_is_refused(home, archive, tmp_path):
    other = "postgres://u:p@127.0.0.1:9/none" if VENDOR == "sqlite" else f"sqlite:///{tmp_path / 'x.sqlite3'}"
    refused = run("restore", str(archive), home=home, DATABASE_URL=other)
    assert_clean_failure(refused, "backup.vendor_mismatch")


def test_backup_never_overwrites_a_file(home, source, archive):
    size = os.path.getsize(archive)
    refused = run("backup", str(archive), home=home, DATABASE_URL=source)
    assert_clean_failure(refused, "backup.exists")
    assert os.path.getsize(archive) == size


def test_a_scheduled_backup_is_named_by_time_and_keeps_the_newest_n(home, source, tmp_path):
    into = tmp_path / "backups"
    into.mkdir()
    older, old = into / "bianzhi-20250101-023000.tar.gz", into / "bianzhi-20250102-023000.tar.gz"
    mine = into / "bianzhi-手工备份.tar.gz"  # not named as the schedule names them: never removed
    for path in (older, old, mine):
        path.write_bytes(b"earlier")
    done = run("backup", "--into", str(into), "--keep", "2", home=home, DATABASE_URL=source)
    assert done.returncode == 0, done.stderr
    [made] = [p for p in into.glob("bianzhi-2*.tar.gz") if p not in (older, old)]
    assert f"已备份到 {made}" in done.stdout and f"已删除较早的定时备份 {older}" in done.stdout
    assert not older.exists() and old.exists() and mine.exists()
    with tarfile.open(made) as archive:
        assert "manifest.json" in archive.getnames()


@pytest.mark.parametrize(
    "arguments",
    [(), ("{d}/a.tar.gz", "--into", "{d}/b"), ("{d}/a.tar.gz", "--keep", "3"), ("--into", "{d}/b", "--keep", "0")],
    ids=["nothing", "file-and-into", "keep-without-into", "keep-zero"],
)
def test_a_backup_needs_one_target(home, source, tmp_path, arguments):
    refused = run("backup", *(a.format(d=tmp_path) for a in arguments), home=home, DATABASE_URL=source)
    assert_clean_failure(refused, "backup.target")
    assert list(tmp_path.iterdir()) == []
