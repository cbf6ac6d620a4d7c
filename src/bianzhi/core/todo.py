"""The to-do list (待办) on every home page: what waits for the user, from every app that has work with deadlines.

Each app registers a function on ``todo_items`` that returns ``TodoItem``s for a user (``collect`` gathers them);
the home page shows them overdue first, then by due date. Core knows nothing of the apps that answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bianzhi.core.hooks import Hook

todo_items = Hook("core.todo_items")  # (user, today) -> list[TodoItem]


@dataclass(frozen=True)
class TodoItem:
    kind: str  # 编委事项, …
    title: str
    action: str  # what is to be done: 受理审核, 提交实施报告 …
    url: str
    due: dt.date | None
    note: str = ""  # e.g. the deadline counted Monday to Friday for want of a calendar

    def overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today


def todo_for(user, today: dt.date) -> list[TodoItem]:
    items = [item for found in todo_items.collect(user=user, today=today) for item in found]
    return sorted(items, key=lambda item: (not item.overdue(today), item.due or dt.date.max, item.title))


def todo_for_request(request, today: dt.date) -> list[TodoItem]:
    """``todo_for`` the request's user, asked once per request: the header's badge and the home page's list show the
    same items, and each provider's question is asked once."""
    cached = getattr(request, "_bianzhi_todo", None)
    if cached is None or cached[0] != today:
        cached = (today, todo_for(request.user, today))
        request._bianzhi_todo = cached
    return cached[1]
