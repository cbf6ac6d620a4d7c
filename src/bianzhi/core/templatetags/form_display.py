"""Filters the shared form templates use."""

from django import template

register = template.Library()


@register.filter
def errored_fields(form) -> list:
    """The bound fields of ``form`` that have errors, in the form's order: the summary above a form lists them."""
    return [field for field in form if field.errors]
