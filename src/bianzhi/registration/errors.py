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
    # 年度报告 (registration.annual)
    ANNUAL_YEAR_NOT_ENDED = (
        "registration.annual_year_not_ended",
        _("{year} 年度尚未结束，不能报送该年度的年度报告（年度报告在次年 {start} 至 {end} 报送）。"),
    )
    ANNUAL_NOT_REGISTERED_IN_YEAR = (
        "registration.annual_not_registered_in_year",
        _("该单位 {day} 才登记，{year} 年度不需要报送年度报告。"),
    )
    ANNUAL_WRONG_STATE = ("registration.annual_wrong_state", _("年度报告处于「{state}」状态，不能{action}。"))
    ANNUAL_MISSING_SECTION = (
        "registration.annual_missing_section",
        _("年度报告「{label}」未填写：每一部分都须填写，没有的写“无”。"),
    )
    ANNUAL_MISSING_ATTACHMENT = ("registration.annual_missing_attachment", _("缺少附件「{label}」，请上传后再报送。"))
    ANNUAL_NOT_DECLARED = (
        "registration.annual_not_declared",
        _("请确认“登记事项与实际一致”；不一致的，须先办理变更登记，再报送年度报告。"),
    )
    ANNUAL_BAD_KIND = ("registration.annual_bad_kind", _("附件类别「{value}」无效，可选：{allowed}。"))
    ANNUAL_BAD_AMOUNT = ("registration.annual_bad_amount", _("「{label}」须为金额（万元），「{value}」无效。"))
    ANNUAL_BAD_YEAR = ("registration.annual_bad_year", _("年度「{value}」无效。"))
    SANCTION_NOT_OVERDUE = (
        "registration.sanction_not_overdue",
        _("{day} 时该单位的 {year} 年度报告不属于逾期未报（报送期限 {end}），不能处理。"),
    )
    SANCTION_ORDER = ("registration.sanction_order", _("须先「{previous}」，才能「{step}」。"))
    SANCTION_DONE = ("registration.sanction_done", _("{year} 年度已于 {day}「{step}」，不能重复处理。"))
    SANCTION_DATE_ORDER = (
        "registration.sanction_date_order",
        _("日期 {day} 早于上一步措施的日期 {last}，请核对。"),
    )
    SANCTION_CREDIT_FIRST = (
        "registration.sanction_credit_first",
        _("信用状态为「{state}」，不能撤销登记：须先经信用管理「列入异常名录」「列入黑名单」，再撤销登记。"),
    )
