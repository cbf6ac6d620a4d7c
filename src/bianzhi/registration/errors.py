from django.utils.translation import gettext_lazy as _

from bianzhi.core.errors import ErrorCode


class RegistrationError(ErrorCode):
    """事业单位法人登记: the code allocator, the register, certificates and credit."""

    NO_REGION = (
        "registration.no_region",
        _("本系统尚未设置本县的行政区划代码，无法赋予统一社会信用代码：请系统管理员先设置本系统所属地区。"),
    )
    BAD_CATEGORY = ("registration.bad_category", _("机构类别「{value}」无效，可选：{allowed}。"))
    CODES_EXHAUSTED = ("registration.codes_exhausted", _("本县的主体标识码已用尽，请联系上级登记管理机关。"))
    BAD_USCC = ("registration.bad_uscc", _("统一社会信用代码「{value}」无效：{reason}"))
    USCC_TAKEN = ("registration.uscc_taken", _("统一社会信用代码 {value} 已赋予其他机构，不能重复使用。"))
    ALREADY_REGISTERED = ("registration.already_registered", _("「{unit}」已办理法人登记（{uscc}），不能重复登记。"))
    UNIT_NOT_ACTIVE = ("registration.unit_not_active", _("「{unit}」已不存续，不能办理法人登记。"))
    MISSING_ITEM = ("registration.missing_item", _("登记事项「{label}」不能为空。"))
    BAD_CAPITAL = ("registration.bad_capital", _("开办资金须为不小于 0 的金额（万元），「{value}」无效。"))
    UNKNOWN_ITEM = ("registration.unknown_item", _("「{name}」不是登记事项。"))
    NO_CHANGE = ("registration.no_change", _("所填登记事项与现登记事项相同，没有需要变更的内容。"))
    DATE_BEFORE_CURRENT = (
        "registration.date_before_current",
        _("变更日期 {day} 不晚于现登记事项的起始日期 {current}：变更须晚于现登记事项，请核对。"),
    )
    FUTURE_DATE = ("registration.future_date", _("日期 {day} 晚于今天，不能登记尚未发生的事项。"))
    NOT_REGISTERED = ("registration.not_registered", _("该法人登记处于「{status}」状态，不能{action}。"))
    CREDIT_LISTED = (
        "registration.credit_listed",
        _("该单位处于「{state}」状态（{since} 起），暂停办理登记管理事项；纠正违法行为的变更登记除外。"),
    )
    CREDIT_REVOKED = ("registration.credit_revoked", _("该单位的法人登记已于 {since} 撤销，不能再办理登记事项。"))
    CREDIT_TRANSITION = (
        "registration.credit_transition",
        _("信用状态为「{state}」时不能「{action}」。"),
    )
    UNKNOWN_CREDIT_ACTION = ("registration.unknown_credit_action", _("未知的信用管理操作「{name}」。"))
    REASON_REQUIRED = ("registration.reason_required", _("须写明{what}。"))
    CREDIT_DATE_ORDER = (
        "registration.credit_date_order",
        _("日期 {day} 早于上一条信用记录的日期 {last}，请核对。"),
    )
    BAD_CERTIFICATE_KIND = ("registration.bad_certificate_kind", _("证书类别「{value}」无效，可选：正本、副本。"))
    # 双随机一公开
    BAD_RATE = ("registration.bad_rate", _("抽查比例须在 1% 至 3% 之间，「{value}」无效。"))
    BAD_YEAR = ("registration.bad_year", _("抽查年度「{value}」无效：只能抽查本年度或上一年度。"))
    EMPTY_BASE = (
        "registration.empty_base",
        _("{year} 年度没有可抽查的事业单位法人：已登记的单位都已在本年度其他抽查中被抽取，或尚无已登记的单位。"),
    )
    EMPTY_CHECKLIST = (
        "registration.empty_checklist",
        _("须填写年度抽查事项清单（每行一项）：未列入清单的内容不得进行检查。"),
    )
    BAD_METHOD = ("registration.bad_method", _("检查方式「{value}」无效，可选：书面审查、实地核查、网络监测。"))
    BAD_SEED = ("registration.bad_seed", _("随机种子须为 1 至 200 个字符的公开摇号结果，「{value}」无效。"))
    TOO_FEW_INSPECTORS = (
        "registration.too_few_inspectors",
        _(
            "抽中的「{name}」（{uscc}）可派的检查人员只有 {count} 名（已回避本单位、举办单位和申报利害关系的人员），"
            "检查人员不少于两人：请先在检查人员名录库中补充人员后重新抽取。本次抽查未保存。"
        ),
    )
    BAD_INSPECT_BY = ("registration.bad_inspect_by", _("检查完成期限 {day} 早于抽取日期 {drawn}，请核对。"))
    NOTICE_BEFORE_DRAW = ("registration.notice_before_draw", _("通知日期 {day} 早于抽取日期 {drawn}，请核对。"))
    DRAW_MISMATCH = ("registration.draw_mismatch", _("抽查 {number} 核验不一致："))
    DRAW_STATE = ("registration.draw_state", _("抽查 {number} 处于「{state}」状态，不能{action}。"))
    RESULT_MISSING = (
        "registration.result_missing",
        _("抽查 {number} 还有 {count} 个对象未录入检查结果（如「{name}」），全部录入后才能公示。"),
    )
    BAD_RESULT = ("registration.bad_result", _("抽查结果「{value}」无效，可选：{allowed}。"))
    FINDINGS_REQUIRED = ("registration.findings_required", _("抽查结果为「{result}」时须写明检查情况。"))
    INSPECTED_BEFORE_NOTICE = (
        "registration.inspected_before_notice",
        _("检查日期 {day} 早于通知书送达日期 {notified}，请核对。"),
    )
    INSPECTOR_NAME = ("registration.inspector_name", _("检查人员姓名不能为空。"))
    INSPECTOR_INACTIVE = ("registration.inspector_inactive", _("检查人员「{name}」已不在名录库中。"))
    RELATION_EXISTS = ("registration.relation_exists", _("「{name}」已申报与「{institution}」的利害关系。"))
    RELATION_NOTE = ("registration.relation_note", _("须写明利害关系（如：近亲属在该单位任职）。"))
