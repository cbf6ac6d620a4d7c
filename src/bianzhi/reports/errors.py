"""The reports app's refusals, each with a stable code and a Chinese message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bianzhi.core.errors import ErrorCode


class ReportError(ErrorCode):
    BAD_DATE = ("reports.bad_date", _("截至日期「{value}」无效，请按 2026-11-28 的格式填写。"))
    FUTURE_DATE = ("reports.future_date", _("截至日期 {value} 晚于今天，请选择今天或以前的日期。"))
    BAD_UNIT = ("reports.bad_unit", _("单位参数「{value}」无效，请从机构页面进入导出。"))
    BAD_YEAR = ("reports.bad_year", _("统计年度「{value}」无效，请选择 2000 年至今年之间的年度。"))
    BAD_SYSTEM = ("reports.bad_system", _("系统类别「{value}」无效，请从列表中选择。"))
    BAD_TABLE = ("reports.bad_table", _("没有统计表「{value}」，可选 T1 至 T7。"), 404)
    BAD_CELL = ("reports.bad_cell", _("该统计表没有这个数字，请从表中点击数字进入明细。"))
    COUNTY_CELL = (
        "reports.county_cell",
        _("县机动编制、编制周转池和上级核定总额是全县账户的余额，请在「编制总量」页面查看其变动。"),
    )


class RoundError(ErrorCode):
    """The annual statistics round (``reports.rounds``)."""

    BAD_YEAR = ("reports.round_bad_year", _("统计年度「{value}」无效，请填写 2000 年至去年之间的年度。"))
    YEAR_OPEN = (
        "reports.round_year_open",
        _("{year} 年尚未结束（统计截至 {year}-12-31），请在次年建立该年度的统计报送。"),
    )
    EXISTS = (
        "reports.round_exists",
        _("{year} 年度的统计报送已经建立，请从列表打开；已定稿的数据有误时办理更正。"),
    )
    WRONG_STATE = ("reports.round_wrong_state", _("该统计报送处于「{state}」状态，不能{action}。"))
    CHECK_FAILED = (
        "reports.round_check_failed",
        _("{code} {title}的平衡关系检查未通过：{check}（{detail}）。请核对台账、机构库和实名制信息后重新{action}。"),
    )
    LATE_REASON = (
        "reports.round_late_reason",
        _("已过报送期限 {due}，请填写迟报原因，系统据此生成迟报说明。"),
    )
    NOT_LATE = ("reports.round_not_late", _("该版本不是逾期报送的，没有迟报说明。"))
    SUPERSEDED = (
        "reports.round_superseded",
        _("{year} 年度已有第 {version} 版，请在最新的版本上办理更正。"),
    )
    NO_CORRECTION_REASON = ("reports.round_no_correction_reason", _("请写明更正原因：哪些数据有误、为何更正。"))
    NOT_FROZEN = (
        "reports.round_not_frozen",
        _("该版本尚未定稿，没有冻结的统计表；请先校验并定稿。"),
        404,
    )
