"""The HTTP API at /api/v1/ (django-ninja)."""

from django.urls import include, path
from django.views.decorators.http import require_safe

from bianzhi.api.api import api
from bianzhi.api.errors import with_json_method_errors

# (not named ``app_name``: Django would take a module attribute of that name as this urlconf's namespace)
_patterns, _app, _namespace = api.urls
for _pattern in _patterns:
    # ninja serves its OpenAPI document to any method; it is read-only, like every other GET route
    _view = require_safe(_pattern.callback) if _pattern.name == "openapi-json" else _pattern.callback
    _pattern.callback = with_json_method_errors(api, _view)

urlpatterns = [path("", include((_patterns, _app), namespace=_namespace))]
