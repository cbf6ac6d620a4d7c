"""Request and response shapes. Input limits mirror the database columns, so that nothing a client sends can
fail in the database instead of being refused with a 422."""

from __future__ import annotations

import datetime as dt
import enum
import re
from typing import Annotated, Any, Literal

from django.db import models
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Strict, StringConstraints
from pydantic_core import PydanticCustomError

from bianzhi.orgs.choices import InstitutionClass, SystemCategory, UnitKind, UnitNature, UnitRank, UnitStatus
from bianzhi.orgs.documents import DocumentRef
from bianzhi.orgs.models import Document, Unit
from bianzhi.orgs.services import UnitSpec
from bianzhi.quotas.models import AccountKind, FundingForm, MovementKind, PostLevel
from bianzhi.quotas.reference import quota_type_rows
from bianzhi.quotas.services import MAX_AMOUNT

MAX_ID = 2**63 - 1  # a 64-bit primary key; anything larger cannot name a row
MAX_OFFSET = 10**9
MAX_PAGE = 500
MAX_REASON = 2000
MAX_OTHER_NAMES = 20


def _no_nul(value: str) -> str:
    """PostgreSQL refuses NUL in text (pydantic itself refuses unpaired surrogates, which UTF-8 cannot carry)."""
    if "\x00" in value:
        raise ValueError("不能含有空字符（\\u0000）")
    return value


def text(max_length: int) -> Any:
    return Annotated[str, StringConstraints(max_length=max_length), AfterValidator(_no_nul)]


def column_text(model: type[models.Model], field: str) -> Any:
    return text(model._meta.get_field(field).max_length)


def _iso_date(value: Any) -> Any:
    """Only the text ``YYYY-MM-DD`` is a date: pydantic would read 0 or 1766361600 as a day in 1970 or 2025."""
    if (isinstance(value, str) and _ISO_DATE.fullmatch(value)) or type(value) is dt.date:
        return value
    raise PydanticCustomError("date_type", "Input should be a date written YYYY-MM-DD")


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
Date = Annotated[dt.date, BeforeValidator(_iso_date)]
# In a JSON body a number is a number and a flag is true or false: neither "1" nor true is a count.
Count = Annotated[int, Strict()]
Flag = Annotated[bool, Strict()]
Id = Annotated[int, Strict(), Field(ge=1, le=MAX_ID)]
QueryId = Annotated[int, Field(ge=1, le=MAX_ID)]  # a query string carries only text
# The quota types are reference data shipped with the code (quotas/data/quota_types.json), so they are an enum here.
QuotaTypeCode = enum.StrEnum("QuotaTypeCode", {row["code"]: row["code"] for row in quota_type_rows()})


def choices_help(choices: type[models.TextChoices]) -> str:
    return "；".join(f"{value} {label}" for value, label in choices.choices)


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    code: str = Field(description="稳定的英文错误代码，例如 quotas.insufficient")
    message: str = Field(description="给人看的中文说明")
    details: dict[str, Any] = Field(description="补充信息；参数错误时 fields 列出每个有误的字段")


# Declared on every operation, so that every answer the API can give is in the schema.
READ_ERRORS = {frozenset({400, 401, 403, 404, 422, 429, 500}): ErrorOut}
WRITE_ERRORS = {frozenset({400, 401, 403, 404, 409, 413, 415, 422, 429, 500}): ErrorOut}


# ---------------------------------------------------------------- documents


class DocumentIn(Input):
    number: column_text(Document, "number") = Field(description="文号；已登记的文件只需文号")
    title: column_text(Document, "title") = ""
    issued_on: Date | None = Field(None, description="发文日期")
    issuer: column_text(Document, "issuer") = Field("", description="发文机关")

    def to_ref(self) -> DocumentRef:
        return DocumentRef(number=self.number, title=self.title, issued_on=self.issued_on, issuer=self.issuer)


class DocumentOut(Schema):
    number: str
    title: str
    issued_on: dt.date
    issuer: str


# ---------------------------------------------------------------- units


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=MAX_PAGE, description="每页条数")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="跳过的条数")


class UnitQuery(PageQuery):
    q: text(100) = Field("", description="名称任意部分、拼音、首字母、统一社会信用代码或机构编码")
    include_inactive: bool = Field(False, description="是否包括已撤销、已合并的机构")


class UnitIn(Input):
    name: column_text(Unit, "name") = Field(description="机构全称")
    system_category: SystemCategory = Field(description=choices_help(SystemCategory))
    kind: UnitKind = Field(description=choices_help(UnitKind))
    nature: UnitNature = Field(description=choices_help(UnitNature))
    rank: UnitRank = Field(description=choices_help(UnitRank))
    parent_id: Id | None = Field(None, description="上级机构")
    short_name: column_text(Unit, "short_name") = ""
    other_names: list[column_text(Unit, "name")] = Field(
        default_factory=list, max_length=MAX_OTHER_NAMES, description="其他名称（加挂牌子）"
    )
    uscc: column_text(Unit, "uscc") = Field("", description="统一社会信用代码")
    code: column_text(Unit, "code") = Field("", description="机构编码")
    sponsor_id: Id | None = Field(None, description="举办单位（事业单位）")
    institution_class: InstitutionClass | None = Field(None, description=choices_help(InstitutionClass))
    is_canggong: Flag = False
    is_zhengfa: Flag = False
    document: DocumentIn
    effective_date: Date = Field(description="设立日期（生效日期）")
    reason: text(MAX_REASON) = ""

    def to_spec(self, *, parent: Unit | None, sponsor: Unit | None) -> UnitSpec:
        return UnitSpec(
            name=self.name,
            system_category=self.system_category,
            kind=self.kind,
            nature=self.nature,
            rank=self.rank,
            parent=parent,
            short_name=self.short_name,
            other_names=list(self.other_names),
            uscc=self.uscc,
            code=self.code,
            sponsor=sponsor,
            institution_class=self.institution_class or "",
            is_canggong=self.is_canggong,
            is_zhengfa=self.is_zhengfa,
        )


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    other_names: list[str]
    system_category: SystemCategory
    kind: UnitKind
    nature: UnitNature
    rank: UnitRank
    status: UnitStatus
    institution_class: str = Field(description="事业单位分类；非事业单位为空字符串")
    is_canggong: bool
    is_zhengfa: bool
    parent_id: int | None
    sponsor_id: int | None
    successor_id: int | None
    uscc: str | None
    code: str | None
    established_on: dt.date | None
    abolished_on: dt.date | None


class UnitPage(Schema):
    count: int = Field(description="符合条件的总数")
    limit: int
    offset: int
    items: list[UnitOut]


# ---------------------------------------------------------------- ledger


class LedgerQuery(Schema):
    as_of: Date | None = Field(None, description="截至日期，默认今天")


class LedgerRowOut(Schema):
    quota_type: QuotaTypeCode
    funding_form: FundingForm
    approved: int = Field(description="核定")
    occupied: int = Field(description="实有")
    reserved: int = Field(description="已核准未入编")
    vacant: int = Field(description="空编：核定减实有，不小于 0")
    usable: int = Field(description="可用编制：空编减已核准未入编，不小于 0")
    over: int = Field(description="超编：实有减核定，不小于 0")


class PostOut(Schema):
    level: PostLevel
    grade: UnitRank
    approved: int = Field(description="核定领导职数")
    filled: int = Field(description="实配")
    vacant: int


class LedgerOut(Schema):
    unit_id: int
    name: str | None = Field(description="截至日期时的机构名称；当时尚未设立则为 null")
    current_name: str
    as_of: dt.date
    quotas: list[LedgerRowOut]
    posts: list[PostOut]


# ---------------------------------------------------------------- movements


class MovementQuery(PageQuery):
    q: text(100) = Field("", description="批准文号或划出、划入单位名称的一部分")
    unit_id: QueryId | None = Field(None, description="只列出涉及该机构的变动")
    since: Date | None = Field(None, description="生效日期不早于")
    until: Date | None = Field(None, description="生效日期不晚于")


class UnitSide(Input):
    kind: Literal[AccountKind.UNIT] = Field(description=AccountKind.UNIT.label)
    unit_id: Id = Field(description="机构编号")
    funding_form: FundingForm | None = Field(None, description=f"经费形式：{choices_help(FundingForm)}")


COUNTY_KINDS = (AccountKind.POOL, AccountKind.TURNOVER, AccountKind.AUTHORITY)


class CountySide(Input):
    kind: Literal[COUNTY_KINDS] = Field(description="；".join(f"{k.value} {k.label}" for k in COUNTY_KINDS))


# One side of a movement: a unit's account, or one of the county's own accounts (which have no unit).
SideIn = Annotated[UnitSide | CountySide, Field(discriminator="kind")]


class MovementIn(Input):
    kind: MovementKind = Field(description=choices_help(MovementKind))
    quota_type: QuotaTypeCode = Field(
        description="编制类型代码：XZ 行政编制；ZFZX 政法专项编制；SY 事业编制；GQ 机关工勤编制"
    )
    source: SideIn = Field(alias="from", description="划出方")
    target: SideIn = Field(alias="to", description="划入方")
    amount: Count = Field(ge=1, le=MAX_AMOUNT, description="名额数")
    effective_date: Date = Field(description="生效日期，可早于今天（补登），不可晚于今天")
    document: DocumentIn
    reason: text(MAX_REASON) = Field("", description="事由")
    authority_grant: Flag = Field(False, description="上级专项核增（只限从上级核定总额划出）")
    confirm_overstaffing: Flag = Field(
        False,
        description=(
            "确认超编：划出后单位的核定数少于实有人数加已核准未入编数时，不带此项的请求以 409 "
            "quotas.would_overstaff 拒绝（details 中给出缺口）；带此项并填写 reason 时照常登记"
        ),
    )


class SideOut(Schema):
    kind: AccountKind
    unit_id: int | None
    unit_name: str | None
    funding_form: FundingForm | None

    @staticmethod
    def resolve_unit_name(obj) -> str | None:
        return obj.unit.name if obj.unit_id else None

    @staticmethod
    def resolve_funding_form(obj) -> str | None:
        return obj.funding_form or None


class MovementOut(Schema):
    id: int
    kind: MovementKind
    quota_type: QuotaTypeCode
    amount: int
    effective_date: dt.date
    source: SideOut = Field(serialization_alias="from")
    target: SideOut = Field(serialization_alias="to")
    document: DocumentOut
    reason: str
    authority_grant: bool
    reverses_id: int | None = Field(description="冲正的变动")
    overstaffing: int | None = Field(
        description="登记时确认的超编人数（划出方单位因本次变动超编的名数），未超编为 null"
    )
    created_at: dt.datetime

    @staticmethod
    def resolve_quota_type(obj) -> str:
        return obj.from_account.quota_type_id

    @staticmethod
    def resolve_source(obj):
        return obj.from_account

    @staticmethod
    def resolve_target(obj):
        return obj.to_account


class MovementPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[MovementOut]
