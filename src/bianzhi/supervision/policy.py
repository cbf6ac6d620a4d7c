"""Who may use the pages of 监督检查 (see ``core/policy.py``). The 12310 complaints are confidential: only the
handling role (监督检查) and the 编办, with county-wide accounts; every other business role is refused. The public
form and the tracking page need no login. The 整改台账: the office (监督检查 and the 编办, within scope) keeps it;
a unit sees and answers its own items."""

from bianzhi.core.policy import BIANBAN_OBJECT, BIANBAN_WORK, PUBLIC, UNIT_WORK, UNIT_WORK_OBJECT, Outcome, page

# the 编办 (county-wide) and 监督检查; an 编办 account limited to a subtree is refused
HANDLERS = BIANBAN_WORK.but(bianban_scoped=Outcome.REFUSE, oversight=Outcome.ALLOW)
# the office's own work, within scope
SUPERVISORS = BIANBAN_WORK.but(oversight=Outcome.ALLOW)
SUPERVISOR_OBJECT = BIANBAN_OBJECT.but(oversight=Outcome.ALLOW)
# the 整改台账: the office and the units, each within scope
RECTIFIERS = UNIT_WORK.but(oversight=Outcome.ALLOW)
RECTIFIER_OBJECT = UNIT_WORK_OBJECT.but(oversight=Outcome.ALLOW)

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
    page("supervision:index", "GET", RECTIFIERS, "监督检查部门和编办转到监督概览，单位转到本单位整改事项"),
    page("supervision:overview", "GET", SUPERVISORS, "举报的数字只给举报受理人员（全县范围）"),
    page("supervision:complaint_rectify", "POST", HANDLERS, "举报须经调查属实或部分属实并办结"),
    page("supervision:rectification_list", "GET", RECTIFIERS),
    page("supervision:rectification_export", "GET", RECTIFIERS),
    page("supervision:rectification_new", "GET", SUPERVISORS),
    page("supervision:rectification_new", "POST", SUPERVISOR_OBJECT, "整改单位须在其管理范围内"),
    page("supervision:rectification_detail", "GET", RECTIFIER_OBJECT),
    page(
        "supervision:rectification_step",
        "POST",
        RECTIFIER_OBJECT,
        "以报送整改计划为例；监督检查部门的环节只有监督检查和编办",
    ),
    page("supervision:rectification_file_add", "POST", RECTIFIER_OBJECT),
    page("supervision:rectification_file", "GET", RECTIFIER_OBJECT),
    page("supervision:rectification_notice_pdf", "GET", RECTIFIER_OBJECT),
]

# 监督检查 campaigns: the office (编办 and 监督检查); an account limited to a subtree runs only the campaigns whose
# units all lie in it
RULES += [
    page("supervision:inspection_list", "GET", SUPERVISORS),
    page("supervision:inspection_new", "GET", SUPERVISORS),
    page("supervision:inspection_new", "POST", SUPERVISORS, "被检查单位须在本人管理范围内"),
    page("supervision:inspection_detail", "GET", SUPERVISOR_OBJECT),
    page("supervision:inspection_edit", "GET", SUPERVISOR_OBJECT),
    page("supervision:inspection_edit", "POST", SUPERVISOR_OBJECT),
    page("supervision:inspection_source_add", "POST", SUPERVISOR_OBJECT),
    page("supervision:inspection_step", "POST", SUPERVISOR_OBJECT, "开始实施、完成（各单位清单须登记完毕）"),
    page("supervision:inspection_unit", "GET", SUPERVISOR_OBJECT),
    page("supervision:inspection_unit", "POST", SUPERVISOR_OBJECT),
    page("supervision:inspection_rectify", "POST", SUPERVISOR_OBJECT, "每个问题只能转为一个整改事项"),
    page("supervision:inspection_export", "GET", SUPERVISOR_OBJECT),
    page("supervision:inspection_notice", "GET", SUPERVISOR_OBJECT, "每次打印都记入审计日志"),
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
