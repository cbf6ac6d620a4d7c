"""The demo county's legal-person register: every active 事业单位 registered under the code it already holds (the
demo gives units valid codes), with its 正本 and 副本 current, and a few credit entries (one 书面警告, one listing
remedied); and last year's 年度报告: most published (accepted only while the window is open), a few sent or
returned, three not sent (逾期未报 once the window has closed), one of them given a 书面警告."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from bianzhi.core.files import Upload
from bianzhi.core.ids import validate_uscc
from bianzhi.demo.names import person_name
from bianzhi.demo.registration_applications import NEEDED, build_applications
from bianzhi.orgs.choices import UnitKind, UnitStatus
from bianzhi.orgs.documents import DocumentRef
from bianzhi.orgs.models import Unit
from bianzhi.quotas.models import QuotaAccount
from bianzhi.registration import annual
from bianzhi.registration.choices import (
    CertificateKind,
    FilingKind,
    FundingSource,
    InspectionMethod,
    InspectionResult,
    SanctionStep,
)
from bianzhi.registration.credit import credit_record
from bianzhi.registration.draws import (
    draw_base,
    draw_create,
    draw_notify,
    draw_object_record,
    draw_publish,
    inspector_add,
    inspector_relation_declare,
)
from bianzhi.registration.filings import filing_record
from bianzhi.registration.models import ANNUAL_SECTIONS, AnnualReport, AnnualReportEvent
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
    units = list(units.order_by("pk"))
    # the last one is registered later, through its 设立 application (demo.registration_applications)
    held = units.pop() if len(units) > NEEDED else None
    for number, unit in enumerate(units, 1):
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
        certified = _certificate_day(registered, today)
        for kind in CertificateKind.values:
            certificate_issue(actor=None, institution=institution, kind=kind, valid_from=certified)
        _filings(institution, number, min(certified + dt.timedelta(days=20), today))
        institutions.append(institution)
    _credit(institutions, today)
    _annual_reports(institutions, today)
    _draws(today)
    institutions += build_applications(institutions, held, today)
    return len(institutions)


SEAL_SCAN = Upload("印章印迹.pdf", b"%PDF-1.4\n% seal impression\n%%EOF\n")


def _filings(institution, number: int, day: dt.date) -> None:
    """The 备案 after the current certificates: seal, basic account and signature, a few weeks after 领证."""
    details = {
        FilingKind.SEAL: f"{institution.unit.name}公章",
        FilingKind.BANK_ACCOUNT: f"中国农业银行锦绣县支行 6228 4800 {number:04d} 0017",
        FilingKind.SIGNATURE: "法定代表人签字及名章",
    }
    for kind, text in details.items():
        filing_record(actor=None, institution=institution, kind=kind, details=text, upload=SEAL_SCAN, filed_on=day)


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


BALANCE_SHEET = (
    b"%PDF-1.4\n% demo balance sheet\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)
SECTION_TEXT = {
    "activities": "按照宗旨和业务范围开展工作，全年完成各项目标任务。",
    "assets": "资产运行正常，年末净资产较年初略有增长。",
    "change_compliance": "本年度登记事项未发生变化，无需办理变更登记。",
    "performance": "年度考核等次为合格，未受到奖惩。",
    "litigation": "无。",
    "complaints": "无。",
    "donations": "无。",
    "other_matters": "无。",
}


def _backdate(report: AnnualReport, day: dt.date) -> None:
    """The demo builds last year's reports today: their steps are dated as if done on ``day`` and after."""
    fields = {"first_submitted_on": day} if report.first_submitted_on else {}
    if report.published_on:
        fields["published_on"] = day + dt.timedelta(days=7)
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    if report.submitted_at:
        fields["submitted_at"] = at
    if report.decided_at:
        fields["decided_at"] = at + dt.timedelta(days=3)
    AnnualReport.objects.filter(pk=report.pk).update(**fields)
    for offset, event in enumerate(report.events.order_by("pk")):
        AnnualReportEvent.objects.filter(pk=event.pk).update(at=at + dt.timedelta(days=offset))


def _annual_reports(institutions, today: dt.date) -> None:
    year = annual.reporting_year(today)
    first, last = annual.report_window(year)
    owing = [i for i in institutions if i.registered_on <= dt.date(year, 12, 31)]
    if len(owing) < 12:
        return
    rng = random.Random(17)
    closed = today > last
    span = max((min(today, last) - first).days, 1)
    unsent, returned, submitted, done = owing[-3:], owing[-5:-3], owing[-8:-5], owing[:-8]
    for group, steps in (
        (returned, ("return",)),
        (submitted, ()),
        (done, ("accept", "publish") if closed else ("accept",)),
    ):
        for institution in group:
            sections = {name: SECTION_TEXT[name] for name, _label in ANNUAL_SECTIONS}
            figures = {"net_assets_start": rng.randint(50, 900), "income": rng.randint(100, 2000)}
            figures["net_assets_end"] = figures["net_assets_start"] + rng.randint(-20, 60)
            figures["expenditure"] = figures["income"] - rng.randint(0, 50)
            report = annual.annual_report_save(
                actor=None,
                institution=institution,
                year=year,
                sections=sections,
                figures=figures,
                items_consistent=True,
                uploads=[("BALANCE_SHEET", Upload(f"{year}年末资产负债表.pdf", BALANCE_SHEET))],
            )
            report = annual.annual_report_submit(actor=None, report=report)
            for step in steps:
                if step == "return":
                    report = annual.annual_report_return(
                        actor=None, report=report, reason="绩效和受奖惩情况过于简略，请补充年度考核结果及依据。"
                    )
                else:
                    report = getattr(annual, f"annual_report_{step}")(actor=None, report=report)
            _backdate(report, first + dt.timedelta(days=rng.randrange(span)))
    sanction_year = year if closed else year - 1
    late = next((i for i in unsent if i.registered_on <= dt.date(sanction_year, 12, 31)), None)
    if late is None:
        return
    day = min(annual.report_window(sanction_year)[1] + dt.timedelta(days=15), today)
    notice = DocumentRef(f"锦事登〔{day.year}〕5号", "关于未按规定报送年度报告事业单位的处理决定", day, AUTHORITY)
    annual.annual_sanction_record(
        actor=None,
        institution=late,
        year=sanction_year,
        step=SanctionStep.WARNING,
        day=day,
        reason=f"未在规定期限内报送 {sanction_year} 年度报告",
        document=notice,
    )


INSPECTOR_UNITS = ("机构编制委员会办公室", "财政局", "审计局", "司法局", "市场监督管理局", "人力资源和社会保障局")
CHECKLIST = "\n".join(
    (
        "登记事项与登记管理机关核准的是否一致",
        "年度报告公示内容是否真实",
        "开办资金和资产损益情况",
        "宗旨和业务范围内开展活动情况",
    )
)


def _draws(today: dt.date) -> None:
    """The inspector pool (编办 and a few county departments) and last year's draw, published, with one object told
    to put something right."""
    rng = random.Random(17)
    inspectors = []
    for key in INSPECTOR_UNITS:
        unit = Unit.objects.filter(name__contains=key, kind=UnitKind.JIGUAN, status=UnitStatus.ACTIVE).first()
        for _ in range(2 if key == INSPECTOR_UNITS[0] else 1):
            if unit is not None:
                inspectors.append(inspector_add(actor=None, name=person_name(rng, male=rng.random() < 0.5), unit=unit))
    year = today.year - 1
    if len(inspectors) < 4 or not draw_base(year):  # a county too small for a draw
        return
    draw = draw_create(
        actor=None,
        year=year,
        rate="0.03",
        seed=f"锦绣县{year}年事业单位法人公示信息抽查公开摇号 0427",
        checklist=CHECKLIST,
        method=InspectionMethod.ON_SITE,
        inspected_by=dt.date(year, 6, 30),
        drawn_on=dt.date(year, 4, 27),
    )
    draw = draw_notify(actor=None, draw=draw, day=dt.date(year, 5, 6))
    for number, drawn in enumerate(draw.targets.order_by("uscc")):
        problem = number == 0
        draw_object_record(
            actor=None,
            drawn=drawn,
            result=InspectionResult.RECTIFY if problem else InspectionResult.NO_PROBLEM,
            findings="年度报告中从业人员数与实有人员不符，已责令 30 日内更正并重新公示。" if problem else "",
            inspected_on=dt.date(year, 5, 20 + number),
        )
    draw_publish(actor=None, draw=draw, day=dt.date(year, 6, 10))
    first = draw.targets.order_by("uscc").first()
    if first is not None:  # a relation declared after the draw: later draws keep that inspector away
        inspector_relation_declare(
            actor=None, inspector=inspectors[-1], institution=first.institution, note="配偶在该单位任职"
        )
