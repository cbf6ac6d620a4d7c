"""``{% document_link doc %}``: a document's 文号 linking to its page in the archive, wherever a record shows the
document it cites (unit history, the movement journal, a person's entries, a matter)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def document_link(document, inline: bool = False) -> str:
    """``inline``: the link sits in a line of text, so it is underlined (not told apart by its colour alone)."""
    if document is None:
        return "—"
    return format_html(
        '<a href="{}" class="{}" title="{}">{}</a>',
        reverse("orgs:document_detail", args=[document.pk]),
        "text-decoration-underline" if inline else "",
        document.title,
        document.number,
    )
