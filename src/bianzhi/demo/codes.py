"""Fictional but check-digit-valid identifiers for the demo county."""

from __future__ import annotations

import datetime as dt
import random

from bianzhi.core.ids import id_check_digit, org_code_check_char, uscc_check_char

_ORG_BODY_CHARS = "0123456789"


def id_number(rng: random.Random, *, region_code: str, birth: dt.date, male: bool) -> str:
    sequence = rng.randrange(0, 100) * 10 + rng.randrange(1 if male else 0, 10, 2)
    first17 = f"{region_code}{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_check_digit(first17)


def birth_date(rng: random.Random, *, youngest: int = 22, oldest: int = 60, today: dt.date) -> dt.date:
    start = today.replace(year=today.year - oldest)
    span = (today.replace(year=today.year - youngest) - start).days
    return start + dt.timedelta(days=rng.randrange(span))


def org_code(rng: random.Random) -> str:
    body = "".join(rng.choice(_ORG_BODY_CHARS) for _ in range(8))
    return body + org_code_check_char(body)


def uscc(rng: random.Random, *, region_code: str, category: str) -> str:
    """A 统一社会信用代码 issued by 机构编制 (authority 1); category 1 机关, 2 事业单位, 3 群团."""
    first17 = f"1{category}{region_code}{org_code(rng)}"
    return first17 + uscc_check_char(first17)
