"""Shapes of the legal-person register (事业单位法人登记) in the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from bianzhi.api.roster_schemas import UnitRef
from bianzhi.api.schemas import MAX_ID, Date, Flag, Input, PageQuery, choices_help, text
from bianzhi.registration.choices import (
    AnnualReportState,
    ApplicationKind,
    ApplicationState,
    CancelTrigger,
    CertificateKind,
    CreditState,
    FundingSource,
    InstitutionStatus,
)


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


# ---------------------------------------------------------------- applications


class ApplicationQuery(PageQuery):
    state: ApplicationState | None = Field(None, description=choices_help(ApplicationState))
    kind: ApplicationKind | None = Field(None, description=choices_help(ApplicationKind))


class FileIn(Input):
    name: text(200) = Field(description="文件名（含扩展名，如 申请书.pdf）")
    content_base64: str = Field(description="文件内容，Base64 编码")


class MaterialIn(FileIn):
    code: text(30) = Field(description="材料代码，见申请详情的 materials[].code")


class DeferIn(Input):
    code: text(30) = Field(description="容缺的材料代码（只能是非要件）")
    due_on: Date = Field(description="承诺补正日期（不超过 10 个工作日）")
    promise: FileIn = Field(description="申请人签署的书面承诺书")


class ApplicationIn(Input):
    unit_id: int = Field(ge=1, le=MAX_ID, description="申请单位")
    kind: ApplicationKind = Field(description=choices_help(ApplicationKind))
    items: dict[str, Any] = Field(
        default_factory=dict,
        description="设立：全部登记事项；变更：要变更的事项（name、address、purpose、legal_representative、capital、"
        "funding_source、sponsor（举办单位的机构 id））",
    )
    fact_date: Date | None = Field(None, description="批准设立日期 / 变更事项发生日期 / 清算结束日期")
    move_date: Date | None = Field(None, description="迁入新住所日期（变更住所时）")
    remedies: Flag = Field(False, description="变更是纠正列入异常名录的事由")
    certificate_kinds: list[CertificateKind] = Field(default_factory=list, description="补领、换领的证书")
    trigger: CancelTrigger | None = Field(None, description=choices_help(CancelTrigger))
    liquidation_started_on: Date | None = None
    first_notice_on: Date | None = Field(None, description="第一次注销公告日期")
    statement: text(2000) = ""
    materials: list[MaterialIn] = Field(default_factory=list, description="随申请提交的材料")
    deferred: list[DeferIn] = Field(default_factory=list, description="容缺受理的材料及承诺")
    submit: Flag = Field(False, description="true：材料齐全即提交；false：保存为草稿")


class ApplicationMaterialOut(Schema):
    code: str
    label: str
    essential: bool = Field(description="要件（不可容缺）")
    required: bool
    file_name: str = Field(description="已提交的文件名；空：未提交")
    due_on: dt.date | None = Field(description="容缺：承诺补正日期")


class ApplicationOut(Schema):
    id: int
    number: str = Field(description="申请编号")
    kind: ApplicationKind
    state: ApplicationState
    unit: UnitRef
    items: dict[str, Any] = Field(description="申请登记或变更的事项")
    fact_date: dt.date | None
    received_on: dt.date | None = Field(description="收到申请日期")
    accepted_on: dt.date | None = Field(description="受理日期")
    deemed_accepted: bool = Field(description="逾期未一次性告知，视为受理")
    deadline: dt.date | None = Field(description="当前办理期限（一次性告知或作出决定）")
    decision_number: str = Field(description="登记决定文号")
    materials: list[ApplicationMaterialOut]
    still_needed: list[str] = Field(description="申请人还需办理的全部事项（一次告知）")


class ApplicationPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ApplicationOut]


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
