"""The policy test's requests for the reports and the unit import (see ``tests/core/policy_world.py``)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.core.policy_world import TODAY, Call
from tests.reports.test_unit_import import DOC_FIELDS, _register_file

STALE_TOKEN = "x" * 32

CALLS = {
    ("page", "reports:index", "GET"): Call(),
    ("page", "reports:ledger_xlsx", "GET"): Call(
        query=lambda world, caller: {"unit": world.unit(caller).pk, "as_of": TODAY.isoformat()}
    ),
    ("page", "reports:unit_import", "GET"): Call(),
    ("page", "reports:unit_import", "POST"): Call(
        data=lambda world, caller: {"file": SimpleUploadedFile("机构名册.xlsx", _register_file()), **DOC_FIELDS}
    ),
    ("page", "reports:unit_import_template", "GET"): Call(),
    # a token of no session: the allowed caller is told the upload is gone
    ("page", "reports:unit_import_confirm", "POST"): Call(
        args=lambda world, caller: {"token": STALE_TOKEN}, status=302
    ),
    ("page", "reports:unit_import_errors", "GET"): Call(args=lambda world, caller: {"token": STALE_TOKEN}, status=302),
}
