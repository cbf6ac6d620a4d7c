"""The legal-person register: registration under the unit's own code or a new one, changes as dated versions (any
institution as of any date), certificates that void their predecessor, and the unit scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.audit.models import AuditEvent
from bianzhi.core.errors import BianzhiError
from bianzhi.core.ids import validate_uscc
from bianzhi.core.integrity import run_all
from bianzhi.orgs.choices import UnitKind
from bianzhi.registration.choices import CertificateKind, FundingSource
from bianzhi.registration.codes import code_for
from bianzhi.registration.models import IssuedCode
from bianzhi.registration.selectors import institution_as_of, institutions_as_of
from bianzhi.registration.services import certificate_issue, institution_change, institution_register
from tests.factories import doc, make_unit, make_user
from tests.registration.conftest import REGION

D1, D2, D3 = dt.date(2021, 3, 1), dt.date(2023, 7, 1), dt.date(2025, 1, 2)


def items(**changes) -> dict:
    return {
        "name": "锦绣县疾病预防控制中心",
        "address": "锦绣县人民路 8 号",
        "purpose": "为人民身体健康提供保障。疾病预防与控制。",
        "legal_representative": "王明",
        "capital": "120.5",
        "funding_source": FundingSource.FULL,
        "sponsor": None,
        **changes,
    }


@pytest.fixture
def units(county):
    health = make_unit("锦绣县卫生健康局", day=dt.date(2020, 1, 2))
    cdc = make_unit("锦绣县疾病预防控制中心", health, kind=UnitKind.SHIYE, day=dt.date(2020, 1, 2))
    finance = make_unit("锦绣县财政局", day=dt.date(2020, 1, 2))
    return health, cdc, finance


def register(unit, **kwargs):
    return institution_register(actor=None, unit=unit, items=items(**kwargs), document=doc(D1), effective_date=D1)


def test_registering_issues_a_code_and_writes_it_on_the_unit(units):
    health, cdc, _ = units
    institution = register(cdc, sponsor=health)

    cdc.refresh_from_db()
    assert institution.uscc == cdc.uscc == code_for("2", REGION, 1)
    assert IssuedCode.objects.get().unit == cdc
    version = institution_as_of(institution, D1)
    assert version.capital == Decimal("120.50") and version.sponsor == health
    assert institution_as_of(institution, D1 - dt.timedelta(days=1)) is None
    assert AuditEvent.objects.filter(action="registration.registered").count() == 1
    assert {name: drifts for name, drifts in run_all().items() if name.startswith("registration")} == {
        "registration.codes": [],
        "registration.current_items": [],
        "registration.counter": [],
        "registration.draws": [],
    }
    type(cdc).objects.filter(pk=cdc.pk).update(uscc=None)
    assert [d.message for d in run_all()["registration.codes"]] == ["机构信息中的代码为 空"]


def test_a_unit_keeps_its_own_valid_code_and_the_allocator_never_gives_it(units):
    _, cdc, finance = units
    own = code_for("2", REGION, 1)
    type(cdc).objects.filter(pk=cdc.pk).update(uscc=own)
    cdc.refresh_from_db()
    assert register(cdc).uscc == own
    assert IssuedCode.objects.get(code=own).imported
    assert register(finance).uscc == code_for("2", REGION, 2)


def test_a_unit_with_a_bad_code_or_registered_twice_is_refused(units):
    _, cdc, _ = units
    type(cdc).objects.filter(pk=cdc.pk).update(uscc="91350100M000100Y4Z")
    cdc.refresh_from_db()
    with pytest.raises(BianzhiError) as refused:
        register(cdc)
    assert refused.value.code == "registration.bad_uscc"
    type(cdc).objects.filter(pk=cdc.pk).update(uscc=None)
    cdc.refresh_from_db()
    register(cdc)
    with pytest.raises(BianzhiError) as refused:
        register(cdc)
    assert refused.value.code == "registration.already_registered"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"name": " "}, "registration.missing_item"),
        ({"capital": "-1"}, "registration.bad_capital"),
        ({"capital": "很多"}, "registration.bad_capital"),
        ({"funding_source": "X"}, "registration.missing_item"),
        ({"phone": "1"}, "registration.unknown_item"),
    ],
)
def test_bad_items_are_refused(units, changes, code):
    with pytest.raises(BianzhiError) as refused:
        register(units[1], **changes)
    assert refused.value.code == code
    assert not IssuedCode.objects.exists()  # the refusal took no code


def test_changes_are_dated_versions_readable_as_of_any_day(units):
    _, cdc, _ = units
    institution = register(cdc)
    institution_change(
        actor=None,
        institution=institution,
        changes={"legal_representative": "李华"},
        document=doc(D2),
        effective_date=D2,
    )
    institution_change(
        actor=None,
        institution=institution,
        changes={"address": "锦绣县新城大道 1 号", "capital": 200},
        document=doc(D3),
        effective_date=D3,
    )

    assert institution_as_of(institution, D2 - dt.timedelta(days=1)).legal_representative == "王明"
    on_d2 = institution_as_of(institution, D2)
    assert (on_d2.legal_representative, on_d2.address) == ("李华", "锦绣县人民路 8 号")
    now = institution_as_of(institution, timezone.localdate())
    assert (now.legal_representative, now.address, now.capital) == ("李华", "锦绣县新城大道 1 号", Decimal(200))
    assert institution.versions.count() == 3
    assert list(institutions_as_of(None, D2)) == [on_d2]
    assert list(institutions_as_of(None, D1 - dt.timedelta(days=1))) == []


def test_a_change_before_the_current_version_in_the_future_or_changing_nothing_is_refused(units):
    institution = register(units[1])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    for changes, day, code in (
        ({"legal_representative": "李华"}, D1, "registration.date_before_current"),
        ({"legal_representative": "李华"}, tomorrow, "documents.effective_in_future"),
        ({"legal_representative": "王明"}, D2, "registration.no_change"),
    ):
        with pytest.raises(BianzhiError) as refused:
            institution_change(
                actor=None, institution=institution, changes=changes, document=doc(D1), effective_date=day
            )
        assert refused.value.code == code
    assert institution.versions.count() == 1


def test_search_by_name_pinyin_initials_and_code(units):
    institution = register(units[1])
    day = timezone.localdate()
    for query in ("疾病预防", "jibing", "jxxjbyfkzzx", institution.uscc[-6:].lower()):
        assert [v.institution for v in institutions_as_of(None, day, query)] == [institution], query
    assert not institutions_as_of(None, day, "财政").exists()


@override_settings(BIANZHI_CERTIFICATE_YEARS=5)
def test_a_new_certificate_voids_the_live_one_of_its_kind(units):
    institution = register(units[1])
    first = certificate_issue(actor=None, institution=institution, kind=CertificateKind.ORIGINAL, valid_from=D1)
    copy = certificate_issue(actor=None, institution=institution, kind=CertificateKind.COPY, valid_from=D1)
    second = certificate_issue(
        actor=None, institution=institution, kind=CertificateKind.ORIGINAL, valid_from=D3, reason="证书有效期届满换领"
    )
    first.refresh_from_db()
    copy.refresh_from_db()
    assert (first.voided_on, first.void_reason) == (D3, "证书有效期届满换领")
    assert copy.voided_on is None and second.voided_on is None
    assert second.valid_until == dt.date(2030, 1, 2)
    assert len({first.serial, copy.serial, second.serial}) == 3
    with override_settings(BIANZHI_CERTIFICATE_YEARS=3):
        third = certificate_issue(actor=None, institution=institution, kind=CertificateKind.COPY, valid_from=D3)
    assert third.valid_until == dt.date(2028, 1, 2)


def test_scope_and_capability(units):
    health, cdc, finance = units
    institution = register(cdc)
    unit_operator = make_user("hr", Role.UNIT_OPERATOR, scope_unit=health)
    registrar = make_user("dj", Role.REGISTRATION, scope_county=True)
    finance_operator = make_user("cz", Role.BIANBAN_OPERATOR, scope_unit=finance)
    change = {"changes": {"legal_representative": "李华"}, "document": doc(D2), "effective_date": D2}

    assert list(institutions_as_of(unit_operator, D2)) == list(institutions_as_of(None, D2))
    assert not institutions_as_of(finance_operator, D2).exists()
    with pytest.raises(BianzhiError) as refused:
        institution_change(actor=unit_operator, institution=institution, **change)
    assert refused.value.code == "common.permission_denied"
    with pytest.raises(BianzhiError) as refused:
        institution_change(actor=finance_operator, institution=institution, **change)
    assert refused.value.code == "common.out_of_scope"
    institution_change(actor=registrar, institution=institution, **change)
    assert validate_uscc(institution.uscc).valid
