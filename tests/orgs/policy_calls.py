"""The policy test's requests for the organisation register's pages (see ``tests/core/policy_world.py``)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from bianzhi.core.files import Upload, file_store
from bianzhi.orgs.archive import document_file_attach
from bianzhi.orgs.models import UnitVersion
from tests.core.policy_world import TODAY, Call, document_fields, unit_pk
from tests.orgs.archive_support import blank_pdf
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


# ---------------------------------------------------------------- the document archive


def populate(world) -> None:
    """The documents that set up 教育局 and 财政局 (each cited by its unit's first version), each with its file."""
    documents = []
    for key in ("education", "finance"):
        document = UnitVersion.objects.filter(unit=world.units[key]).earliest("valid_from").document
        documents.append(document_file_attach(actor=None, document=document, upload=Upload(f"{key}.pdf", blank_pdf())))
    world.put("document", *documents)


def _document_pk(world, caller) -> dict:
    return {"pk": world.get("document", caller).pk}


def _document_with_file(world, caller) -> dict:
    """The document, its file put back in this test's own file store (each test has its own var/)."""
    file_store(Upload("扫描件.pdf", blank_pdf()))
    return _document_pk(world, caller)


def _load_files(world, caller) -> dict:
    index = "文号,标题,日期,发文机关,文件名\n锦编发〔2020〕99号,关于历史文件的通知,2020-03-02,锦绣县编委,历史.pdf\n"
    return {
        "index": SimpleUploadedFile("目录.csv", index.encode()),
        "files": [SimpleUploadedFile("历史.pdf", blank_pdf())],
    }


def _upload(world, caller) -> dict:
    return {"file": SimpleUploadedFile("扫描件.pdf", blank_pdf() + b"\n% another scan")}


CALLS |= {
    ("page", "orgs:document_list", "GET"): Call(query=lambda world, caller: {"q": "测编发"}),
    ("page", "orgs:document_export", "GET"): Call(),
    ("page", "orgs:document_detail", "GET"): Call(args=_document_pk),
    ("page", "orgs:document_file", "GET"): Call(args=_document_with_file),
    ("page", "orgs:document_upload", "POST"): Call(args=_document_pk, data=_upload, status=302),
    ("page", "orgs:document_edit", "GET"): Call(args=_document_pk),
    ("page", "orgs:document_edit", "POST"): Call(
        args=_document_pk,
        data=lambda world, caller: {"title": "关于设立机构的批复（更正）", "issuer": "锦绣县编委"},
        status=302,
    ),
    ("page", "orgs:document_load", "GET"): Call(),
    ("page", "orgs:document_load", "POST"): Call(data=_load_files),
    # a token of no session: the allowed caller is told the upload is gone
    ("page", "orgs:document_load_confirm", "POST"): Call(args=lambda world, caller: {"token": STALE_TOKEN}, status=302),
}
