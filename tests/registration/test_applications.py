"""Registration applications through the services: each kind from the unit's draft to the register and the
certificate, each refusal with its code and nothing changed, 容缺 with a promise kept and one missed, the rules of
§6.3 on late changes, and the working-day deadlines (one across the National Day holiday)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.core.errors import BianzhiError
from bianzhi.core.files import Upload
from bianzhi.core.workdays import add_working_days
from bianzhi.orgs.choices import UnitKind, UnitStatus
from bianzhi.orgs.models import Unit
from bianzhi.registration.applications import (
    Facts,
    application_create,
    application_step,
    application_update,
    applications_todo,
    decision_deadline,
    material_defer,
    material_upload,
    notice_deadline,
    promises_check,
)
from bianzhi.registration.choices import ApplicationState, CreditState, InstitutionStatus
from bianzhi.registration.credit import credit_record, credit_state
from bianzhi.registration.materials import still_needed
from bianzhi.registration.models import Application, Certificate, CreditEntry, Institution
from bianzhi.registration.selectors import institution_as_of
from tests.factories import doc, make_unit, make_user
from tests.registration.support import ARCHIVE_ITEMS, registered_archive

S = ApplicationState
TODAY = timezone.localdate()
START = dt.date(2020, 1, 2)
PDF = b"%PDF-1.4\n% a scan\n"
ITEMS = ARCHIVE_ITEMS


def pdf(name: str = "材料.pdf") -> Upload:
    return Upload(name, PDF)


@pytest.fixture
def bureau(county):
    return make_unit("锦绣县档案局", day=START)


@pytest.fixture
def unit(bureau):
    return make_unit("锦绣县档案馆", bureau, kind=UnitKind.SHIYE, day=START)


@pytest.fixture
def staff(county):
    return make_user("dengji", Role.REGISTRATION, scope_county=True)


@pytest.fixture
def bianban(county):
    return make_user("bianban", Role.BIANBAN_ADMIN, scope_county=True)


@pytest.fixture
def applicant(unit):
    return make_user("danwei", Role.UNIT_OPERATOR, scope_unit=unit)


@pytest.fixture
def institution(unit):
    return registered_archive(unit, sponsor=unit.parent)


def supply(application, user, *, skip=()):
    for material in application.materials.all():
        if material.required and material.code not in skip:
            material_upload(actor=user, application=application, code=material.code, upload=pdf(f"{material.code}.pdf"))


def run(application, user, *names, comment="经审查，材料齐全"):
    for name in names:
        application = application_step(actor=user, application=application, name=name, comment=comment)
    return application


def refused(expected, call, *args, **kwargs):
    with pytest.raises(BianzhiError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == expected, caught.value.message
    return caught.value


# each kind end to end --------------------------------------------------------------------------------------------


def test_setup_from_draft_to_certificate(unit, applicant, staff):
    facts = Facts(items={**ITEMS, "sponsor": unit.parent.pk}, fact_date=TODAY - dt.timedelta(days=3))
    application = application_create(actor=applicant, unit=unit, kind="SETUP", facts=facts)
    assert application.state == S.DRAFT and application.number.startswith(f"DJ{TODAY.year}-")
    assert "「章程草案」" in "".join(still_needed(application, TODAY))
    supply(application, applicant)
    application = run(application, applicant, "submit")
    assert application.received_on == TODAY
    application = run(application, staff, "accept", "review", "approve")
    institution = Institution.objects.get(unit=unit)
    assert application.institution == institution and institution.uscc[:8] == "12330122"
    assert institution_as_of(institution, TODAY).legal_representative == "赵敏"
    assert application.decision_number.startswith(f"事登决〔{TODAY.year}〕")
    application = run(application, staff, "issue", "publish", "close")
    assert application.state == S.CLOSED
    assert set(institution.certificates.filter(voided_on__isnull=True).values_list("kind", flat=True)) == {
        "ORIGINAL",
        "COPY",
    }
    assert [e.transition for e in application.events.all()] == [
        "create",
        "submit",
        "accept",
        "review",
        "approve",
        "issue",
        "publish",
        "close",
    ]


def test_change_of_legal_representative_replaces_the_certificates(institution, unit, applicant, staff):
    old = set(Certificate.objects.filter(voided_on__isnull=True).values_list("serial", flat=True))
    facts = Facts(items={"legal_representative": "钱进"}, fact_date=TODAY - dt.timedelta(days=2))
    application = application_create(actor=applicant, unit=unit, kind="CHANGE", facts=facts)
    assert application.items == {"legal_representative": "钱进"}
    codes = set(application.materials.values_list("code", flat=True))
    assert {"dismissal", "appointment", "representative_form", "identity"} <= codes
    assert "name_approval" not in codes and "late_statement" not in codes
    supply(application, applicant)
    run(application, applicant, "submit")
    run(application, staff, "accept", "review", "approve", "issue")
    assert institution_as_of(institution, TODAY).legal_representative == "钱进"
    assert institution_as_of(institution, TODAY - dt.timedelta(days=1)).legal_representative == "赵敏"
    live = set(Certificate.objects.filter(voided_on__isnull=True).values_list("serial", flat=True))
    assert len(live) == 2 and not live & old
    assert set(Certificate.objects.filter(serial__in=old).values_list("void_reason", flat=True)) == {
        "变更登记，换发新证书"
    }


def test_name_change_renames_the_unit_and_needs_the_office(institution, unit, applicant, staff, bianban):
    facts = Facts(items={"name": "锦绣县档案史志馆"}, fact_date=TODAY)
    application = application_create(actor=applicant, unit=unit, kind="CHANGE", facts=facts)
    supply(application, applicant)
    application = run(application, applicant, "submit")
    application = run(application, staff, "accept", "review")
    # 登记管理 staff alone may not rename a body in the register of units: refused, nothing changed
    refused("registration.rename_needs_orgs", application_step, actor=staff, application=application, name="approve")
    assert Application.objects.get(pk=application.pk).state == S.REVIEWED
    assert institution_as_of(institution, TODAY).name == "锦绣县档案馆"
    run(application, bianban, "approve")
    assert Unit.objects.get(pk=unit.pk).name == "锦绣县档案史志馆"
    assert institution_as_of(institution, TODAY).name == "锦绣县档案史志馆"


def test_cancel_after_liquidation_closes_the_unit(institution, unit, applicant, bianban):
    ended = TODAY - dt.timedelta(days=1)
    facts = Facts(
        trigger="SPONSOR_DISSOLVED",
        liquidation_started_on=ended - dt.timedelta(days=120),
        first_notice_on=ended - dt.timedelta(days=100),
        fact_date=ended,
    )
    application = application_create(actor=applicant, unit=unit, kind="CANCEL", facts=facts)
    supply(application, applicant)
    run(application, applicant, "submit")
    run(application, bianban, "accept", "review", "approve")
    assert Unit.objects.get(pk=unit.pk).status == UnitStatus.ABOLISHED
    assert Institution.objects.get(pk=institution.pk).status == InstitutionStatus.CANCELLED
    assert institution_as_of(institution, TODAY) is None
    run(application, bianban, "issue")
    assert not Certificate.objects.filter(voided_on__isnull=True).exists()
    assert set(Certificate.objects.values_list("void_reason", flat=True)) == {"注销登记，收缴证书和印章"}


def test_cancel_waits_for_the_creditors(institution, unit, applicant):
    ended = TODAY - dt.timedelta(days=1)
    facts = Facts(
        trigger="SPONSOR_DISSOLVED",
        liquidation_started_on=ended - dt.timedelta(days=60),
        first_notice_on=ended - dt.timedelta(days=50),
        fact_date=ended,
    )
    error = refused(
        "registration.creditor_period", application_create, actor=applicant, unit=unit, kind="CANCEL", facts=facts
    )
    assert "90 日" in error.message
    refused(
        "registration.trigger_required",
        application_create,
        actor=applicant,
        unit=unit,
        kind="CANCEL",
        facts=Facts(fact_date=ended),
    )
    assert not Application.objects.exists()


@pytest.mark.parametrize("kind", ["REISSUE", "RENEW"])
def test_reissue_and_renewal_void_the_old_certificate(institution, unit, applicant, staff, kind):
    old = Certificate.objects.get(kind="ORIGINAL", voided_on__isnull=True)
    facts = Facts(certificate_kinds=("ORIGINAL",))
    application = application_create(actor=applicant, unit=unit, kind=kind, facts=facts)
    supply(application, applicant)
    run(application, applicant, "submit")
    run(application, staff, "accept", "review", "approve", "issue")
    old.refresh_from_db()
    assert old.voided_on == TODAY
    new = Certificate.objects.get(kind="ORIGINAL", voided_on__isnull=True)
    assert new.serial != old.serial and new.valid_from == TODAY
    assert Certificate.objects.get(kind="COPY", voided_on__isnull=True).valid_from == START  # not asked for


# refusals ----------------------------------------------------------------------------------------------------------


def test_submit_lists_every_missing_material_at_once(institution, unit, applicant):
    application = application_create(
        actor=applicant, unit=unit, kind="CHANGE", facts=Facts(items={"legal_representative": "钱进"}, fact_date=TODAY)
    )
    material_upload(actor=applicant, application=application, code="application_form", upload=pdf())
    error = refused(
        "registration.materials_missing", application_step, actor=applicant, application=application, name="submit"
    )
    for label in ("法定代表人登记申请表", "原法定代表人的免职文件", "拟任法定代表人的任职文件", "证书副本复印件"):
        assert label in error.message
    assert Application.objects.get(pk=application.pk).state == S.DRAFT


def test_refusals_of_what_an_application_asks(institution, unit, bureau, applicant, staff):
    refused(
        "registration.no_change",
        application_create,
        actor=applicant,
        unit=unit,
        kind="CHANGE",
        facts=Facts(items={"name": "锦绣县档案馆"}),
    )
    refused(
        "registration.fact_date_required",
        application_create,
        actor=applicant,
        unit=unit,
        kind="CHANGE",
        facts=Facts(items={"legal_representative": "钱进"}),
    )
    refused(
        "registration.move_date_required",
        application_create,
        actor=applicant,
        unit=unit,
        kind="CHANGE",
        facts=Facts(items={"address": "锦绣县新华街 9 号"}),
    )
    refused(
        "registration.already_registered",
        application_create,
        actor=applicant,
        unit=unit,
        kind="SETUP",
        facts=Facts(items=ITEMS, fact_date=TODAY),
    )
    refused(
        "registration.not_shiye",
        application_create,
        actor=staff,
        unit=bureau,
        kind="SETUP",
        facts=Facts(items=ITEMS, fact_date=TODAY),
    )
    refused(
        "registration.cert_kinds_required", application_create, actor=applicant, unit=unit, kind="RENEW", facts=Facts()
    )
    other = make_unit("锦绣县文化馆", bureau, kind=UnitKind.SHIYE, day=START)
    refused(
        "common.out_of_scope",
        application_create,
        actor=applicant,
        unit=other,
        kind="SETUP",
        facts=Facts(items=ITEMS, fact_date=TODAY),
    )
    assert not Application.objects.exists()


def test_one_open_application_per_unit(institution, unit, applicant):
    application_create(actor=applicant, unit=unit, kind="RENEW", facts=Facts(certificate_kinds=("COPY",)))
    error = refused(
        "registration.application_open",
        application_create,
        actor=applicant,
        unit=unit,
        kind="REISSUE",
        facts=Facts(certificate_kinds=("ORIGINAL",)),
    )
    assert "证书换领" in error.message


def test_steps_in_the_wrong_state_or_for_the_wrong_side(institution, unit, applicant, staff):
    application = application_create(actor=applicant, unit=unit, kind="RENEW", facts=Facts(certificate_kinds=("COPY",)))
    refused("registration.application_state", application_step, actor=staff, application=application, name="approve")
    refused("common.permission_denied", application_step, actor=applicant, application=application, name="accept")
    refused(
        "registration.unknown_application_step", application_step, actor=staff, application=application, name="bless"
    )
    supply(application, applicant)
    run(application, applicant, "submit")
    refused(
        "registration.comment_required",
        application_step,
        actor=staff,
        application=application,
        name="not_accept",
        comment=" ",
    )
    refused(
        "registration.materials_locked",
        material_upload,
        actor=applicant,
        application=application,
        code="application_form",
        upload=pdf(),
    )
    assert Application.objects.get(pk=application.pk).state == S.SUBMITTED


def test_a_listed_institution_may_only_apply_to_remedy(institution, unit, applicant):
    credit_record(
        actor=None,
        institution=institution,
        action="list",
        reason="未按规定申请变更登记",
        document=doc(TODAY),
        day=TODAY,
    )
    facts = Facts(items={"legal_representative": "钱进"}, fact_date=TODAY)
    refused("registration.credit_listed", application_create, actor=applicant, unit=unit, kind="CHANGE", facts=facts)
    refused(
        "registration.credit_listed",
        application_create,
        actor=applicant,
        unit=unit,
        kind="RENEW",
        facts=Facts(certificate_kinds=("COPY",)),
    )
    remedy = application_create(
        actor=applicant, unit=unit, kind="CHANGE", facts=Facts(**{**facts.__dict__, "remedies": True})
    )
    assert remedy.remedies


# 一次性告知 and the deadlines ----------------------------------------------------------------------------------------


def test_one_notice_of_everything_then_resubmission(institution, unit, applicant, staff):
    application = application_create(actor=applicant, unit=unit, kind="RENEW", facts=Facts(certificate_kinds=("COPY",)))
    supply(application, applicant)
    run(application, applicant, "submit")
    application = run(application, staff, "request_correction", comment="申请书须由法定代表人签字")
    assert application.state == S.NEEDS_CORRECTION
    assert still_needed(application, TODAY)[0] == "按一次性告知补正：申请书须由法定代表人签字"
    material_upload(actor=applicant, application=application, code="application_form", upload=pdf("签字版.pdf"))
    run(application, applicant, "submit")
    error = refused(
        "registration.correction_once",
        application_step,
        actor=staff,
        application=application,
        name="request_correction",
        comment="再补",
    )
    assert str(TODAY) in error.message
    assert run(application, staff, "accept").accepted_on == TODAY


def test_without_notice_in_three_working_days_it_counts_as_accepted(institution, unit, applicant, staff):
    application = application_create(actor=applicant, unit=unit, kind="RENEW", facts=Facts(certificate_kinds=("COPY",)))
    supply(application, applicant)
    run(application, applicant, "submit")
    received = add_working_days(TODAY, -5).due
    Application.objects.filter(pk=application.pk).update(received_on=received)  # received a week ago
    refused(
        "registration.notice_too_late",
        application_step,
        actor=staff,
        application=application,
        name="request_correction",
        comment="补充",
    )
    refused(
        "registration.notice_too_late",
        application_step,
        actor=staff,
        application=application,
        name="not_accept",
        comment="不符合",
    )
    application = run(application, staff, "accept")
    assert application.deemed_accepted and application.accepted_on == received
    assert decision_deadline(application, TODAY).due == add_working_days(received, 30).due


def test_the_notice_deadline_spans_the_national_day_holiday(institution, unit, applicant):
    application = Application(received_on=dt.date(2026, 9, 30), state=S.SUBMITTED)
    # 10-01…10-07 off; 10-08 and 10-09 are working days, and Saturday 10-10 is a 调休 working day
    assert notice_deadline(application).due == dt.date(2026, 10, 10)
    application.accepted_on = dt.date(2026, 9, 30)
    application.state = S.ACCEPTED
    assert decision_deadline(application, dt.date(2026, 10, 1)).due == dt.date(2026, 11, 17)


# §6.3: late changes, moving before applying, 开办资金 by more than 20 % --------------------------------------------


def test_a_late_change_needs_a_statement(institution, unit, applicant):
    fact = add_working_days(TODAY, -31).due
    application = application_create(
        actor=applicant, unit=unit, kind="CHANGE", facts=Facts(items={"legal_representative": "钱进"}, fact_date=fact)
    )
    late = application.materials.get(code="late_statement")
    assert late.essential and late.required
    supply(application, applicant, skip={"late_statement"})
    error = refused(
        "registration.materials_missing", application_step, actor=applicant, application=application, name="submit"
    )
    assert "逾期办理情况说明" in error.message
    on_time = add_working_days(TODAY, -30).due
    application_update(
        actor=applicant, application=application, facts=Facts(items={"legal_representative": "钱进"}, fact_date=on_time)
    )
    assert not application.materials.filter(code="late_statement").exists()
    run(application, applicant, "submit")


def test_moving_before_applying_is_late(institution, unit, applicant):
    facts = Facts(items={"address": "锦绣县新华街 9 号"}, move_date=TODAY - dt.timedelta(days=1))
    application = application_create(actor=applicant, unit=unit, kind="CHANGE", facts=facts)
    assert application.materials.filter(code="late_statement").exists()
    ahead = application_update(
        actor=applicant,
        application=application,
        facts=Facts(**{**facts.__dict__, "move_date": TODAY + dt.timedelta(days=10)}),
    )
    assert not ahead.materials.filter(code="late_statement").exists()
    assert ahead.materials.filter(code="address_proof").exists()


def test_capital_beyond_twenty_percent_is_mandatory_and_dated(institution, unit, applicant):
    small = application_create(actor=applicant, unit=unit, kind="CHANGE", facts=Facts(items={"capital": "115"}))
    assert small.fact_date is None and small.items == {"capital": "115.00"}
    application_step(actor=applicant, application=small, name="withdraw")
    refused(
        "registration.fact_date_required",
        application_create,
        actor=applicant,
        unit=unit,
        kind="CHANGE",
        facts=Facts(items={"capital": "130"}),
    )
    long_ago = add_working_days(TODAY, -40).due
    big = application_create(
        actor=applicant, unit=unit, kind="CHANGE", facts=Facts(items={"capital": Decimal("70")}, fact_date=long_ago)
    )
    assert big.materials.filter(code="late_statement").exists()


# 容缺受理 -------------------------------------------------------------------------------------------------------------


def test_deferring_an_item_on_a_written_promise(institution, unit, applicant, staff):
    application = application_create(
        actor=applicant, unit=unit, kind="CHANGE", facts=Facts(items={"legal_representative": "钱进"}, fact_date=TODAY)
    )
    due = add_working_days(TODAY, 5).due
    refused(
        "registration.not_deferrable",
        material_defer,
        actor=applicant,
        application=application,
        code="appointment",
        promise=pdf(),
        due_on=due,
    )
    refused(
        "registration.promise_file_required",
        material_defer,
        actor=applicant,
        application=application,
        code="identity",
        promise=None,
        due_on=due,
    )
    too_far = add_working_days(TODAY, 11).due
    refused(
        "registration.promise_due",
        material_defer,
        actor=applicant,
        application=application,
        code="identity",
        promise=pdf(),
        due_on=too_far,
    )
    material_defer(actor=applicant, application=application, code="identity", promise=pdf("承诺书.pdf"), due_on=due)
    supply(application, applicant, skip={"identity"})
    run(application, applicant, "submit")
    assert any("补交「拟任法定代表人的身份证明」" in line for line in still_needed(application, TODAY))
    run(application, staff, "accept", "review", "approve")
    # the register changed on approval; the certificate waits for the promised material
    assert institution_as_of(institution, TODAY).legal_representative == "钱进"
    error = refused("registration.promise_open", application_step, actor=staff, application=application, name="issue")
    assert "身份证明" in error.message
    material_upload(actor=applicant, application=application, code="identity", upload=pdf("身份证明.pdf"))
    assert run(application, staff, "issue").state == S.CERT_ISSUED


def test_a_missed_promise_blocks_the_certificate_and_goes_on_the_credit_record(institution, unit, applicant, staff):
    application = application_create(actor=applicant, unit=unit, kind="RENEW", facts=Facts(certificate_kinds=("COPY",)))
    material_defer(
        actor=applicant,
        application=application,
        code="old_certificates",
        promise=pdf(),
        due_on=add_working_days(TODAY, 3).due,
    )
    supply(application, applicant, skip={"old_certificates"})
    run(application, applicant, "submit")
    run(application, staff, "accept", "review", "approve")
    application.materials.filter(code="old_certificates").update(due_on=TODAY - dt.timedelta(days=1))
    assert promises_check(today=TODAY) == 1
    assert promises_check(today=TODAY) == 0  # once only
    entry = CreditEntry.objects.get(institution=institution)
    assert entry.action == "promise" and entry.state == CreditState.NORMAL and "逾期未交" in entry.reason
    refused("registration.promise_open", application_step, actor=staff, application=application, name="issue")
    assert Application.objects.get(pk=application.pk).state == S.APPROVED
    assert credit_state(institution) == CreditState.NORMAL


def test_no_deferral_with_a_recent_credit_entry(institution, unit, applicant):
    credit_record(
        actor=None, institution=institution, action="warn", reason="年度报告逾期", document=doc(TODAY), day=TODAY
    )
    application = application_create(actor=applicant, unit=unit, kind="RENEW", facts=Facts(certificate_kinds=("COPY",)))
    error = refused(
        "registration.defer_credit",
        material_defer,
        actor=applicant,
        application=application,
        code="old_certificates",
        promise=pdf(),
        due_on=add_working_days(TODAY, 3).due,
    )
    assert "书面警告" in error.message
    assert not application.materials.filter(due_on__isnull=False).exists()


# the to-do list --------------------------------------------------------------------------------------------------


def test_who_acts_next_sees_it_in_the_todo_list(institution, unit, applicant, staff):
    application = application_create(actor=applicant, unit=unit, kind="RENEW", facts=Facts(certificate_kinds=("COPY",)))
    assert [i.action for i in applications_todo(user=applicant, today=TODAY)] == ["补齐材料并提交申请"]
    assert applications_todo(user=staff, today=TODAY) == []
    supply(application, applicant)
    run(application, applicant, "submit")
    (item,) = applications_todo(user=staff, today=TODAY)
    assert item.due == add_working_days(TODAY, 3).due and application.number in item.title
    assert applications_todo(user=applicant, today=TODAY) == []
