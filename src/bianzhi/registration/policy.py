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
    page("registration:credit_record", "POST", REGISTRATION_OBJECT),
]

# 双随机一公开: draws and the inspector pool cover the whole county, so accounts limited to a subtree do not see them
COUNTY_READ = READ.but(bianban_scoped=Outcome.REFUSE, unit_own=Outcome.REFUSE, unit_other=Outcome.REFUSE)
RULES += [
    page("registration:draw_list", "GET", COUNTY_READ),
    page("registration:draw_new", "GET", REGISTRATION_OBJECT),
    page("registration:draw_new", "POST", REGISTRATION_OBJECT),
    page("registration:draw_detail", "GET", COUNTY_READ),
    page("registration:draw_notify", "POST", REGISTRATION_OBJECT),
    page("registration:draw_publish", "POST", REGISTRATION_OBJECT),
    page("registration:draw_export", "GET", COUNTY_READ),
    page("registration:draw_object_record", "POST", REGISTRATION_OBJECT),
    page("registration:draw_notice", "GET", REGISTRATION_OBJECT),
    page("registration:draw_object_file", "GET", COUNTY_READ),
    page("registration:inspector_list", "GET", COUNTY_READ),
    page("registration:inspector_list", "POST", REGISTRATION_OBJECT),
    page("registration:inspector_deactivate", "POST", REGISTRATION_OBJECT),
    page("registration:inspector_relation", "POST", REGISTRATION_OBJECT),
    page("registration_public:inspection_results", "GET", PUBLIC),
]
