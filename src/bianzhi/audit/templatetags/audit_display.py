import json

from django import template

from bianzhi.audit.actions import action_label

register = template.Library()


@register.filter
def audit_action(code: str) -> str:
    return action_label(code)


@register.filter
def as_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
