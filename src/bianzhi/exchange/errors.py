from django.utils.translation import gettext_lazy as _

from bianzhi.core.errors import ErrorCode


class ReconcileError(ErrorCode):
    """数据共享: the three-way reconciliation 编制 × 财政 × 人社."""

    NO_ID_COLUMN = (
        "reconcile.no_id_column",
        _("{file}「{name}」前 {rows} 行中找不到「公民身份号码」（或「身份证号」）一列，无法比对。"),
    )
    UNREADABLE = ("reconcile.unreadable", _("{file}「{name}」无法读取：{reason}"))
    FUTURE_DATE = ("reconcile.future_date", _("比对日期 {day} 晚于今天，实名制数据只能比对到今天。"))
    BAD_DATE = ("reconcile.bad_date", _("比对日期「{value}」无效，请写成 2026-03-31 的形式。"))
    MISSING_FILE = ("reconcile.missing_file", _("须上传{file}。"))
    UNKNOWN_ACTION = ("reconcile.unknown_action", _("未知的核实操作「{action}」。"))
    NOT_OPEN = ("reconcile.not_open", _("该差异已「{state}」，不能再「{action}」。"))
    NO_REASON = ("reconcile.no_reason", _("「{action}」须写明理由。"))
    NOT_FINISHED = ("reconcile.not_finished", _("比对尚未完成，请稍后再试。"))
    ALREADY_RECTIFYING = ("reconcile.already_rectifying", _("该差异已转为整改事项 {serial}。"))
    NO_UNIT = ("reconcile.no_unit", _("该差异没有对应的单位，不能转为整改事项。"))
