"""备案 after a certificate: each kind owed within 60 working days of the live certificate, recorded with its scan
by the unit or the staff, owed again after a new certificate; refusals change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.core.errors import BianzhiError
from bianzhi.core.files import Upload
from bianzhi.core.workdays import add_working_days
from bianzhi.orgs.choices import UnitKind
from bianzhi.registration.choices import FilingKind
from bianzhi.registration.filings import filing_record, filings_due, filings_todo
from bianzhi.registration.models import Filing
from bianzhi.registration.services import certificate_issue
from tests.factories import make_unit, make_user
from tests.registration.support import registered_archive

TODAY = timezone.localdate()
START = dt.date(2020, 1, 2)
SCAN = b"%PDF-1.4\n% seal\n"


@pytest.fixture
def institution(county):
    unit = make_unit("锦绣县档案馆", kind=UnitKind.SHIYE, day=START)
    return registered_archive(unit, certificates=())


@pytest.fixture
def operator(institution):
    return make_user("danwei", Role.UNIT_OPERATOR, scope_unit=institution.unit)


def test_owed_after_a_certificate_until_filed(institution, operator):
    assert all(row.deadline is None for row in filings_due(institution))  # no certificate, nothing owed
    certificate_issue(actor=None, institution=institution, kind="ORIGINAL", valid_from=TODAY)
    due = add_working_days(TODAY, 60).due
    assert [(row.kind, row.deadline.due) for row in filings_due(institution)] == [(k, due) for k in FilingKind]
    assert {item.action for item in filings_todo(user=operator, today=TODAY)} == {
        "印章印迹备案",
        "基本账户备案",
        "法定代表人签字（印章）印迹备案",
    }
    filing_record(
        actor=operator,
        institution=institution,
        kind="BANK_ACCOUNT",
        details="中国农业银行锦绣县支行 6228 4801 2345 6789",
        upload=Upload("开户许可证.pdf", SCAN),
        filed_on=TODAY,
    )
    rows = {row.kind: row for row in filings_due(institution)}
    assert rows[FilingKind.BANK_ACCOUNT].deadline is None and rows[FilingKind.BANK_ACCOUNT].last.filed_on == TODAY
    assert rows[FilingKind.SEAL].deadline.due == due
    assert len(filings_todo(user=operator, today=TODAY)) == 2


def test_refusals_change_nothing(institution, operator):
    certificate_issue(actor=None, institution=institution, kind="ORIGINAL", valid_from=TODAY)
    other = make_unit("锦绣县文化馆", kind=UnitKind.SHIYE, day=START)
    stranger = make_user("wenhua", Role.UNIT_OPERATOR, scope_unit=other)
    cases = [
        ({"kind": "SEAL", "details": " ", "upload": Upload("a.pdf", SCAN)}, operator, "registration.reason_required"),
        ({"kind": "SEAL", "details": "公章", "upload": None}, operator, "registration.filing_file_required"),
        ({"kind": "HAT", "details": "公章", "upload": Upload("a.pdf", SCAN)}, operator, "registration.bad_filing_kind"),
        ({"kind": "SEAL", "details": "公章", "upload": Upload("a.pdf", SCAN)}, stranger, "common.out_of_scope"),
    ]
    for arguments, actor, code in cases:
        with pytest.raises(BianzhiError) as refused:
            filing_record(actor=actor, institution=institution, filed_on=TODAY, **arguments)
        assert refused.value.code == code
    assert not Filing.objects.exists()


def test_filed_from_the_institution_page(client, institution, operator):
    certificate_issue(actor=None, institution=institution, kind="COPY", valid_from=TODAY)
    client.force_login(operator)
    url = reverse("registration:filing_record", args=[institution.pk])
    data = {"kind": "SEAL", "details": "锦绣县档案馆公章", "filed_on": TODAY.isoformat()}
    response = client.post(url, {**data, "file": SimpleUploadedFile("印章印迹.pdf", SCAN)})
    assert response.status_code == 302
    page = client.get(reverse("registration:institution_detail", args=[institution.pk])).content.decode()
    assert "锦绣县档案馆公章" in page and "已备案" in page and "待备案" in page
    refused = client.post(url, data)  # no scan
    assert refused.status_code == 400 and "扫描件" in refused.content.decode()
