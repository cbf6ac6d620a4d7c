"""The demo county's legal-person register: every active 事业单位 registered under the code it already holds (the
demo gives units valid codes), with its 正本 and 副本 current, and a few credit entries (one 书面警告, one listing
remedied)."""

from __future__ import annotations

import datetime as dt
import random

from bianzhi.core.ids import validate_uscc
from bianzhi.demo.names import person_name
from bianzhi.orgs.choices import UnitKind, UnitStatus
from bianzhi.orgs.documents import DocumentRef
from bianzhi.orgs.models import Unit
from bianzhi.quotas.models import QuotaAccount
from bianzhi.registration.choices import CertificateKind, FundingSource
from bianzhi.registration.credit import credit_record
from bianzhi.registration.services import certificate_issue, institution_register

REGISTERED_ON = dt.date(2019, 3, 1)
AUTHORITY = "锦绣县事业单位登记管理局"
STREETS = ("人民路", "解放路", "文化路", "建设大道", "迎宾路", "滨河路", "新华街", "中山路")
FUNDING = {"QE": FundingSource.FULL, "CE": FundingSource.PARTIAL, "ZS": FundingSource.SELF}
PURPOSES = (
    ("小学", "实施小学义务教育，促进基础教育发展。小学学历教育。"),
    ("中学", "实施中等教育，促进基础教育发展。初中、高中学历教育。"),
    ("卫生院", "为人民身体健康提供医疗与护理保健服务。基本医疗、公共卫生服务。"),
    ("服务站", "为农业农村发展提供技术服务。技术推广、咨询服务。"),
    ("自然资源所", "承担辖区自然资源管理的技术性、事务性工作。"),
)


def _purpose(name: str) -> str:
    return next((text for key, text in PURPOSES if key in name), f"为{name}职能范围内的公益事业提供服务。")


def _certificate_day(registered: dt.date, today: dt.date) -> dt.date:
    """The latest five-yearly renewal on or before today."""
    day = registered
    while day.replace(year=day.year + 5) <= today:
        day = day.replace(year=day.year + 5)
    return day


def build_registration(today: dt.date) -> int:
    rng = random.Random(13)
    units = Unit.objects.filter(kind=UnitKind.SHIYE, status=UnitStatus.ACTIVE).select_related("sponsor", "parent")
    funding = dict(QuotaAccount.objects.filter(unit__kind=UnitKind.SHIYE).values_list("unit_id", "funding_form"))
    document = DocumentRef(f"锦事登〔{REGISTERED_ON.year}〕1号", "关于事业单位法人登记的公告", REGISTERED_ON, AUTHORITY)
    institutions = []
    for number, unit in enumerate(units.order_by("pk"), 1):
        if unit.uscc and not validate_uscc(unit.uscc).valid:  # the register takes no invalid code: issue one
            Unit.objects.filter(pk=unit.pk).update(uscc=None)
            unit.uscc = None
        registered = max(unit.established_on or REGISTERED_ON, REGISTERED_ON)
        items = {
            "name": unit.name,
            "address": f"锦绣县{STREETS[number % len(STREETS)]}{number}号",
            "purpose": _purpose(unit.name),
            "legal_representative": person_name(rng, male=rng.random() < 0.6),
            "capital": rng.choice((10, 20, 30, 50, 80, 100, 150, 300)),
            "funding_source": FUNDING.get(funding.get(unit.pk), FundingSource.FULL),
            "sponsor": unit.sponsor or unit.parent,
        }
        institution = institution_register(
            actor=None, unit=unit, items=items, document=document, effective_date=registered
        )
        for kind in CertificateKind.values:
            certificate_issue(
                actor=None, institution=institution, kind=kind, valid_from=_certificate_day(registered, today)
            )
        institutions.append(institution)
    _credit(institutions, today)
    return len(institutions)


def _credit(institutions, today: dt.date) -> None:
    if len(institutions) < 2:
        return
    year = today.year
    notice = DocumentRef(
        f"锦事登〔{year}〕3号", "关于未按时报送年度报告事业单位的通报", dt.date(year, 4, 10), AUTHORITY
    )
    day = min(dt.date(year, 4, 10), today)
    if day < notice.issued_on:  # early in the year: last year's round
        notice = DocumentRef(
            f"锦事登〔{year - 1}〕3号", "关于未按时报送年度报告事业单位的通报", dt.date(year - 1, 4, 10), AUTHORITY
        )
        day = notice.issued_on
    warned, listed = institutions[0], institutions[1]
    reason = "未在规定期限内报送上一年度报告"
    credit_record(actor=None, institution=warned, action="warn", reason=reason, document=notice, day=day)
    credit_record(actor=None, institution=listed, action="list", reason=reason, document=notice, day=day)
    credit_record(
        actor=None,
        institution=listed,
        action="remove",
        reason="已补报年度报告并经核实，移出异常名录",
        document=notice,
        day=day,
    )
