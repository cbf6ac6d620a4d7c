"""实名制公示 is public (see ``core/policy.py``)."""

from bianzhi.core.policy import PUBLIC, page

RULES = [
    page("disclosure:unit_list", "GET", PUBLIC),
    page("disclosure:county_xlsx", "GET", PUBLIC),
    page("disclosure:unit_detail", "GET", PUBLIC),
    page("disclosure:unit_xlsx", "GET", PUBLIC),
]
