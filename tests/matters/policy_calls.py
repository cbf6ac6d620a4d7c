"""The policy test's requests for the pages of the 机构编制事项 (see ``tests/core/policy_world.py``)."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile

from bianzhi.core.files import Upload, file_store
from bianzhi.core.policy import Caller
from bianzhi.matters.attachments import attachment_store
from bianzhi.matters.choices import (
    AttachmentKind,
    Body,
    ConsultationKind,
    Decision,
    LegalityItem,
    MatterKind,
    MatterState,
    ReportKind,
)
from bianzhi.matters.meetings import meeting_create, meeting_item_add
from bianzhi.matters.models import Consultation, Matter, ReportTask
from bianzhi.matters.normative import normative_clause_add, normative_review_create
from bianzhi.matters.reporting import report_task_submit
from bianzhi.matters.services import change_step_add, matter_create, matter_document_link
from bianzhi.orgs.documents import DocumentRef
from tests.core.policy_world import TODAY, Call, document_fields

PDF = b"%PDF-1.4\n% minutes\n"


def _pdf_upload(name: str = "纪要.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _matter(unit, state: str) -> Matter:
    matter = matter_create(actor=None, proposer=unit, kind=MatterKind.RENAME, title="更名", necessity="职能调整")
    change_step_add(
        actor=None, matter=matter, operation="unit_rename", params={"unit": unit.pk, "name": f"{unit.name}（新）"}
    )
    if state != MatterState.DRAFT:
        Matter.objects.filter(pk=matter.pk).update(state=state, state_since=TODAY)
    if state == MatterState.DECIDED:
        Matter.objects.filter(pk=matter.pk).update(decision=Decision.APPROVED, body=Body.BIANWEI, decided_on=TODAY)
    return Matter.objects.get(pk=matter.pk)


def populate(world) -> None:
    for kind, state in (
        ("draft", MatterState.DRAFT),
        ("studying", MatterState.STUDYING),
        ("decided", MatterState.DECIDED),
        ("office_meeting", MatterState.OFFICE_MEETING),
        ("agenda", MatterState.OFFICE_MEETING),
    ):
        world.put(kind + "_matter", *(_matter(world.units[name], state) for name in ("education", "finance")))
    clerk = world.users[Caller.BIANBAN_ADMIN]
    for side_matters in (("own", "education"), ("other", "finance")):
        draft = world.objects[("draft_matter", side_matters[0])]
        attachment_store(actor=clerk, matter=draft, kind=AttachmentKind.MINUTES, upload=Upload("纪要.pdf", PDF))
        matter_document_link(
            actor=None, matter=draft, document=DocumentRef("锦政发〔2025〕3号", "政府工作规则", TODAY, "县人民政府")
        )
        studying = world.objects[("studying_matter", side_matters[0])]
        Consultation.objects.create(
            matter=studying, kind=ConsultationKind.OPINION, party="县财政局", requested_on=TODAY, recorded_by=clerk
        )
    meeting = meeting_create(actor=None, kind="OFFICE", title="编办2026年第9次室务会", held_on=TODAY)
    meeting_item_add(actor=None, meeting=meeting, matter=world.objects[("agenda_matter", "own")])
    world.put("meeting", meeting, meeting)
    review = normative_review_create(
        actor=None, title="送审稿", department="县人社局", received_on=TODAY, draft=Upload("送审稿.pdf", PDF)
    )
    normative_clause_add(actor=None, review=review, reference="第五条", opinion="AGREE")
    world.put("review", review, review)  # the 编办's as a whole: no unit's side
    for year, name in ((2024, "submitted_report"), (2025, "pending_report")):
        tasks = [
            ReportTask.objects.create(
                unit=world.units[unit], kind=ReportKind.ANNUAL, title="执行情况报告", year=year, due_on=TODAY
            )
            for unit in ("education", "finance")
        ]
        if name == "submitted_report":
            for task in tasks:
                report_task_submit(actor=None, task=task, files=[Upload("报告.pdf", PDF)])
        world.put(name, *tasks)


def _pk(kind: str):
    return lambda world, caller: {"pk": world.get(kind, caller).pk}


def _review(world, caller) -> dict:
    data = {}
    for item in LegalityItem:
        data[f"{item.value}_passed"] = "on"
        data[f"{item.value}_comment"] = ""
    return data


def _decision(world, caller) -> dict:
    return {**document_fields("锦编复〔2026〕7号"), "effective_date": TODAY.isoformat()}


def _attachment(world, caller) -> dict:
    matter = world.get("draft_matter", caller)
    return {"pk": matter.pk, "attachment_id": matter.attachments.get().pk}


def _item(world):
    return world.get("meeting", Caller.BIANBAN_ADMIN).items.get()


def _rules() -> dict:
    return {
        "rules-TOTAL_FORMS": "1",
        "rules-INITIAL_FORMS": "0",
        "rules-0-matter_kind": "",
        "rules-0-operation": "",
        "rules-0-rank_at_least": "",
        "rules-0-body": "BIANWEI",
        "rules-0-basis": "机构编制事项由县委编委会审议",
        "rules-0-ORDER": "1",
    }


CALLS = {
    ("page", "matters:matter_list", "GET"): Call(),
    ("page", "matters:matter_export", "GET"): Call(),
    ("page", "matters:matter_new", "GET"): Call(),
    ("page", "matters:matter_new", "POST"): Call(
        data=lambda world, caller: {
            "proposer": world.unit(caller).name,
            "kind": MatterKind.QUOTA,
            "title": "关于核增编制的请示",
            "necessity": "学生增加",
        },
        status=302,
    ),
    ("page", "matters:matter_detail", "GET"): Call(args=_pk("draft_matter")),
    ("page", "matters:matter_act", "POST"): Call(
        args=lambda world, caller: {"pk": world.get("draft_matter", caller).pk, "name": "propose"},
        data=lambda world, caller: {
            "propose-meeting_on": TODAY.isoformat(),
            "propose-minutes": "局党组会议纪要",
            "propose-minutes_file": _pdf_upload(),
        },
        status=302,
    ),
    ("page", "matters:matter_review", "POST"): Call(args=_pk("studying_matter"), data=_review, status=302),
    ("page", "matters:matter_apply", "POST"): Call(args=_pk("decided_matter"), data=_decision, status=302),
    ("page", "matters:step_new", "GET"): Call(
        args=lambda world, caller: {"pk": world.get("draft_matter", caller).pk, "operation": "unit_rename"}
    ),
    ("page", "matters:step_new", "POST"): Call(
        args=lambda world, caller: {"pk": world.get("draft_matter", caller).pk, "operation": "unit_rename"},
        data=lambda world, caller: {"unit": world.unit(caller).name, "name": "锦绣县教育体育局"},
        status=302,
    ),
    ("page", "matters:step_check", "POST"): Call(
        args=lambda world, caller: {"pk": world.get("draft_matter", caller).pk, "operation": "unit_rename"},
        data=lambda world, caller: {"unit": world.unit(caller).name, "name": "锦绣县教育体育局"},
    ),
    ("page", "matters:step_remove", "POST"): Call(
        args=lambda world, caller: {"pk": world.get("draft_matter", caller).pk, "position": 1}, status=302
    ),
    ("page", "matters:attachment_add", "POST"): Call(
        args=_pk("draft_matter"), data=lambda world, caller: {"kind": "OTHER", "file": _pdf_upload()}, status=302
    ),
    ("page", "matters:attachment_download", "GET"): Call(args=_attachment),
    ("page", "matters:attachment_remove", "POST"): Call(args=_attachment, status=302),
    ("page", "matters:document_link", "POST"): Call(
        args=_pk("draft_matter"),
        data=lambda world, caller: {
            f"link-{key}": value for key, value in document_fields("锦编发〔2026〕30号").items()
        },
        status=302,
    ),
    ("page", "matters:document_unlink", "POST"): Call(
        args=lambda world, caller: {
            "pk": world.get("draft_matter", caller).pk,
            "document_id": world.get("draft_matter", caller).documents.get().pk,
        },
        status=302,
    ),
    ("page", "matters:consultation_new", "POST"): Call(
        args=_pk("studying_matter"),
        data=lambda world, caller: {"kind": "EXPERT", "party": "省行政学院专家", "requested_on": TODAY.isoformat()},
        status=302,
    ),
    ("page", "matters:consultation_reply", "POST"): Call(
        args=lambda world, caller: {
            "pk": world.get("studying_matter", caller).pk,
            "consultation_id": world.get("studying_matter", caller).consultations.get().pk,
        },
        data=lambda world, caller: {"replied_on": TODAY.isoformat(), "opinion": "同意"},
        status=302,
    ),
    ("page", "matters:notice_pdf", "GET"): Call(args=_pk("decided_matter")),
    ("page", "matters:meeting_list", "GET"): Call(),
    ("page", "matters:meeting_new", "GET"): Call(),
    ("page", "matters:meeting_new", "POST"): Call(
        data=lambda world, caller: {
            "kind": "BIANWEI",
            "title": "县委编委2026年第4次会议",
            "held_on": TODAY.isoformat(),
        },
        status=302,
    ),
    ("page", "matters:meeting_detail", "GET"): Call(args=_pk("meeting")),
    ("page", "matters:meeting_item_add", "POST"): Call(
        args=_pk("meeting"),
        data=lambda world, caller: {"matter": world.get("office_meeting_matter", caller).pk},
        status=302,
    ),
    ("page", "matters:meeting_item_remove", "POST"): Call(
        args=lambda world, caller: {"pk": world.get("meeting", caller).pk, "item_id": _item(world).pk}, status=302
    ),
    ("page", "matters:meeting_record", "POST"): Call(
        args=_pk("meeting"),
        data=lambda world, caller: {"attendees": "主任、副主任", f"outcome_{_item(world).pk}": "FORWARD"},
        status=302,
    ),
    ("page", "matters:meeting_pack", "GET"): Call(args=_pk("meeting")),
    ("page", "matters:body_rules", "GET"): Call(),
    ("page", "matters:body_rules", "POST"): Call(data=lambda world, caller: _rules(), status=302),
}


def _stored_again(stored) -> None:
    """Each cell of the policy test has a file store of its own (``VAR_DIR``): the world's files are put back in it
    (same content, same row) before a download is asked for."""
    file_store(Upload("again.pdf", PDF))
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()


def _review_pk(world, caller) -> dict:
    return {"pk": world.get("review", caller).pk}


def _draft(world, caller) -> dict:
    review = world.get("review", caller)
    _stored_again(review.draft)
    return {"pk": review.pk}


def _clause(world, caller) -> dict:
    review = world.get("review", caller)
    return {"pk": review.pk, "clause": review.clauses.first().pk}


def _report_file(world, caller) -> dict:
    task = world.get("submitted_report", caller)
    attachment = task.attachments.first()
    _stored_again(attachment.file)
    return {"pk": task.pk, "file": attachment.pk}


CALLS.update(
    {
        ("page", "matters:normative_list", "GET"): Call(),
        ("page", "matters:normative_export", "GET"): Call(),
        ("page", "matters:normative_new", "GET"): Call(),
        ("page", "matters:normative_new", "POST"): Call(
            data=lambda world, caller: {
                "title": "关于乡镇机构的实施意见（送审稿）",
                "department": "县委组织部",
                "received_on": TODAY.isoformat(),
                "draft": SimpleUploadedFile("送审稿.pdf", PDF),
            },
            status=302,
        ),
        ("page", "matters:normative_detail", "GET"): Call(args=_review_pk),
        ("page", "matters:normative_draft", "GET"): Call(args=_draft),
        ("page", "matters:normative_letter", "GET"): Call(args=_review_pk),
        ("page", "matters:normative_clause_add", "POST"): Call(
            args=_review_pk,
            data=lambda world, caller: {"clause-reference": "第六条", "clause-opinion": "AGREE"},
            status=302,
        ),
        ("page", "matters:normative_clause_edit", "GET"): Call(args=_clause),
        ("page", "matters:normative_clause_edit", "POST"): Call(
            args=_clause,
            data=lambda world, caller: {"reference": "第五条", "opinion": "AMEND", "opinion_text": "改为按程序报批"},
            status=302,
        ),
        ("page", "matters:normative_clause_remove", "POST"): Call(args=_clause, status=302),
        ("page", "matters:normative_reply", "POST"): Call(
            args=_review_pk, data=lambda world, caller: {"reply-returned_on": TODAY.isoformat()}, status=302
        ),
        ("page", "matters:normative_withdraw", "POST"): Call(args=_review_pk, status=302),
        ("page", "matters:report_list", "GET"): Call(),
        ("page", "matters:report_export", "GET"): Call(),
        ("page", "matters:report_schedule", "GET"): Call(),
        ("page", "matters:report_schedule", "POST"): Call(
            data=lambda world, caller: {
                "kind": ReportKind.MAJOR,
                "title": "重大事项报告",
                "year": TODAY.year,
                "due_on": (TODAY + dt.timedelta(days=30)).isoformat(),
            },
            status=302,
        ),
        ("page", "matters:report_detail", "GET"): Call(args=_pk("pending_report")),
        ("page", "matters:report_file", "GET"): Call(args=_report_file),
        ("page", "matters:report_submit", "POST"): Call(
            args=_pk("pending_report"),
            data=lambda world, caller: {"submit-files": SimpleUploadedFile("报告.pdf", PDF), "submit-note": "按时"},
            status=302,
        ),
        ("page", "matters:report_accept", "POST"): Call(args=_pk("submitted_report"), status=302),
        ("page", "matters:report_return", "POST"): Call(
            args=_pk("submitted_report"), data=lambda world, caller: {"return-reason": "缺少附表"}, status=302
        ),
    }
)
