"""A SQLite home already migrated, for the tests of commands that need a database but not a fresh migration each."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.processes import BIANZHI


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("migrated-home")
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    environment["BIANZHI_HOME"] = str(home)
    subprocess.run([BIANZHI, "migrate", "-v", "0"], cwd=home, env=environment, check=True, timeout=300)
    return home


@pytest.fixture
def migrated_home(migrated_template: Path, tmp_path: Path) -> Path:
    """``tmp_path`` as a fresh install after ``bianzhi migrate`` (a copy: each test changes its own)."""
    shutil.copytree(migrated_template, tmp_path, dirs_exist_ok=True)
    return tmp_path
