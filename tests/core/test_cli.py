"""The ``bianzhi`` command as a user runs it: a real process, its output and its exit code."""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path

import pytest

from tests.processes import free_port

pytestmark = pytest.mark.no_database  # the commands run on their own SQLite file
BIANZHI = shutil.which("bianzhi", path=str(Path(__import__("sys").executable).parent))


def run(*args, home: Path, stdin: str | None = None, **env):
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    environment.update(BIANZHI_HOME=str(home), **env)
    return subprocess.run(
        [BIANZHI, *args], input=stdin, capture_output=True, text=True, cwd=home, env=environment, timeout=120
    )


def assert_clean_failure(result, code: str, status: int = 1):
    assert result.returncode == status, result
    assert f"[{code}]" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_validate_prints_one_json_object_per_value(tmp_path):
    result = run("validate", "id", "11010519491231002X", "110105491231002", home=tmp_path)
    assert result.returncode == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["normalized"] for r in rows] == ["11010519491231002X", "11010519491231002X"]
    assert set(rows[0]) == {"input", "kind", "valid", "normalized", "errors", "warnings", "details"}
    assert rows[0]["details"]["gender"] == "female"


def test_validate_reads_stdin_and_exits_1_on_any_invalid_value(tmp_path):
    result = run("validate", "uscc", home=tmp_path, stdin="12330122470001235B\n91350100M000100Y44\n")
    assert result.returncode == 1
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["valid"] for r in rows] == [True, False]
    assert rows[1]["errors"][0]["code"] == "uscc.check_character"
    assert "校验码错误" in rows[1]["errors"][0]["message"]


def test_validate_refuses_a_number_outside_every_province(tmp_path):
    result = run("validate", "id", "000000199001010018", "610999199001010012", home=tmp_path)
    assert result.returncode == 1
    bad, demo = (json.loads(line) for line in result.stdout.splitlines())
    assert (bad["valid"], bad["warnings"]) == (False, [])
    assert bad["errors"] == [
        {
            "code": "id.unknown_province",
            "message": "地址码 000000 的前两位 00 不是省级行政区划代码（GB/T 2260），请核对号码。",
        }
    ]
    assert demo["valid"] and demo["details"]["province"] == "陕西省"  # the demo county's made-up 610999


def test_unknown_command_is_explained_in_chinese(tmp_path):
    result = run("frobnicate", home=tmp_path)
    assert_clean_failure(result, "cli.unknown_command", status=2)
    assert "未知命令：frobnicate" in result.stderr


def test_unknown_option_is_explained_in_chinese(tmp_path):
    result = run("validate", "id", "--frobnicate", home=tmp_path)
    assert_clean_failure(result, "cli.bad_arguments", status=2)
    assert "无法识别的参数" in result.stderr


def test_bad_kind_is_explained_in_chinese(tmp_path):
    result = run("validate", "passport", "x", home=tmp_path)
    assert_clean_failure(result, "cli.bad_arguments", status=2)
    assert "无效" in result.stderr


def test_wrong_database_url_is_explained(tmp_path):
    result = run("check", home=tmp_path, DATABASE_URL="mysql://somewhere/db")
    assert_clean_failure(result, "config.bad_database_url")


def test_unreachable_postgres_is_explained(tmp_path):
    result = run("check", home=tmp_path, DATABASE_URL="postgres://u:p@127.0.0.1:9/none")
    assert_clean_failure(result, "db.unreachable")


def test_missing_database_is_explained_and_not_created(tmp_path):
    result = run("audit", "verify", home=tmp_path)
    assert_clean_failure(result, "db.missing")
    assert not (tmp_path / "var" / "bianzhi.sqlite3").exists()


def test_help_lists_the_commands_in_chinese(tmp_path):
    result = run("help", home=tmp_path)
    assert result.returncode == 0 and "audit verify" in result.stdout and "校验审计链" in result.stdout


def test_a_command_s_help_needs_no_database(tmp_path):
    result = run("import", "roster", "--help", home=tmp_path)
    assert result.returncode == 0 and "--dry-run" in result.stdout, result
    assert not (tmp_path / "var" / "bianzhi.sqlite3").exists()


@pytest.mark.slow
def test_demo_then_check_then_audit_verify(tmp_path):
    # 30 units once ran out after 锦绣县民政局 and before its 社会救助股: KeyError: '锦绣县民政局社会救助股'
    built = run("demo", "--no-serve", "--units", "30", home=tmp_path)
    assert built.returncode == 0, built.stderr
    assert "已生成演示县「锦绣县」：30 个机构" in built.stdout
    assert "bianban" in built.stdout and "Demo@2026" in built.stdout
    assert (tmp_path / "var" / "demo.sqlite3").exists()
    # the build says what it is doing, stage by stage, with counts
    for stage in (
        "机构：已设立 30 个",
        "编制变动历史：已写入",
        "实名制：2019-03-01 在岗的",
        "实名制历史：2019 年已写入",
    ):
        assert stage in built.stdout, built.stdout
    checked = run("check", home=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "数据检查通过" in checked.stdout
    verified = run("audit", "verify", home=tmp_path)
    assert verified.returncode == 0 and "审计链完整" in verified.stdout
    again = run("demo", "--no-serve", home=tmp_path)
    assert again.returncode == 0 and "演示数据已存在" in again.stdout


def test_a_demo_without_units_is_refused_in_chinese(tmp_path):
    result = run("demo", "--no-serve", "--units", "0", home=tmp_path)
    assert_clean_failure(result, "demo.too_few_units")
    assert "演示县至少要有 1 个机构" in result.stderr


def test_fresh_install_migrates_then_migrates_again_and_checks(tmp_path):
    assert run("migrate", home=tmp_path).returncode == 0
    for command in (["migrate"], ["check"]):
        result = run(*command, home=tmp_path)
        assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_adduser_bootstraps_the_first_security_admin(migrated_home):
    tmp_path = migrated_home
    result = run("adduser", "anquan", "--role", "security_admin", home=tmp_path, BIANZHI_NEW_PASSWORD="First#Pass1")
    assert result.returncode == 0, result.stderr
    assert "安全管理员" in result.stdout
    weak = run("adduser", "other", "--role", "security_admin", home=tmp_path, BIANZHI_NEW_PASSWORD="weak")
    assert_clean_failure(weak, "accounts.weak_password")
    clash = run(
        "adduser",
        "x",
        "--role",
        "audit_admin",
        "--role",
        "system_admin",
        home=tmp_path,
        BIANZHI_NEW_PASSWORD="First#Pass1",
    )
    assert_clean_failure(clash, "accounts.admin_roles_exclusive")
    verified = run("audit", "verify", home=tmp_path)
    assert verified.returncode == 0


@pytest.mark.slow
def test_the_demo_server_runs_the_task_worker_and_stops_it_with_itself(tmp_path):
    """``make demo`` serves the demo with a worker beside it: imports started there are taken up."""
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    demo = subprocess.Popen(
        [BIANZHI, "demo", "--units", "5", "--bind", f"127.0.0.1:{free_port()}"],
        cwd=tmp_path,
        env={**environment, "BIANZHI_HOME": str(tmp_path)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    database = tmp_path / "var" / "demo.sqlite3"

    def workers() -> list[int]:
        if not database.exists():
            return []
        with closing(sqlite3.connect(database, timeout=20)) as db:
            try:
                return [pid for (pid,) in db.execute("select pid from core_workerheartbeat")]
            except sqlite3.OperationalError:  # not migrated yet
                return []

    try:
        deadline = time.monotonic() + 120
        while not workers() and time.monotonic() < deadline and demo.poll() is None:
            time.sleep(0.2)
        (pid,) = workers()
    finally:
        demo.send_signal(signal.SIGINT)  # Ctrl-C
        output, _ = demo.communicate(timeout=90)
    assert "后台任务进程" in output and "随之运行" in output, output
    assert "Traceback" not in output, output
    assert workers() == []  # stopped with the server, cleanly
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


@pytest.mark.slow
def test_calendar_prints_bare_results_and_imports_a_notice_all_or_nothing(migrated_home):
    tmp_path = migrated_home
    added = run("calendar", "add", "2026-09-30", "3", home=tmp_path)
    assert (added.returncode, added.stdout, added.stderr) == (0, "2026-10-10\n", "")
    back = run("calendar", "between", "2026-09-30", "2026-10-10", home=tmp_path)
    assert (back.returncode, back.stdout) == (0, "3\n")
    estimated = run("calendar", "add", "2027/12/30", "2", home=tmp_path)
    assert estimated.stdout == "2028-01-03\n"
    assert "2027、2028 年的节假日安排尚未载入，按周一至周五推算" in estimated.stderr

    notice = tmp_path / "2027.csv"
    notice.write_text("日期,类型\n2027-01-01,休\n2027-01-04,班\n", encoding="utf-8")
    refused = run("calendar", "import", str(notice), home=tmp_path)
    assert refused.returncode == 1 and "第 3 行 类型：2027-01-04 是星期一" in refused.stderr
    assert "未导入任何内容" in refused.stderr and "Traceback" not in refused.stderr
    notice.write_text("日期,类型,名称\n2027-01-01,休,元旦\n2027-02-06,班,春节调休上班\n", encoding="utf-8")
    loaded = run("calendar", "import", str(notice), "--basis", "2027年通知", home=tmp_path)
    assert loaded.returncode == 0 and "已导入 2027 年的节假日安排，共 2 天" in loaded.stdout
    assert run("calendar", "between", "2027-02-05", "2027-02-06", home=tmp_path).stdout == "1\n"
    assert_clean_failure(run("calendar", "add", "2026-13-01", "三", home=tmp_path), "cli.bad_arguments", status=2)
