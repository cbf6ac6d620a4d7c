"""The NinjaAPI at /api/v1/. No interactive docs page: ninja's Swagger UI loads from a CDN, and pages here may
reference no external host; the OpenAPI document is at /api/v1/openapi.json."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from bianzhi.api.auth import TokenAuth
from bianzhi.api.errors import JsonParser, install_error_handlers
from bianzhi.api.routers import events, matters, movements, reconciliations, registration, roster, supervision, units
from bianzhi.api.scopes import Scope
from bianzhi.api.services import api_call_record
from bianzhi.core.request_context import current_request_info


class ReadableJSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Chinese as characters, not \u escapes


class BianzhiAPI(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        token = getattr(request, "api_token", None)
        if token is not None:  # a call with a valid token, answered or refused: who, what, how many rows
            api_call_record(
                token=token,
                method=request.method,
                path=request.get_full_path(),
                status=response.status_code,
                data=data,
                client_ip=current_request_info().client_ip,
            )
        return response

    def get_openapi_operation_id(self, operation) -> str:
        # "list_units", not "bianzhi_api_routers_units_list_units": the name clients generate methods from
        return operation.view_func.__name__


api = BianzhiAPI(
    title="Bianzhi API",
    version="1",
    description=(
        "机构编制数据接口：机构、编制台账、编制变动、实名制、数据共享事件。"
        "访问令牌由安全管理员在「合作部门与接口」页面或用 `bianzhi apitoken issue` 签发，授权范围见 docs/api.md。"
    ),
    urls_namespace="bianzhi-api-v1",
    docs_url=None,
    auth=TokenAuth(),
    renderer=ReadableJSONRenderer(),
    parser=JsonParser(),
)
install_error_handlers(api)
# each router's reads open with one scope (api.scopes); its writes, and the routers named with none, need "full"
api.add_router("", units.router, auth=TokenAuth(Scope.LEDGER_READ))
api.add_router("", movements.router, auth=TokenAuth(Scope.LEDGER_READ))
api.add_router("", roster.router, auth=TokenAuth(Scope.ROSTER_READ))
api.add_router("", matters.router, auth=TokenAuth(Scope.MATTERS_READ))
api.add_router("", registration.router)
api.add_router("", supervision.router)
api.add_router("", events.router, auth=TokenAuth(Scope.EVENTS))
api.add_router("", reconciliations.router, auth=TokenAuth(Scope.RECONCILE_UPLOAD, writes=True))
