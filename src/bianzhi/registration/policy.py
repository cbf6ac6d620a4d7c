"""Who may use the pages of the legal-person register (see ``core/policy.py``): every business role reads within
its scope; the 编办 and the 登记管理 staff write."""

from bianzhi.core.policy import BIANBAN_OBJECT, BIANBAN_WORK, PUBLIC, READ, READ_OBJECT, Outcome, page

# the 登记管理 staff besides the 编办 (county-wide accounts in the table)
REGISTRATION_WORK = BIANBAN_WORK.but(registration=Outcome.ALLOW)
REGISTRATION_OBJECT = BIANBAN_OBJECT.but(registration=Outcome.ALLOW)

RULES = [
    page("registration:institution_list", "GET", READ),
    page("registration:institution_export", "GET", READ),
    page("registration:institution_detail", "GET", READ_OBJECT),
    page("registration:institution_new", "GET", REGISTRATION_WORK),
    page("registration:institution_new", "POST", REGISTRATION_OBJECT, "登记的机构须在其管理范围内"),
    page("registration:institution_change", "GET", REGISTRATION_OBJECT),
    page("registration:institution_change", "POST", REGISTRATION_OBJECT),
    page("registration:certificate_issue", "POST", REGISTRATION_OBJECT),
    page("registration:certificate_pdf", "GET", READ_OBJECT),
    page("registration:credit_record", "POST", REGISTRATION_OBJECT),
    # the published register (registration/public_urls.py): no login
    page("registration_public:institution_search", "GET", PUBLIC),
    page("registration_public:institution_detail", "GET", PUBLIC),
    page("registration_public:certificate_verify", "GET", PUBLIC),
    page("registration_public:credit_list", "GET", PUBLIC),
]
