"""The HTTP API at /api/v1/ (django-ninja)."""

from django.urls import include, path

from bianzhi.api.api import api
from bianzhi.api.errors import with_json_method_errors

# (not named ``app_name``: Django would take a module attribute of that name as this urlconf's namespace)
_patterns, _app, _namespace = api.urls
for _pattern in _patterns:
    _pattern.callback = with_json_method_errors(api, _pattern.callback)

urlpatterns = [path("", include((_patterns, _app), namespace=_namespace))]
