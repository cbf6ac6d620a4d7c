"""Password rules of 等保 2.0 level 3: length, three of four character classes, no username, no reuse."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import CommonPasswordValidator, MinimumLengthValidator
from django.core.exceptions import ValidationError

_CLASSES = (
    ("大写字母", str.isupper),
    ("小写字母", str.islower),
    ("数字", str.isdigit),
    ("特殊字符", lambda c: not c.isalnum()),
)


class ChineseMinimumLengthValidator(MinimumLengthValidator):
    # Django's own Chinese catalogue lags behind its English message for this one
    def get_error_message(self) -> str:
        return f"密码太短，至少需要 {self.min_length} 个字符。"

    def get_help_text(self) -> str:
        return f"密码至少 {self.min_length} 个字符。"


class ChineseCommonPasswordValidator(CommonPasswordValidator):
    def get_error_message(self) -> str:
        return "该密码过于常见，容易被猜中。"

    def get_help_text(self) -> str:
        return "不能使用常见密码。"


def character_classes(password: str) -> int:
    return sum(any(test(c) for c in password) for _, test in _CLASSES)


class CharacterClassValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_classes")

    def get_help_text(self) -> str:
        return f"密码须包含大写字母、小写字母、数字、特殊字符中的至少 {self.min_classes} 类。"


class NoUsernameValidator:
    def validate(self, password: str, user=None) -> None:
        username = getattr(user, "username", "") or ""
        if len(username) >= 3 and username.lower() in password.lower():
            raise ValidationError(self.get_help_text(), code="password_contains_username")

    def get_help_text(self) -> str:
        return "密码不得包含用户名。"


class PasswordHistoryValidator:
    """Refuses any of the last ``PASSWORD_HISTORY_DEPTH`` passwords; records each new one."""

    def validate(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        recent = user.password_history.values_list("password_hash", flat=True)[: settings.PASSWORD_HISTORY_DEPTH]
        if any(check_password(password, old) for old in recent):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        user.password_history.create(password_hash=user.password)
        stale = user.password_history.values_list("pk", flat=True)[settings.PASSWORD_HISTORY_DEPTH :]
        user.password_history.filter(pk__in=list(stale)).delete()

    def get_help_text(self) -> str:
        return f"新密码不得与最近 {settings.PASSWORD_HISTORY_DEPTH} 次使用过的密码相同。"
