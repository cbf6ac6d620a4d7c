"""The policy test's requests for the pages of the 12310 complaints (see ``tests/core/policy_world.py``). A
complaint is not a unit's object: both sides of the world get the same one."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from bianzhi.core.files import Upload
from bianzhi.supervision.complaints import complaint_file_add, complaint_receive
from tests.core.policy_world import TODAY, Call, pk_of

PDF = b"%PDF-1.4\n% evidence\n"


def populate(world) -> None:
    complaint = complaint_receive(
        actor=None,
        received_on=TODAY,
        channel="PHONE",
        category="STAFFING",
        description="某单位超编进人。",
        anonymous=False,
        name="策略测试举报人",
        contact="13900000000",
        accused_units=[world.units["finance"]],
    )
    world.put("complaint", complaint, complaint)
    added = complaint_file_add(actor=None, complaint=complaint, upload=Upload("证据.pdf", PDF))
    world.put("complaint_file", added, added)


def _new(world, caller) -> dict:
    return {
        "received_on": TODAY.isoformat(),
        "channel": "LETTER",
        "anonymous": "on",
        "category": "ORGANS",
        "description": "擅自设立内设机构。",
    }


def _file(world, caller) -> dict:
    added = world.get("complaint_file", caller)
    return {"pk": added.complaint_id, "file_pk": added.pk}


CALLS = {
    ("api", "list_complaints", "GET"): Call(),
    ("page", "supervision:complaint_list", "GET"): Call(),
    ("page", "supervision:complaint_export", "GET"): Call(),
    ("page", "supervision:complaint_new", "GET"): Call(),
    ("page", "supervision:complaint_new", "POST"): Call(data=_new, status=302),
    ("page", "supervision:complaint_detail", "GET"): Call(args=pk_of("complaint")),
    ("page", "supervision:complaint_step", "POST"): Call(
        args=lambda world, caller: {"pk": world.get("complaint", caller).pk, "step": "accept"},
        data=lambda world, caller: {"accept-day": TODAY.isoformat()},
        status=302,
    ),
    ("page", "supervision:complaint_reveal", "POST"): Call(args=pk_of("complaint")),
    ("page", "supervision:complaint_file_add", "POST"): Call(
        args=pk_of("complaint"),
        data=lambda world, caller: {"file": SimpleUploadedFile("照片.pdf", PDF, content_type="application/pdf")},
        status=302,
    ),
    ("page", "supervision:complaint_file", "GET"): Call(args=_file),
    ("page", "supervision_public:complaint_new", "GET"): Call(),
    # without the question asked first in the same session the answer is refused, nothing saved
    ("page", "supervision_public:complaint_new", "POST"): Call(
        data=lambda world, caller: {"category": "OTHER", "description": "测试", "answer": "3"}, status=400
    ),
    ("page", "supervision_public:complaint_track", "GET"): Call(),
    ("page", "supervision_public:complaint_track", "POST"): Call(
        data=lambda world, caller: {"code": world.get("complaint", caller).code}
    ),
}
