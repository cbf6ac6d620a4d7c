"""Schemas of the partners' event feed (GET /api/v1/events)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from bianzhi.api.schemas import MAX_ID, choices_help
from bianzhi.exchange.models import FeedEventType
from bianzhi.exchange.selectors import MAX_EVENTS


class EventQuery(Schema):
    after: int = Field(0, ge=0, le=MAX_ID, description="上次读到的最后一个序号；从头读取填 0")
    limit: int = Field(100, ge=1, le=MAX_EVENTS, description=f"最多返回的事件数（1–{MAX_EVENTS}）")


class EventOut(Schema):
    seq: int = Field(description="序号：从 1 起连续编号，不跳号、不重复")
    type: FeedEventType = Field(description=choices_help(FeedEventType))
    type_name: str = Field(description="事件类型的中文名称")
    occurred_at: dt.datetime = Field(description="发生时间")
    payload: dict[str, Any] = Field(description="事件内容，各类型的字段见 docs/api.md「数据共享事件」")


class EventPage(Schema):
    items: list[EventOut]
    last_seq: int = Field(description="本页最后一个事件的序号（无事件时为请求的 after）：下次请求作为 after")
    has_more: bool = Field(description="其后是否还有事件：为 true 时可立即再次请求")
