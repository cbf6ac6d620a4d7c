"""The apps stand in layers, and an import only ever points down (deferred imports inside functions included):

    core  <  accounts, audit, orgs  <  quotas  <  roster  <  lifecycle and every later app

accounts, audit and orgs may use each other (scopes are units, every service audits). Among the apps above the
roster there is no cycle. A lower app that needs something from a higher one declares a hook (core.hooks)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.no_database

SOURCE = Path(__file__).resolve().parent.parent / "src" / "bianzhi"
TIER = {"core": 0, "accounts": 1, "audit": 1, "orgs": 1, "quotas": 2, "roster": 3}
TOP = 4  # lifecycle and every later app
PROJECT = {"settings", "urls", "wsgi", "asgi", "cli", "__main__", "__init__"}  # the project's own modules


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "bianzhi" or len(parts) < 2 or parts[1] in PROJECT:
        return None
    return parts[1]


def _imports() -> dict[str, set[tuple[str, str]]]:
    """app -> {(imported app, 'file:line')} for every ``import bianzhi.x`` / ``from bianzhi.x import …``."""
    found: dict[str, set[tuple[str, str]]] = {}
    for path in SOURCE.rglob("*.py"):
        relative = path.relative_to(SOURCE)
        if len(relative.parts) < 2:
            continue
        app = relative.parts[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules = [node.module]
                if node.module == "bianzhi":
                    modules = [f"bianzhi.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                target = _app_of(module)
                if target and target != app:
                    found.setdefault(app, set()).add((target, f"{relative}:{node.lineno}"))
    return found


def test_imports_point_down_the_layers():
    upward = sorted(
        (where, app, target)
        for app, targets in _imports().items()
        for target, where in targets
        if TIER.get(target, TOP) > TIER.get(app, TOP) or (TIER.get(app, TOP) == TIER.get(target, TOP) == 0)
    )
    assert upward == [], "\n".join(f"{where}: {app} imports {target}" for where, app, target in upward)


def test_no_cycle_among_the_apps_above_the_roster():
    graph: dict[str, set[str]] = {}
    for app, targets in _imports().items():
        if TIER.get(app, TOP) == TOP:
            graph[app] = {target for target, _ in targets if TIER.get(target, TOP) == TOP}

    def cycle_from(start: str) -> list[str] | None:
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for successor in graph.get(node, ()):
                if successor == start:
                    return [*path, start]
                if successor not in path:
                    stack.append((successor, [*path, successor]))
        return None

    cycles = [cycle for app in sorted(graph) if (cycle := cycle_from(app))]
    assert cycles == [], cycles


def test_the_layer_test_sees_a_violation(tmp_path, monkeypatch):
    """The check itself: a deferred upward import inside a function is found."""
    app = tmp_path / "bianzhi" / "orgs"
    app.mkdir(parents=True)
    (app / "x.py").write_text("def f():\n    from bianzhi.roster.models import Person\n", encoding="utf-8")
    monkeypatch.setattr(__import__(__name__, fromlist=["SOURCE"]), "SOURCE", tmp_path / "bianzhi")
    assert _imports() == {"orgs": {("roster", "orgs/x.py:2")}}
