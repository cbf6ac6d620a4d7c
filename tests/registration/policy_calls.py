"""The policy test's requests for the pages of the legal-person register (see ``tests/core/policy_world.py``)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from bianzhi.core.files import Upload
from bianzhi.core.models import Installation, current_installation
from bianzhi.core.workdays import add_working_days
from bianzhi.orgs.choices import UnitKind
from bianzhi.orgs.documents import DocumentRef
from bianzhi.registration.applications import Facts, application_create, material_upload
from bianzhi.registration.choices import CertificateKind, FundingSource, InspectionMethod, InspectionResult
from bianzhi.registration.draws import draw_create, draw_notify, draw_object_record, inspector_add
from bianzhi.registration.filings import filing_record
from bianzhi.registration.services import certificate_issue, institution_register
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
    applications = []
    for institution in registered:  # a unit's draft 变更 of its legal representative, the application form handed in
        application = application_create(
            actor=None,
            unit=institution.unit,
            kind="CHANGE",
            facts=Facts(items={"legal_representative": "钱进"}, fact_date=TODAY),
        )
        material_upload(actor=None, application=application, code="application_form", upload=Upload("申请书.pdf", PDF))
        applications.append(application)
    world.put("application", *applications)
    world.put(
        "filing",
        *(
            filing_record(
                actor=None,
                institution=institution,
                kind="BANK_ACCOUNT",
                details="基本账户",
                upload=Upload("开户许可证.pdf", PDF),
                filed_on=TODAY,
            )
            for institution in registered
        ),
    )
    world.put(
        "certificate",
        *(
            certificate_issue(actor=None, institution=institution, kind=CertificateKind.COPY, valid_from=LONG_AGO)
            for institution in registered
        ),
    )
    populate_draws(world)
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


PDF = b"%PDF-1.4\n% scan\n"


def _setup(world, caller) -> dict:
    unit = world.get("unregistered", caller)
    return {"kind": "SETUP", "unit": str(unit.pk), **_items(unit.name), "fact_date": TODAY.isoformat()}


def _application(world, caller) -> dict:
    return {"pk": world.get("application", caller).pk}


def _material(code: str):
    return lambda world, caller: {"pk": world.get("application", caller).pk, "code": code}


def _warn(world, caller) -> dict:
    fields = {**document_fields("锦编发〔2026〕43号"), "day": TODAY.isoformat(), "reason": "未按时报送年度报告"}
    return {f"warn-{name}": value for name, value in fields.items()}


def _certificate(world, caller) -> dict:
    certificate = world.get("certificate", caller)
    return {"pk": certificate.institution_id, "cert_pk": certificate.pk}


def _public_certificate(world, caller) -> dict:
    certificate = world.get("certificate", caller)
    return {"uscc": certificate.institution.uscc, "serial": certificate.serial}


CALLS = {
    ("api", "list_institutions", "GET"): Call(),
    ("api", "get_institution", "GET"): Call(args=lambda world, caller: {"uscc": world.get("institution", caller).uscc}),
    ("api", "list_registration_applications", "GET"): Call(),
    ("api", "create_registration_application", "POST"): Call(
        data=lambda world, caller: {
            "unit_id": world.get("unregistered", caller).pk,
            "kind": "SETUP",
            "items": _items(world.get("unregistered", caller).name),
            "fact_date": TODAY.isoformat(),
        },
        status=201,
    ),
    ("api", "get_registration_application", "GET"): Call(
        args=lambda world, caller: {"id": world.get("application", caller).pk}
    ),
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
    ("page", "registration:filing_record", "POST"): Call(
        args=pk_of("institution"),
        data=lambda world, caller: {
            "kind": "SEAL",
            "details": "公章",
            "filed_on": TODAY.isoformat(),
            "file": SimpleUploadedFile("印章印迹.pdf", PDF),
        },
        status=302,
    ),
    ("page", "registration:filing_file", "GET"): Call(
        args=lambda world, caller: {
            "pk": world.get("filing", caller).institution_id,
            "filing": world.get("filing", caller).pk,
        }
    ),
    ("page", "registration:application_list", "GET"): Call(),
    ("page", "registration:application_export", "GET"): Call(),
    ("page", "registration:application_new", "GET"): Call(query=lambda world, caller: {"kind": "SETUP"}),
    ("page", "registration:application_new", "POST"): Call(
        query=lambda world, caller: {"kind": "SETUP"}, data=_setup, status=302
    ),
    ("page", "registration:application_detail", "GET"): Call(args=_application),
    ("page", "registration:application_edit", "GET"): Call(args=_application),
    ("page", "registration:application_edit", "POST"): Call(
        args=_application,
        data=lambda world, caller: {
            **_items(world.get("application", caller).unit.name),
            "legal_representative": "孙立",
            "fact_date": TODAY.isoformat(),
        },
        status=302,
    ),
    ("page", "registration:application_step", "POST"): Call(
        args=lambda world, caller: {"pk": world.get("application", caller).pk, "name": "withdraw"}, status=302
    ),
    ("page", "registration:application_material_upload", "POST"): Call(
        args=_material("dismissal"),
        data=lambda world, caller: {"file": SimpleUploadedFile("免职文件.pdf", PDF)},
        status=302,
    ),
    ("page", "registration:application_material_defer", "POST"): Call(
        args=_material("identity"),
        data=lambda world, caller: {
            "promise": SimpleUploadedFile("承诺书.pdf", PDF),
            "due_on": add_working_days(TODAY, 3).due.isoformat(),
        },
        status=302,
    ),
    ("page", "registration:application_material_file", "GET"): Call(
        args=lambda world, caller: {
            "pk": world.get("application", caller).pk,
            "code": "application_form",
            "which": "file",
        }
    ),
    ("page", "registration:certificate_pdf", "GET"): Call(args=_certificate),
    ("page", "registration_public:institution_search", "GET"): Call(query=lambda world, caller: {"q": "会计"}),
    ("page", "registration_public:institution_detail", "GET"): Call(
        args=lambda world, caller: {"uscc": world.get("institution", caller).uscc}
    ),
    ("page", "registration_public:certificate_verify", "GET"): Call(args=_public_certificate),
    ("page", "registration_public:credit_list", "GET"): Call(args=lambda world, caller: {"which": "abnormal"}),
}
CALLS.update(annual_policy_calls.CALLS)


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
