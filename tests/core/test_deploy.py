"""The files in deploy/ a 系统管理员 copies to the server: systemd units that run real ``bianzhi`` commands with
options that exist and pass ``systemd-analyze verify``, a nightly check that fails its unit when either check
fails, an environment file naming only variables Bianzhi reads, and an nginx site that redirects http, passes the
proxy headers and serves the collected static files."""

from __future__ import annotations

import configparser
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands, load_command_class

from bianzhi.core.paths import var_dir
from tests.processes import BIANZHI

pytestmark = pytest.mark.no_database

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SOURCE = ROOT / "src" / "bianzhi"
INSTALLED = "/srv/bianzhi/.venv/bin/bianzhi"
ENV_FILE = "/etc/bianzhi/bianzhi.env"
SERVICES = [
    "bianzhi-web.service",
    "bianzhi-worker.service",
    "bianzhi-daily.service",
    "bianzhi-check.service",
    "bianzhi-backup.service",
]


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(DEPLOY / "systemd" / name, encoding="utf-8")
    return parser


def commands_run_by(name: str) -> list[list[str]]:
    """The command lines of a unit's ExecStart: the program itself, or each one a ``/bin/sh -c`` script runs."""
    program, *arguments = shlex.split(unit(name)["Service"]["ExecStart"].replace("$$", "$"))
    if program != "/bin/sh":
        return [[program, *arguments]]
    assert arguments[0] == "-c" and len(arguments) == 2
    steps = [shlex.split(step) for step in re.split(r";|&&", arguments[1])]
    return [step for step in steps if not re.fullmatch(r"\w+=\$\?|test", step[0].split()[0])]


def variables_read_by_bianzhi() -> set[str]:
    text = "\n".join(path.read_text(encoding="utf-8") for path in SOURCE.rglob("*.py"))
    readers = r"""(?:environ\.get\(|environ\[|env_flag\(|secret_from_env_or_file\()"""
    return set(re.findall(readers + r"""\s*["']([A-Z_]+)["']""", text))


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_runs_a_bianzhi_command_that_exists_with_options_it_takes(name):
    service = unit(name)["Service"]
    for program, command, *arguments in commands_run_by(name):
        assert program == INSTALLED
        assert command in get_commands(), f"{name}: bianzhi {command} does not exist"
        parser = load_command_class(get_commands()[command], command).create_parser("bianzhi", command)
        parser.parse_args(arguments)  # an option the command does not take fails here
    assert service["User"] == "bianzhi" and service["EnvironmentFile"] == ENV_FILE
    assert service["NoNewPrivileges"] == "true" and service["ProtectSystem"] == "strict"
    assert service["ReadWritePaths"] == "/srv/bianzhi/var"  # var/ of BIANZHI_HOME=/srv/bianzhi


def test_the_web_server_and_the_worker_come_back_after_a_failure_and_the_daily_job_runs_once():
    assert unit("bianzhi-web.service")["Service"]["Restart"] == "on-failure"
    assert unit("bianzhi-worker.service")["Service"]["Restart"] == "always"
    assert unit("bianzhi-daily.service")["Service"]["Type"] == "oneshot"
    timer = unit("bianzhi-daily.timer")["Timer"]
    assert timer["OnCalendar"] == "*-*-* 02:30:00" and timer["Persistent"] == "true"
    assert timer["Unit"] == "bianzhi-daily.service"


def test_the_nightly_check_runs_both_checks_after_the_daily_jobs_and_fails_its_unit_when_either_fails():
    assert [command[1:] for command in commands_run_by("bianzhi-check.service")] == [["check"], ["audit", "verify"]]
    service = unit("bianzhi-check.service")
    assert service["Service"]["Type"] == "oneshot" and "Install" not in service  # the timer starts it
    assert "bianzhi-daily.service" in service["Unit"]["After"].split()
    timer = unit("bianzhi-check.timer")["Timer"]
    assert timer["OnCalendar"] == "*-*-* 03:30:00" and timer["Persistent"] == "true"  # after the daily jobs
    assert timer["Unit"] == "bianzhi-check.service"


def test_the_nightly_backup_runs_first_into_var_and_keeps_two_weeks():
    [command] = commands_run_by("bianzhi-backup.service")
    assert command[1:] == ["backup", "--into", "/srv/bianzhi/var/backups", "--keep", "14"]
    assert unit("bianzhi-backup.service")["Service"]["Type"] == "oneshot"
    timer = unit("bianzhi-backup.timer")["Timer"]
    assert timer["OnCalendar"] == "*-*-* 01:30:00" and timer["Persistent"] == "true"  # before the daily jobs
    assert timer["Unit"] == "bianzhi-backup.service"


def run_in(home: Path, *command: str) -> subprocess.CompletedProcess:
    """``command`` on the SQLite database of ``home``, as the units run: BIANZHI_HOME set, the working directory."""
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    return subprocess.run(
        command, capture_output=True, text=True, cwd=home, env={**environment, "BIANZHI_HOME": str(home)}, timeout=300
    )


def nightly_check(home: Path) -> subprocess.CompletedProcess:
    """The check unit's ExecStart as systemd runs it (``$$`` is a ``$``), with this checkout's ``bianzhi``."""
    program, option, script = shlex.split(unit("bianzhi-check.service")["Service"]["ExecStart"].replace("$$", "$"))
    return run_in(home, program, option, script.replace(INSTALLED, BIANZHI))


@pytest.mark.slow
def test_the_nightly_check_passes_on_a_clean_database_and_fails_when_one_check_fails_running_both(migrated_home):
    tmp_path = migrated_home
    clean = nightly_check(tmp_path)
    assert clean.returncode == 0, clean.stderr
    assert "数据检查通过" in clean.stdout and "审计链完整" in clean.stdout
    # a program newer than its database (an upgrade without `bianzhi migrate`): check fails, the chain is still walked
    assert run_in(tmp_path, BIANZHI, "migrate", "sessions", "zero", "-v", "0").returncode == 0
    failed = nightly_check(tmp_path)
    assert failed.returncode == 1
    assert "[db.migrations_pending]" in failed.stderr and "审计链完整" in failed.stdout


def test_the_environment_file_names_only_variables_bianzhi_reads():
    text = (DEPLOY / "bianzhi.env.example").read_text(encoding="utf-8")
    named = set(re.findall(r"^#?([A-Z][A-Z_]+)=", text, re.M))
    assert {"DATABASE_URL", "BIANZHI_HOME", "BIANZHI_HTTPS", "BIANZHI_ALLOWED_HOSTS"} <= named
    assert sorted(named - variables_read_by_bianzhi()) == []


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_systemd_analyze_verifies_the_units(tmp_path):
    """The units as installed, with this checkout's ``bianzhi`` in place of /srv/bianzhi's (verify checks that the
    program exists)."""
    (tmp_path / "bianzhi.env").write_text("")
    for path in (DEPLOY / "systemd").iterdir():
        text = path.read_text(encoding="utf-8").replace(INSTALLED, BIANZHI)
        (tmp_path / path.name).write_text(text.replace(ENV_FILE, str(tmp_path / "bianzhi.env")), encoding="utf-8")
    units = sorted(str(path) for path in tmp_path.iterdir() if path.suffix in {".service", ".timer"})
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *units], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr


def nginx_site() -> str:
    return (DEPLOY / "nginx" / "bianzhi.conf").read_text(encoding="utf-8")


def test_nginx_redirects_http_and_passes_the_proxy_headers_to_the_web_server():
    site = nginx_site()
    assert "return 301 https://$host$request_uri;" in site
    assert "listen 443 ssl;" in site
    for header in ("Host $host", "X-Forwarded-Proto $scheme", "X-Forwarded-For $proxy_add_x_forwarded_for"):
        assert f"proxy_set_header {header};" in site
    assert "proxy_set_header X-Forwarded-Host $host;" in site
    assert "client_max_body_size 200m;" in site
    bind = shlex.split(unit("bianzhi-web.service")["Service"]["ExecStart"])
    assert f"server {bind[bind.index('--bind') + 1]};" in site  # the upstream is where the web server listens


def test_nginx_serves_the_static_files_from_where_the_app_collects_them():
    assert settings.STATIC_URL == "/static/" and var_dir() / "static" == settings.STATIC_ROOT
    assert "location /static/ {\n        alias /srv/bianzhi/var/static/;" in nginx_site()  # BIANZHI_HOME=/srv/bianzhi


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed")
def test_nginx_accepts_the_site(tmp_path):
    key, certificate = str(tmp_path / "key.pem"), str(tmp_path / "cert.pem")
    request = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=bianzhi.test"]
    subprocess.run(
        ["openssl", *request, "-keyout", key, "-out", certificate],
        check=True,
        capture_output=True,
    )
    site = nginx_site().replace("/etc/bianzhi/tls/bianzhi.crt", certificate)
    (tmp_path / "site.conf").write_text(site.replace("/etc/bianzhi/tls/bianzhi.key", key))
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  client_body_temp_path {tmp_path};\n  include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
