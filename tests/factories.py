"""Small builders for tests; they go through the services, like the application does."""

from __future__ import annotations

from bianzhi.accounts.services import user_create, user_set_access
from bianzhi.orgs.services import unit_create

PASSWORD = "Kz7#pWq2x"


def make_unit(name: str, parent=None):
    return unit_create(actor=None, name=name, parent=parent)


def make_user(username: str, *roles, scope_unit=None, scope_county: bool = False, password: str = PASSWORD):
    user = user_create(actor=None, username=username, password=password, full_name=username)
    if roles:
        user = user_set_access(
            actor=None, user=user, roles=list(roles), scope_unit=scope_unit, scope_county=scope_county
        )
    return user
