"""Test set-up: SQLite by default; a real PostgreSQL server when DATABASE_URL names postgres; Debian Chromium."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent
USES_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
BROWSER_GROUP = "browser"
# Playwright's sync API keeps an event loop running in the main thread; the ORM must still be usable in tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    if not config.getoption("postgresql_exec"):
        config.option.postgresql_exec = str(ROOT / "scripts" / "pg_ctl_as_postgres")
    if not config.getoption("postgresql_unixsocketdir"):
        config.option.postgresql_unixsocketdir = "/tmp"


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids):
    """pytest-xdist tells a group by a suffix it adds to the test ids; when a pytest release stops that from
    working (pytest-xdist#1386, pytest 9.2), the browser tests would be spread over the workers without a word."""
    if node.config.getoption("dist") == "loadgroup":
        ungrouped = [i for i in ids if i.startswith("tests/e2e/") and not i.endswith(f"@{BROWSER_GROUP}")]
        if ungrouped:
            raise pytest.UsageError(f"pytest-xdist 未按 xdist_group 分组浏览器测试，例如 {ungrouped[0]}")


def _browser_available() -> bool:
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False).stdout
    return Path(CHROMIUM).exists() and bool(fonts.strip())


def pytest_itemcollected(item):
    # Under pytest-xdist one worker runs the browser tests: one Chromium, not one per worker, and one process
    # writing the screenshots in var/shots/. `--dist loadgroup` (pyproject) honours the mark.
    if "e2e" in item.keywords or "browser" in item.fixturenames:
        item.add_marker(pytest.mark.xdist_group(BROWSER_GROUP))


@pytest.hookimpl(trylast=True)  # after pytest-django has ordered the tests by their kind of database access
def pytest_collection_modifyitems(config, items):
    # the long tests start first, so that neither worker ends the run alone on one of them
    items.sort(key=lambda item: "slow" not in item.keywords)
    if USES_POSTGRES:  # the PostgreSQL pass repeats only what a database can change
        once = pytest.mark.skip(reason="与被测数据库无关，已在 SQLite 轮次运行")
        browser = pytest.mark.skip(reason="浏览器测试在 SQLite 轮次运行；PostgreSQL 轮次重复页面和服务的测试")
        for item in items:
            if "no_database" in item.keywords or "demo_content" in item.keywords:
                item.add_marker(once)
            elif "e2e" in item.keywords and "postgres_too" not in item.keywords:
                item.add_marker(browser)
    if _browser_available():
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError("CI 环境缺少 Chromium 或中文字体，浏览器测试无法运行")
    skip = pytest.mark.skip(reason="未安装 chromium 或 fonts-noto-cjk")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request, django_db_modify_db_settings_parallel_suffix):
    if not USES_POSTGRES:
        return
    from django.conf import settings

    proc = request.getfixturevalue("postgresql_proc")
    settings.DATABASES["default"].update(
        HOST=proc.host, PORT=str(proc.port), USER=proc.user, PASSWORD=proc.password or ""
    )


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Argon2 is deliberately slow: tests, and fixtures of any scope, use a fast hasher unless marked argon2."""
    from django.conf import settings

    production = settings.PASSWORD_HASHERS
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield production


@pytest.fixture(autouse=True)
def _production_password_hashing(request, _fast_password_hashing):
    if "argon2" in request.keywords:
        with override_settings(PASSWORD_HASHERS=_fast_password_hashing):
            yield
    else:
        yield


@pytest.fixture(autouse=True)
def _slot_use_in_step(request):
    """After every test that writes to the database, each account's slot-use intervals must be what its
    occupancies and approvals give (decision 0009): a writer that forgot ``use_refresh`` fails the test that used
    it. Tests that corrupt the roster on purpose are marked ``corrupts_roster``."""
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    if (
        marker is None and "db" not in names and "transactional_db" not in names
    ) or "corrupts_roster" in request.keywords:
        yield
        return
    transactional = "transactional_db" in names or (
        marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    )
    request.getfixturevalue("transactional_db" if transactional else "db")  # torn down after this check
    yield
    from bianzhi.roster.usage import use_drifts

    assert list(use_drifts()) == [], "slot-use intervals out of step with the roster"


@pytest.fixture(autouse=True)
def _own_cache(settings, tmp_path_factory):
    """A cache directory per test: a cached workbook or a download count never carries over to the next test."""
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": str(tmp_path_factory.mktemp("cache"))}}


@pytest.fixture(scope="session", autouse=True)
def _own_var(tmp_path_factory):
    """The stored files (``core.files``) of the run under a temporary var/, not the checkout's; shared by the tests
    of a worker, as the files of a module's shared data must outlive one test (content-addressed, so harmless)."""
    from django.conf import settings

    settings.VAR_DIR = tmp_path_factory.mktemp("var")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        "viewport": {"width": 1280, "height": 800},
    }
