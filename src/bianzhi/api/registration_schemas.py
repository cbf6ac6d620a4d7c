"""Shapes of the legal-person register (事业单位法人登记) in the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from bianzhi.api.roster_schemas import UnitRef
from bianzhi.api.schemas import Date, PageQuery, choices_help, text
from bianzhi.registration.choices import AnnualReportState, CreditState, FundingSource, InstitutionStatus


class InstitutionQuery(PageQuery):
    q: text(100) = Field("", description="名称、拼音、首字母或统一社会信用代码的一部分")
    as_of: Date | None = Field(None, description="截至日期，默认今天：列出当日有效的登记事项")


class InstitutionAsOf(Schema):
    as_of: Date | None = Field(None, description="截至日期，默认今天")


class InstitutionOut(Schema):
    id: int
    uscc: str = Field(description="统一社会信用代码")
    unit: UnitRef = Field(description="登记的机构")
    category: str = Field(description="机构类别代码（1 机关、2 事业单位、3 群团、9 其他）")
    status: InstitutionStatus = Field(description=choices_help(InstitutionStatus))
    registered_on: dt.date
    name: str
    address: str = Field(description="住所")
    purpose: str = Field(description="宗旨和业务范围")
    legal_representative: str = Field(description="法定代表人（姓名）")
    capital: Decimal = Field(description="开办资金（万元）")
    funding_source: FundingSource = Field(description=choices_help(FundingSource))
    sponsor: UnitRef | None = Field(description="举办单位")
    valid_from: dt.date = Field(description="这些登记事项的起始日期")
    document_number: str = Field(description="依据文件文号")
    credit_state: CreditState = Field(description=choices_help(CreditState))


class InstitutionPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[InstitutionOut]


class AnnualReportQuery(PageQuery):
    year: int | None = Field(None, ge=2000, le=2099, description="年度（报告所报告的年份）")
    state: AnnualReportState | None = Field(None, description=choices_help(AnnualReportState))


class AnnualReportOut(Schema):
    id: int
    institution_id: int = Field(description="法人登记的编号")
    uscc: str = Field(description="统一社会信用代码")
    unit: UnitRef = Field(description="报送的机构")
    year: int = Field(description="年度")
    state: AnnualReportState = Field(description=choices_help(AnnualReportState))
    overdue: bool = Field(description="逾期未报：报送期已过仍未报送")
    late: bool = Field(description="逾期报送：报送期过后才首次报送")
    first_submitted_on: dt.date | None = Field(description="首次报送日期")
    published_on: dt.date | None = Field(description="公示日期")
    return_reason: str = Field(description="退回理由（最近一次）")
    sections: dict[str, str] = Field(description="报告八个部分的内容，键为字段名（activities 开展业务活动情况 …）")
    figures: dict[str, Decimal | None] = Field(description="资产损益（万元）：年初/年末净资产、网上收入、支出")


class AnnualReportPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[AnnualReportOut]
