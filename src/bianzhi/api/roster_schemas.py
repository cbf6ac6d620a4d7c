"""Request and response shapes of the roster endpoints (persons, 用编核准, 入编, 出编, 转编). A full ID number or
a phone number may be sent in, but no response shape has a field that could carry one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema
from pydantic import model_validator

from bianzhi.api.schemas import (
    MAX_REASON,
    Count,
    Date,
    DocumentIn,
    DocumentOut,
    Flag,
    Id,
    Input,
    PageQuery,
    QueryId,
    QuotaTypeCode,
    choices_help,
    column_text,
    text,
)
from bianzhi.quotas.models import FundingForm
from bianzhi.roster.approvals import MAX_COUNT
from bianzhi.roster.choices import (
    ApprovalStatus,
    Education,
    EntryMode,
    ExitReason,
    Gender,
    HireKind,
    PersonStatus,
    PoliticalStatus,
    StaffIdentity,
)
from bianzhi.roster.models import Person
from bianzhi.roster.persons import PersonData

MAX_ID_NUMBER = 30  # 18 characters, with room for the spaces people type between groups
MAX_PHONE = 30
MAX_TEXT = 2000


class UnitRef(Schema):
    id: int
    name: str


# ---------------------------------------------------------------- occupancies


class SlotOut(Schema):
    """Where a person is (or was) in quota."""

    quota_type: QuotaTypeCode
    funding_form: FundingForm
    start_date: dt.date = Field(description="入编时间")
    loan_serial: str | None = Field(description="占用周转编制时为借用编号，否则为 null")

    @staticmethod
    def resolve_quota_type(obj) -> str:
        return obj.account.quota_type_id

    @staticmethod
    def resolve_funding_form(obj) -> str:
        return obj.account.funding_form

    @staticmethod
    def resolve_loan_serial(obj) -> str | None:
        return obj.loan.serial if obj.loan_id else None


class OccupancyOut(SlotOut):
    id: int
    person_id: int
    unit: UnitRef
    end_date: dt.date | None = Field(description="出编时间（当日起不再占编）；在编为 null")
    entry_mode: EntryMode
    hire_kind: HireKind
    entry_serial: str = Field(description="入编通知单号")
    entry_document: DocumentOut
    approval_serial: str | None = Field(description="依据的用编核准单号")
    override_reason: str = Field(description="未经用编核准入编（编办办理）的理由")
    exit_reason: ExitReason | None
    exit_document: DocumentOut | None
    exit_serial: str = Field(description="出编通知单号")
    transferred_from_id: int | None = Field(description="转编时转出的那一段占编")

    @staticmethod
    def resolve_unit(obj):
        return obj.account.unit

    @staticmethod
    def resolve_approval_serial(obj) -> str | None:
        return obj.approval.serial if obj.approval_id else None

    @staticmethod
    def resolve_exit_reason(obj) -> str | None:
        return obj.exit_reason or None


# ---------------------------------------------------------------- persons


class WarningOut(Schema):
    code: str = Field(description="提示代码，如 roster.namesake")
    message: str


class OnboardingOut(OccupancyOut):
    warnings: list[WarningOut] = Field(
        default=[], description="已办理，但请核实的情况：如系统中已有同名、同出生日期的人员（roster.namesake）"
    )


class PersonQuery(PageQuery):
    q: text(100) = Field("", description="姓名或其一部分、拼音、首字母、脱敏身份号码、号码末几位或完整身份号码")
    status: PersonStatus | None = Field(None, description=choices_help(PersonStatus))
    unit_id: QueryId | None = Field(None, description="只列出该单位的人员")
    quota_type: QuotaTypeCode | None = Field(None, description="只列出占用该类编制的在编人员")


class PersonOut(Schema):
    id: int
    name: str
    gender: Gender
    id_masked: str = Field(description="脱敏的公民身份号码，例如 610999********0012")
    id_number: str | None = Field(
        None, description="完整的公民身份号码：只有含 roster.id_number 授权范围的令牌读取时给出，否则为 null"
    )
    unit: UnitRef
    status: PersonStatus
    on_leave: bool = Field(description="在编不在岗")
    slot: SlotOut | None = Field(description="当前占用的编制；不在编为 null")

    @staticmethod
    def resolve_slot(obj):
        return obj.open_slots[0] if obj.open_slots else None

    @staticmethod
    def resolve_id_number(obj) -> str | None:
        return getattr(obj, "id_number_full", None)


class PersonDetailOut(PersonOut):
    birth_date: dt.date
    ethnicity: str
    native_place: str
    political_status: PoliticalStatus | None
    work_start_date: dt.date | None
    education: Education | None
    degree: str
    school: str
    major: str
    internal_body: str
    identity: StaffIdentity | None
    position: str
    rank_title: str
    post_since: dt.date | None
    remarks: str
    occupancies: list[OccupancyOut] = Field(description="占编经历，按入编时间排列")

    @staticmethod
    def resolve_political_status(obj) -> str | None:
        return obj.political_status or None

    @staticmethod
    def resolve_education(obj) -> str | None:
        return obj.education or None

    @staticmethod
    def resolve_identity(obj) -> str | None:
        return obj.identity or None

    @staticmethod
    def resolve_occupancies(obj):
        return obj.history


class PersonPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PersonOut]


class PersonDetailsIn(Input):
    """The details a unit keeps up to date (and the 编办's 参加工作时间). Text is cleared with "", a choice or a
    date with null."""

    ethnicity: column_text(Person, "ethnicity") = Field(None, description="民族")
    native_place: column_text(Person, "native_place") = Field(None, description="籍贯")
    political_status: PoliticalStatus | None = Field(None, description=choices_help(PoliticalStatus))
    education: Education | None = Field(None, description=choices_help(Education))
    degree: column_text(Person, "degree") = Field(None, description="学位")
    school: column_text(Person, "school") = Field(None, description="毕业学校")
    major: column_text(Person, "major") = Field(None, description="专业")
    internal_body: column_text(Person, "internal_body") = Field(None, description="所在机构（内设机构）")
    identity: StaffIdentity | None = Field(None, description=choices_help(StaffIdentity))
    position: column_text(Person, "position") = Field(None, description="职务")
    rank_title: column_text(Person, "rank_title") = Field(None, description="职级")
    post_since: Date | None = Field(None, description="任现职时间")
    phone: text(MAX_PHONE) = Field(None, description="联系电话；只存密文，任何响应都不返回")
    remarks: text(MAX_TEXT) = Field(None, description="备注")
    work_start_date: Date | None = Field(None, description="参加工作时间（锁定字段）")

    def details(self) -> dict[str, Any]:
        return self.model_dump(include=set(PersonDetailsIn.model_fields), exclude_unset=True)


class PersonIn(PersonDetailsIn):
    name: column_text(Person, "name") = Field(description="姓名")
    id_number: text(MAX_ID_NUMBER) = Field(description="公民身份号码（18 位；15 位旧号码自动升级）")
    gender: Gender | None = Field(None, description=f"{choices_help(Gender)}；不填则取自身份号码")
    birth_date: Date | None = Field(None, description="不填则取自身份号码")

    def to_data(self) -> PersonData:
        return PersonData(
            name=self.name,
            id_number=self.id_number,
            gender=self.gender or "",
            birth_date=self.birth_date,
            details=self.details(),
        )


class PersonPatch(PersonDetailsIn):
    """Only the fields sent are changed. 姓名、公民身份号码、性别、出生日期、参加工作时间 are locked: only the 编办
    changes them."""

    name: column_text(Person, "name") = Field(None, description="姓名（锁定字段）")
    id_number: text(MAX_ID_NUMBER) = Field(None, description="公民身份号码（锁定字段）")
    gender: Gender = Field(None, description="性别（锁定字段），须与身份号码一致")
    birth_date: Date = Field(None, description="出生日期（锁定字段），须与身份号码一致")
    reason: text(MAX_REASON) = Field("", description="修改理由，记入审计日志")

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude={"reason"}, exclude_unset=True)


# ---------------------------------------------------------------- 用编核准


class ApprovalQuery(PageQuery):
    status: ApprovalStatus | None = Field(None, description=choices_help(ApprovalStatus))
    unit_id: QueryId | None = Field(None, description="只列出该单位的核准单")


class ApprovalIn(Input):
    unit_id: Id = Field(description="用编单位")
    quota_type: QuotaTypeCode = Field(description="编制类型代码")
    funding_form: FundingForm = Field(description=f"经费形式：{choices_help(FundingForm)}")
    count: Count = Field(ge=1, le=MAX_COUNT, description="申请名额数")
    entry_mode: EntryMode = Field(description=f"拟补充方式：{choices_help(EntryMode)}")
    purpose: text(MAX_TEXT) = Field(description="用编理由")
    submit: Flag = Field(False, description="true 则草拟后立即提交编办")


class ApprovalActionIn(Input):
    comment: text(MAX_REASON) = Field("", description="审核意见；退回和不予核准时必填，提交和受理时不用")


class ApprovalOut(Schema):
    id: int
    serial: str | None = Field(description="核准单号，核准时编发")
    unit: UnitRef
    quota_type: QuotaTypeCode
    funding_form: FundingForm
    count: int = Field(description="申请（核准）名额数")
    used: int = Field(description="已入编使用的名额")
    entry_mode: EntryMode
    purpose: str
    status: ApprovalStatus
    approved_on: dt.date | None
    valid_until: dt.date | None = Field(description="有效期至，过期未用的名额自动释放")
    closed_on: dt.date | None
    review_comment: str
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None

    @staticmethod
    def resolve_quota_type(obj) -> str:
        return obj.account.quota_type_id

    @staticmethod
    def resolve_funding_form(obj) -> str:
        return obj.account.funding_form


class ApprovalPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ApprovalOut]


class ApprovalStepOut(Schema):
    action: str = Field(description="drafted, submitted, accepted, returned, rejected, approved, cancelled, expired")
    from_status: ApprovalStatus | None
    to_status: ApprovalStatus
    comment: str
    actor: str | None = Field(description="办理人账号；系统自动办理为 null")
    at: dt.datetime

    @staticmethod
    def resolve_from_status(obj) -> str | None:
        return obj.from_status or None

    @staticmethod
    def resolve_actor(obj) -> str | None:
        return obj.actor.username if obj.actor_id else None


class ApprovalDetailOut(ApprovalOut):
    steps: list[ApprovalStepOut] = Field(description="办理经过")

    @staticmethod
    def resolve_steps(obj):
        return obj.steps.select_related("actor")


# ---------------------------------------------------------------- 入编, 出编, 转编


class OnboardingIn(Input):
    """The slot is one of: an approval, a turnover loan, or (编办 only, with a reason) a unit account."""

    person: PersonIn
    approval_id: Id | None = Field(None, description="依据的用编核准单")
    loan_id: Id | None = Field(None, description="占用的周转编制借用")
    unit_id: Id | None = Field(None, description="未经用编核准入编（编办办理）的单位")
    quota_type: QuotaTypeCode | None = Field(None, description="与 unit_id 一起填写")
    funding_form: FundingForm | None = Field(None, description="与 unit_id 一起填写")
    override_reason: text(MAX_REASON) = Field("", description="未经用编核准入编的理由")
    start_date: Date = Field(description="入编时间，不可晚于今天")
    entry_mode: EntryMode = Field(description=f"进入方式：{choices_help(EntryMode)}")
    hire_kind: HireKind = Field(HireKind.NEW, description=choices_help(HireKind))
    document: DocumentIn = Field(description="入编依据（录用审批表、调动通知等）")

    @model_validator(mode="after")
    def _one_slot(self):
        if sum(x is not None for x in (self.approval_id, self.loan_id, self.unit_id)) > 1:
            raise ValueError("approval_id、loan_id、unit_id 只能填写其中一项")
        if self.unit_id is not None and (self.quota_type is None or self.funding_form is None):
            raise ValueError("填写 unit_id 时须同时填写 quota_type 和 funding_form")
        if self.unit_id is None and (self.quota_type or self.funding_form or self.override_reason):
            raise ValueError("quota_type、funding_form、override_reason 只能与 unit_id 一起填写")
        return self


class OffboardingIn(Input):
    person_id: Id
    end_date: Date = Field(description="出编时间（当日起不再占编），不可晚于今天")
    reason: ExitReason = Field(description=f"出编原因：{choices_help(ExitReason)}")
    document: DocumentIn = Field(description="出编依据")
    note: text(MAX_REASON) = Field("", description="备注，记入审计日志")


class TransferIn(Input):
    person_id: Id
    unit_id: Id = Field(description="转入单位")
    quota_type: QuotaTypeCode
    funding_form: FundingForm
    effective_date: Date = Field(description="转编时间，不可晚于今天")
    document: DocumentIn
    approval_id: Id | None = Field(None, description="依据的用编核准单，须是转入单位、编制类型和经费形式的")
    reason: text(MAX_REASON) = Field("", description="事由")
