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
    NO_ITEMS_ON = (
        "registration.no_items_on",
        _("证书 {serial} 的有效期起始日 {day} 该单位尚未登记，没有可打印的登记事项，请核对证书日期。"),
    )
    BAD_CERTIFICATE_KIND = ("registration.bad_certificate_kind", _("证书类别「{value}」无效，可选：正本、副本。"))
