"""The reconciliation's pages as the office meets them: an upload queued for the worker, the run with its findings by
kind, each reviewed (a reason where one is owed) or turned into a rectification item, the workbook; bad uploads
refused with a Chinese message and nothing kept."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bianzhi.accounts.roles import Role
from bianzhi.audit.models import AuditEvent
from bianzhi.exchange.models import Finding, ReconciliationRun
from bianzhi.exchange.reconcile_runs import run_reconciliation
from bianzhi.supervision.choices import Source
from tests.exchange.support import county, hr_file, payroll_file
from tests.factories import make_user
from tests.roster.support import client_for

TODAY = timezone.localdate()
__all__ = ["county"]


@pytest.fixture(autouse=True)
def _staging_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def office(db):
    return client_for(make_user("jiandu", Role.OVERSIGHT, scope_county=True))


def upload(client, payroll: bytes, hr: bytes, *, as_of: dt.date = TODAY, payroll_name: str = "工资.csv"):
    return client.post(
        reverse("exchange:reconciliation_new"),
        {
            "payroll": SimpleUploadedFile(payroll_name, payroll),
            "hr": SimpleUploadedFile("人事.xlsx", hr),
            "as_of": as_of.isoformat(),
        },
    )


def _page(client, run, **query) -> str:
    return client.get(reverse("exchange:reconciliation_detail", args=[run.pk]), query).content.decode()


def _post(client, name: str, finding: Finding, data=None):
    return client.post(reverse(f"exchange:{name}", args=[finding.run_id, finding.pk]), data or {})


def test_upload_run_review_and_rectify(office, county):
    response = upload(office, payroll_file(county), hr_file(county))
    run = ReconciliationRun.objects.get()
    assert response.status_code == 302
    assert "等待后台任务（bianzhi db_worker）开始比对" in _page(office, run)

    assert run_reconciliation.call(run.pk) == ReconciliationRun.State.DONE
    run.refresh_from_db()
    assert run.counts == {kind: 1 for kind in run.counts} and len(run.counts) == 8
    page = _page(office, run)
    assert "已出编、仍在名册" in page and "丙离已于 2024-01-01" in page
    assert "第 12 行" in page  # the rows behind the duplicate

    dismissed = run.findings.get(kind="unit_mismatch")
    response = _post(office, "reconciliation_finding_review", dismissed, {f"f{dismissed.pk}-action": "dismiss"})
    assert response.status_code == 400
    assert "「排除」须写明理由" in response.content.decode() and "reconcile.no_reason" in response.content.decode()
    dismissed.refresh_from_db()
    assert dismissed.state == Finding.State.OPEN

    reason = {f"f{dismissed.pk}-action": "dismiss", f"f{dismissed.pk}-reason": "借调至水利局，工资由原单位发放。"}
    assert _post(office, "reconciliation_finding_review", dismissed, reason).status_code == 302
    dismissed.refresh_from_db()
    assert (dismissed.state, dismissed.reason) == (Finding.State.DISMISSED, "借调至水利局，工资由原单位发放。")
    again = _post(office, "reconciliation_finding_review", dismissed, {f"f{dismissed.pk}-action": "confirm"})
    assert "reconcile.not_open" in again.content.decode()

    left = run.findings.get(kind="left_still_paid")
    assert _post(office, "reconciliation_finding_rectify", left).status_code == 302
    left.refresh_from_db()
    item = left.rectification
    assert (item.source, item.unit, left.state) == (Source.RECONCILIATION, county["roads"], Finding.State.CONFIRMED)
    assert item.source_ref == f"三方比对 #{run.pk}（截至 {TODAY}）"
    twice = _post(office, "reconciliation_finding_rectify", left)
    assert twice.status_code == 400 and "reconcile.already_rectifying" in twice.content.decode()

    export = office.get(reverse("exchange:reconciliation_export", args=[run.pk]))
    detail = list(load_workbook(io.BytesIO(export.content), read_only=True)["差异明细"].values)
    assert len(detail) == 2 + 8
    assert any(row[7] == "已排除" and row[8].startswith("借调") for row in detail[2:])
    assert AuditEvent.objects.filter(action="exchange.reconciliation_exported").count() == 1


def test_a_file_without_an_id_column_ends_the_run_with_its_reason_and_no_findings(office, county):
    upload(office, "姓名,单位名称\n张三,锦绣县交通运输局\n".encode(), hr_file(county))
    run = ReconciliationRun.objects.get()
    assert run_reconciliation.call(run.pk) == ReconciliationRun.State.REJECTED
    page = _page(office, run)
    assert "找不到「公民身份号码」" in page and "reconcile.no_id_column" in page
    assert not Finding.objects.exists()


def test_a_future_date_is_refused_on_the_form_and_nothing_is_kept(office, county, tmp_path):
    response = upload(office, payroll_file(county), hr_file(county), as_of=TODAY + dt.timedelta(days=1))
    assert response.status_code == 400
    assert "晚于今天" in response.content.decode() and "reconcile.future_date" in response.content.decode()
    assert not ReconciliationRun.objects.exists()
    assert not any(path.is_file() for path in tmp_path.rglob("*"))


def test_an_account_limited_to_a_subtree_is_refused(county):
    scoped = client_for(make_user("bianban_scoped", Role.BIANBAN_OPERATOR, scope_unit=county["roads"]))
    assert scoped.get(reverse("exchange:reconciliation_list")).status_code == 403
