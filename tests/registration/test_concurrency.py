"""Codes and certificate numbers issued from several threads at once, each with its own connection: no number is
given twice, and none is lost to a refusal."""

from __future__ import annotations

import pytest

from bianzhi.core.ids import validate_uscc
from bianzhi.core.models import Installation
from bianzhi.registration.codes import uscc_issue
from bianzhi.registration.models import IssuedCode
from tests.quotas.test_concurrency import race, shared_database  # noqa: F401 (a fixture)
from tests.registration.conftest import REGION

pytestmark = pytest.mark.django_db(transaction=True)
THREADS, EACH = 6, 10


def test_codes_issued_at_once_are_all_different(shared_database):  # noqa: F811
    Installation.objects.create(county_name="锦绣县", region_code=REGION)

    def issue():
        for _ in range(EACH):
            uscc_issue(actor=None, category="2")

    outcomes = race(shared_database, [issue] * THREADS)

    assert outcomes == ["ok"] * THREADS
    codes = list(IssuedCode.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == THREADS * EACH
    assert all(validate_uscc(code).valid for code in codes)
