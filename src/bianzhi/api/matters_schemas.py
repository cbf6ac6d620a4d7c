"""Shapes of the 机构编制事项 in the API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AfterValidator

from bianzhi.api.roster_schemas import MAX_TEXT, UnitRef
from bianzhi.api.schemas import (
    MAX_REASON,
    Date,
    DocumentIn,
    Id,
    Input,
    PageQuery,
    QueryId,
    choices_help,
    text,
)
from bianzhi.matters.choices import AttachmentKind, Body, Decision, MatterKind, MatterState
from bianzhi.matters.models import Matter
from bianzhi.matters.operations import OPERATIONS
from bianzhi.matters.workflow import OFFICE, TRANSITIONS, acts_for, allowed_transitions, next_action

OPERATIONS_HELP = "；".join(f"{code} {operation.label}" for code, operation in OPERATIONS.items())
IMPLEMENT = "implement"  # 组织实施: applying the decided change set, offered beside the procedure's transitions
TRANSITIONS_HELP = "；".join(
    [
        *(f"{name} {transition.label}" for name, transition in TRANSITIONS.items()),
        f"{IMPLEMENT} 组织实施（按批复实施变更）",
    ]
)


class MatterQuery(PageQuery):
    q: text(100) = Field("", description="事项名称或提出单位名称的一部分")
    state: MatterState | None = Field(None, description=choices_help(MatterState))
    kind: MatterKind | None = Field(None, description=choices_help(MatterKind))
    proposer_id: QueryId | None = Field(None, description="只列出该单位提出的事项")


def _plain(value: Any, depth: int = 0) -> Any:
    """Parameters are a few levels of names, numbers and short texts: nothing a column could not hold."""
    if depth > 3:
        raise ValueError("参数嵌套过深")
    if isinstance(value, dict):
        return {str(key)[:40]: _plain(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        raise ValueError("参数不能是列表")
    if isinstance(value, str) and ("\x00" in value or len(value) > MAX_TEXT):
        raise ValueError(f"文本不能含空字符，且不超过 {MAX_TEXT} 个字符")
    return value


class StepIn(Input):
    operation: text(30) = Field(description=f"变更操作：{OPERATIONS_HELP}")
    params: Annotated[dict[str, Any], AfterValidator(_plain)] = Field(
        description='操作的参数；机构写编号，引用本事项前面某步设立的机构写 "#步号"，如 {"unit": "#1"}'
    )


class MatterIn(Input):
    proposer_id: Id = Field(description="提出单位")
    kind: MatterKind = Field(description=choices_help(MatterKind))
    title: text(200) = Field(description="事项名称")
    necessity: text(MAX_TEXT) = Field("", description="必要性")
    rationality: text(MAX_TEXT) = ""
    feasibility: text(MAX_TEXT) = ""
    intended_date: Date | None = Field(None, description="拟生效日期")
    steps: list[StepIn] = Field(default_factory=list, description="变更内容，按顺序")


class TransitionIn(Input):
    name: text(30) = Field(description=f"办理环节：{TRANSITIONS_HELP}")
    comment: text(MAX_REASON) = Field("", description="意见或理由；不予受理、退回修改和实施报告时必填")
    meeting_on: Date | None = Field(None, description="动议时：领导班子集体讨论的日期")
    minutes: text(200) = Field("", description="动议时：会议纪要")
    body: Body | None = Field(None, description=f"提请审议时：{choices_help(Body)}")
    meeting: text(200) = Field("", description="提请审议时：会议名称")
    decision: Decision | None = Field(None, description=f"记录决定时：{choices_help(Decision)}")
    document: DocumentIn | None = Field(None, description="组织实施时：批复文件；报上级审批的事项记录决定时：上级批复")
    effective_date: Date | None = Field(None, description="组织实施时：生效日期")


class AttachmentIn(Input):
    kind: AttachmentKind = Field(description=choices_help(AttachmentKind))
    name: text(255) = Field(description="文件名（含扩展名，如 纪要.pdf）")
    content_base64: str = Field(description="文件内容，Base64 编码")


class AttachmentOut(Schema):
    id: int
    kind: AttachmentKind
    name: str
    size: int = Field(description="字节数")
    sha256: str = Field(description="SHA-256 校验值")
    uploaded_at: dt.datetime

    @staticmethod
    def resolve_size(obj) -> int:
        return obj.file.size

    @staticmethod
    def resolve_sha256(obj) -> str:
        return obj.file.sha256


class StepOut(Schema):
    position: int
    operation: str
    params: dict[str, Any]
    problem: str | None = Field(description="按前面各步办理后的情况核验：不能办理的原因；可以办理为 null")


class NextActionOut(Schema):
    party: str = Field(description="proposer 提出单位；office 编办")
    due: dt.date | None = Field(description="期限（按工作日计算）")
    note: str = Field(description="期限所在年度未载入节假日安排时的说明")


class MatterOut(Schema):
    id: int
    title: str
    kind: MatterKind
    proposer: UnitRef
    state: MatterState
    applied_on: dt.date | None = Field(description="变更实施的生效日期")
    next: NextActionOut | None = Field(description="下一步由谁办理、期限；已办结为 null")

    @staticmethod
    def resolve_next(obj: Matter) -> dict | None:
        action = next_action(obj, calendar=getattr(obj, "calendar", None))
        if action is None:
            return None
        deadline = action.deadline
        return {
            "party": action.party,
            "due": deadline.due if deadline else None,
            "note": deadline.note if deadline else "",
        }


class MatterDetailOut(MatterOut):
    necessity: str
    rationality: str
    feasibility: str
    intended_date: dt.date | None
    decision: Decision | None = None
    steps: list[StepOut]
    attachments: list[AttachmentOut] = Field(description="材料")
    allowed_transitions: list[str] = Field(description="调用者此刻可以办理的环节")

    @staticmethod
    def resolve_decision(obj: Matter) -> str | None:
        return obj.decision or None

    @staticmethod
    def resolve_steps(obj: Matter) -> list[dict]:
        return obj.step_rows

    @staticmethod
    def resolve_attachments(obj: Matter) -> list:
        return list(obj.attachments.select_related("file"))

    @staticmethod
    def resolve_allowed_transitions(obj: Matter) -> list[str]:
        return obj.allowed


class MatterPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[MatterOut]


def with_details(user, matter: Matter, outcomes) -> Matter:
    """The matter with what the detail shape reads: each step's check, and what the caller may do now."""
    problems = {o.position: (o.problem or None) for o in outcomes}
    matter.step_rows = [
        {"position": s.position, "operation": s.operation, "params": s.params, "problem": problems.get(s.position)}
        for s in matter.steps.order_by("position")
    ]
    matter.allowed = [t.name for t in allowed_transitions(user, matter)]
    if matter.state == MatterState.DECIDED and acts_for(user, matter, OFFICE):
        matter.allowed.append(IMPLEMENT)
    return matter
