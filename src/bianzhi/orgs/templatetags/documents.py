"""``{% document_link doc %}``: a document's 文号 linking to its page in the archive, wherever a record shows the
document it cites (unit history, the movement journal, a person's entries, a matter)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def document_link(document) -> str:
    if document is None:
        return "—"
    return format_html(
        '<a href="{}" title="{}">{}</a>',
        reverse("orgs:document_detail", args=[document.pk]),
        document.title,
        document.number,
    )
