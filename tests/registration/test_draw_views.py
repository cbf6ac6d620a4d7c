"""The pages of 双随机一公开 as the 登记管理 staff use them (the pool, a new draw, notices, results, publication, the
printed notice and the export) and the public results page; refusals come back as Chinese messages with their code."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from bianzhi.accounts.roles import Role
from bianzhi.core.files import pdf_text
from bianzhi.registration.choices import DrawState, InspectionResult
from bianzhi.registration.models import DrawObject, InspectionDraw, Inspector, InspectorRelation
from tests.factories import make_user
from tests.registration.test_draws import TODAY, County


@pytest.fixture
def world(county):
    return County()


@pytest.fixture
def staff(world, client):
    client.force_login(world.staff)
    return client


def _new(staff, **changes):
    data = {
        "year": TODAY.year,
        "rate_percent": "3",
        "method": "ON_SITE",
        "inspected_by": TODAY.isoformat(),
        "checklist": "登记事项\n年度报告",
        "seed": "",
        **changes,
    }
    return staff.post(reverse("registration:draw_new"), data)


def test_the_pool_page_adds_declares_and_deactivates(world, staff):
    page = staff.get(reverse("registration:inspector_list"))
    assert "检查人员名录库" in page.content.decode() and "赵一" in page.content.decode()
    added = staff.post(reverse("registration:inspector_list"), {"name": "周 五", "unit": "锦绣县财政局"})
    assert added.status_code == 302
    inspector = Inspector.objects.get(name="周五")
    school = world.institutions[0]
    relation = {f"r{inspector.pk}-institution": school.pk, f"r{inspector.pk}-note": "配偶在该单位任职"}
    url = reverse("registration:inspector_relation", args=[inspector.pk])
    assert staff.post(url, relation).status_code == 302
    again = staff.post(url, relation)
    assert again.status_code == 400 and "registration.relation_exists" in again.content.decode()
    assert InspectorRelation.objects.filter(inspector=inspector).count() == 1
    assert staff.post(reverse("registration:inspector_deactivate", args=[inspector.pk])).status_code == 302
    twice = staff.post(reverse("registration:inspector_deactivate", args=[inspector.pk]))
    assert twice.status_code == 400 and "registration.inspector_inactive" in twice.content.decode()


def test_the_new_draw_form_shows_the_base_and_the_number_to_draw_then_draws(world, staff):
    form = staff.get(reverse("registration:draw_new")).content.decode()
    assert f"{TODAY.year} 年度抽查基数 <strong>3</strong> 个" in form and "将抽取 <strong>1</strong> 个对象" in form
    refused = _new(staff, rate_percent="5")
    assert refused.status_code == 400 and "抽查比例须在 1% 至 3% 之间" in refused.content.decode()
    assert "registration.bad_rate" in refused.content.decode()
    empty = _new(staff, checklist="  ")
    assert empty.status_code == 400 and not InspectionDraw.objects.exists()
    drawn = _new(staff, seed="0427")
    draw = InspectionDraw.objects.get()
    assert drawn.status_code == 302 and drawn["Location"] == reverse("registration:draw_detail", args=[draw.pk])
    page = staff.get(drawn["Location"]).content.decode()
    drawn_object = draw.targets.get()
    assert draw.number in page and "0427" in page and draw.base_hash in page
    assert drawn_object.institution.unit.name in page
    assert all(inspector.name in page for inspector in drawn_object.inspectors.all())


def test_notice_results_file_publication_export_and_public_page(world, staff, client):
    _new(staff)
    draw = InspectionDraw.objects.get()
    drawn = draw.targets.get()
    detail = reverse("registration:draw_detail", args=[draw.pk])
    notice = staff.get(reverse("registration:draw_notice", args=[drawn.pk]))
    assert notice["Content-Type"] == "application/pdf"
    text = pdf_text(notice.content)
    assert "抽查通知书" in text and drawn.institution.unit.name in text
    early = staff.post(reverse("registration:draw_publish", args=[draw.pk]))
    assert early.status_code == 400 and "registration.draw_state" in early.content.decode()
    assert (
        staff.post(reverse("registration:draw_notify", args=[draw.pk]), {"day": TODAY.isoformat()}).status_code == 302
    )
    missing = staff.post(reverse("registration:draw_publish", args=[draw.pk]))
    assert missing.status_code == 400 and "未录入检查结果" in missing.content.decode()
    prefix = f"o{drawn.pk}"
    url = reverse("registration:draw_object_record", args=[drawn.pk])
    no_findings = staff.post(url, {f"{prefix}-result": "RECTIFY", f"{prefix}-inspected_on": TODAY.isoformat()})
    assert no_findings.status_code == 400 and "须写明检查情况" in no_findings.content.decode()
    record = SimpleUploadedFile("现场检查记录.pdf", b"%PDF-1.4 signed record", content_type="application/pdf")
    saved = staff.post(
        url,
        {
            f"{prefix}-result": InspectionResult.RECTIFY,
            f"{prefix}-inspected_on": TODAY.isoformat(),
            f"{prefix}-findings": "年度报告人数不符",
            f"{prefix}-record": record,
        },
    )
    assert saved.status_code == 302
    drawn.refresh_from_db()
    assert drawn.rectification_required and drawn.record_name == "现场检查记录.pdf"
    assert staff.get(reverse("registration:draw_object_file", args=[drawn.pk])).content == b"%PDF-1.4 signed record"
    assert staff.post(reverse("registration:draw_publish", args=[draw.pk])).status_code == 302
    draw.refresh_from_db()
    assert draw.state == DrawState.PUBLISHED
    page = staff.get(detail).content.decode()
    assert "已公示" in page
    workbook = load_workbook(io.BytesIO(staff.get(reverse("registration:draw_export", args=[draw.pk])).content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert any(row[1] == drawn.uscc and row[6] == "发现问题已责令整改" and row[8] == "是" for row in rows)
    client.logout()
    public = client.get(reverse("registration_public:inspection_results"))
    body = public.content.decode()
    assert public.status_code == 200 and drawn.uscc in body and "发现问题已责令整改" in body
    assert "年度报告人数不符" not in body  # findings stay inside
    assert all(inspector.name in body for inspector in drawn.inspectors.all())


def test_accounts_limited_to_a_subtree_do_not_see_draws(world, client):
    client.force_login(make_user("scoped", Role.BIANBAN_OPERATOR, scope_unit=world.education))
    assert client.get(reverse("registration:draw_list")).status_code == 403
    assert client.get(reverse("registration:inspector_list")).status_code == 403


def test_an_unknown_draw_or_object_is_a_chinese_404(staff):
    assert "未找到该抽查" in staff.get(reverse("registration:draw_detail", args=[999])).content.decode()
    assert staff.get(reverse("registration:draw_notice", args=[999])).status_code == 404


def test_the_public_page_is_rate_limited(world, client, settings):
    settings.BIANZHI_PUBLIC_PAGES_PER_MINUTE = 2
    url = reverse("registration_public:inspection_results")
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
    assert not DrawObject.objects.exists()


def test_the_list_shows_each_draw_with_its_size_and_state(world, staff):
    _new(staff)
    page = staff.get(reverse("registration:draw_list")).content.decode()
    draw = InspectionDraw.objects.get()
    assert draw.number in page and "3%" in page and "已抽取" in page
