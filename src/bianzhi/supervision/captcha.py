"""The public form's arithmetic question, served by the system itself: the answer stays in the visitor's session
with the time it was asked, and is used up by the first answer, right or wrong."""

from __future__ import annotations

import secrets
import time

from django.conf import settings

from bianzhi.core.errors import BianzhiError
from bianzhi.supervision.errors import SupervisionError

SESSION_KEY = "supervision_captcha"


def captcha_issue(session) -> str:
    """A new question (「7 加 5 等于几？」), replacing any earlier one."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    if secrets.randbelow(2):
        question, answer = f"{max(a, b)} 减 {min(a, b)} 等于几？", max(a, b) - min(a, b)
    else:
        question, answer = f"{a} 加 {b} 等于几？", a + b
    session[SESSION_KEY] = {"answer": answer, "asked": time.time()}
    return question


def captcha_check(session, answer) -> None:
    """Refuses a wrong answer, or one to a question expired, already answered or never asked."""
    asked = session.pop(SESSION_KEY, None)
    if not asked or time.time() - asked["asked"] > settings.BIANZHI_COMPLAINT_CAPTCHA_SECONDS:
        raise BianzhiError(SupervisionError.CAPTCHA_EXPIRED)
    try:
        given = int(str(answer).strip())
    except (TypeError, ValueError):
        given = None
    if given != asked["answer"]:
        raise BianzhiError(SupervisionError.CAPTCHA_WRONG)
