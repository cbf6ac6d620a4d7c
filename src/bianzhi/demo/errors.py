from __future__ import annotations

from bianzhi.core.errors import ErrorCode


class DemoError(ErrorCode):
    TOO_FEW_UNITS = ("demo.too_few_units", "演示县至少要有 1 个机构，--units 为 {units}。")
