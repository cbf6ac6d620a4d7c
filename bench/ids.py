"""Validating ID numbers through core/ids.py against a bare loop that only computes check digits."""

from __future__ import annotations

import datetime as dt
import random

from bench.harness import BenchResult, compare
from bianzhi.core.ids import validate_id_number
from bianzhi.demo.codes import birth_date, id_number

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def sample_ids(n: int, seed: int = 2026) -> list[str]:
    rng = random.Random(seed)
    today = dt.date(2026, 11, 28)
    return [
        id_number(rng, region_code="610999", birth=birth_date(rng, today=today), male=rng.random() < 0.5)
        for _ in range(n)
    ]


def bare_check_digits(values: list[str]) -> int:
    ok = 0
    for value in values:
        total = sum(int(c) * w for c, w in zip(value[:17], WEIGHTS, strict=True))
        ok += "10X98765432"[total % 11] == value[17]
    return ok


def run(scale: str, n: int = 1_000_000) -> list[BenchResult]:
    values = sample_ids(n)
    today = dt.date(2026, 11, 28)

    def ours():
        assert all(validate_id_number(v, today=today).valid for v in values)

    def baseline():
        assert bare_check_digits(values) == n

    return [compare("ids.validate_id_number", scale, n, ours, "bare check-digit loop", baseline)]
