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

# 机构编制评估 (supervision.evaluations): the office's work, each account within its scope; an evaluation is the
# evaluated unit's object, so an account limited to a subtree is refused another branch's
SUPERVISORS = BIANBAN_WORK.but(oversight=Outcome.ALLOW)
EVALUATION = BIANBAN_OBJECT.but(oversight=Outcome.ALLOW)

RULES += [
    page("supervision:evaluation_list", "GET", SUPERVISORS),
    page("supervision:evaluation_export", "GET", SUPERVISORS),
    page("supervision:evaluation_new", "GET", SUPERVISORS),
    page("supervision:evaluation_new", "POST", SUPERVISORS, "评估对象须在本人管理范围内"),
    page("supervision:evaluation_detail", "GET", EVALUATION),
    page("supervision:evaluation_compute", "POST", EVALUATION),
    page("supervision:evaluation_scores", "POST", EVALUATION),
    page("supervision:evaluation_decide", "POST", EVALUATION),
    page("supervision:evaluation_finding_add", "POST", EVALUATION),
    page("supervision:evaluation_finding_rectify", "POST", EVALUATION),
    page("supervision:evaluation_report", "POST", EVALUATION),
    page("supervision:evaluation_pdf", "GET", EVALUATION),
]
