"""Backup archives: a consistent copy of the database plus the stored files, never the keys.

An archive is a gzip'd tar holding ``manifest.json``, the database (``database.sqlite3``, a copy made with SQLite's
online backup, or ``database.dump``, ``pg_dump --format=custom``) and ``files/…`` (the uploads under ``var/``).
The manifest records every table's row count and checksum as of the copied snapshot; ``restore`` compares them with
the restored database. Table checksums use plain DB-API connections on both sides, so both read the same values.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from bianzhi.core.errors import BackupError, BianzhiError, CliError
from bianzhi.core.paths import var_dir

FORMAT = "bianzhi-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
FILES_PREFIX = "files/"
# Directories under var/ holding files the database refers to (uploads staged for import, their error reports;
# attachments and documents' scans, core.files).
STORED_FILE_DIRS = ("imports", "files")
# Secrets kept apart from every backup: (environment variable, file under var/).
KEYS = (
    ("BIANZHI_SECRET_KEY", "secret_key"),
    ("BIANZHI_AUDIT_KEY", "audit_key"),
    ("BIANZHI_PERSONAL_DATA_KEY", "personal_data_key"),
    ("BIANZHI_API_TOKEN_KEY", "api_token_key"),
)
# Tables `bianzhi migrate` fills by itself: their rows do not make a database non-empty.
FILLED_BY_MIGRATE = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "quotas_quotatype",
    "audit_auditchainhead",  # the lanes, empty; a used lane comes with audit events
    "core_calendaryear",  # the working-day calendar's shipped years (core.workdays)
    "core_calendarday",
    "matters_bodyrule",  # the shipped table of which body decides a matter (matters.rules)
}
_FETCH = 2000
_UNREADABLE = (tarfile.TarError, OSError, EOFError, zlib.error)  # a truncated or damaged archive


# ---------------------------------------------------------------- table checksums


def _canonical(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, memoryview | bytes | bytearray):
        return "x" + bytes(value).hex()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float | Decimal | int | bool | str):
        return str(value)
    return repr(value)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(connection, vendor: str) -> list[str]:
    with closing(connection.cursor()) as cursor:
        if vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        else:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        return sorted(row[0] for row in cursor.fetchall())


def _order_columns(connection, vendor: str, table: str) -> list[str]:
    """The primary key's columns, else every column: rows are read in one deterministic order."""
    with closing(connection.cursor()) as cursor:
        if vendor == "sqlite":
            cursor.execute(f"PRAGMA table_info({_quote(table)})")
            columns = cursor.fetchall()
            key = [name for _cid, name, _type, _nn, _default, pk in sorted(columns, key=lambda c: c[5]) if pk]
            return key or [c[1] for c in columns]
        cursor.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY a.attnum",
            [_quote(table)],
        )
        key = [row[0] for row in cursor.fetchall()]
        if key:
            return key
        cursor.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped "
            "ORDER BY attnum",
            [_quote(table)],
        )
        return [row[0] for row in cursor.fetchall()]


def table_checksum(connection, vendor: str, table: str) -> tuple[int, str]:
    """(rows, sha256) of ``table``'s rows ordered by primary key, read in batches (a server-side cursor on
    PostgreSQL), never all at once."""
    order = ", ".join(_quote(c) for c in _order_columns(connection, vendor, table))
    query = f"SELECT * FROM {_quote(table)} ORDER BY {order}"
    digest, rows = hashlib.sha256(), 0
    cursor = connection.cursor() if vendor == "sqlite" else connection.cursor(name=f"bianzhi_checksum_{rows}")
    with closing(cursor):
        cursor.execute(query)
        while batch := cursor.fetchmany(_FETCH):
            for row in batch:
                digest.update("\x1f".join(_canonical(v) for v in row).encode())
                digest.update(b"\x1e")
            rows += len(batch)
    return rows, digest.hexdigest()


def table_checksums(connection, vendor: str) -> dict[str, dict[str, Any]]:
    return {
        table: dict(zip(("rows", "sha256"), table_checksum(connection, vendor, table), strict=True))
        for table in _tables(connection, vendor)
    }


# ---------------------------------------------------------------- connections


@dataclass(frozen=True)
class Database:
    """Where the configured database is: a SQLite file, or PostgreSQL connection parameters."""

    vendor: str
    settings: dict[str, Any]

    @classmethod
    def configured(cls) -> Database:
        from django.conf import settings

        config = settings.DATABASES["default"]
        vendor = "sqlite" if config["ENGINE"].endswith("sqlite3") else "postgresql"
        return cls(vendor, config)

    @property
    def path(self) -> Path:
        return Path(self.settings["NAME"])

    @property
    def where(self) -> str:
        if self.vendor == "sqlite":
            return str(self.path)
        return f"{self.settings.get('HOST') or 'localhost'}:{self.settings.get('PORT') or 5432}/{self.settings['NAME']}"

    def pg_args(self) -> list[str]:
        args = ["--dbname", self.settings["NAME"]]
        for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if self.settings.get(key):
                args += [option, str(self.settings[key])]
        return args

    def pg_env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.settings.get("PASSWORD"):
            env["PGPASSWORD"] = str(self.settings["PASSWORD"])
        return env

    @contextmanager
    def connect(self) -> Iterator[Any]:
        if self.vendor == "sqlite":
            with closing(sqlite3.connect(self.path)) as connection:
                yield connection
            return
        import psycopg

        params = {"dbname": self.settings["NAME"]}
        for name, key in (("host", "HOST"), ("port", "PORT"), ("user", "USER"), ("password", "PASSWORD")):
            if self.settings.get(key):
                params[name] = str(self.settings[key])
        try:
            connection = psycopg.connect(**params, options="-c TimeZone=UTC")
        except psycopg.Error as exc:
            raise BianzhiError(CliError.DATABASE_UNREACHABLE, where=self.where, reason=_first_line(exc)) from exc
        with connection:
            yield connection


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def pg_binary(name: str) -> str:
    """pg_dump / pg_restore of the newest PostgreSQL installed (Debian keeps them off PATH), else PATH's."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(Path(p).parts[4] or 0))
    path = found[-1] if found else shutil.which(name)
    if not path:
        raise BianzhiError(BackupError.TOOL_MISSING, tool=name)
    return path


def _run(command: list[str], database: Database, tool: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, env=database.pg_env(), check=False)
    if result.returncode != 0:
        raise BianzhiError(BackupError.TOOL_FAILED, tool=tool, reason=_first_line(Exception(result.stderr)))


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def keys_outside() -> list[str]:
    """Where each key lives, for the message that the archive does not hold them."""
    return [
        f"{env}（环境变量）" if os.environ.get(env) else f"{var_dir() / file}（或环境变量 {env}）" for env, file in KEYS
    ]


# ---------------------------------------------------------------- backup


def _migrations(connection) -> list[list[str]]:
    with closing(connection.cursor()) as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [list(row) for row in cursor.fetchall()]


def _snapshot_sqlite(database: Database, work: Path) -> tuple[Path, dict[str, Any], list[list[str]]]:
    copy = work / "database.sqlite3"
    with closing(sqlite3.connect(database.path)) as source, closing(sqlite3.connect(copy)) as target:
        source.backup(target)  # the online backup API: a consistent copy while the server writes
    with closing(sqlite3.connect(copy)) as connection:
        connection.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        return copy, table_checksums(connection, "sqlite"), _migrations(connection)


def _snapshot_postgresql(database: Database, work: Path) -> tuple[Path, dict[str, Any], list[list[str]]]:
    """pg_dump and the checksums read one snapshot: exported by a repeatable-read transaction, kept open till both
    are done."""
    dump = work / "database.dump"
    with database.connect() as connection, connection.transaction():
        with closing(connection.cursor()) as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        command = [pg_binary("pg_dump"), "--format=custom", f"--snapshot={snapshot}", "--file", str(dump)]
        _run([*command, *database.pg_args()], database, "pg_dump")
        return dump, table_checksums(connection, "postgresql"), _migrations(connection)


def _stored_files() -> Iterator[tuple[Path, str]]:
    root = var_dir()
    for name in STORED_FILE_DIRS:
        for path in sorted((root / name).rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield path, path.relative_to(root).as_posix()


DATED = re.compile(r"bianzhi-\d{8}-\d{6}\.tar\.gz")


def backup_into(directory: Path, *, keep: int | None = None) -> tuple[Path, dict[str, Any], list[Path]]:
    """A scheduled backup: an archive named by the time (``bianzhi-20261204-023000.tar.gz``) in ``directory``
    (created, mode 0700, if missing), then, with ``keep``, the oldest archives so named beyond the newest ``keep``
    removed — never another file. Returns the archive, its manifest and what was removed."""
    if keep is not None and keep < 1:
        raise BianzhiError(BackupError.TARGET)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = directory / f"bianzhi-{dt.datetime.now():%Y%m%d-%H%M%S}.tar.gz"
    manifest = backup(target)
    removed: list[Path] = []
    if keep is not None:
        dated = sorted(path for path in directory.iterdir() if DATED.fullmatch(path.name) and path.is_file())
        for old in dated[:-keep]:
            old.unlink()
            removed.append(old)
    return target.resolve(), manifest, removed


def backup(destination: Path) -> dict[str, Any]:
    """Writes the archive to ``destination`` (refused if it exists) and returns its manifest."""
    destination = destination.resolve()
    if destination.exists():
        raise BianzhiError(BackupError.EXISTS, path=destination)
    if not destination.parent.is_dir():
        raise BianzhiError(BackupError.NO_DIRECTORY, path=destination.parent)
    database = Database.configured()
    with tempfile.TemporaryDirectory(prefix="bianzhi-backup-", dir=destination.parent) as work:
        snapshot = _snapshot_sqlite if database.vendor == "sqlite" else _snapshot_postgresql
        dump, tables, migrations = snapshot(database, Path(work))
        files = [(path, name) for path, name in _stored_files()]
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "vendor": database.vendor,
            "database_file": dump.name,
            "database_sha256": _sha256_file(dump),
            "migrations": migrations,
            "tables": tables,
            "files": {name: {"size": path.stat().st_size, "sha256": _sha256_file(path)} for path, name in files},
            "keys_included": False,
        }
        partial = Path(work) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(dt.datetime.now().timestamp()), 0o600
            archive.addfile(info, _bytes_reader(data))
            archive.add(dump, arcname=dump.name)
            for path, name in files:
                archive.add(path, arcname=FILES_PREFIX + name)
        partial.chmod(0o600)
        os.replace(partial, destination)
    return manifest


def _bytes_reader(data: bytes):
    import io

    return io.BytesIO(data)


# ---------------------------------------------------------------- restore


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.getmember(MANIFEST)
        manifest = json.loads(archive.extractfile(member).read())
    except (KeyError, AttributeError, ValueError, *_UNREADABLE) as exc:
        raise BianzhiError(BackupError.NOT_AN_ARCHIVE, path=archive.name) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BianzhiError(BackupError.NOT_AN_ARCHIVE, path=archive.name)
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BianzhiError(BackupError.VERSION, version=manifest.get("format_version"), supported=FORMAT_VERSION)
    return manifest


def _rows_outside_migrate(connection, vendor: str) -> list[str]:
    """Tables holding rows that `bianzhi migrate` would not have put there."""
    found = []
    for table in _tables(connection, vendor):
        if table in FILLED_BY_MIGRATE:
            continue
        with closing(connection.cursor()) as cursor:
            cursor.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1")
            if cursor.fetchone():
                found.append(table)
    return found


def _refuse_unless_empty(database: Database) -> None:
    if database.vendor == "sqlite" and not database.path.exists():
        return
    with database.connect() as connection:
        tables = _rows_outside_migrate(connection, database.vendor)
    if tables:
        raise BianzhiError(BackupError.NOT_EMPTY, where=database.where, tables="、".join(tables[:5]), count=len(tables))


def _extract(archive: tarfile.TarFile, member: tarfile.TarInfo, target: Path) -> None:
    source = archive.extractfile(member)
    if source is None:
        raise BianzhiError(BackupError.CORRUPT, path=archive.name, what=member.name)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        shutil.copyfileobj(source, handle, 1 << 20)


def _file_members(archive: tarfile.TarFile, manifest: dict[str, Any]) -> list[tuple[tarfile.TarInfo, str]]:
    members = []
    for name in manifest.get("files", {}):
        parts = Path(name).parts
        if Path(name).is_absolute() or ".." in parts or not parts or parts[0] not in STORED_FILE_DIRS:
            raise BianzhiError(BackupError.CORRUPT, path=archive.name, what=name)
        try:
            member = archive.getmember(FILES_PREFIX + name)
        except KeyError as exc:
            raise BianzhiError(BackupError.CORRUPT, path=archive.name, what=name) from exc
        if not member.isfile():
            raise BianzhiError(BackupError.CORRUPT, path=archive.name, what=name)
        members.append((member, name))
    return members


def restore(source: Path) -> dict[str, Any]:
    """Restores the archive into the configured database, which must be empty, then the stored files; verifies
    every table's checksum against the manifest. Returns the manifest."""
    source = source.resolve()
    if not source.is_file():
        raise BianzhiError(BackupError.MISSING, path=source)
    database = Database.configured()
    try:
        archive = tarfile.open(source, "r:gz")  # noqa: SIM115 — closed by the `with` below, past the refusal
    except _UNREADABLE as exc:
        raise BianzhiError(BackupError.NOT_AN_ARCHIVE, path=source) from exc
    with archive, tempfile.TemporaryDirectory(prefix="bianzhi-restore-") as work:
        manifest = _read_manifest(archive)
        if manifest.get("vendor") != database.vendor:
            raise BianzhiError(BackupError.VENDOR, archive=manifest.get("vendor"), database=database.vendor)
        _refuse_unless_empty(database)
        files = _unpack_files(archive, _file_members(archive, manifest), manifest, Path(work) / "files")
        dump = Path(work) / "database"
        try:
            _extract(archive, archive.getmember(str(manifest.get("database_file"))), dump)
        except (KeyError, *_UNREADABLE) as exc:
            raise BianzhiError(BackupError.CORRUPT, path=source, what="database") from exc
        if _sha256_file(dump) != manifest.get("database_sha256"):
            raise BianzhiError(BackupError.CORRUPT, path=source, what=manifest.get("database_file"))
        if database.vendor == "sqlite":
            database.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(dump)) as copy, closing(sqlite3.connect(database.path)) as target:
                copy.backup(target)
        else:
            command = [pg_binary("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges"]
            command += ["--single-transaction", "--exit-on-error", *database.pg_args(), str(dump)]
            _run(command, database, "pg_restore")
        for unpacked, name in files:
            target = var_dir() / name
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            shutil.move(unpacked, target)
    with database.connect() as connection:
        restored = table_checksums(connection, database.vendor)
    expected = manifest["tables"]
    differing = sorted(t for t in set(restored) | set(expected) if restored.get(t) != expected.get(t))
    if differing:
        raise BianzhiError(BackupError.VERIFY_FAILED, tables="、".join(differing[:5]), count=len(differing))
    return manifest


def _unpack_files(
    archive: tarfile.TarFile, members: list[tuple[tarfile.TarInfo, str]], manifest: dict, work: Path
) -> list[tuple[Path, str]]:
    """The stored files unpacked and checked beside the database, before anything is written in place."""
    unpacked = []
    for index, (member, name) in enumerate(members):
        work.mkdir(exist_ok=True)
        target = work / str(index)
        try:
            _extract(archive, member, target)
        except _UNREADABLE as exc:
            raise BianzhiError(BackupError.CORRUPT, path=archive.name, what=name) from exc
        if _sha256_file(target) != manifest["files"][name]["sha256"]:
            raise BianzhiError(BackupError.CORRUPT, path=archive.name, what=name)
        unpacked.append((target, name))
    return unpacked
