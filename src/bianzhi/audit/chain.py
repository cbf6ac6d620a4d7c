"""The hash chain of the audit log: HMAC-SM3 of each event's canonical form and its predecessor's hash."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes, hmac
from django.conf import settings

GENESIS_HASH = "0" * 64
# parallel chains: concurrent writers each take a lane of their own instead of queueing on one head row; more
# lanes than a server has connections writing at once would never be used
CHAIN_LANES = 16
HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_name",
    "request_id",
    "client_ip",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "reason",
    "prev_hash",
)


def _canonical(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


def event_hash(fields: dict[str, Any], key: str | None = None) -> str:
    payload = json.dumps(
        {name: _canonical(fields[name]) for name in HASHED_FIELDS},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    mac = hmac.HMAC((key or settings.AUDIT_HMAC_KEY).encode(), hashes.SM3())
    mac.update(payload)
    return mac.finalize().hex()


@dataclass(frozen=True)
class ChainReport:
    intact: bool
    events: int
    broken_seq: int | None = None
    problem: str = ""
    lane: int = 1


def verify_events(rows: Iterable[dict[str, Any]], *, head_seq: int, head_hash: str, lane: int = 1) -> ChainReport:
    """Walks one lane's events in sequence order; names the first one that is out of place."""
    expected_seq, prev_hash, count = 1, GENESIS_HASH, 0
    where = f"审计链 {lane} " if lane != 1 else ""

    def broken(seq: int | None, problem: str) -> ChainReport:
        return ChainReport(False, count, seq, where + problem, lane)

    for row in rows:
        seq = row["seq"]
        if seq != expected_seq:
            return broken(expected_seq, f"缺少第 {expected_seq} 条事件（已被删除），其后为第 {seq} 条")
        if row["prev_hash"] != prev_hash:
            return broken(seq, f"第 {seq} 条事件与前一条不衔接（前一条被删除或替换）")
        if event_hash(row) != row["hash"]:
            return broken(seq, f"第 {seq} 条事件的内容与其哈希不符（被修改或伪造）")
        prev_hash, expected_seq, count = row["hash"], seq + 1, count + 1
    if count != head_seq or prev_hash != head_hash:
        missing = count + 1 if head_seq > count else None
        return broken(missing, f"链头记录共 {head_seq} 条事件，实际可验证 {count} 条（末尾事件被删除或插入）")
    return ChainReport(True, count, lane=lane)
