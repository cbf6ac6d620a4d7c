"""The policy test's requests for the pages of the legal-person register (see ``tests/core/policy_world.py``)."""

from __future__ import annotations

from bianzhi.core.files import Upload
from bianzhi.core.models import Installation, current_installation
from bianzhi.orgs.choices import UnitKind
from bianzhi.orgs.documents import DocumentRef
from bianzhi.registration.choices import FundingSource, InspectionMethod, InspectionResult
from bianzhi.registration.draws import draw_create, draw_notify, draw_object_record, inspector_add
from bianzhi.registration.services import institution_register
from tests.core.policy_world import LONG_AGO, TODAY, Call, document_fields, pk_of
from tests.factories import make_unit


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
    populate_draws(world)
    world.put(
        "unregistered",
        make_unit("锦绣县教育考试中心", world.units["education"], kind=UnitKind.SHIYE, day=LONG_AGO),
        make_unit("锦绣县财政投资评审中心", world.units["finance"], kind=UnitKind.SHIYE, day=LONG_AGO),
    )


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


# ---------------------------------------------------------------- 双随机一公开


def populate_draws(world) -> None:
    """Inspectors of three units, and three draws: one just drawn, one notified, one with its result recorded."""
    education, finance = world.units["education"], world.units["finance"]
    pool = (("赵一", education), ("钱二", finance), ("孙三", education), ("李四", finance))
    inspectors = [inspector_add(actor=None, name=name, unit=unit) for name, unit in pool]
    world.put("inspector", inspectors[0], inspectors[1])
    last_year = TODAY.year - 1
    plan = {"rate": "0.03", "checklist": "登记事项", "method": InspectionMethod.DESK, "inspected_by": TODAY}
    drawn = draw_create(actor=None, year=TODAY.year, **plan)
    notified = draw_notify(actor=None, draw=draw_create(actor=None, year=TODAY.year, **plan), day=TODAY)
    inspected = draw_notify(actor=None, draw=draw_create(actor=None, year=last_year, **plan), day=TODAY)
    draw_object_record(
        actor=None,
        drawn=inspected.targets.get(),
        result=InspectionResult.NO_PROBLEM,
        findings="",
        inspected_on=TODAY,
        upload=Upload("现场检查记录.pdf", b"%PDF-1.4 record"),
    )
    world.put("draw_drawn", drawn, drawn)
    world.put("draw_notified", notified, notified)
    world.put("draw_inspected", inspected, inspected)
    world.put("object_drawn", drawn.targets.get(), drawn.targets.get())
    world.put("object_notified", notified.targets.get(), notified.targets.get())
    world.put("object_inspected", inspected.targets.get(), inspected.targets.get())


def _result(world, caller) -> dict:
    prefix = f"o{world.get('object_notified', caller).pk}"
    return {f"{prefix}-result": InspectionResult.NO_PROBLEM, f"{prefix}-inspected_on": TODAY.isoformat()}


def _new_draw(world, caller) -> dict:
    return {
        "year": TODAY.year - 1,
        "rate_percent": "2",
        "method": InspectionMethod.ON_SITE,
        "inspected_by": TODAY.isoformat(),
        "checklist": "登记事项\n年度报告",
    }


def _relation(world, caller) -> dict:
    inspector = world.get("inspector", caller)
    institution = world.get("institution", caller)
    return {f"r{inspector.pk}-institution": institution.pk, f"r{inspector.pk}-note": "配偶在该单位任职"}


CALLS.update(
    {
        ("page", "registration:draw_list", "GET"): Call(),
        ("page", "registration:draw_new", "GET"): Call(),
        ("page", "registration:draw_new", "POST"): Call(data=_new_draw, status=302),
        ("page", "registration:draw_detail", "GET"): Call(args=pk_of("draw_drawn")),
        ("page", "registration:draw_notify", "POST"): Call(
            args=pk_of("draw_drawn"), data=lambda world, caller: {"day": TODAY.isoformat()}, status=302
        ),
        ("page", "registration:draw_publish", "POST"): Call(args=pk_of("draw_inspected"), status=302),
        ("page", "registration:draw_export", "GET"): Call(args=pk_of("draw_inspected")),
        ("page", "registration:draw_object_record", "POST"): Call(
            args=pk_of("object_notified"), data=_result, status=302
        ),
        ("page", "registration:draw_notice", "GET"): Call(args=pk_of("object_drawn")),
        ("page", "registration:draw_object_file", "GET"): Call(args=pk_of("object_inspected")),
        ("page", "registration:inspector_list", "GET"): Call(),
        ("page", "registration:inspector_list", "POST"): Call(
            data=lambda world, caller: {"name": "周五", "unit": world.units["finance"].name}, status=302
        ),
        ("page", "registration:inspector_deactivate", "POST"): Call(args=pk_of("inspector"), status=302),
        ("page", "registration:inspector_relation", "POST"): Call(args=pk_of("inspector"), data=_relation, status=302),
        ("page", "registration_public:inspection_results", "GET"): Call(),
    }
)
