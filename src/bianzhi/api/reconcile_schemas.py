"""Schemas of the three-way reconciliation through the API (POST /api/v1/reconciliations and its state)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from bianzhi.exchange.models import ReconciliationRun
from bianzhi.exchange.reconciliation import KINDS


class ReconciliationOut(Schema):
    id: int
    as_of: dt.date = Field(description="比对日期：与这一天在编的实名制人员比对")
    payroll_name: str = Field(description="统发工资名册的文件名")
    hr_name: str = Field(description="人事名册的文件名")
    state: ReconciliationRun.State = Field(
        description="QUEUED 排队中；RUNNING 比对中；DONE 已完成；REJECTED 文件有误；FAILED 失败"
    )
    state_name: str
    progress: int = Field(description="进度（0–100）")
    rows: dict[str, int] = Field(description="各文件读到的数据行数：payroll、hr")
    counts: dict[str, int] = Field(
        description="各类差异的条数（完成后）：" + "、".join(f"{kind.value} {kind.label}" for kind in KINDS)
    )
    error: dict[str, str] | None = Field(description="文件有误时的 code 和 message；否则为 null")
    created_at: dt.datetime
    finished_at: dt.datetime | None

    @staticmethod
    def resolve_state_name(obj) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_counts(obj) -> dict[str, int]:
        return {kind.value: int(obj.counts.get(kind.value, 0)) for kind in KINDS}

    @staticmethod
    def resolve_error(obj) -> dict[str, str] | None:
        return {key: str(value) for key, value in obj.error.items()} or None
