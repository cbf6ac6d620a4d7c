"""The printable notices: real PDFs with an embedded CJK font, the facts a notice carries, the full ID number only for a
role allowed to see it, the printer's name and time on the page and in the audit log, and the refusals (not approved,
still in the slot, out of scope)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from bianzhi.accounts.models import User
from bianzhi.accounts.roles import Role
from bianzhi.audit.actions import action_label
from bianzhi.audit.models import AuditEvent
from bianzhi.core.errors import BianzhiError
from bianzhi.core.models import Installation
from bianzhi.orgs.models import Unit
from bianzhi.roster import approvals, notices, staffing
from tests.factories import make_unit, make_user
from tests.quotas.support import document
from tests.roster.support import ENTRY_DAY, approved, entry_doc, give_slots, new_id, person

pytestmark = pytest.mark.django_db
APPROVED_ON = dt.date(2022, 2, 1)
RETIRED_ON = dt.date(2023, 1, 1)


@pytest.fixture
def county():
    Installation.objects.create(county_name="锦绣县", region_code="610999")
    unit = make_unit("锦绣县财政局")
    give_slots(unit, 5)
    approval = approved(unit, 2, today=APPROVED_ON)
    id_number = new_id()
    occupancy = staffing.occupancy_start(
        actor=None,
        data=person("李四", id_number=id_number),
        slot=staffing.Slot(approval=approval),
        start_date=ENTRY_DAY,
        entry_mode="KL",
        document=entry_doc(),
        today=ENTRY_DAY,
    )
    approval.refresh_from_db()
    return {"unit": unit, "approval": approval, "occupancy": occupancy, "id_number": id_number}


@pytest.fixture
def bianban(client):
    client.force_login(make_user("bianban", Role.BIANBAN_ADMIN, scope_county=True))


def retire(occupancy):
    return staffing.occupancy_end(
        actor=None,
        person=occupancy.person,
        end_date=RETIRED_ON,
        reason="TX",
        document=document(dt.date(2022, 12, 20), "关于同意李四同志退休的批复", "锦绣县人力资源和社会保障局"),
    )


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "notice.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.replace("\n", "")  # Chinese text wraps anywhere


def pdf_fonts(content: bytes, tmp_path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def get_pdf(client, name: str, pk: int):
    response = client.get(reverse(f"roster:{name}", args=[pk]))
    assert response.status_code == 200, response.content.decode()[:500]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    return response


def test_approval_notice_names_the_unit_the_slots_and_the_issuer(client, county, bianban, tmp_path):
    approval = county["approval"]
    response = get_pdf(client, "approval_notice", approval.pk)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline") and f"{quote('核准使用编制通知单-' + approval.serial)}.pdf" in disposition

    text = pdf_text(response.content, tmp_path)
    assert approval.serial == "用编核〔2022〕0001号"
    for expected in (
        approval.serial,
        "锦绣县财政局",
        "行政编制（全额拨款）2名",
        "考试录用",
        "2022年2月1日",
        f"有效期至{approval.valid_until.year}年{approval.valid_until.month}月{approval.valid_until.day}日",
        "抄送：县委组织部、县人力资源和社会保障局、县财政局。",
        "锦绣县机构编制委员会办公室",
        "第 1 页，共 1 页",
    ):
        assert expected in text, expected

    fonts = pdf_fonts(response.content, tmp_path)
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes " in line for line in cjk), fonts  # embedded (as a subset)


@pytest.fixture
def unit_operator(client, county):
    client.force_login(make_user("caizheng", Role.UNIT_OPERATOR, scope_unit=county["unit"]))


def test_entry_notice_shows_only_the_masked_id_to_a_role_not_allowed_the_full_number(
    client, county, unit_operator, tmp_path
):
    occupancy = county["occupancy"]
    response = get_pdf(client, "entry_notice", occupancy.pk)
    assert quote(f"人员入编通知单-李四-{occupancy.entry_serial}.pdf") in response["Content-Disposition"]

    text = pdf_text(response.content, tmp_path)
    masked = occupancy.person.id_masked
    assert "*" in masked
    for expected in (occupancy.entry_serial, "锦绣县财政局", "李四", masked, county["approval"].serial, "2022年3月1日"):
        assert expected in text, expected
    assert county["id_number"] not in text
    assert county["id_number"] not in response.content.decode("latin-1")
    printed = AuditEvent.objects.get(action="roster.entry_notice_printed")
    assert (printed.actor_name, printed.object_id) == ("caizheng", str(occupancy.person_id))
    assert printed.after == {"serial": occupancy.entry_serial, "full_id": False}


def test_the_bianban_prints_the_full_id_number_for_the_partner_departments(client, county, tmp_path):
    bianban = make_user("bianban", Role.BIANBAN_ADMIN, scope_county=True)
    User.objects.filter(pk=bianban.pk).update(full_name="周晓明")
    client.force_login(bianban)
    occupancy = county["occupancy"]
    text = pdf_text(get_pdf(client, "entry_notice", occupancy.pk).content, tmp_path)
    assert county["id_number"] in text and occupancy.person.id_masked not in text
    printed_on = timezone.localdate().isoformat()
    assert re.search(rf"打印人：周晓明\s*打印时间：{printed_on} \d{{2}}:\d{{2}}", text), text
    printed = AuditEvent.objects.get(action="roster.entry_notice_printed")
    assert printed.actor_id == bianban.pk and printed.after["full_id"] is True
    assert action_label("roster.entry_notice_printed") == "打印人员入编通知单"


def test_every_print_is_audited_and_names_its_printer(client, county, unit_operator, tmp_path):
    occupancy = retire(county["occupancy"])
    prints = [("approval_notice", county["approval"].pk), ("exit_notice", occupancy.pk), ("exit_notice", occupancy.pk)]
    for name, pk in prints:
        text = pdf_text(get_pdf(client, name, pk).content, tmp_path)
        assert "打印人：caizheng" in text and "打印时间：" in text
    assert AuditEvent.objects.filter(action="roster.approval_notice_printed").count() == 1
    assert AuditEvent.objects.filter(action="roster.exit_notice_printed").count() == 2  # a reprint is a print
    assert "打印" in action_label("roster.exit_notice_printed")


def test_a_refused_print_records_nothing(client, county, unit_operator):
    assert client.get(reverse("roster:exit_notice", args=[county["occupancy"].pk])).status_code == 400
    assert not AuditEvent.objects.filter(action__endswith="_notice_printed").exists()


def test_exit_notice_after_the_person_left(client, county, unit_operator, tmp_path):
    occupancy = retire(county["occupancy"])
    text = pdf_text(get_pdf(client, "exit_notice", occupancy.pk).content, tmp_path)
    for expected in (occupancy.exit_serial, "锦绣县财政局", "李四", occupancy.person.id_masked, "退休", "2023年1月1日"):
        assert expected in text, expected
    assert "关于同意李四同志退休的批复" in text
    assert county["id_number"] not in text


def test_no_notice_for_an_approval_not_yet_approved(client, county, bianban):
    draft = approvals.approval_draft(
        actor=None, unit=county["unit"], quota_type="XZ", funding_form="QE", count=1, entry_mode="KL", purpose="补缺"
    )
    with pytest.raises(BianzhiError) as refused:
        notices.approval_notice(actor=None, approval=draft)
    assert refused.value.code == "notices.not_approved"
    assert "「草稿」" in refused.value.message

    response = client.get(reverse("roster:approval_notice", args=[draft.pk]))
    assert response.status_code == 400
    assert "尚未核准" in response.content.decode() and "notices.not_approved" in response.content.decode()


def test_no_exit_notice_while_the_person_holds_the_slot(client, county, bianban):
    with pytest.raises(BianzhiError) as refused:
        notices.exit_notice(actor=None, occupancy=county["occupancy"])
    assert refused.value.code == "notices.still_in_slot"

    response = client.get(reverse("roster:exit_notice", args=[county["occupancy"].pk]))
    assert response.status_code == 400
    assert "李四目前仍在编" in response.content.decode()


def test_a_cancelled_approval_prints_as_an_archive_copy(county, tmp_path):
    cancelled = approvals.approval_cancel(actor=None, approval=county["approval"], comment="单位撤回")
    text = pdf_text(notices.approval_notice(actor=None, approval=cancelled).content, tmp_path)
    assert cancelled.serial in text and "本通知单已撤销，仅供存档。" in text


def test_a_transfer_ends_a_slot_without_an_exit_notice(county):
    give_slots(make_unit("锦绣县审计局"), 2)
    old = county["occupancy"]
    moved = staffing.occupancy_transfer(
        actor=None,
        person=old.person,
        unit=Unit.objects.get(name="锦绣县审计局"),
        quota_type="XZ",
        funding_form="QE",
        effective_date=RETIRED_ON,
        document=document(RETIRED_ON, "关于李四同志调动的通知", "锦绣县委组织部"),
    )
    old.refresh_from_db()
    with pytest.raises(BianzhiError) as refused:
        notices.exit_notice(actor=None, occupancy=old)
    assert refused.value.code == "notices.no_exit_notice"
    assert moved.entry_serial  # the new slot's entry notice is the one to print


def test_users_outside_the_unit_get_403_and_strangers_the_login_page(client, county):
    occupancy = retire(county["occupancy"])
    urls = [
        reverse("roster:approval_notice", args=[county["approval"].pk]),
        reverse("roster:entry_notice", args=[occupancy.pk]),
        reverse("roster:exit_notice", args=[occupancy.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to the login page

    client.force_login(make_user("shenji", Role.UNIT_OPERATOR, scope_unit=make_unit("锦绣县审计局")))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "不在您的管理范围内" in response.content.decode()
    assert client.get(reverse("roster:entry_notice", args=[999999])).status_code == 404
