"""Reference data kept as files and synchronised into tables after every migrate (and test flush)."""

from __future__ import annotations

import json
from importlib import resources


def quota_type_rows() -> list[dict]:
    text = resources.files("bianzhi.quotas.data").joinpath("quota_types.json").read_text(encoding="utf-8")
    return json.loads(text)["types"]


def sync_quota_types(sender=None, using: str = "default", **kwargs) -> None:
    from bianzhi.quotas.models import QuotaType

    for row in quota_type_rows():
        fields = {k: v for k, v in row.items() if k != "code"}
        QuotaType.objects.using(using).update_or_create(code=row["code"], defaults=fields)
