"""UI text is Chinese and marked for translation: template words sit in {% translate %} or {% blocktranslate %}, form
labels and help texts are lazy translations."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from django import forms
from django.utils.functional import Promise

pytestmark = pytest.mark.no_database

SOURCE = Path(__file__).resolve().parents[2] / "src" / "bianzhi"
CHINESE_WORD = re.compile(r"[\u4e00-\u9fff]+")
MARKED = [
    re.compile(r"{%\s*blocktranslate\b.*?{%\s*endblocktranslate\s*%}", re.S),
    re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S),
    re.compile(r"{%.*?%}", re.S),  # {% translate '…' %} and every other tag
    re.compile(r"{{.*?}}", re.S),
    re.compile(r"{#.*?#}", re.S),
]


def _unmarked_words(text: str) -> list[str]:
    for pattern in MARKED:
        text = pattern.sub(" ", text)
    return CHINESE_WORD.findall(text)


@pytest.mark.parametrize(
    "template", sorted(SOURCE.rglob("templates/**/*.html")), ids=lambda path: str(path.relative_to(SOURCE))
)
def test_template_words_are_marked_for_translation(template):
    assert _unmarked_words(template.read_text(encoding="utf-8")) == []


def _form_classes() -> list[type[forms.BaseForm]]:
    for path in [*SOURCE.glob("*/forms.py"), *SOURCE.glob("*/*_views.py")]:
        importlib.import_module(".".join(("bianzhi", *path.relative_to(SOURCE).with_suffix("").parts)))
    found, pending = [], [forms.BaseForm]
    while pending:
        for sub in pending.pop().__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("bianzhi."):
                found.append(sub)
    return found


def test_form_labels_and_help_texts_are_lazy_translations():
    plain = [
        f"{form.__module__}.{form.__name__}.{name}.{attr}: {text}"
        for form in _form_classes()
        for name, field in getattr(form, "base_fields", {}).items()
        for attr in ("label", "help_text")
        if isinstance(text := getattr(field, attr), str) and CHINESE_WORD.search(text) and not isinstance(text, Promise)
    ]
    assert len(_form_classes()) > 20
    assert plain == []
