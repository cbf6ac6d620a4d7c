"""The offline install of an intranet server: ``make wheelhouse`` (on a machine with network) builds one folder with
every locked wheel, the Bianzhi wheel with its static files, hashes and a Chinese README; ``make install
OFFLINE=…`` installs from it inside a network namespace that has no network at all (``unshare -n``), and the
installed ``bianzhi`` runs there on a fresh SQLite home. Also ``bianzhi version``, which an upgrade checks with."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.processes import BIANZHI

# its own SQLite homes, never the database under test; one pytest-xdist worker builds the wheelhouse once
pytestmark = [pytest.mark.no_database, pytest.mark.xdist_group("offline_install")]

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys._base_executable  # the interpreter behind the test run's virtual environment
IN_CI = os.environ.get("CI") == "true"


def clean_environment(**env: str) -> dict[str, str]:
    """As a 系统管理员's shell: no test database, no source tree on the path, no virtual environment."""
    drop = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PYTHONPATH", "VIRTUAL_ENV", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"}
    return {**{k: v for k, v in os.environ.items() if k not in drop}, **env}


def without_network(*command: str | Path) -> list[str]:
    """``command`` in a new network namespace: no interface but a loopback that is down."""
    unshare = ["unshare", "--net"] if os.geteuid() == 0 else ["unshare", "--map-root-user", "--net"]
    return [*unshare, *map(str, command)]


def run(command: list[str], cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, capture_output=True, text=True, cwd=cwd, env=clean_environment(**env), timeout=600, check=False
    )


@pytest.fixture(scope="module")
def no_network_available():
    if shutil.which("unshare") and run(without_network("true")).returncode == 0:
        return
    if IN_CI:
        pytest.fail("CI 环境无法用 unshare 建立没有网络的命名空间，离线安装无法验证")
    pytest.skip("unshare 不可用（需要 root 或用户命名空间）")


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory) -> Path:
    """Built once for the module, as the README says: ``make wheelhouse`` (pip's download cache helps here)."""
    out = tmp_path_factory.mktemp("offline") / "wheelhouse"
    result = run(["make", "--no-print-directory", "wheelhouse", f"WHEELHOUSE={out}", f"PYTHON={PYTHON}"])
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def build_info(wheelhouse: Path) -> dict[str, str]:
    lines = (wheelhouse / "BUILD.txt").read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines)


def requirements(wheelhouse: Path) -> dict[str, str]:
    """Name → version of each requirement that applies here (tzdata is for Windows, brotlicffi for PyPy)."""
    text = (wheelhouse / "requirements.txt").read_text(encoding="utf-8")
    pinned = [Requirement(line) for line in re.findall(r"^([A-Za-z][^\\\n]*?)\s*\\?$", text, re.M)]
    return {r.name: str(r.specifier).removeprefix("==") for r in pinned if not r.marker or r.marker.evaluate()}


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def wheel_files(wheelhouse: Path, name: str) -> list[str]:
    (wheel,) = wheelhouse.glob(f"{normalized(name)}-*.whl")
    return zipfile.ZipFile(wheel).namelist()


def test_the_wheelhouse_has_a_wheel_with_a_hash_for_every_locked_runtime_dependency_and_for_bianzhi(wheelhouse):
    pinned = requirements(wheelhouse)
    assert {"bianzhi", "django", "weasyprint", "psycopg-binary", "gunicorn"} <= set(pinned)
    assert not {"pytest", "ruff", "playwright", "hypothesis"} & set(pinned)  # the development tools stay behind
    wheels = {(normalized(path.name.split("-")[0]), path.name.split("-")[1]) for path in wheelhouse.glob("*.whl")}
    assert wheels == {(normalized(name), version) for name, version in pinned.items()}
    text = (wheelhouse / "requirements.txt").read_text(encoding="utf-8")
    blocks = re.split(r"\n(?=[A-Za-z])", text.split("\n", 1)[1])  # a requirement and its continuation lines
    assert len(blocks) >= len(pinned) and all("--hash=sha256:" in block for block in blocks)


def test_the_bianzhi_wheel_carries_the_pages_assets_and_nothing_loads_from_another_host(wheelhouse):
    files = wheel_files(wheelhouse, "bianzhi")
    for asset in (
        "bianzhi/static/vendor/tabler-1.6.1/tabler.min.css",
        "bianzhi/static/vendor/tabler-1.6.1/tabler.min.js",
        "bianzhi/static/vendor/echarts-5.6.0/echarts.min.js",
        "bianzhi/templates/base.html",
        "bianzhi/roster/templates/roster/pdf/base.html",
    ):
        assert asset in files
    assert not [name for name in files if "__pycache__" in name or name.endswith((".sqlite3", "_key"))]
    assert "django_htmx/static/django_htmx/htmx-2.min.js" in wheel_files(wheelhouse, "django-htmx")
    (wheel,) = wheelhouse.glob("bianzhi-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        for name in files:
            if name.endswith((".html", ".css")):
                text = archive.read(name).decode("utf-8")
                remote = re.findall(
                    r"""(?:src|href)=["']https?://|url\(\s*["']?https?://|@import\s+["']?https?""", text
                )
                assert not remote, f"{name} loads {remote} from another host"


def test_the_wheelhouse_says_in_chinese_what_it_is_and_checks_itself(wheelhouse):
    info = build_info(wheelhouse)
    assert info["python"] == "{}.{}".format(*sys.version_info[:2])
    assert info["version"] == requirements(wheelhouse)["bianzhi"]
    readme = (wheelhouse / "README.txt").read_text(encoding="utf-8")
    assert "离线安装包" in readme and f"install.sh /srv/bianzhi/venvs/{info['name']}" in readme
    assert not re.search(r"@[A-Z]+@", readme)  # every placeholder filled
    assert (wheelhouse / "install.sh").exists() and (wheelhouse / "deploy" / "systemd").is_dir()
    assert (wheelhouse / "operations.md").exists()
    listed = {line.split("  ", 1)[1] for line in (wheelhouse / "SHA256SUMS").read_text().splitlines()}
    present = {str(p.relative_to(wheelhouse)) for p in wheelhouse.rglob("*") if p.is_file()} - {"SHA256SUMS"}
    assert listed == present


@pytest.mark.slow
def test_make_install_offline_needs_no_network_and_the_installed_bianzhi_runs_there(
    wheelhouse, no_network_available, tmp_path
):
    probe = "import socket\ntry: socket.create_connection(('1.1.1.1', 443), timeout=5)\nexcept OSError as e: print(e)"
    assert "Network is unreachable" in run(without_network(PYTHON, "-c", probe)).stdout  # really no network
    venv, home = tmp_path / "venv", tmp_path / "home"
    install = run(
        without_network(
            "make", "--no-print-directory", "install", f"OFFLINE={wheelhouse}/", f"VENV={venv}", f"PYTHON={PYTHON}"
        )
    )
    assert install.returncode == 0, install.stdout + install.stderr
    assert f"已安装到 {venv}" in install.stdout and "警告" not in install.stderr  # PDF fonts and Pango found
    assert (venv / "bianzhi-build.txt").read_text() == (wheelhouse / "BUILD.txt").read_text()
    installed = run(without_network(venv / "bin" / "python", "-c", "import bianzhi; print(bianzhi.__file__)"))
    assert installed.stdout.startswith(str(venv))  # the wheel, not this checkout's source tree

    home.mkdir()
    bianzhi = venv / "bin" / "bianzhi"
    assert "用法：bianzhi" in run(without_network(bianzhi, "--help"), cwd=home, BIANZHI_HOME=str(home)).stdout
    for command in (["migrate", "-v", "0"], ["check"], ["audit", "verify"]):
        result = run(without_network(bianzhi, *command), cwd=home, BIANZHI_HOME=str(home))
        assert result.returncode == 0, (command, result.stdout + result.stderr)
    version = run(without_network(bianzhi, "version"), cwd=home, BIANZHI_HOME=str(home)).stdout
    assert f"构建：{build_info(wheelhouse)['name']}" in version and "待执行的数据库迁移：无" in version


def copy_of(wheelhouse: Path, where: Path) -> Path:
    """A copy to spoil: the wheels as hard links (a spoiled one is unlinked first), the rest copied."""

    def link_wheels(source: str, target: str) -> None:
        (os.link if source.endswith(".whl") else shutil.copy2)(source, target)

    shutil.copytree(wheelhouse, where, copy_function=link_wheels)
    return where


def install(wheelhouse: Path, target: Path) -> subprocess.CompletedProcess:
    return run(without_network("sh", wheelhouse / "install.sh", target))


def test_a_damaged_wheelhouse_is_refused_before_anything_is_installed(wheelhouse, no_network_available, tmp_path):
    damaged = copy_of(wheelhouse, tmp_path / "damaged")
    (wheel,) = damaged.glob("django-*.whl")
    content = wheel.read_bytes()
    wheel.unlink()
    wheel.write_bytes(content[:-10])  # a copy cut short
    result = install(damaged, tmp_path / "venv")
    assert result.returncode == 1
    assert "错误 [offline_install.corrupt]" in result.stderr and "未安装任何东西" in result.stderr
    assert not (tmp_path / "venv").exists()


def test_a_wheelhouse_for_another_python_is_refused_saying_which(wheelhouse, no_network_available, tmp_path):
    other = copy_of(wheelhouse, tmp_path / "other")
    build = other / "BUILD.txt"
    text = re.sub(r"^python=.*$", "python=3.99", build.read_text(), flags=re.M)
    build.write_text(text)
    sums = other / "SHA256SUMS"
    sums.write_text(
        run(["sh", "-c", "find . -type f ! -name SHA256SUMS -printf '%P\\n' | xargs sha256sum"], other).stdout
    )
    result = install(other, tmp_path / "venv")
    assert result.returncode == 1 and "错误 [offline_install.wrong_python]" in result.stderr
    assert "为 Python 3.99 构建" in result.stderr and not (tmp_path / "venv").exists()


def test_an_install_into_a_directory_in_use_is_refused(wheelhouse, no_network_available, tmp_path):
    (tmp_path / "venv").mkdir()
    (tmp_path / "venv" / "pyvenv.cfg").write_text("the running version\n")
    result = install(wheelhouse, tmp_path / "venv")
    assert result.returncode == 1 and "错误 [offline_install.target_exists]" in result.stderr
    assert (tmp_path / "venv" / "pyvenv.cfg").read_text() == "the running version\n"


# ---------------------------------------------------------------- bianzhi version


def bianzhi(home: Path, *args: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    return subprocess.run(
        [BIANZHI, *args], capture_output=True, text=True, cwd=home, env={**environment, "BIANZHI_HOME": str(home)}
    )


def test_version_names_the_program_and_a_database_not_yet_created_without_creating_it(tmp_path):
    result = bianzhi(tmp_path, "version")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"Bianzhi \d+\.\d+\.\d+", lines[0])
    assert "构建：开发环境（不是从离线安装包安装的）" in lines
    assert "数据库：数据库文件不存在" in result.stdout and not (tmp_path / "var" / "bianzhi.sqlite3").exists()
    assert bianzhi(tmp_path, "--version").stdout == result.stdout
    assert "数据库" not in bianzhi(tmp_path, "version", "--no-database").stdout


def test_version_lists_the_migrations_the_program_would_still_apply(migrated_home):
    tmp_path = migrated_home
    assert "待执行的数据库迁移：无（数据库与本程序一致）" in bianzhi(tmp_path, "version").stdout
    assert bianzhi(tmp_path, "migrate", "sessions", "zero", "-v", "0").returncode == 0  # as an older database
    result = bianzhi(tmp_path, "version")
    assert f"数据库：SQLite {tmp_path / 'var' / 'bianzhi.sqlite3'}" in result.stdout
    assert "待执行的数据库迁移：1 项（运行 bianzhi migrate 执行）\n  sessions.0001_initial\n" in result.stdout


def test_version_refuses_an_unknown_option_in_chinese(tmp_path):
    result = bianzhi(tmp_path, "version", "--plan")
    assert result.returncode == 2 and "错误 [cli.bad_arguments]：无法识别的参数：--plan" in result.stderr
