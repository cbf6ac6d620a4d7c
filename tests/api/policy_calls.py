"""The policy test's requests for the API (see ``tests/core/policy_world.py``): path parameters and JSON bodies."""

from django.core.files.uploadedfile import SimpleUploadedFile

from bianzhi.api.models import PartnerKind
from bianzhi.api.partners import partner_create
from bianzhi.api.scopes import Scope
from bianzhi.api.services import api_token_issue
from tests.api.conftest import POOL, movement_body, unit_body
from tests.api.test_roster_api import approval_body, exit_body, onboarding_body, transfer_body
from tests.core.policy_world import TODAY, Call, pk_of, unit_pk

UNIT, PERSON = unit_pk("id"), pk_of("person", "id")

CALLS = {
    ("page", "bianzhi-api-v1:openapi-json", "GET"): Call(),
    ("page", "bianzhi-api-v1:api-root", "GET"): Call(),
    ("api", "list_units", "GET"): Call(),
    ("api", "create_unit", "POST"): Call(
        data=lambda world, caller: unit_body(parent_id=world.unit(caller).pk), status=201
    ),
    ("api", "get_unit", "GET"): Call(args=UNIT),
    ("api", "get_ledger", "GET"): Call(args=UNIT),
    ("api", "list_movements", "GET"): Call(),
    ("api", "post_movement", "POST"): Call(
        data=lambda world, caller: movement_body(
            POOL, {"kind": "UNIT", "unit_id": world.unit(caller).pk, "funding_form": "QE"}
        ),
        status=201,
    ),
    ("api", "list_persons", "GET"): Call(),
    ("api", "get_person", "GET"): Call(args=PERSON),
    ("api", "update_person", "PATCH"): Call(args=PERSON, data=lambda world, caller: {"position": "科员"}),
    ("api", "list_approvals", "GET"): Call(),
    ("api", "create_approval", "POST"): Call(data=lambda world, caller: approval_body(world.unit(caller)), status=201),
    ("api", "get_approval", "GET"): Call(args=pk_of("approval", "id")),
    ("api", "act_on_approval", "POST"): Call(
        args=lambda world, caller: {"id": world.get("submitted_approval", caller).pk, "action": "cancel"},
        data=lambda world, caller: {"comment": "申请有误，撤回"},
    ),
    ("api", "onboard_person", "POST"): Call(
        data=lambda world, caller: onboarding_body(approval_id=world.get("approval", caller).pk), status=201
    ),
    ("api", "offboard_person", "POST"): Call(
        data=lambda world, caller: exit_body(world.get("person", caller).pk), status=201
    ),
    ("api", "transfer_person", "POST"): Call(
        data=lambda world, caller: transfer_body(world.get("person", caller).pk, world.elsewhere(caller)), status=201
    ),
    ("api", "list_matters", "GET"): Call(),
    ("api", "create_matter", "POST"): Call(
        data=lambda world, caller: {
            "proposer_id": world.unit(caller).pk,
            "kind": "RENAME",
            "title": "关于更名的请示",
            "necessity": "职能调整",
            "steps": [{"operation": "unit_rename", "params": {"unit": world.unit(caller).pk, "name": "新名称"}}],
        },
        status=201,
    ),
    ("api", "get_matter", "GET"): Call(args=pk_of("draft_matter", "id")),
    ("api", "transition_matter", "POST"): Call(
        args=pk_of("draft_matter", "id"),
        data=lambda world, caller: {"name": "propose", "meeting_on": TODAY.isoformat(), "minutes": "局党组会议纪要"},
    ),
    ("api", "add_attachment", "POST"): Call(
        args=pk_of("draft_matter", "id"),
        data=lambda world, caller: {"kind": "REQUEST", "name": "请示.pdf", "content_base64": "JVBERi0xLjQK"},
        status=201,
    ),
}


def populate(world) -> None:
    """A partner department with one token, the same for both sides: partners are the county's, not a unit's."""
    partner = partner_create(actor=None, name="县审计局", kind=PartnerKind.AUDIT, username="shenjiju")
    token, _ = api_token_issue(actor=None, user=partner.user, name="审计系统", scopes=[Scope.LEDGER_READ])
    world.put("partner", partner, partner)
    world.put("partner_token", token, token)


PARTNER = pk_of("partner")
CSV = "姓名,身份证号\n".encode()
CALLS |= {
    ("api", "start_reconciliation", "POST"): Call(
        data=lambda world, caller: {
            "payroll": SimpleUploadedFile("工资.csv", CSV, content_type="text/csv"),
            "hr": SimpleUploadedFile("人事.csv", CSV, content_type="text/csv"),
            "as_of": TODAY.isoformat(),
        },
        multipart=True,
        status=201,
    ),
    ("api", "get_reconciliation", "GET"): Call(args=pk_of("reconciliation", "id")),
}
CALLS |= {
    ("page", "partners:partner_list", "GET"): Call(),
    ("page", "partners:partner_new", "GET"): Call(),
    ("page", "partners:partner_new", "POST"): Call(
        data=lambda world, caller: {"name": "县纪委监委", "kind": PartnerKind.DISCIPLINE, "username": "jiwei"},
        status=302,
    ),
    ("page", "partners:partner_detail", "GET"): Call(args=PARTNER),
    ("page", "partners:partner_edit", "GET"): Call(args=PARTNER),
    ("page", "partners:partner_edit", "POST"): Call(
        args=PARTNER, data=lambda world, caller: {"contact_name": "王审", "active": "on"}, status=302
    ),
    ("page", "partners:token_new", "GET"): Call(args=PARTNER),
    ("page", "partners:token_new", "POST"): Call(
        args=PARTNER, data=lambda world, caller: {"name": "审计系统二", "scopes": [Scope.MATTERS_READ]}
    ),
    ("page", "partners:token_revoke", "POST"): Call(
        args=lambda world, caller: {
            "pk": world.get("partner", caller).pk,
            "token_pk": world.get("partner_token", caller).pk,
        },
        data=lambda world, caller: {"reason": "系统下线"},
        status=302,
    ),
}


def _token(world, caller) -> dict:
    return {"pk": world.get("partner", caller).pk, "token_pk": world.get("partner_token", caller).pk}


CALLS |= {
    ("page", "partners:webhook_set", "POST"): Call(
        args=_token, data=lambda world, caller: {"url": "https://sj.example.gov.cn/bianzhi"}, status=302
    ),
    ("page", "partners:webhook_stop", "POST"): Call(
        args=_token, data=lambda world, caller: {"reason": "停用"}, status=302
    ),
}
