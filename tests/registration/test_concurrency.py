"""Codes and certificate numbers issued from several threads at once, each with its own connection: no number is
given twice, and none is lost to a refusal."""

from __future__ import annotations

import datetime as dt

import pytest

from bianzhi.core.ids import validate_uscc
from bianzhi.core.models import Installation
from bianzhi.orgs.choices import UnitKind
from bianzhi.registration.applications import Facts, application_create
from bianzhi.registration.codes import uscc_issue
from bianzhi.registration.models import Application, IssuedCode
from tests.factories import make_unit
from tests.quotas.test_concurrency import race, shared_database  # noqa: F401 (a fixture)
from tests.registration.conftest import REGION
from tests.registration.support import registered_archive

pytestmark = pytest.mark.django_db(transaction=True)
THREADS, EACH = 6, 10
START = dt.date(2020, 1, 2)


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


def test_one_open_application_per_unit_when_several_file_at_once(shared_database):  # noqa: F811
    """The unit's row is locked while an application is filed: of six filed at once for one unit, one is kept and
    the others are told which one is open; the application numbers stay unique across units."""
    Installation.objects.create(county_name="锦绣县", region_code=REGION)
    units = [make_unit(f"锦绣县第{i}档案馆", kind=UnitKind.SHIYE, day=START) for i in range(2)]
    for unit in units:
        registered_archive(unit, certificates=("COPY",))

    def file(unit):
        return lambda: application_create(actor=None, unit=unit, kind="RENEW", facts=Facts(certificate_kinds=("COPY",)))

    outcomes = race(shared_database, [file(units[0])] * 4 + [file(units[1])] * 2)

    assert sorted(outcomes) == ["ok", "ok"] + ["registration.application_open"] * 4
    numbers = list(Application.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 2
    assert sorted(Application.objects.values_list("unit_id", flat=True)) == sorted(u.pk for u in units)
