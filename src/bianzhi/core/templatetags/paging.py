"""Page numbers for the lists' pagination bar: the first and last pages, and two either side of the current one."""

from django import template
from django.core.paginator import Page

register = template.Library()


@register.filter
def page_numbers(page: Page) -> list:
    """Numbers, with ``Paginator.ELLIPSIS`` ("…") where pages are left out."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
