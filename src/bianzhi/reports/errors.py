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
