"""The policy test's requests for the roster's pages (see ``tests/core/policy_world.py``)."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from bianzhi.core.policy import Caller
from bianzhi.roster import approvals, loans, staffing
from bianzhi.roster.models import RosterImport
from tests.core.policy_world import TODAY, Call, document_fields, pk_of
from tests.quotas.support import document
from tests.roster.support import approved, entry_doc, new_id, person
from tests.roster.test_import import person_row, roster_file

ENTERED, LEFT = dt.date(2022, 3, 1), dt.date(2023, 6, 30)
ONBOARD_ID = new_id(birth=dt.date(1995, 8, 8))


def _hire(unit, on: dt.date = ENTERED):
    return staffing.occupancy_start(
        actor=None,
        data=person(),
        slot=staffing.Slot(unit=unit, quota_type="XZ", funding_form="QE", override_reason="实名制数据初始化"),
        start_date=on,
        entry_mode="KL",
        document=entry_doc(on),
    )


def _side(world, unit) -> dict:
    """Each kind of roster object of one unit."""
    occupancy = _hire(unit)
    leaver = _hire(unit)
    closed = staffing.occupancy_end(
        actor=None, person=leaver.person, end_date=LEFT, reason="CZ", document=entry_doc(LEFT), note="辞职"
    )
    submitted = approvals.approval_draft(
        actor=None, unit=unit, quota_type="XZ", funding_form="QE", count=1, entry_mode="KL", purpose="补充骨干"
    )
    return {
        "person": occupancy.person,
        "occupancy": occupancy,
        "leaver": leaver.person,
        "closed_occupancy": closed,
        "approval": approved(unit, 2),
        "submitted_approval": approvals.approval_submit(actor=None, approval=submitted),
        "loan": loans.loan_grant(
            actor=None,
            unit=unit,
            quota_type="XZ",
            funding_form="QE",
            count=1,
            purpose="URGENT",
            start_date=TODAY,
            due_date=TODAY + dt.timedelta(days=365),
            document=document(TODAY),
        ),
    }


def populate(world) -> None:
    own, other = _side(world, world.units["education"]), _side(world, world.units["finance"])
    for kind in own:
        world.put(kind, own[kind], other[kind])
    # an import belongs to its uploader: the county 编办 accounts have their own, everyone else asks for the admin's
    records = {
        caller: RosterImport.objects.create(
            file_name="花名册.xlsx", state=RosterImport.State.CHECKED, dry_run=True, created_by=world.users[caller]
        )
        for caller in (Caller.BIANBAN_ADMIN, Caller.BIANBAN_OPERATOR)
    }
    for caller in Caller:
        world.objects[("import", caller)] = records.get(caller, records[Caller.BIANBAN_ADMIN])


def _import_record(world, caller) -> dict:
    return {"pk": world.objects[("import", caller)].pk}


def _onboarding(world, caller) -> dict:
    return {
        "source": f"a{world.objects[('approval', 'own')].pk}",
        "name": "王晓明",
        "id_number": ONBOARD_ID,
        "start_date": TODAY.isoformat(),
        "entry_mode": "KL",
        "hire_kind": "NEW",
        **document_fields("锦人社发〔2026〕90号"),
    }


def _person_edit(world, caller) -> dict:
    return {"name": world.get("person", caller).name, "position": "科长", "reason": "职务变动"}


def _offboarding(world, caller) -> dict:
    return {"end_date": TODAY.isoformat(), "reason": "CZ", **document_fields("锦人社发〔2026〕91号")}


def _transfer(world, caller) -> dict:
    return {
        "unit": world.elsewhere(caller).name,
        "quota_type": "XZ",
        "funding_form": "QE",
        "effective_date": TODAY.isoformat(),
        "reason": "工作调动",
        **document_fields("锦组发〔2026〕92号"),
    }


def _post(world, caller) -> dict:
    return {
        "level": "ZHENG",
        "grade": "ZHENGKE",
        "start_date": TODAY.isoformat(),
        **document_fields("锦组发〔2026〕93号"),
    }


def _approval(world, caller) -> dict:
    return {
        "unit": world.unit(caller).name,
        "quota_type": "XZ",
        "funding_form": "QE",
        "count": 1,
        "entry_mode": "KL",
        "purpose": "补充教研骨干",
        "submit_now": "on",
    }


def _loan(world, caller) -> dict:
    return {
        "unit": world.unit(caller).name,
        "quota_type": "XZ",
        "funding_form": "QE",
        "count": 1,
        "purpose": "TALENT",
        "start_date": TODAY.isoformat(),
        "due_date": (TODAY + dt.timedelta(days=730)).isoformat(),
        **document_fields("锦编发〔2026〕94号"),
    }


def _upload(world, caller) -> dict:
    data = roster_file(person_row("郝仁", "锦绣县教育局"))
    return {"file": SimpleUploadedFile("花名册.xlsx", data), "dry_run": "on"}


PERSON = pk_of("person")

CALLS = {
    ("page", "roster:person_list", "GET"): Call(),
    ("page", "roster:person_export", "GET"): Call(),
    ("page", "roster:person_detail", "GET"): Call(args=PERSON),
    ("page", "roster:person_unmask", "POST"): Call(args=PERSON),
    ("page", "roster:person_edit", "GET"): Call(args=PERSON),
    ("page", "roster:person_edit", "POST"): Call(args=PERSON, data=_person_edit, status=302),
    ("page", "roster:offboard", "GET"): Call(args=PERSON),
    ("page", "roster:offboard", "POST"): Call(args=PERSON, data=_offboarding, status=302),
    ("page", "roster:transfer", "GET"): Call(args=PERSON),
    ("page", "roster:transfer", "POST"): Call(args=PERSON, data=_transfer, status=302),
    ("page", "roster:restore", "GET"): Call(args=pk_of("leaver")),
    ("page", "roster:restore", "POST"): Call(
        args=pk_of("leaver"), data=lambda world, caller: {"reason": "误办出编，予以更正"}, status=302
    ),
    ("page", "roster:leave", "GET"): Call(args=PERSON),
    ("page", "roster:leave", "POST"): Call(
        args=PERSON, data=lambda world, caller: {"on_leave": "on", "reason": "长期病休"}, status=302
    ),
    ("page", "roster:post_assign", "GET"): Call(args=PERSON),
    ("page", "roster:post_assign", "POST"): Call(args=PERSON, data=_post, status=302),
    ("page", "roster:onboard", "GET"): Call(),
    ("page", "roster:onboard", "POST"): Call(data=_onboarding, status=302),
    ("page", "roster:approval_list", "GET"): Call(),
    ("page", "roster:approval_new", "GET"): Call(),
    ("page", "roster:approval_new", "POST"): Call(data=_approval, status=302),
    ("page", "roster:approval_figures", "GET"): Call(query=_approval),
    ("page", "roster:approval_detail", "GET"): Call(args=pk_of("approval")),
    ("page", "roster:approval_detail", "POST"): Call(
        args=pk_of("submitted_approval"),
        data=lambda world, caller: {"action": "cancel", "comment": "申请有误，撤回"},
        status=302,
    ),
    ("page", "roster:over_quota", "GET"): Call(),
    ("page", "roster:loan_list", "GET"): Call(),
    ("page", "roster:loan_new", "GET"): Call(),
    ("page", "roster:loan_new", "POST"): Call(data=_loan, status=302),
    ("page", "roster:loan_recall", "POST"): Call(args=pk_of("loan"), status=302),
    ("page", "roster:approval_notice", "GET"): Call(args=pk_of("approval")),
    ("page", "roster:entry_notice", "GET"): Call(args=pk_of("occupancy")),
    ("page", "roster:exit_notice", "GET"): Call(args=pk_of("closed_occupancy")),
    ("page", "roster:import_start", "GET"): Call(),
    ("page", "roster:import_start", "POST"): Call(data=_upload, status=302),
    ("page", "roster:import_status", "GET"): Call(args=_import_record),
    ("page", "roster:import_progress", "GET"): Call(args=_import_record),
    ("page", "roster:import_confirm", "POST"): Call(args=_import_record, status=302),
    ("page", "roster:import_retry", "POST"): Call(args=_import_record, status=302),
    ("page", "roster:import_errors", "GET"): Call(args=_import_record, status=302),
}
