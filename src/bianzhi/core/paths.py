"""Where Bianzhi keeps its files: ``$BIANZHI_HOME/var`` (the working directory by default)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def home_dir() -> Path:
    return Path(os.environ.get("BIANZHI_HOME") or Path.cwd()).resolve()


def var_dir() -> Path:
    return home_dir() / "var"


def default_database_path() -> Path:
    """The SQLite file used when ``DATABASE_URL`` is unset; ``bianzhi demo`` selects the demo file."""
    return var_dir() / os.environ.get("BIANZHI_DATABASE_FILE", "bianzhi.sqlite3")


def secret_from_env_or_file(env_name: str, file_name: str) -> str:
    """A secret from the environment, else from ``var/<file_name>``, created (mode 0600) on first use.

    Secrets never live in the repository; a single-machine install gets stable random keys without setup.
    """
    value = os.environ.get(env_name)
    if value:
        return value
    path = var_dir() / file_name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()
