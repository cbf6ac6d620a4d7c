"""The OpenAPI document, and schemathesis throwing generated requests at every operation of a small demo county:
no answer may be a server error, and every answer must be one the schema declares, in the shape it declares."""

from __future__ import annotations

import json
import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup, ServerError
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from bianzhi.accounts.models import User
from bianzhi.api.services import api_token_issue
from bianzhi.demo.county import DemoSpec, build_demo
from bianzhi.exchange.models import ReconciliationRun
from bianzhi.matters.choices import MatterKind
from bianzhi.matters.services import change_step_add, matter_create
from bianzhi.orgs.choices import UnitKind
from bianzhi.orgs.models import Unit
from bianzhi.registration.applications import Facts, application_create
from bianzhi.registration.services import certificate_issue, institution_register
from bianzhi.roster import staffing
from bianzhi.supervision.models import Evaluation
from tests.factories import START, doc, make_unit
from tests.roster.support import approved, entry_doc, give_slots, person

pytestmark = pytest.mark.django_db

SCHEMA_PATH = "/api/v1/openapi.json"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    ignored_auth,
]
# Per operation and mode: enough to reach every error path, small enough for < 60 s per database.
# Set BIANZHI_API_FUZZ_EXAMPLES higher for a longer hunt.
EXAMPLES = int(os.environ.get("BIANZHI_API_FUZZ_EXAMPLES", "25"))


@pytest.fixture
def application():
    """The real WSGI stack. Like Django's test client, keep the test's connection (and its transaction) open
    across requests instead of letting each request close it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _roster() -> dict:
    """A unit of the tests' own (the demo's units may be full) with an approval that has a slot left and a person
    on the other one, for the roster operations to reach."""
    unit = make_unit("锦绣县接口联调中心")
    give_slots(unit, 2)
    approval = approved(unit, 2)
    today = timezone.localdate()
    occupancy = staffing.occupancy_start(
        actor=None,
        data=person("林晓"),
        slot=staffing.Slot(approval=approval),
        start_date=today,
        entry_mode="KL",
        document=entry_doc(today),
    )
    matter = matter_create(actor=None, proposer=unit, kind=MatterKind.RENAME, title="更名", necessity="职能调整")
    change_step_add(actor=None, matter=matter, operation="unit_rename", params={"unit": unit.pk, "name": "新名称"})
    return {
        "/api/v1/persons/": occupancy.person_id,
        "/api/v1/approvals/": approval.pk,
        "/api/v1/matters/": matter.pk,
        "/api/v1/registration-applications/": _application().pk,
    }


def _application():
    """A registered 事业单位 of the tests' own with a draft application for a new 副本."""
    unit = make_unit("锦绣县接口联调服务站", kind=UnitKind.SHIYE)
    items = {
        "name": unit.name,
        "address": "锦绣县人民路 1 号",
        "purpose": "接口联调。",
        "legal_representative": "王明",
        "capital": 10,
        "funding_source": "FULL",
    }
    institution = institution_register(actor=None, unit=unit, items=items, document=doc(), effective_date=START)
    certificate_issue(actor=None, institution=institution, kind="COPY", valid_from=START)
    return application_create(actor=None, unit=unit, kind="RENEW", facts=Facts(certificate_kinds=("COPY",)))


@pytest.fixture
def demo():
    build_demo(DemoSpec(units=60))
    _, token = api_token_issue(actor=None, user=User.objects.get(username="bianban"), name="schemathesis")
    unit = Unit.objects.filter(quota_accounts__isnull=False, post_accounts__isnull=False).order_by("pk").first()
    # a real id for each collection's {id}: valid requests reach the success paths; generated ids mostly find nothing
    ids = {
        "/api/v1/units/": unit.pk,
        "/api/v1/evaluations/": Evaluation.objects.order_by("pk")[0].pk,
        "/api/v1/reconciliations/": ReconciliationRun.objects.create(
            as_of=START, payroll_name="工资.csv", hr_name="人事.csv", state=ReconciliationRun.State.DONE
        ).pk,
        **_roster(),
    }
    return {"headers": {"Authorization": f"Bearer {token}"}, "ids": ids}


def _negation_never_reaches_the_server(case, headers: dict) -> bool:
    """Cases whose invalid part the server cannot see, so that accepting them is right: headers (the caller's valid
    token replaces the generated ``Authorization``, the only header the API declares), or the body of a file upload
    (a file is any bytes; its content is judged by the reconciliation run, which rejects a file it cannot read)."""
    negative = {location for location, info in case.meta.components.items() if info.mode.is_negative}
    if negative == {ParameterLocation.HEADER} and "Authorization" in headers:
        return True
    return negative == {ParameterLocation.BODY} and (case.media_type or "").startswith("multipart/")


def exercise(operation, mode: GenerationMode, headers: dict, **fixed) -> None:
    """Raises (through hypothesis, with the failing request shrunk) if any check fails."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode, **fixed))
    def exchange(case):
        response = case.call(headers=headers)
        negated = mode.is_negative and not _negation_never_reaches_the_server(case, headers)
        checks = [*CHECKS, negative_data_rejection] if negated else CHECKS
        case.validate_response(response, checks=checks, headers=headers)

    exchange()


def test_openapi_document_describes_the_api(client):
    response = client.get(SCHEMA_PATH)
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Bianzhi API"
    assert schema["info"]["version"] == "1"
    assert set(schema["paths"]) == {
        "/api/v1/units",
        "/api/v1/units/{id}",
        "/api/v1/units/{id}/ledger",
        "/api/v1/movements",
        "/api/v1/persons",
        "/api/v1/persons/{id}",
        "/api/v1/approvals",
        "/api/v1/approvals/{id}",
        "/api/v1/approvals/{id}/{action}",
        "/api/v1/onboardings",
        "/api/v1/offboardings",
        "/api/v1/transfers",
        "/api/v1/matters",
        "/api/v1/matters/{id}",
        "/api/v1/matters/{id}/transitions",
        "/api/v1/matters/{id}/attachments",
        "/api/v1/institutions",
        "/api/v1/institutions/{uscc}",
        "/api/v1/registration-applications",
        "/api/v1/registration-applications/{id}",
        "/api/v1/annual-reports",
        "/api/v1/complaints",
        "/api/v1/rectifications",
        "/api/v1/evaluations",
        "/api/v1/evaluations/{id}",
        "/api/v1/events",
        "/api/v1/reconciliations",
        "/api/v1/reconciliations/{id}",
    }
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            declared = set(operation["responses"])
            assert {"401", "403", "404", "422", "500"} <= declared, (method, path)
            assert operation["security"] == [{"TokenAuth": []}]


def test_the_api_has_its_own_url_namespace():
    assert reverse("bianzhi-api-v1:openapi-json") == SCHEMA_PATH
    assert reverse("bianzhi-api-v1:get_unit", kwargs={"id": 7}) == "/api/v1/units/7"


def test_no_interactive_docs_page_and_no_external_host(client):
    assert client.get("/api/v1/docs").status_code == 404
    text = client.get(SCHEMA_PATH).content.decode()
    assert "http://" not in text
    assert "https://" not in text


@pytest.mark.slow
def test_generated_requests_get_declared_answers_and_never_a_server_error(application, demo, settings):
    settings.BIANZHI_API_CALLS_PER_MINUTE = 0  # thousands of calls a minute: each must reach its operation
    schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, application)
    for result in schema.get_all_operations():
        operation = result.ok()
        collection, has_id, _ = operation.path.partition("{id}")
        fixed = {"path_parameters": {"id": demo["ids"][collection]}} if has_id else {}
        exercise(operation, GenerationMode.POSITIVE, demo["headers"], **fixed)
        exercise(operation, GenerationMode.NEGATIVE, demo["headers"])


@pytest.fixture
def broken_unit_reads(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("simulated defect")

    monkeypatch.setattr("bianzhi.api.routers.units.unit_for", broken)


def test_the_schema_checks_catch_a_server_error(application, county, tokens, broken_unit_reads):
    """The run above proves something only if a failure would fail it."""
    headers = {"Authorization": f"Bearer {tokens['bianban']}"}
    schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, application)
    operation = schema["/api/v1/units/{id}"]["GET"]
    with pytest.raises(FailureGroup) as caught:
        exercise(operation, GenerationMode.POSITIVE, headers, path_parameters={"id": county["school"].pk})
    assert [type(failure) for failure in caught.value.exceptions] == [ServerError]


def test_a_server_error_has_the_error_shape_and_no_traceback(api, county, tokens, broken_unit_reads):
    answer = api.get(f"/units/{county['school'].pk}", tokens["bianban"], expect_server_error=True)
    assert answer.status == 500
    assert answer.body["code"] == "api.internal"
    assert answer.body["details"]["request_id"] == answer.headers["X-Request-ID"]
    assert "simulated defect" not in json.dumps(answer.body)
