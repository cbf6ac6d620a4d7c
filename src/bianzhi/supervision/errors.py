from django.utils.translation import gettext_lazy as _

from bianzhi.core.errors import ErrorCode


class SupervisionError(ErrorCode):
    """监督检查: 12310 complaints."""

    UNKNOWN_OPERATION = ("supervision.unknown_operation", _("未知的举报办理操作「{operation}」。"))
    NOT_ALLOWED = ("supervision.not_allowed", _("举报处于「{state}」环节，不能「{action}」。"))
    MISSING = ("supervision.missing", _("须填写{label}。"))
    BAD_CHOICE = ("supervision.bad_choice", _("{label}「{value}」无效。"))
    FUTURE_DATE = ("supervision.future_date", _("{label} {day} 晚于今天，不能登记尚未发生的事。"))
    DATE_BEFORE = ("supervision.date_before", _("{label} {day} 早于{other} {before}，请核对。"))
    PAUSED = ("supervision.paused", _("该举报正在暂停计时（{since} 起，等待补充材料），请先恢复计时再「{action}」。"))
    NOT_PAUSED = ("supervision.not_paused", _("该举报没有暂停计时，无需恢复。"))
    EXTENSION_USED = ("supervision.extension_used", _("该举报已延期 {days} 个工作日，只能延期一次。"))
    EXTENSION_DAYS = (
        "supervision.extension_days",
        _("延期须为 1 至 {limit} 个工作日，「{value}」无效；特别重大复杂的须另行报批。"),
    )
    NOT_INFORMED = ("supervision.not_informed", _("实名举报延期办理须告知举报人，请确认已告知后再延期。"))
    CAPTCHA_WRONG = ("supervision.captcha_wrong", _("验证题答案不正确，请重新作答。"))
    CAPTCHA_EXPIRED = ("supervision.captcha_expired", _("验证题已过期或已使用，请回答新的验证题。"))
    ANONYMOUS_IDENTITY = ("supervision.anonymous_identity", _("匿名举报不记录举报人姓名和联系方式。"))
    NO_IDENTITY = ("supervision.no_identity", _("实名举报须填写举报人姓名和联系方式。"))
