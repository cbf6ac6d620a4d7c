"""Shapes of 监督检查 in the API: the 12310 complaints (never the complainant's identity), the 整改台账 and the
evaluations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from bianzhi.api.roster_schemas import UnitRef
from bianzhi.api.schemas import PageQuery, QueryId, choices_help
from bianzhi.supervision.choices import (
    Category,
    Channel,
    ComplaintState,
    Escalation,
    EvaluationKind,
    EvaluationState,
    Finding,
    HandlingType,
    InstitutionCategory,
    RectificationState,
    Source,
)


class ComplaintQuery(PageQuery):
    state: ComplaintState | None = Field(None, description=choices_help(ComplaintState))


class ComplaintOut(Schema):
    id: int
    code: str = Field(description="查询码")
    received_on: dt.date = Field(description="收到日期")
    channel: str = Field(description=choices_help(Channel))
    anonymous: bool = Field(description="是否匿名；举报人姓名和联系方式不经接口提供")
    category: str = Field(description=choices_help(Category))
    accused_units: list[UnitRef] = Field(description="被举报单位")
    accused_text: str = Field(description="被举报单位（系统外或补充说明）")
    state: str = Field(description=choices_help(ComplaintState))
    handling_type: str = Field(description=choices_help(HandlingType) + "；拟办前为空字符串")
    handling_unit: UnitRef | None = Field(None, description="承办单位（系统内）")
    handling_party: str = Field(description="承办单位（系统外）")
    plan_due: dt.date = Field(description="拟办期限（收到后 10 个工作日，暂停计时顺延）")
    conclude_due: dt.date | None = Field(None, description="办结期限（确定承办单位后 60 个工作日，含延期和暂停）")
    paused_since: dt.date | None = Field(None, description="暂停计时起始日；未暂停为空")
    overdue: bool = Field(description="当前环节是否逾期")
    finding: str = Field(description=choices_help(Finding) + "；办结前为空字符串")


class ComplaintPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ComplaintOut]


class RectificationQuery(PageQuery):
    state: RectificationState | None = Field(None, description=choices_help(RectificationState))
    source: Source | None = Field(None, description=choices_help(Source))
    unit_id: QueryId | None = Field(None, description="只看该单位的整改事项")
    open: bool = Field(False, description="只看未销号的")


class RectificationOut(Schema):
    id: int
    unit: UnitRef = Field(description="整改单位")
    source: str = Field(description=choices_help(Source))
    source_ref: str = Field(description="来源说明")
    category: str = Field(description=choices_help(Category))
    finding: str = Field(description="问题描述")
    opened_on: dt.date = Field(description="发现日期")
    state: str = Field(description=choices_help(RectificationState))
    notice_serial: str = Field(description="整改通知书文号；未下达为空字符串")
    notice_on: dt.date | None = Field(None, description="通知日期")
    deadline: dt.date | None = Field(None, description="整改期限（工作日计算）")
    overdue: bool = Field(description="整改期限已过而未报送结果")
    escalation: str = Field(description=choices_help(Escalation) + "；未采取为空字符串")
    automatic: bool = Field(description="是否由台账比对自动登记（超编、超职数）")
    excess: int | None = Field(None, description="台账自动登记的事项：当前超出人数")
    proposed_close: bool = Field(description="系统已提请销号，待核验")
    closed_on: dt.date | None = Field(None, description="销号日期")


class RectificationPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[RectificationOut]


# ---------------------------------------------------------------- 机构编制评估


class EvaluationQuery(PageQuery):
    kind: EvaluationKind | None = Field(None, description=choices_help(EvaluationKind))
    year: int | None = Field(None, ge=1949, le=9999, description="评估年度")


class EvaluationOut(Schema):
    id: int
    title: str = Field(description="评估名称")
    year: int = Field(description="评估年度")
    kind: str = Field(description=choices_help(EvaluationKind))
    unit: UnitRef = Field(description="评估对象（含其下属机构）")
    category: str = Field(description=choices_help(InstitutionCategory) + "；履职评估以外为空字符串")
    as_of: dt.date = Field(description="评估基准日")
    set_code: str = Field(description="指标体系代码")
    set_version: str = Field(description="指标体系版本")
    state: str = Field(description=choices_help(EvaluationState))
    total: Decimal | None = Field(None, description="总分（评定后）")
    grade: str = Field(description="等次（评定后），否则为空字符串")


class EvaluationScoreOut(Schema):
    code: str = Field(description="指标代码")
    name: str = Field(description="指标")
    method: str = Field(description="评价方式：定量 或 定性")
    weight: Decimal = Field(description="分值")
    value: Decimal | None = Field(None, description="计算值（定量，计算后）")
    summary: str = Field(description="计算依据摘要（定量）")
    score: Decimal | None = Field(None, description="得分")
    comment: str = Field(description="评分说明（定性）")


class EvaluationFindingOut(Schema):
    category: str = Field(description=choices_help(Category))
    text: str = Field(description="问题描述")
    rectification_id: int | None = Field(None, description="转办的整改事项编号")


class EvaluationDetailOut(EvaluationOut):
    scores: list[EvaluationScoreOut]
    findings: list[EvaluationFindingOut]


class EvaluationPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[EvaluationOut]
