"""Shapes of the 12310 complaints in the API: never the complainant's identity."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from bianzhi.api.roster_schemas import UnitRef
from bianzhi.api.schemas import PageQuery, choices_help
from bianzhi.supervision.choices import Category, Channel, ComplaintState, Finding, HandlingType


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
