"""Registry of whole-database consistency checks run by ``bianzhi check``.

Each app registers functions that re-derive what the database must satisfy and yield one ``Drift`` per
problem found. ``bianzhi check`` exits 1 when any drift is found.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bianzhi.core.hooks import Hook

# apps that keep tables derived from their records register a rebuild (``bianzhi check --rebuild-derived``); each
# returns what it rebuilt, in words
rebuild_derived = Hook("core.rebuild_derived")


@dataclass(frozen=True)
class Drift:
    check: str
    subject: str
    message: str


IntegrityCheck = Callable[[], Iterable[Drift]]
_checks: dict[str, IntegrityCheck] = {}


def register(name: str) -> Callable[[IntegrityCheck], IntegrityCheck]:
    def decorate(func: IntegrityCheck) -> IntegrityCheck:
        _checks[name] = func
        return func

    return decorate


def run_all() -> dict[str, list[Drift]]:
    return {name: list(check()) for name, check in _checks.items()}
