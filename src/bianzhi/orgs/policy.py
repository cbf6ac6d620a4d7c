"""Who may use the organisation register's pages (see ``core/policy.py``)."""

from bianzhi.core.policy import BIANBAN_OBJECT, BIANBAN_WORK, READ, READ_OBJECT, Outcome, page

COUNTY_BIANBAN_WORK = BIANBAN_WORK.but(bianban_scoped=Outcome.REFUSE)

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
    # the archive: the county's accounts see every document, a unit's those its own records cite
    page("orgs:document_list", "GET", READ),
    page("orgs:document_export", "GET", READ),
    page("orgs:document_detail", "GET", READ_OBJECT, "他单位记录引用的文件拒绝"),
    page("orgs:document_file", "GET", READ_OBJECT),
    page("orgs:document_upload", "POST", BIANBAN_OBJECT),
    page("orgs:document_edit", "GET", BIANBAN_OBJECT),
    page("orgs:document_edit", "POST", BIANBAN_OBJECT),
    page("orgs:document_load", "GET", COUNTY_BIANBAN_WORK, "限某系统的编办经办不能批量导入全县的文件"),
    page("orgs:document_load", "POST", COUNTY_BIANBAN_WORK),
    page("orgs:document_load_confirm", "POST", COUNTY_BIANBAN_WORK),
]
