"""The credit record as a transition table: every step allowed from exactly the states the table lists; while
listed, registration business is refused except a change that remedies the listing; revoking ends it."""

from __future__ import annotations

import datetime as dt

import pytest

from bianzhi.core.errors import BianzhiError
from bianzhi.orgs.choices import UnitKind
from bianzhi.registration.choices import CertificateKind, CreditState, FundingSource, InstitutionStatus
from bianzhi.registration.credit import TRANSITIONS, credit_record, credit_state, ensure_registration_allowed
from bianzhi.registration.models import CreditEntry
from bianzhi.registration.services import certificate_issue, institution_change, institution_register
from tests.factories import doc, make_unit

C = CreditState
START = dt.date(2021, 3, 1)
DAY = dt.date(2024, 5, 6)
# the state each step leaves, reached from NORMAL by the steps before it
PATH_TO = {
    C.NORMAL: [],
    C.WARNED: ["warn"],
    C.ABNORMAL_LISTED: ["list"],
    C.BLACKLISTED: ["list", "blacklist"],
    C.REVOKED: ["list", "blacklist", "revoke"],
}
ALLOWED = {
    ("warn", C.NORMAL),
    ("list", C.NORMAL),
    ("list", C.WARNED),
    ("blacklist", C.ABNORMAL_LISTED),
    ("revoke", C.BLACKLISTED),
    ("remove", C.WARNED),
    ("remove", C.ABNORMAL_LISTED),
    # a 容缺 promise not kept goes on the record in any state but revoked, and leaves the state as it is
    ("promise", C.NORMAL),
    ("promise", C.WARNED),
    ("promise", C.ABNORMAL_LISTED),
    ("promise", C.BLACKLISTED),
}


@pytest.fixture
def institution(county):
    unit = make_unit("锦绣县档案馆", kind=UnitKind.SHIYE, day=dt.date(2020, 1, 2))
    items = {
        "name": "锦绣县档案馆",
        "address": "锦绣县文化路 2 号",
        "purpose": "档案收集、保管和利用。",
        "legal_representative": "赵敏",
        "capital": 30,
        "funding_source": FundingSource.FULL,
    }
    return institution_register(actor=None, unit=unit, items=items, document=doc(START), effective_date=START)


def step(institution, action, day=DAY):
    return credit_record(
        actor=None, institution=institution, action=action, reason="未按规定报送年度报告", document=doc(day), day=day
    )


def test_the_table_is_the_one_specified():
    assert {(name, source) for name, t in TRANSITIONS.items() for source in t.sources} == ALLOWED


@pytest.mark.parametrize("state", list(PATH_TO))
@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_each_step_from_each_state(institution, state, action):
    for earlier in PATH_TO[state]:
        step(institution, earlier)
    assert credit_state(institution) == state
    if (action, state) in ALLOWED:
        entry = step(institution, action)
        target = TRANSITIONS[action].target or state
        assert (entry.from_state, entry.state) == (state, target)
        assert credit_state(institution) == target
    else:
        with pytest.raises(BianzhiError) as refused:
            step(institution, action)
        assert refused.value.code == "registration.credit_transition"
        assert credit_state(institution) == state


def test_the_state_is_dated(institution):
    step(institution, "warn", dt.date(2023, 1, 5))
    step(institution, "list", dt.date(2024, 1, 5))
    assert credit_state(institution, dt.date(2023, 1, 4)) == C.NORMAL
    assert credit_state(institution, dt.date(2023, 6, 1)) == C.WARNED
    assert credit_state(institution, dt.date(2024, 1, 5)) == C.ABNORMAL_LISTED
    with pytest.raises(BianzhiError) as refused:
        step(institution, "remove", dt.date(2023, 12, 1))
    assert refused.value.code == "registration.credit_date_order"


def test_a_step_needs_a_reason_and_a_known_action(institution):
    with pytest.raises(BianzhiError) as refused:
        credit_record(actor=None, institution=institution, action="warn", reason=" ", document=doc(DAY), day=DAY)
    assert refused.value.code == "registration.reason_required"
    with pytest.raises(BianzhiError) as refused:
        step(institution, "pardon")
    assert refused.value.code == "registration.unknown_credit_action"
    assert not CreditEntry.objects.exists()


def test_while_listed_only_a_remedying_change_is_allowed(institution):
    step(institution, "warn")
    ensure_registration_allowed(institution)  # a warning suspends nothing
    step(institution, "list")
    change = {"changes": {"address": "锦绣县文化路 9 号"}, "document": doc(DAY), "effective_date": DAY}
    with pytest.raises(BianzhiError) as refused:
        institution_change(actor=None, institution=institution, **change)
    assert refused.value.code == "registration.credit_listed"
    assert "列入异常名录" in refused.value.message
    with pytest.raises(BianzhiError) as refused:
        certificate_issue(actor=None, institution=institution, kind=CertificateKind.COPY, valid_from=DAY)
    assert refused.value.code == "registration.credit_listed"
    institution_change(actor=None, institution=institution, remedies=True, **change)
    step(institution, "remove")
    certificate_issue(actor=None, institution=institution, kind=CertificateKind.COPY, valid_from=DAY)


def test_revoking_ends_the_registration_and_voids_the_certificates(institution):
    certificate = certificate_issue(
        actor=None, institution=institution, kind=CertificateKind.ORIGINAL, valid_from=START
    )
    for action in PATH_TO[C.REVOKED]:
        step(institution, action)
    institution.refresh_from_db()
    certificate.refresh_from_db()
    assert institution.status == InstitutionStatus.REVOKED
    assert certificate.voided_on == DAY
    with pytest.raises(BianzhiError) as refused:
        ensure_registration_allowed(institution, remedies=True)
    assert refused.value.code == "registration.credit_revoked"
    with pytest.raises(BianzhiError) as refused:
        institution_change(
            actor=None,
            institution=institution,
            changes={"legal_representative": "钱多"},
            document=doc(DAY),
            effective_date=DAY,
            remedies=True,
        )
    assert refused.value.code == "registration.not_registered"
