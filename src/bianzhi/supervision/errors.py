from django.utils.translation import gettext_lazy as _

from bianzhi.core.errors import ErrorCode


class SupervisionError(ErrorCode):
    """监督检查: 12310 complaints, and the messages every part of 监督检查 shares (missing, bad choice, dates)."""

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


class RectificationError(ErrorCode):
    """监督检查: the 整改台账."""

    UNKNOWN_OPERATION = ("rectification.unknown_operation", _("未知的整改办理操作「{operation}」。"))
    NOT_ALLOWED = ("rectification.not_allowed", _("整改事项处于「{state}」环节，不能「{action}」。"))
    NOT_YOURS = ("rectification.not_yours", _("「{action}」由{side}办理，您没有这项权限。"))
    DEADLINE_DAYS = ("rectification.deadline_days", _("整改期限须为 1 至 {limit} 个工作日，「{value}」无效。"))
    NO_EVIDENCE = ("rectification.no_evidence", _("报送整改结果前须上传至少一份整改佐证材料。"))
    EXCESS_REMAINS = (
        "rectification.excess_remains",
        _("台账显示{unit}{what}仍超出 {excess} 名，尚不能销号；待超出部分消化后再核验。"),
    )
    LEDGER_ITEM = ("rectification.ledger_item", _("超编、超职数问题由系统按台账自动登记，无需手工登记。"))
    NOT_CONCLUDED = ("rectification.not_concluded", _("举报须经调查属实或部分属实并办结后，才能转为整改事项。"))


class InspectionError(ErrorCode):
    """监督检查: inspection campaigns."""

    BAD_YEAR = ("inspection.bad_year", _("检查年度「{value}」无效。"))
    PERIOD_REVERSED = ("inspection.period_reversed", _("检查期间的截止日期 {to} 早于起始日期 {start}，请核对。"))
    NO_UNITS = ("inspection.no_units", _("须选择至少一个被检查单位。"))
    UNIT_OUT_OF_SCOPE = ("inspection.unit_out_of_scope", _("{unit}不在您的管理范围内，不能列为被检查单位。"))
    NOT_ALLOWED = ("inspection.not_allowed", _("检查处于「{state}」状态，不能{action}。"))
    UNIT_NOT_IN_CAMPAIGN = ("inspection.unit_not_in_campaign", _("{unit}不在本次检查范围内，不能登记检查结果。"))
    UNIT_HAS_RESULTS = ("inspection.unit_has_results", _("已登记了{unit}的检查结果，不能把它移出检查范围。"))
    UNKNOWN_ITEM = ("inspection.unknown_item", _("检查清单中没有编号为「{code}」的检查项目。"))
    NOTE_REQUIRED = ("inspection.note_required", _("检查项目「{code}」结果为不符合，须写明发现的问题。"))
    SOURCE_UNKNOWN = ("inspection.source_unknown", _("问题来源须是本次检查已登记的联合检查来源。"))
    RECTIFIED = ("inspection.rectified", _("检查项目「{code}」的问题已转为整改事项，不能再改为「{result}」。"))
    UNRECORDED = (
        "inspection.unrecorded",
        _("还有 {count} 个单位的检查清单没有登记完毕（{units}），不能完成检查。"),
    )
    NOT_A_FINDING = ("inspection.not_a_finding", _("只有结果为不符合的检查项目才能转为整改事项。"))
    ALREADY_RECTIFIED = ("inspection.already_rectified", _("该问题已转为整改事项（第 {item} 号），不能重复登记。"))


class EvaluationError(ErrorCode):
    """监督检查: 机构编制执行情况和使用效益评估, 事业单位履职评估."""

    UNKNOWN_SET = ("evaluation.unknown_set", _("没有指标体系「{code}」。"))
    FUTURE_DATE = ("evaluation.future_date", _("评估基准日 {day} 晚于今天，只能评估已经发生的情况。"))
    UNIT_INACTIVE = ("evaluation.unit_inactive", _("{unit}在评估基准日 {day} 不是存续的机构。"))
    NOT_INSTITUTION = ("evaluation.not_institution", _("履职评估的对象须是事业单位，{unit}不是事业单位。"))
    NOT_ALLOWED = ("evaluation.not_allowed", _("评估处于「{state}」环节，不能「{action}」。"))
    UNKNOWN_INDICATOR = ("evaluation.unknown_indicator", _("该评估没有指标「{code}」。"))
    NOT_QUALITATIVE = ("evaluation.not_qualitative", _("「{name}」是定量指标，由系统计算，不能手工打分。"))
    SCORE_INVALID = ("evaluation.score_invalid", _("「{name}」的得分「{value}」不是数字。"))
    SCORE_NEGATIVE = ("evaluation.score_negative", _("「{name}」的得分 {value} 小于 0。"))
    SCORE_ABOVE_WEIGHT = ("evaluation.score_above_weight", _("「{name}」的得分 {value} 超过该指标分值 {weight} 分。"))
    QUALITATIVE_MISSING = ("evaluation.qualitative_missing", _("评定前须为定性指标打分：{names}。"))
    NOT_COMPUTED = ("evaluation.not_computed", _("评定前须先计算定量指标。"))
    FINDING_RECTIFIED = ("evaluation.finding_rectified", _("该问题已转为整改事项（第 {item} 号），不能重复转办。"))
    UNKNOWN_FINDING = ("evaluation.unknown_finding", _("该评估没有这条问题。"))
