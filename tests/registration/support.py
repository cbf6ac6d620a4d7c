"""A small published register for the certificate and public-page tests: a 文化和旅游局 with its 图书馆 (changed
once, certificates issued and one reissued), a 博物馆 listed as abnormal, and a withheld 公安局 with its 信息中心."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from bianzhi.core.files import Upload
from bianzhi.core.models import Installation, current_installation
from bianzhi.core.workdays import WorkCalendar
from bianzhi.orgs.choices import UnitKind
from bianzhi.orgs.services import unit_set_disclosure
from bianzhi.registration.applications import (
    Facts,
    application_create,
    application_step,
    material_defer,
    material_upload,
)
from bianzhi.registration.choices import CertificateKind, FundingSource
from bianzhi.registration.credit import credit_record
from bianzhi.registration.models import Certificate, Institution
from bianzhi.registration.services import certificate_issue, institution_change, institution_register
from tests.factories import doc, make_unit

START = dt.date(2020, 1, 2)
REGISTERED = dt.date(2021, 3, 1)
CHANGED = dt.date(2023, 7, 1)
REISSUED = dt.date(2024, 5, 6)


def items(name: str, **changes) -> dict:
    return {
        "name": name,
        "address": "锦绣县文化路 3 号",
        "purpose": "图书借阅、阅读推广。",
        "legal_representative": "周敏",
        "capital": "80",
        "funding_source": FundingSource.FULL,
        **changes,
    }


def register(unit, **changes) -> Institution:
    return institution_register(
        actor=None, unit=unit, items=items(unit.name, **changes), document=doc(REGISTERED), effective_date=REGISTERED
    )


@dataclass
class Register:
    library: Institution
    museum: Institution
    secret: Institution
    original: Certificate  # 正本 issued on registration, void since REISSUED
    reissued: Certificate  # the 正本 that replaced it
    copy: Certificate  # 副本, issued after the change of address


def build_register() -> Register:
    culture = make_unit("锦绣县文化和旅游局", day=START)
    library = register(make_unit("锦绣县图书馆", culture, kind=UnitKind.SHIYE, day=START), sponsor=culture)
    museum = register(make_unit("锦绣县博物馆", culture, kind=UnitKind.SHIYE, day=START), legal_representative="孙立")
    police = make_unit("锦绣县公安局", day=START, zhengfa=True)
    secret = register(make_unit("锦绣县公安信息中心", police, kind=UnitKind.SHIYE, day=START))
    original = certificate_issue(actor=None, institution=library, kind=CertificateKind.ORIGINAL, valid_from=REGISTERED)
    institution_change(
        actor=None,
        institution=library,
        changes={"address": "锦绣县新华路 18 号", "legal_representative": "吴芳"},
        document=doc(CHANGED),
        effective_date=CHANGED,
    )
    copy = certificate_issue(actor=None, institution=library, kind=CertificateKind.COPY, valid_from=CHANGED)
    reissued = certificate_issue(
        actor=None, institution=library, kind=CertificateKind.ORIGINAL, valid_from=REISSUED, reason="证书遗失，补领"
    )
    certificate_issue(actor=None, institution=secret, kind=CertificateKind.ORIGINAL, valid_from=REGISTERED)
    credit_record(
        actor=None, institution=museum, action="list", reason="未按规定报送年度报告", document=doc(CHANGED), day=CHANGED
    )
    unit_set_disclosure(actor=None, unit=police, disclosed=False, reason="涉密单位", document=doc(START))
    original.refresh_from_db()
    return Register(library, museum, secret, original, reissued, copy)


def missed_promise(unit=None):
    """An application of a registered 事业单位 accepted on a 容缺 promise whose date has passed (the daily job's
    work): filed ten working days ago, the missing material promised for five working days ago."""
    if current_installation() is None:
        Installation.objects.create(county_name="锦绣县", region_code="330122")
    unit = unit or make_unit("锦绣县承诺测试中心", kind=UnitKind.SHIYE, day=START)
    institution = register(unit)
    certificate_issue(actor=None, institution=institution, kind=CertificateKind.COPY, valid_from=REGISTERED)
    calendar = WorkCalendar.load()
    filed, due = calendar.add(timezone.localdate(), -10), calendar.add(timezone.localdate(), -5)
    application = application_create(
        actor=None, unit=unit, kind="RENEW", facts=Facts(certificate_kinds=("COPY",)), today=filed
    )
    scan = Upload("材料.pdf", b"%PDF-1.4\n% scan\n")
    material_upload(actor=None, application=application, code="application_form", upload=scan, today=filed)
    material_defer(actor=None, application=application, code="old_certificates", promise=scan, due_on=due, today=filed)
    return application_step(actor=None, application=application, name="submit", today=filed)


# the 档案馆 of the application tests, registered with both certificates
ARCHIVE_ITEMS = {
    "name": "锦绣县档案馆",
    "address": "锦绣县文化路 2 号",
    "purpose": "档案收集、保管和利用。",
    "legal_representative": "赵敏",
    "capital": 100,
    "funding_source": "FULL",
}


def registered_archive(unit, *, certificates=tuple(CertificateKind.values), **changes) -> Institution:
    """``unit`` registered on START with the 档案馆's items (its own name) and the certificates asked for."""
    institution = institution_register(
        actor=None,
        unit=unit,
        items={**ARCHIVE_ITEMS, "name": unit.name, **changes},
        document=doc(START),
        effective_date=START,
    )
    for kind in certificates:
        certificate_issue(actor=None, institution=institution, kind=kind, valid_from=START)
    return institution
