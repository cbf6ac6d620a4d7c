"""Who may use the organisation register's pages (see ``core/policy.py``)."""

from bianzhi.core.policy import BIANBAN_OBJECT, BIANBAN_WORK, READ, READ_OBJECT, page

RULES = [
    page("orgs:unit_list", "GET", READ),
    page("orgs:unit_options", "GET", READ),
    page("orgs:unit_create", "GET", BIANBAN_WORK),
    page("orgs:unit_create", "POST", BIANBAN_OBJECT, "上级机构为他单位时拒绝"),
    page("orgs:unit_detail", "GET", READ_OBJECT),
    page("orgs:unit_children", "GET", READ_OBJECT),
    page("orgs:sanding_new", "GET", BIANBAN_OBJECT),
    page("orgs:sanding_new", "POST", BIANBAN_OBJECT),
    page("orgs:unit_change", "GET", BIANBAN_OBJECT),
    page("orgs:unit_change", "POST", BIANBAN_OBJECT),
    page("orgs:unit_import", "GET", BIANBAN_WORK),
    page("orgs:unit_import", "POST", BIANBAN_WORK, "文件中范围外的上级机构逐行报错"),
    page("orgs:unit_import_template", "GET", BIANBAN_WORK),
    page("orgs:unit_import_confirm", "POST", BIANBAN_WORK),
    page("orgs:unit_import_errors", "GET", BIANBAN_WORK),
]
