"""How a lower app asks a higher one without importing it (core < accounts/audit/orgs < quotas < roster < …).

The lower app declares a ``Hook`` in its ``hooks.py`` where it needs a veto or an answer from above; the higher app
registers a function on it when Django starts (``AppConfig.ready``). ``check`` runs every registered function
(each may refuse with a ``BianzhiError``); ``collect`` returns every answer; ``ask`` returns the answer of the one
registered function, or the default when no app above answers (a deployment of the lower apps alone)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Hook:
    def __init__(self, name: str):
        self.name = name
        self._functions: list[Callable[..., Any]] = []

    def register(self, function: Callable[..., Any]) -> Callable[..., Any]:
        if function not in self._functions:  # ready() may run more than once in tests
            self._functions.append(function)
        return function

    @property
    def functions(self) -> tuple[Callable[..., Any], ...]:
        """What is registered, in the order it was, for a caller that runs each on its own terms."""
        return tuple(self._functions)

    def check(self, **kwargs: Any) -> None:
        for function in self._functions:
            function(**kwargs)

    def collect(self, **kwargs: Any) -> list[Any]:
        return [function(**kwargs) for function in self._functions]

    def ask(self, *, default: Any, **kwargs: Any) -> Any:
        if len(self._functions) > 1:
            raise RuntimeError(f"hook {self.name} has {len(self._functions)} answers; it takes one")
        return self._functions[0](**kwargs) if self._functions else default

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._functions)} registered>"
