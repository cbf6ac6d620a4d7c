"""12310 complaints through the services: receipt, every step and its refusals, the identity and the to-do list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bianzhi.audit.models import AuditEvent
from bianzhi.core.errors import BianzhiError
from bianzhi.core.files import Upload
from bianzhi.core.todo import todo_for
from bianzhi.supervision.choices import ComplaintState as S
from bianzhi.supervision.complaints import (
    allowed_transitions,
    complaint_file_add,
    complaint_identity_reveal,
    complaint_transition,
)
from bianzhi.supervision.models import Complaint
from tests.supervision.conftest import NAME, PHONE, receive

TODAY = timezone.localdate()


def _refused(code: str, service, **kwargs):
    before = (Complaint.objects.count(), AuditEvent.objects.count())
    with pytest.raises(BianzhiError) as refused:
        service(**kwargs)
    assert refused.value.code == code, refused.value.message
    assert (Complaint.objects.count(), AuditEvent.objects.count()) == before
    return refused.value


def test_receipt_refusals_change_nothing(world):
    handler = world["handler"]
    _refused("supervision.missing", receive, actor=handler, description=" ")
    _refused("supervision.bad_choice", receive, actor=handler, category="NOPE")
    _refused("supervision.bad_choice", receive, actor=handler, channel="FAX")
    _refused("supervision.future_date", receive, actor=handler, days_ago=-1)
    _refused("supervision.anonymous_identity", receive, actor=handler, name="张三")
    _refused("supervision.no_identity", receive, actor=handler, anonymous=False, name="张三")
    for who in ("operator", "scoped", "partner"):
        _refused("common.permission_denied", receive, actor=world[who])


def test_the_identity_is_stored_encrypted_and_each_reveal_is_audited(world):
    complaint = receive(world["handler"], named=True)
    stored = Complaint.objects.get(pk=complaint.pk)
    assert NAME not in stored.name_encrypted and PHONE not in stored.contact_encrypted
    assert len(complaint.code) == 12 and complaint.code.isalnum()
    _refused("common.permission_denied", complaint_identity_reveal, actor=world["operator"], complaint=complaint)
    identity = complaint_identity_reveal(actor=world["handler"], complaint=complaint)
    assert (identity.name, identity.contact) == (NAME, PHONE)
    revealed = AuditEvent.objects.filter(action="supervision.identity_revealed", object_id=str(complaint.pk))
    assert [event.actor_name for event in revealed] == ["jiandu"]


def _step(complaint, name, actor, **inputs):
    return complaint_transition(actor=actor, complaint=complaint, name=name, **inputs)


def test_a_named_complaint_from_receipt_to_archive(world):
    handler, unit = world["handler"], world["unit"]
    complaint = receive(handler, days_ago=3, named=True, accused_units=[unit])
    start = complaint.received_on
    _refused("supervision.not_allowed", _step, complaint=complaint, name="conclude", actor=handler)
    _refused("supervision.unknown_operation", _step, complaint=complaint, name="approve", actor=handler)
    _refused("common.permission_denied", _step, complaint=complaint, name="accept", actor=world["operator"])
    _refused(
        "supervision.date_before", _step, complaint=complaint, name="accept", actor=handler, day=start - dt.timedelta(1)
    )
    _refused(
        "supervision.future_date", _step, complaint=complaint, name="accept", actor=handler, day=TODAY + dt.timedelta(1)
    )
    complaint = _step(complaint, "accept", handler, day=start)
    _refused("supervision.missing", _step, complaint=complaint, name="assign", actor=handler, handling_type="SELF")
    _refused(
        "supervision.missing",
        _step,
        complaint=complaint,
        name="assign",
        actor=handler,
        handling_type="DELEGATED",
        opinion="交主管部门核查",
    )
    complaint = _step(complaint, "assign", handler, handling_type="DELEGATED", handling_unit=unit, opinion="交办核查")
    assert (complaint.state, complaint.assigned_on, complaint.handling_unit) == (S.ASSIGNED, TODAY, unit)
    complaint = _step(complaint, "investigate", handler)
    _refused(
        "supervision.extension_days", _step, complaint=complaint, name="extend", actor=handler, days=31, note="复杂"
    )
    _refused("supervision.not_informed", _step, complaint=complaint, name="extend", actor=handler, days=20, note="复杂")
    complaint = _step(complaint, "extend", handler, days=20, note="涉及多个部门", informed=True)
    assert complaint.extension_days == 20
    _refused(
        "supervision.extension_used", _step, complaint=complaint, name="extend", actor=handler, days=5, note="再延"
    )
    _refused("supervision.not_paused", _step, complaint=complaint, name="resume", actor=handler)
    complaint = _step(complaint, "pause", handler, note="等待单位补充花名册")
    assert "conclude" not in [t.name for t in allowed_transitions(handler, complaint)]
    _refused("supervision.paused", _step, complaint=complaint, name="conclude", actor=handler, finding="TRUE")
    complaint = _step(complaint, "resume", handler)
    _refused(
        "supervision.missing",
        _step,
        complaint=complaint,
        name="conclude",
        actor=handler,
        finding="TRUE",
        conclusion="属实",
    )
    complaint = _step(
        complaint,
        "conclude",
        handler,
        finding="PARTLY",
        conclusion="超编一名，已责令整改",
        public_reply="经核查部分属实，已责令整改。",
    )
    _refused("supervision.missing", _step, complaint=complaint, name="feedback", actor=handler)
    complaint = _step(complaint, "feedback", handler, note="电话告知举报人")
    complaint = _step(complaint, "archive", handler)
    assert complaint.state == S.ARCHIVED
    steps = list(complaint.events.values_list("transition", flat=True))
    assert steps == [
        "receive",
        "accept",
        "assign",
        "investigate",
        "extend",
        "pause",
        "resume",
        "conclude",
        "feedback",
        "archive",
    ]
    assert (
        AuditEvent.objects.filter(action="supervision.complaint_transitioned", object_id=str(complaint.pk)).count() == 9
    )
    assert allowed_transitions(handler, complaint) == []


def test_not_accepted_needs_a_reason_of_the_list_and_a_note(world):
    handler = world["bianban"]
    complaint = receive(handler)
    _refused("supervision.missing", _step, complaint=complaint, name="refuse", actor=handler, note="咨询")
    _refused(
        "supervision.bad_choice", _step, complaint=complaint, name="refuse", actor=handler, reason="X", note="咨询"
    )
    _refused("supervision.missing", _step, complaint=complaint, name="refuse", actor=handler, reason="CONSULTATION")
    complaint = _step(complaint, "refuse", handler, reason="CONSULTATION", note="属业务咨询，已电话答复")
    assert (complaint.state, complaint.get_not_accepted_reason_display()) == (S.NOT_ACCEPTED, "信息公开申请或业务咨询")
    assert _step(complaint, "archive", handler).state == S.ARCHIVED


def test_evidence_files_and_the_to_do_list_are_for_handlers_only(world):
    complaint = receive(world["handler"], days_ago=40)
    added = complaint_file_add(
        actor=world["handler"], complaint=complaint, upload=Upload("录音记录.pdf", b"%PDF-1.4\n")
    )
    assert added.name == "录音记录.pdf"
    _refused(
        "common.permission_denied",
        complaint_file_add,
        actor=world["operator"],
        complaint=complaint,
        upload=Upload("x.pdf", b"%PDF-1.4\n"),
    )
    items = [item for item in todo_for(world["handler"], TODAY) if item.kind == "12310 举报"]
    assert [(item.action, item.overdue(TODAY)) for item in items] == [("受理或不予受理", True)]
    assert not [item for item in todo_for(world["operator"], TODAY) if item.kind == "12310 举报"]
    assert not [item for item in todo_for(world["scoped"], TODAY) if item.kind == "12310 举报"]
