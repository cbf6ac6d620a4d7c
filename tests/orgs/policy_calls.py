"""The policy test's requests for the organisation register's pages (see ``tests/core/policy_world.py``)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.core.policy_world import TODAY, Call, document_fields, unit_pk
from tests.reports.test_unit_import import DOC_FIELDS, _register_file

STALE_TOKEN = "x" * 32


def _change(world, caller) -> dict:
    return {"name": "锦绣县教育体育局", "effective_date": TODAY.isoformat(), **document_fields("锦编发〔2026〕71号")}


CALLS = {
    ("page", "orgs:unit_list", "GET"): Call(),
    ("page", "orgs:unit_options", "GET"): Call(query=lambda world, caller: {"q": "锦绣"}),
    ("page", "orgs:unit_create", "GET"): Call(),
    ("page", "orgs:unit_create", "POST"): Call(
        data=lambda world, caller: {
            "name": "锦绣县教育技术中心",
            "parent": world.unit(caller).name,
            "system_category": "ZHENGFU",
            "kind": "SHIYE",
            "nature": "SHIYE",
            "rank": "ZHENGKE",
            "institution_class": "GY1",
            "effective_date": TODAY.isoformat(),
            **document_fields("锦编发〔2026〕70号"),
        },
        status=302,
    ),
    ("page", "orgs:unit_detail", "GET"): Call(args=unit_pk()),
    ("page", "orgs:unit_children", "GET"): Call(args=unit_pk()),
    ("page", "orgs:sanding_new", "GET"): Call(args=unit_pk()),
    ("page", "orgs:sanding_new", "POST"): Call(
        args=unit_pk(),
        data=lambda world, caller: {
            "duties": "拟订本县教育发展规划\n管理本县各类学校",
            "staffing_xz": 10,
            "effective_date": TODAY.isoformat(),
            **document_fields("锦编发〔2026〕72号"),
        },
        status=302,
    ),
    ("page", "orgs:unit_change", "GET"): Call(
        args=lambda world, caller: {"pk": world.unit(caller).pk, "action": "rename"}
    ),
    ("page", "orgs:unit_change", "POST"): Call(
        args=lambda world, caller: {"pk": world.unit(caller).pk, "action": "rename"}, data=_change, status=302
    ),
    ("page", "orgs:unit_import", "GET"): Call(),
    ("page", "orgs:unit_import", "POST"): Call(
        data=lambda world, caller: {"file": SimpleUploadedFile("机构名册.xlsx", _register_file()), **DOC_FIELDS}
    ),
    ("page", "orgs:unit_import_template", "GET"): Call(),
    # a token of no session: the allowed caller is told the upload is gone
    ("page", "orgs:unit_import_confirm", "POST"): Call(args=lambda world, caller: {"token": STALE_TOKEN}, status=302),
    ("page", "orgs:unit_import_errors", "GET"): Call(args=lambda world, caller: {"token": STALE_TOKEN}, status=302),
}
