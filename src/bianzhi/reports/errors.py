"""The reports app's refusals, each with a stable code and a Chinese message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bianzhi.core.errors import ErrorCode


class ReportError(ErrorCode):
    BAD_DATE = ("reports.bad_date", _("截至日期「{value}」无效，请按 2026-11-28 的格式填写。"))
    FUTURE_DATE = ("reports.future_date", _("截至日期 {value} 晚于今天，请选择今天或以前的日期。"))
    BAD_UNIT = ("reports.bad_unit", _("单位参数「{value}」无效，请从机构页面进入导出。"))
