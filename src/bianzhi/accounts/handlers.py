"""Authentication events go to the audit log (Django and django-axes announce them as signals)."""

from __future__ import annotations

from bianzhi.audit.services import audit_record

ANONYMOUS = "（未登录）"


def on_logged_in(sender, request, user, **kwargs) -> None:
    audit_record(actor=user, action="auth.login", obj=user)


def on_logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(actor=user, action="auth.logout", obj=user)


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit_record(
        actor=None,
        actor_name=ANONYMOUS,
        action="auth.login_failed",
        object_type="accounts.user",
        object_repr=username,
    )


def on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    audit_record(
        actor=None,
        actor_name=ANONYMOUS,
        action="auth.locked_out",
        object_type="accounts.user",
        object_repr=str(username)[:150],
        after={"ip_address": ip_address},
    )
