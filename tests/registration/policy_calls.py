"""The policy test's requests for the pages of the legal-person register (see ``tests/core/policy_world.py``)."""

from __future__ import annotations

from bianzhi.core.models import Installation, current_installation
from bianzhi.orgs.choices import UnitKind
from bianzhi.orgs.documents import DocumentRef
from bianzhi.registration.choices import FundingSource
from bianzhi.registration.services import institution_register
from tests.core.policy_world import LONG_AGO, TODAY, Call, document_fields, pk_of
from tests.factories import make_unit
from tests.registration import annual_policy_calls


def _items(name: str) -> dict:
    return {
        "name": name,
        "address": "锦绣县人民路 1 号",
        "purpose": "提供公益服务。",
        "legal_representative": "王明",
        "capital": "50",
        "funding_source": FundingSource.FULL,
    }


def populate(world) -> None:
    if current_installation() is None:
        Installation.objects.create(county_name="锦绣县", region_code="330122")
    centre = make_unit("锦绣县会计服务中心", world.units["finance"], kind=UnitKind.SHIYE, day=LONG_AGO)
    registered = [
        institution_register(
            actor=None,
            unit=unit,
            items=_items(unit.name),
            document=DocumentRef("锦编发〔2021〕1号", "关于事业单位登记的批复", LONG_AGO, "锦绣县机构编制委员会"),
            effective_date=LONG_AGO,
        )
        for unit in (world.units["school"], centre)
    ]
    world.put("institution", *registered)
    world.put(
        "unregistered",
        make_unit("锦绣县教育考试中心", world.units["education"], kind=UnitKind.SHIYE, day=LONG_AGO),
        make_unit("锦绣县财政投资评审中心", world.units["finance"], kind=UnitKind.SHIYE, day=LONG_AGO),
    )
    annual_policy_calls.populate(world)


def _register(world, caller) -> dict:
    unit = world.get("unregistered", caller)
    fields = {**_items(unit.name), **document_fields("锦编发〔2026〕41号"), "effective_date": TODAY.isoformat()}
    return {"unit": unit.name, "category": "2", **fields}


def _change(world, caller) -> dict:
    institution = world.get("institution", caller)
    items = {**_items(institution.unit.name), "legal_representative": "李华"}
    return {**items, **document_fields("锦编发〔2026〕42号"), "effective_date": TODAY.isoformat()}


def _warn(world, caller) -> dict:
    fields = {**document_fields("锦编发〔2026〕43号"), "day": TODAY.isoformat(), "reason": "未按时报送年度报告"}
    return {f"warn-{name}": value for name, value in fields.items()}


CALLS = {
    ("api", "list_institutions", "GET"): Call(),
    ("api", "get_institution", "GET"): Call(args=lambda world, caller: {"uscc": world.get("institution", caller).uscc}),
    ("page", "registration:institution_list", "GET"): Call(),
    ("page", "registration:institution_export", "GET"): Call(),
    ("page", "registration:institution_detail", "GET"): Call(args=pk_of("institution")),
    ("page", "registration:institution_new", "GET"): Call(),
    ("page", "registration:institution_new", "POST"): Call(data=_register, status=302),
    ("page", "registration:institution_change", "GET"): Call(args=pk_of("institution")),
    ("page", "registration:institution_change", "POST"): Call(args=pk_of("institution"), data=_change, status=302),
    ("page", "registration:certificate_issue", "POST"): Call(
        args=pk_of("institution"),
        data=lambda world, caller: {"kind": "COPY", "valid_from": TODAY.isoformat()},
        status=302,
    ),
    ("page", "registration:credit_record", "POST"): Call(
        args=lambda world, caller: {"pk": world.get("institution", caller).pk, "action": "warn"}, data=_warn, status=302
    ),
}
CALLS.update(annual_policy_calls.CALLS)
