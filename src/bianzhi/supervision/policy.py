"""Who may use the pages of the 12310 complaints (see ``core/policy.py``): confidential, so only the handling role
(监督检查) and the 编办, with county-wide accounts; every other business role is refused. The public form and the
tracking page need no login."""

from bianzhi.core.policy import BIANBAN_OBJECT, BIANBAN_WORK, PUBLIC, Outcome, page

# the 编办 (county-wide) and 监督检查; an 编办 account limited to a subtree is refused
HANDLERS = BIANBAN_WORK.but(bianban_scoped=Outcome.REFUSE, oversight=Outcome.ALLOW)

RULES = [
    page("supervision:complaint_list", "GET", HANDLERS),
    page("supervision:complaint_export", "GET", HANDLERS),
    page("supervision:complaint_new", "GET", HANDLERS),
    page("supervision:complaint_new", "POST", HANDLERS),
    page("supervision:complaint_detail", "GET", HANDLERS),
    page("supervision:complaint_step", "POST", HANDLERS, "可办理的步骤见 complaints.TRANSITIONS"),
    page("supervision:complaint_reveal", "POST", HANDLERS, "每次显示举报人信息都记入审计日志"),
    page("supervision:complaint_file_add", "POST", HANDLERS),
    page("supervision:complaint_file", "GET", HANDLERS),
    page("supervision_public:complaint_new", "GET", PUBLIC),
    page("supervision_public:complaint_new", "POST", PUBLIC, "须答对验证题；每个地址每分钟限次"),
    page("supervision_public:complaint_track", "GET", PUBLIC),
    page("supervision_public:complaint_track", "POST", PUBLIC),
]

# 监督检查 campaigns: the office (编办 and 监督检查); an account limited to a subtree runs only the campaigns whose
# units all lie in it
SUPERVISORS = BIANBAN_WORK.but(oversight=Outcome.ALLOW)
CAMPAIGN = BIANBAN_OBJECT.but(oversight=Outcome.ALLOW)

RULES += [
    page("supervision:inspection_list", "GET", SUPERVISORS),
    page("supervision:inspection_new", "GET", SUPERVISORS),
    page("supervision:inspection_new", "POST", SUPERVISORS, "被检查单位须在本人管理范围内"),
    page("supervision:inspection_detail", "GET", CAMPAIGN),
    page("supervision:inspection_edit", "GET", CAMPAIGN),
    page("supervision:inspection_edit", "POST", CAMPAIGN),
    page("supervision:inspection_source_add", "POST", CAMPAIGN),
    page("supervision:inspection_step", "POST", CAMPAIGN, "开始实施、完成（各单位清单须登记完毕）"),
    page("supervision:inspection_unit", "GET", CAMPAIGN),
    page("supervision:inspection_unit", "POST", CAMPAIGN),
    page("supervision:inspection_rectify", "POST", CAMPAIGN, "每个问题只能转为一个整改事项"),
    page("supervision:inspection_export", "GET", CAMPAIGN),
    page("supervision:inspection_notice", "GET", CAMPAIGN, "每次打印都记入审计日志"),
]
