"""The policy test's requests for the 年度报告 pages (merged into ``policy_calls.CALLS``): each side's institution has a
draft, a sent report, an accepted one (years in the past, whatever today is), and no report on the year sanctioned."""

from __future__ import annotations

import hashlib

from bianzhi.core.files import Upload, file_store
from bianzhi.registration.annual import annual_report_accept, annual_report_publish, annual_report_submit
from tests.core.policy_world import TODAY, Call, document_fields, pk_of
from tests.registration.annual_support import PDF, complete, sections

EDIT_YEAR = TODAY.year - 1  # no report yet: the form makes the draft
SENT_YEAR = TODAY.year - 2  # sent late: to review, and to sanction
ACCEPTED_YEAR, DRAFT_YEAR, PUBLISHED_YEAR = TODAY.year - 3, TODAY.year - 4, TODAY.year - 5


def _reports(institution) -> tuple:
    def sent(year):
        return annual_report_submit(actor=None, report=complete(institution, year=year))

    accepted = annual_report_accept(actor=None, report=sent(ACCEPTED_YEAR))
    published = annual_report_publish(actor=None, report=annual_report_accept(actor=None, report=sent(PUBLISHED_YEAR)))
    return complete(institution, year=DRAFT_YEAR), sent(SENT_YEAR), accepted, published


def populate(world) -> None:
    own, other = (_reports(world.objects[("institution", side)]) for side in ("own", "other"))
    for index, kind in enumerate(("annual_draft", "annual_sent", "annual_accepted", "annual_published")):
        world.put(kind, own[index], other[index])


def _institution_year(year: int):
    return lambda world, caller: {"pk": world.get("institution", caller).pk, "year": year}


def _file(kind: str):
    def args(world, caller) -> dict:
        report = world.get(kind, caller)
        attachment = report.attachments.first()
        file_store(Upload("again.pdf", PDF))  # each cell has a file store of its own: put the content back
        assert attachment.file.sha256 == hashlib.sha256(PDF).hexdigest()
        return {"pk": report.pk, "file": attachment.pk}

    return args


def _sanction(world, caller) -> dict:
    fields = {**document_fields("锦编发〔2026〕51号"), "day": TODAY.isoformat(), "reason": "未按规定报送年度报告"}
    return {f"s{world.get('institution', caller).pk}-{name}": value for name, value in fields.items()}


CALLS = {
    ("api", "list_annual_reports", "GET"): Call(query=lambda world, caller: {"year": SENT_YEAR}),
    ("page", "registration:annual_report_list", "GET"): Call(),
    ("page", "registration:annual_report_export", "GET"): Call(),
    ("page", "registration:annual_overdue", "GET"): Call(query=lambda world, caller: {"year": SENT_YEAR}),
    ("page", "registration:annual_sanction", "POST"): Call(
        args=lambda world, caller: {
            "pk": world.get("institution", caller).pk,
            "year": SENT_YEAR,
            "step": "WARNING",
        },
        data=_sanction,
        status=302,
    ),
    ("page", "registration:annual_mine", "GET"): Call(),
    ("page", "registration:annual_report_edit", "GET"): Call(args=_institution_year(EDIT_YEAR)),
    ("page", "registration:annual_report_edit", "POST"): Call(
        args=_institution_year(EDIT_YEAR),
        data=lambda world, caller: {**sections(), "items_consistent": "on", "action": "save"},
        status=302,
    ),
    ("page", "registration:annual_report_detail", "GET"): Call(args=pk_of("annual_sent")),
    ("page", "registration:annual_report_file", "GET"): Call(args=_file("annual_sent")),
    ("page", "registration:annual_attachment_remove", "POST"): Call(args=_file("annual_draft"), status=302),
    ("page", "registration:annual_report_accept", "POST"): Call(args=pk_of("annual_sent"), status=302),
    ("page", "registration:annual_report_return", "POST"): Call(
        args=pk_of("annual_sent"), data=lambda world, caller: {"return-reason": "请补充绩效情况"}, status=302
    ),
    ("page", "registration:annual_report_publish", "POST"): Call(args=pk_of("annual_accepted"), status=302),
    ("page", "registration_public:annual_report_list", "GET"): Call(),
    ("page", "registration_public:annual_report_detail", "GET"): Call(args=pk_of("annual_published")),
}
