"""The HTTP API at /api/v1/ (django-ninja)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
