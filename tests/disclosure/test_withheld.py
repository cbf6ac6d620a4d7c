"""A 涉密 unit (公安局) kept off the 实名制公示 by the 编办, with a reason and a document: neither it nor its
sub-units, their people or their figures appear on any public page or in the public workbook, until it is put back."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bianzhi.accounts.roles import Role
from bianzhi.audit.actions import action_label
from bianzhi.audit.models import AuditEvent
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.orgs.choices import UnitKind
from bianzhi.orgs.errors import OrgError
from bianzhi.orgs.models import Unit
from bianzhi.orgs.services import unit_move, unit_set_disclosure
from bianzhi.roster import staffing
from tests.disclosure.test_public import county, hire, workbook_text  # noqa: F401  (county: a fixture)
from tests.factories import doc, make_unit, make_user
from tests.roster.support import approved, give_slots

pytestmark = pytest.mark.django_db
REASON = "涉密单位，依规定不公开人员信息"


@pytest.fixture(autouse=True)
def _no_download_limit(settings):
    settings.BIANZHI_PUBLIC_DOWNLOADS_PER_MINUTE = 0  # these tests download a workbook many times a minute


@pytest.fixture
def police(county):  # noqa: F811
    police = make_unit("锦绣县公安局", zhengfa=True)
    station = make_unit("锦绣县公安局城关派出所", police, kind=UnitKind.XIASHE, zhengfa=True)
    for unit, name in ((police, "周警官"), (station, "吴警官")):
        give_slots(unit, 2, type_code="ZFZX")
        approval = approved(unit, 1, type_code="ZFZX", today=dt.date(2022, 2, 1))
        hire(staffing.Slot(approval=approval), name, birth=dt.date(1985, 3, 3))
    bianban = make_user("bianban", Role.BIANBAN_OPERATOR, scope_county=True)
    return {"police": police, "station": station, "bianban": bianban}


def _withhold(police, **kwargs):
    given = {"reason": REASON, "document": doc(), **kwargs}
    return unit_set_disclosure(actor=police["bianban"], unit=police["police"], disclosed=False, **given)


def _public_texts(client, police) -> str:
    """Everything the public can read: the county list, the county workbook, and each unit's page and workbook."""
    texts = [
        client.get(reverse("disclosure:unit_list")).content.decode(),
        workbook_text(client.get(reverse("disclosure:county_xlsx")).content),
    ]
    for unit in (police["police"], police["station"]):
        for name in ("disclosure:unit_detail", "disclosure:unit_xlsx"):
            response = client.get(reverse(name, args=[unit.pk]))
            texts.append(response.content.decode() if response.status_code == 404 else "SHOWN " + unit.name)
    return "\n".join(texts)


def _county_zfzx(client) -> tuple[int, int]:
    """政法专项编制 编制数 and 实有数 on the county workbook's 合计 line."""
    ws = load_workbook(io.BytesIO(client.get(reverse("disclosure:county_xlsx")).content))["编制情况"]
    header = [value for value in next(ws.iter_rows(min_row=2, max_row=2, values_only=True))]
    column = header.index("政法专项编制\n编制数")
    total = next(row for row in ws.iter_rows(min_row=3, values_only=True) if row[1] == "合计")
    return total[column], total[column + 1]


def test_a_withheld_unit_and_its_sub_units_are_on_no_public_page_or_workbook(client, police):
    published = _public_texts(client, police)
    for name in ("锦绣县公安局", "锦绣县公安局城关派出所", "周警官", "吴警官"):
        assert name in published, name
    assert _county_zfzx(client) == (4, 2)

    _withhold(police)
    withheld = _public_texts(client, police)
    for name in ("锦绣县公安局", "派出所", "周警官", "吴警官", "SHOWN"):
        assert name not in withheld, name
    assert withheld.count("未找到该单位的公示信息") == 4  # as for a unit that does not exist: nothing told
    assert _county_zfzx(client) == (0, 0)  # nor in the county's 合计
    assert "锦绣县财政局" in withheld and "李四" in withheld  # the others stay

    unit_set_disclosure(actor=police["bianban"], unit=police["police"], disclosed=True, document=doc())
    assert "周警官" in _public_texts(client, police) and "吴警官" in _public_texts(client, police)


def test_a_unit_moved_under_a_withheld_unit_goes_off_with_it(client, police):
    _withhold(police)
    finance = Unit.objects.get(name="锦绣县财政局")
    assert "锦绣县财政局" in client.get(reverse("disclosure:unit_list")).content.decode()
    unit_move(actor=None, unit=finance, new_parent=police["police"], document=doc(), effective_date=dt.date(2026, 1, 5))
    assert "锦绣县财政局" not in client.get(reverse("disclosure:unit_list")).content.decode()


def test_withholding_is_audited_with_reason_and_document(police):
    _withhold(police)
    unit = Unit.objects.get(pk=police["police"].pk)
    assert (unit.disclosure_withheld, unit.disclosure_reason) == (True, REASON)
    event = AuditEvent.objects.filter(action="orgs.unit_disclosure_withheld").get()
    assert event.object_id == str(unit.pk) and event.reason == REASON
    assert event.after == {"disclosed": False, "reason": REASON, "document": unit.disclosure_document.number}
    assert action_label("orgs.unit_disclosure_withheld") == "机构不予实名制公示"

    unit_set_disclosure(actor=police["bianban"], unit=unit, disclosed=True, document=doc(), reason="已解密")
    unit.refresh_from_db()
    assert (unit.disclosure_withheld, unit.disclosure_reason, unit.disclosure_document) == (False, "", None)
    assert AuditEvent.objects.filter(action="orgs.unit_disclosure_restored").get().before["reason"] == REASON


@pytest.mark.parametrize(
    ("who", "kwargs", "code"),
    [
        ("unit_operator", {}, CommonError.PERMISSION_DENIED.code),
        ("bianban", {"reason": "  "}, OrgError.DISCLOSURE_REASON_REQUIRED.code),
        ("bianban", {"reason": "密" * 501}, OrgError.TOO_LONG.code),
        ("bianban", {"document": None}, "documents.required"),
    ],
)
def test_refusals_change_nothing(police, who, kwargs, code):
    if who == "unit_operator":
        police["bianban"] = make_user("gongan", Role.UNIT_OPERATOR, scope_unit=police["police"])
    with pytest.raises(BianzhiError) as refused:
        _withhold(police, **kwargs)
    assert refused.value.code == code
    assert not Unit.objects.filter(disclosure_withheld=True).exists()
    assert not AuditEvent.objects.filter(action__startswith="orgs.unit_disclosure").exists()


def test_asking_for_the_state_it_is_in_is_refused(police):
    with pytest.raises(BianzhiError) as refused:
        unit_set_disclosure(actor=police["bianban"], unit=police["police"], disclosed=True, document=doc())
    assert refused.value.code == OrgError.DISCLOSURE_UNCHANGED.code and "已经公示" in refused.value.message
    _withhold(police)
    with pytest.raises(BianzhiError) as refused:
        _withhold(police)
    assert "已经不予公示" in refused.value.message
