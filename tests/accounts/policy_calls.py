"""The policy test's requests for the account pages (see ``tests/core/policy_world.py``)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from bianzhi.accounts.roles import Role
from tests.core.policy_world import Call, pk_of
from tests.factories import PASSWORD, make_user

NEW_PASSWORD = "Rt5%mXq9w"


def populate(world) -> None:
    target = make_user("policy_target", Role.OVERSIGHT, scope_county=True)
    world.put("account", target, target)  # accounts have no unit: the same one for everybody


CALLS = {
    ("page", "accounts:login", "GET"): Call(),
    ("page", "accounts:login", "POST"): Call(
        data=lambda world, caller: {"username": "policy_target", "password": PASSWORD}, status=302
    ),
    ("page", "accounts:logout", "POST"): Call(status=302),
    ("page", "accounts:password_change", "GET"): Call(),
    ("page", "accounts:password_change", "POST"): Call(
        data=lambda world, caller: {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        status=302,
    ),
    ("page", "accounts:user_list", "GET"): Call(),
    ("page", "accounts:user_create", "GET"): Call(),
    ("page", "accounts:user_create", "POST"): Call(
        data=lambda world, caller: {
            "username": "policy_new",
            "full_name": "新账号",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
        status=302,
    ),
    ("page", "accounts:user_access", "GET"): Call(args=pk_of("account")),
    ("page", "accounts:user_access", "POST"): Call(
        args=pk_of("account"),
        data=lambda world, caller: {"roles": [Role.REGISTRATION], "scope": "county", "reason": "岗位调整"},
        status=302,
    ),
    ("page", "accounts:user_unlock", "POST"): Call(
        args=pk_of("account"), data=lambda world, caller: {"reason": "本人来电核实"}, status=302
    ),
    ("page", "accounts:user_toggle_active", "POST"): Call(
        args=pk_of("account"), data=lambda world, caller: {"reason": "调离"}, status=302
    ),
    ("page", "accounts:calendar", "GET"): Call(),
    ("page", "accounts:calendar_export", "GET"): Call(),
    ("page", "accounts:calendar_import", "POST"): Call(
        data=lambda world, caller: {
            "file": SimpleUploadedFile("2027.csv", "日期,类型\n2027-01-01,休\n".encode()),
            "basis": "2027年通知",
        },
        status=302,
    ),
    ("page", "accounts:calendar_day", "POST"): Call(
        data=lambda world, caller: {"day": "2026-12-31", "kind": "OFF", "name": "调整", "reason": "县政府通知"},
        status=302,
    ),
}
