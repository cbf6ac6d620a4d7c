"""The error enums as a whole: where they live, that no code means two things, that every message is Chinese and
fills in cleanly where it is raised."""

from __future__ import annotations

import ast
import importlib
import re
import string
from pathlib import Path

import pytest

from bianzhi.core.errors import ErrorCode

pytestmark = pytest.mark.no_database

SOURCE = Path(__file__).resolve().parents[2] / "src" / "bianzhi"
CODE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
CHINESE = re.compile(r"[\u4e00-\u9fff]")
# The same words about two different things: the check character of GB 32100 and that of GB 11714.
SAME_WORDS_OTHER_MEANING = {frozenset({"uscc.check_character", "org.check_character"})}


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def _enums() -> dict[str, type[ErrorCode]]:
    for path in sorted(SOURCE.glob("*/errors.py")):
        importlib.import_module(f"bianzhi.{path.parent.name}.errors")
    return {cls.__name__: cls for cls in _subclasses(ErrorCode)}


ENUMS = _enums()
MEMBERS = [member for cls in ENUMS.values() for member in cls]


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_every_error_enum_is_declared_in_its_apps_errors_module():
    elsewhere = [
        f"{path.relative_to(SOURCE)}: {node.name}"
        for path in SOURCE.rglob("*.py")
        if path.name != "errors.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef) and any(getattr(b, "id", None) == "ErrorCode" for b in node.bases)
    ]
    assert elsewhere == []
    assert {cls.__module__ for cls in ENUMS.values()} <= {
        f"bianzhi.{p.parent.name}.errors" for p in SOURCE.glob("*/errors.py")
    }


def test_error_codes_are_unique_and_well_formed():
    owners: dict[str, list[str]] = {}
    for member in MEMBERS:
        owners.setdefault(member.code, []).append(f"{type(member).__name__}.{member.name}")
    assert {code: names for code, names in owners.items() if len(names) > 1} == {}
    assert [code for code in owners if not CODE.match(code)] == []


def test_one_meaning_has_one_member():
    """Two members with the same message are one refusal under two codes: they should share one member."""
    by_words: dict[str, set[str]] = {}
    for member in MEMBERS:
        by_words.setdefault(str(member.template), set()).add(member.code)
    twins = [
        codes for codes in by_words.values() if len(codes) > 1 and frozenset(codes) not in SAME_WORDS_OTHER_MEANING
    ]
    assert twins == []


@pytest.mark.parametrize("member", MEMBERS, ids=lambda m: m.code)
def test_message_is_chinese_with_well_formed_placeholders(member):
    template = str(member.template)
    assert CHINESE.search(template), "a message people read is written in Chinese"
    parsed = list(string.Formatter().parse(template))  # unbalanced braces raise here
    for _, name, spec, conversion in parsed:
        if name is not None:
            assert name.isidentifier(), f"placeholder {{{name}}}: a keyword, not a position, index or attribute"
            assert not spec and not conversion, f"placeholder {{{name}}}: the caller formats the value"
    sample = {name: "〈值〉" for name in _placeholders(template)}
    assert "{" not in member.format(**sample).replace("{{", "")


def _raise_sites():
    """(where, member, keyword names, whether the call names the column itself) of every call given a member."""
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or any(k.arg is None for k in node.keywords):
                continue
            func = node.func
            candidates = list(node.args)
            if isinstance(func, ast.Attribute) and func.attr == "format":
                candidates.append(func.value)
            for arg in candidates:
                if isinstance(arg, ast.Attribute) and isinstance(arg.value, ast.Name) and arg.value.id in ENUMS:
                    member = getattr(ENUMS[arg.value.id], arg.attr)
                    keywords = {k.arg for k in node.keywords} - {"details"}
                    names_column = isinstance(func, ast.Attribute) and func.attr == "issue"
                    yield f"{path.relative_to(SOURCE)}:{node.lineno}", member, keywords, names_column


def test_every_raise_fills_in_exactly_the_placeholders():
    """A missing value would fail as the message is built, turning a refusal into a server error."""
    wrong = []
    for where, member, keywords, names_column in _raise_sites():
        given = keywords | {"field"} if names_column else keywords  # an import's issue() supplies {field}
        wanted = _placeholders(str(member.template))
        if not wanted <= given or (keywords - wanted and not names_column):
            wrong.append(f"{where}: {member} wants {sorted(wanted)}, given {sorted(keywords)}")
    assert wrong == []


@pytest.mark.no_database
def test_a_full_disk_is_told_apart_however_it_surfaces():
    import errno
    import sqlite3

    from django.db import OperationalError

    from bianzhi.core.errors import is_disk_full

    try:
        try:
            raise sqlite3.OperationalError("database or disk is full")
        except sqlite3.OperationalError as inner:
            raise OperationalError(*inner.args) from inner
    except OperationalError as wrapped:
        assert is_disk_full(wrapped)
    assert is_disk_full(OSError(errno.ENOSPC, "No space left on device"))
    assert is_disk_full(OperationalError('could not extend file "base/16384/2619": No space left on device'))
    assert not is_disk_full(OperationalError("database is locked"))
    assert not is_disk_full(OSError(errno.EACCES, "Permission denied"))
