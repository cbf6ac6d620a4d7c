"""The fictional county 锦绣县, built deterministically from a seed through the same services users go through.

It has a history: the county total arrives from above in 2019, units are set up with their slots, leadership
posts and 三定, and over the following years slots are transferred, units renamed, merged, split and abolished,
a wrong entry is reversed, and slots move through the turnover pool, so every as-of view shows change. Then the
real-name roster fills the slots, with its own history from 2019 to today (``roster.py``).
Sizes are parameters so that ``bench/`` can build larger counties. The county of 300 units holds about 8,400
approved unit slots, about 90% filled: about 7,600 persons in post and, with seven years of turnover, about 10,000
on the roster in all.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.accounts.services import user_create, user_set_access
from bianzhi.core.errors import BianzhiError
from bianzhi.core.models import Installation
from bianzhi.demo.codes import uscc
from bianzhi.demo.documents import attach_demo_files
from bianzhi.demo.errors import DemoError
from bianzhi.demo.matters import build_matters, decided_and_applied
from bianzhi.demo.partners import build_partners
from bianzhi.demo.reconciliation import build_reconciliation
from bianzhi.demo.registration import build_registration
from bianzhi.demo.reviews import build_report_tasks, build_reviews
from bianzhi.demo.roster import Progress, build_roster, quiet
from bianzhi.demo.supervision import build_supervision
from bianzhi.demo.supervision_evaluations import build_evaluations
from bianzhi.demo.supervision_inspections import build_supervision_inspections
from bianzhi.lifecycle.services import SplitPart, unit_split
from bianzhi.matters.choices import MatterKind
from bianzhi.orgs.choices import InstitutionClass as IC
from bianzhi.orgs.choices import SystemCategory as SC
from bianzhi.orgs.choices import UnitKind, UnitNature, UnitRank
from bianzhi.orgs.documents import DocumentRef
from bianzhi.orgs.models import Unit
from bianzhi.orgs.sanding import SanDingContent, sanding_publish
from bianzhi.orgs.services import UnitSpec, unit_create
from bianzhi.quotas.models import (
    AccountKind,
    FundingForm,
    Movement,
    MovementKind,
    PostLevel,
    PostMovementKind,
    QuotaType,
)
from bianzhi.quotas.services import (
    county_account,
    movement_post,
    movement_reverse,
    post_authority_account,
    post_movement_post,
    post_unit_account,
    quota_baseline_set,
    unit_account,
)

COUNTY_NAME = "锦绣县"
REGION_CODE = "610999"  # fictional: no real county has this code
DEMO_PASSWORD = "Demo@2026"
START = dt.date(2019, 1, 1)
QUOTA_DAY = dt.date(2019, 3, 1)  # slots and posts first approved; everyone then in post is registered that day

# name, system category, nature, is 政法机关, internal bodies
DEPARTMENTS = (
    ("中共锦绣县委办公室", SC.DANGWEI, UnitNature.XINGZHENG, False, ("秘书股", "督查股")),
    ("中共锦绣县委组织部", SC.DANGWEI, UnitNature.XINGZHENG, False, ("干部股", "组织股")),
    ("中共锦绣县委宣传部", SC.DANGWEI, UnitNature.XINGZHENG, False, ("宣传股",)),
    ("中共锦绣县委政法委员会", SC.DANGWEI, UnitNature.XINGZHENG, False, ("综治股",)),
    ("中共锦绣县委机构编制委员会办公室", SC.DANGWEI, UnitNature.XINGZHENG, False, ("机构编制股", "监督检查股")),
    ("锦绣县人大常委会办公室", SC.RENDA, UnitNature.XINGZHENG, False, ("综合股",)),
    ("锦绣县人民政府办公室", SC.ZHENGFU, UnitNature.XINGZHENG, False, ("秘书股", "信息股")),
    ("锦绣县发展和改革局", SC.ZHENGFU, UnitNature.XINGZHENG, False, ("规划股", "投资股")),
    ("锦绣县教育局", SC.ZHENGFU, UnitNature.XINGZHENG, False, ("基础教育股", "人事股")),
    ("锦绣县科学技术局", SC.ZHENGFU, UnitNature.XINGZHENG, False, ("科技股",)),
    ("锦绣县公安局", SC.ZHENGFU, UnitNature.XINGZHENG, True, ("指挥中心", "治安大队")),
    ("锦绣县民政局", SC.ZHENGFU, UnitNature.XINGZHENG, False, ("社会救助股",)),
    ("锦绣县司法局", SC.ZHENGFU, UnitNature.XINGZHENG, True, ("法治督察股",)),
    ("锦绣县财政局", SC.ZHENGFU, UnitNature.XINGZHENG, False, ("预算股", "国库股")),
    ("锦绣县人力资源和社会保障局", SC.ZHENGFU, UnitNature.XINGZHENG, False, ("就业股",)),
    ("锦绣县自然资源局", SC.ZHENGFU, UnitNature.XINGZHENG, False, ("国土空间规划股",)),
    ("锦绣县住房和城乡建设局", SC.ZHENGFU, UnitNature.XINGZHENG, False, ("城建股", "城市管理股")),
    ("锦绣县交通运输局", SC.ZHENGFU, UnitNature.XINGZHENG, False, ("公路股",)),
    ("锦绣县水利局", SC.ZHENGFU, UnitNature.XINGZHENG, False, ("水资源股",)),
    ("锦绣县农业农村局", SC.ZHENGFU, UnitNature.XINGZHENG, False, ("农村经济股",)),
    ("锦绣县文化和旅游局", SC.ZHENGFU, UnitNature.XINGZHENG, False, ("文化股",)),
    ("锦绣县卫生健康局", SC.ZHENGFU, UnitNature.XINGZHENG, False, ("医政股", "疾控股")),
    ("锦绣县应急管理局", SC.ZHENGFU, UnitNature.XINGZHENG, False, ("安全生产股",)),
    ("锦绣县审计局", SC.ZHENGFU, UnitNature.XINGZHENG, False, ("审计股",)),
    ("锦绣县市场监督管理局", SC.ZHENGFU, UnitNature.XINGZHENG, False, ("食品安全股",)),
    ("锦绣县统计局", SC.ZHENGFU, UnitNature.XINGZHENG, False, ("综合统计股",)),
    ("锦绣县林业局", SC.ZHENGFU, UnitNature.XINGZHENG, False, ("林政股",)),
    ("锦绣县政协办公室", SC.ZHENGXIE, UnitNature.XINGZHENG, False, ("提案股",)),
    ("锦绣县人民法院", SC.FAYUAN, UnitNature.XINGZHENG, True, ("立案庭", "民事审判庭")),
    ("锦绣县人民检察院", SC.JIANCHAYUAN, UnitNature.XINGZHENG, True, ("刑事检察部",)),
    ("共青团锦绣县委员会", SC.QUNTUAN, UnitNature.QUNTUAN, False, ()),
    ("锦绣县妇女联合会", SC.QUNTUAN, UnitNature.QUNTUAN, False, ()),
    ("锦绣县总工会", SC.QUNTUAN, UnitNature.QUNTUAN, False, ()),
)
TOWNSHIPS = ("城关镇", "青石镇", "柳河镇", "白云乡", "桃源镇", "南山乡", "金川镇", "东坪乡", "西沟乡", "龙门镇")
TOWNSHIP_INSTITUTIONS = (("便民服务中心", IC.GY1), ("综合行政执法队", IC.XZZN), ("文化服务中心", IC.GY1))
# (sponsoring department, name pattern, class, funding form)
INSTITUTIONS = (
    ("锦绣县教育局", "锦绣县第{n}小学", IC.GY1, FundingForm.QE),
    ("锦绣县教育局", "锦绣县第{n}中学", IC.GY1, FundingForm.QE),
    ("锦绣县卫生健康局", "锦绣县{township}卫生院", IC.GY2, FundingForm.CE),
    ("锦绣县农业农村局", "锦绣县{township}农业综合服务站", IC.GY1, FundingForm.QE),
    ("锦绣县自然资源局", "锦绣县{township}自然资源所", IC.GY1, FundingForm.QE),
    ("锦绣县住房和城乡建设局", "锦绣县{township}规划建设服务站", IC.GY2, FundingForm.ZS),
)
# 核定编制 of an institution (fewest, most) by what it does: as in a real county, teachers and doctors hold most
# 事业编制 (a middle school of 1,500 pupils has about 100 teachers, a township health centre 15 to 40 staff)
INSTITUTION_SIZES = (("中学", (70, 130)), ("小学", (40, 90)), ("卫生院", (15, 40)))
OTHER_INSTITUTION_SIZE = (4, 20)

DEMO_USERS = (
    # username, full name, role, scope ("county", a unit name, or None)
    ("bianban", "周晓明", Role.BIANBAN_ADMIN, "county"),
    ("jingban", "李静", Role.BIANBAN_OPERATOR, "county"),
    ("jiaoyu", "王芳", Role.UNIT_OPERATOR, "锦绣县教育局"),
    ("dengji", "陈刚", Role.REGISTRATION, "county"),
    ("jiandu", "赵敏", Role.OVERSIGHT, "county"),
    ("caizheng", "孙涛", Role.PARTNER_READONLY, "county"),
    ("xitong", "刘伟", Role.SYSTEM_ADMIN, None),
    ("anquan", "杨帆", Role.SECURITY_ADMIN, None),
    ("shenji", "黄丽", Role.AUDIT_ADMIN, None),
)
SHI_BIAN = "锦州市委机构编制委员会"  # the (fictional) upper level
XIAN_BIAN = "中共锦绣县委机构编制委员会"


@dataclass(frozen=True)
class DemoSpec:
    seed: int = 2026
    units: int = 300
    roster: bool = False  # persons in the slots and their history to ``today`` (the demo command builds it)
    today: dt.date | None = None  # the demo's present (None: the real today), fixed by tests to stay reproducible
    files: bool = False  # a few documents with a generated PDF (the demo command makes them)

    def __post_init__(self):
        if self.units < 1:  # any other budget builds: a department is set up only with all its internal bodies
            raise BianzhiError(DemoError.TOO_FEW_UNITS, units=self.units)

    @classmethod
    def scale(cls, name: str, seed: int = 2026) -> DemoSpec:
        sizes = {"county": 300, "city": 3_000, "province": 60_000}
        return cls(seed=seed, units=sizes[name])


class _Builder:
    def __init__(self, spec: DemoSpec, progress: Progress):
        self.spec = spec
        self.progress = progress
        self.rng = random.Random(spec.seed)
        self.units: dict[str, Unit] = {}
        self.doc_serial = 0
        self.code_serial = 0

    # -------------------------------------------------------------- helpers
    def doc(self, day: dt.date, title: str, issuer: str = XIAN_BIAN) -> DocumentRef:
        self.doc_serial += 1
        prefix = "锦市编发" if issuer == SHI_BIAN else "锦编发"
        return DocumentRef(f"{prefix}〔{day.year}〕{self.doc_serial}号", title, day, issuer)

    def budget_left(self) -> int:
        return self.spec.units - len(self.units)

    def create(self, name, *, category, kind, nature, rank, parent=None, cls="", zhengfa=False, day=START, doc=None):
        if self.budget_left() <= 0:
            return None
        self.code_serial += 1
        category_code = {UnitKind.SHIYE: "2"}.get(kind, "3" if nature == UnitNature.QUNTUAN else "1")
        code = uscc(self.rng, region_code=REGION_CODE, category=category_code) if kind != UnitKind.NEISHE else ""
        spec = UnitSpec(
            name=name,
            system_category=category,
            kind=kind,
            nature=nature,
            rank=rank,
            parent=parent,
            institution_class=cls,
            is_zhengfa=zhengfa,
            uscc=code,
            code=f"{REGION_CODE}{self.code_serial:05d}",
            sponsor=parent if kind == UnitKind.SHIYE else None,
        )
        unit = unit_create(actor=None, spec=spec, document=doc or self.setup_doc, effective_date=day)
        self.units[name] = unit
        return unit

    def grant(self, unit, type_code, funding, amount, day, doc, kind=MovementKind.HEZENG):
        movement_post(
            actor=None,
            kind=kind,
            from_account=county_account(AccountKind.POOL, type_code),
            to_account=unit_account(unit, type_code, funding),
            amount=amount,
            effective_date=day,
            document=doc,
        )

    def posts(self, unit, level, grade, amount, day, doc):
        post_movement_post(
            actor=None,
            kind=PostMovementKind.HEDING,
            from_account=post_authority_account(level, grade),
            to_account=post_unit_account(unit, level, grade),
            amount=amount,
            effective_date=day,
            document=doc,
        )

    # -------------------------------------------------------------- the story
    def build(self) -> dict:
        rng = self.rng
        totals_doc = self.doc(dt.date(2018, 12, 20), "关于下达锦绣县机构编制总额的通知", SHI_BIAN)
        scale = max(1, self.spec.units // 300)
        totals = {"XZ": 700 * scale, "ZFZX": 260 * scale, "SY": 8500 * scale, "GQ": 90 * scale}
        for code, total in totals.items():
            movement_post(
                actor=None,
                kind=MovementKind.HEZENG,
                from_account=county_account(AccountKind.AUTHORITY, code),
                to_account=county_account(AccountKind.POOL, code),
                amount=total,
                effective_date=START,
                document=totals_doc,
            )
        self.setup_doc = self.doc(START, "关于锦绣县机构改革机构设置和编制核定的通知")
        quota_doc = self.doc(QUOTA_DAY, "关于核定县直单位编制的通知")
        posts_doc = self.doc(QUOTA_DAY, "关于核定县直单位领导职数的通知")
        quota_day = QUOTA_DAY

        departments = []
        for name, category, nature, zhengfa, bodies in DEPARTMENTS:
            if self.budget_left() < 1 + len(bodies):  # a department comes with its internal bodies, or not at all
                break
            unit = self.create(
                name, category=category, kind=UnitKind.JIGUAN, nature=nature, rank=UnitRank.ZHENGKE, zhengfa=zhengfa
            )
            departments.append((unit, bodies))
            for body in bodies:
                self.create(
                    f"{name}{body}",
                    category=category,
                    kind=UnitKind.NEISHE,
                    nature=nature,
                    rank=UnitRank.GUJI,
                    parent=unit,
                )
        townships = []
        for township in TOWNSHIPS:
            gov = self.create(
                f"锦绣县{township}人民政府",
                category=SC.XIANGZHEN,
                kind=UnitKind.JIGUAN,
                nature=UnitNature.XINGZHENG,
                rank=UnitRank.ZHENGKE,
            )
            if gov is None:
                break
            townships.append((township, gov))
        institutions = []
        for township, gov in townships:
            for suffix, cls in TOWNSHIP_INSTITUTIONS:
                unit = self.create(
                    f"{township}{suffix}",
                    category=SC.XIANGZHEN,
                    kind=UnitKind.SHIYE,
                    nature=UnitNature.SHIYE,
                    rank=UnitRank.GUJI,
                    parent=gov,
                    cls=cls,
                )
                if unit:
                    institutions.append((unit, FundingForm.QE))
        n = 0
        while self.budget_left() > 0 and departments:
            sponsor_name, pattern, cls, funding = INSTITUTIONS[n % len(INSTITUTIONS)]
            round_ = n // len(INSTITUTIONS)
            township = TOWNSHIPS[round_ % len(TOWNSHIPS)]
            name = pattern.format(n=chinese_number(round_ + 1), township=township)
            if round_ >= len(TOWNSHIPS) and "{n}" not in pattern:
                name = f"{name}（{round_ // len(TOWNSHIPS) + 1}分站）"
            n += 1
            sponsor = self.units.get(sponsor_name)
            if sponsor is None or name in self.units:
                continue
            unit = self.create(
                name,
                category=SC.ZHENGFU,
                kind=UnitKind.SHIYE,
                nature=UnitNature.SHIYE,
                rank=UnitRank.GUJI,
                parent=sponsor,
                cls=cls,
            )
            institutions.append((unit, funding))
        self.progress(f"机构：已设立 {len(self.units):,} 个（{len(departments)} 个部门及其内设机构、乡镇和事业单位）")

        for unit, bodies in departments:
            code = "ZFZX" if unit.is_zhengfa else "XZ"
            self.grant(
                unit, code, FundingForm.QE, rng.randint(6, 14) * (3 if unit.is_zhengfa else 1), quota_day, quota_doc
            )
            if unit.nature != UnitNature.QUNTUAN:
                self.grant(unit, "GQ", FundingForm.QE, rng.randint(1, 2), quota_day, quota_doc)
            self.posts(unit, PostLevel.ZHENG, UnitRank.ZHENGKE, 1, quota_day, posts_doc)
            self.posts(unit, PostLevel.FU, UnitRank.FUKE, rng.randint(2, 3), quota_day, posts_doc)
            for body in bodies:
                self.posts(self.units[f"{unit.name}{body}"], PostLevel.ZHENG, UnitRank.GUJI, 1, quota_day, posts_doc)
        for _township, gov in townships:
            self.grant(gov, "XZ", FundingForm.QE, rng.randint(18, 30), quota_day, quota_doc)
            self.posts(gov, PostLevel.ZHENG, UnitRank.ZHENGKE, 2, quota_day, posts_doc)
            self.posts(gov, PostLevel.FU, UnitRank.FUKE, rng.randint(5, 7), quota_day, posts_doc)
        for unit, funding in institutions:
            size = rng.randint(*next((r for word, r in INSTITUTION_SIZES if word in unit.name), OTHER_INSTITUTION_SIZE))
            self.grant(unit, "SY", funding, size, quota_day, quota_doc)
        self.progress(f"编制：已核定，县编制总额 {sum(totals.values()):,} 名")
        self.sanding(departments)
        self.progress(f"三定规定：已为 {len(departments)} 个部门发布")
        self.history(departments, institutions)
        self.progress(f"编制变动历史：已写入，共 {Movement.objects.count():,} 笔变动")
        if self.spec.roster:
            build_roster(
                seed=self.spec.seed,
                region_code=REGION_CODE,
                start=QUOTA_DAY,
                council_doc=self.doc,
                today=self.spec.today,
                progress=self.progress,
            )
        return {"units": Unit.objects.count()}

    def sanding(self, departments) -> None:
        for unit, bodies in departments:
            duties = [
                f"贯彻执行党和国家关于{unit.name.removeprefix('锦绣县').removeprefix('中共锦绣县委')}工作的方针政策和法律法规。",
                "拟订本领域发展规划和年度计划并组织实施。",
                "负责本系统干部队伍建设和安全生产工作。",
                "完成县委、县政府交办的其他任务。",
            ]
            content = SanDingContent(
                duties=duties,
                internal_bodies=[{"name": b, "duties": [f"承担{b}相关工作。"]} for b in bodies],
                staffing={"ZFZX" if unit.is_zhengfa else "XZ": 10},
                leadership={"正职": 1, "副职": 2},
            )
            sanding_publish(actor=None, unit=unit, content=content, document=self.setup_doc, effective_date=START)

    def history(self, departments, institutions) -> None:
        by_name = self.units
        rng = self.rng
        schools = [u for u, _f in institutions if "小学" in u.name]
        if len(schools) >= 2:
            day = dt.date(2021, 3, 15)
            transfer = {
                "kind": MovementKind.HUAZHUAN,
                "quota_type": "SY",
                "source": {"kind": "UNIT", "unit": schools[0].pk, "funding_form": FundingForm.QE},
                "target": {"kind": "UNIT", "unit": schools[1].pk, "funding_form": FundingForm.QE},
                "amount": 5,
                "reason": "生源变化，编制随学生流动",
            }
            decided_and_applied(
                proposer=schools[0].parent or schools[0],
                kind=MatterKind.QUOTA,
                title=f"关于调整{schools[0].name}等单位事业编制的请示",
                necessity="生源变化，编制随学生流动。",
                steps=[("quota_movement", transfer)],
                document=self.doc(day, f"关于调整{schools[0].name}等单位事业编制的通知"),
                day=day,
            )
        day = dt.date(2021, 6, 1)
        wrong = self.doc(day, "关于核增县直单位编制的通知")
        if schools:
            mistaken = movement_post(
                actor=None,
                kind=MovementKind.HEZENG,
                from_account=county_account(AccountKind.POOL, "SY"),
                to_account=unit_account(schools[-1], "SY", FundingForm.QE),
                amount=30,
                effective_date=day,
                document=wrong,
            )
            movement_reverse(
                actor=None,
                movement=mistaken,
                document=self.doc(dt.date(2021, 6, 20), "关于更正编制核定错误的通知"),
                reason="数量登记错误（应为 3 名）",
            )
            self.grant(schools[-1], "SY", FundingForm.QE, 3, day, wrong)
        reform = dt.date(2022, 4, 1)
        if "锦绣县科学技术局" in by_name:
            science = by_name["锦绣县科学技术局"]
            decided_and_applied(
                proposer=science,
                kind=MatterKind.RENAME,
                title="关于锦绣县科学技术局更名的请示",
                necessity="工业和信息化职能划入。",
                steps=[("unit_rename", {"unit": science.pk, "name": "锦绣县科学技术和工业信息化局"})],
                document=self.doc(reform, "关于锦绣县科学技术局更名的批复"),
                day=reform,
            )
        if "锦绣县林业局" in by_name and "锦绣县自然资源局" in by_name:
            forestry, resources = by_name["锦绣县林业局"], by_name["锦绣县自然资源局"]
            decided_and_applied(
                proposer=resources,
                kind=MatterKind.MERGE,
                title="关于将县林业局并入县自然资源局的请示",
                necessity="统一行使自然资源管理职责。",
                steps=[("unit_merge", {"unit": forestry.pk, "successor": resources.pk})],
                document=self.doc(reform, "关于将县林业局并入县自然资源局的通知"),
                day=reform,
            )
        if "城关镇文化服务中心" in by_name:
            centre = by_name["城关镇文化服务中心"]
            decided_and_applied(
                proposer=centre.parent or centre,
                kind=MatterKind.ABOLISH,
                title="关于撤销城关镇文化服务中心的请示",
                necessity="职能并入城关镇便民服务中心。",
                steps=[("unit_abolish", {"unit": centre.pk, "reason": "职能并入城关镇便民服务中心"})],
                document=self.doc(dt.date(2022, 9, 1), "关于撤销城关镇文化服务中心的批复"),
                day=dt.date(2022, 9, 1),
            )
        housing = by_name.get("锦绣县住房和城乡建设局")
        if housing is not None and self.budget_left() >= 0:
            day = dt.date(2023, 7, 1)
            spec = UnitSpec(
                name="锦绣县城市管理局",
                system_category=SC.ZHENGFU,
                kind=UnitKind.JIGUAN,
                nature=UnitNature.XINGZHENG,
                rank=UnitRank.ZHENGKE,
                code=f"{REGION_CODE}99001",
                uscc=uscc(rng, region_code=REGION_CODE, category="1"),
            )
            unit_split(
                actor=None,
                unit=housing,
                parts=[SplitPart(spec, [("XZ", FundingForm.QE, 3)])],
                document=self.doc(day, "关于设立锦绣县城市管理局的通知"),
                effective_date=day,
            )
        day = dt.date(2024, 3, 1)
        movement_post(
            actor=None,
            kind=MovementKind.RUCHI,
            from_account=county_account(AccountKind.POOL, "SY"),
            to_account=county_account(AccountKind.TURNOVER, "SY"),
            amount=40,
            effective_date=day,
            document=self.doc(day, "关于建立锦绣县事业编制周转池的通知"),
        )
        day = dt.date(2025, 1, 10)
        movement_post(
            actor=None,
            kind=MovementKind.SHOUHUI,
            from_account=county_account(AccountKind.POOL, "SY"),
            to_account=county_account(AccountKind.AUTHORITY, "SY"),
            amount=60,
            effective_date=day,
            document=self.doc(day, "关于收回部分事业编制的通知", SHI_BIAN),
            reason="事业编制精简",
        )
        sy = QuotaType.objects.get(code="SY")
        total = -_authority_balance("SY")
        quota_baseline_set(
            actor=None, quota_type=sy, total=total, document=self.doc(day, "关于事业编制总量只减不增的通知", SHI_BIAN)
        )
        for unit, _bodies in departments[:6]:
            day = dt.date(2025, 6, 1)
            if unit.status == "ACTIVE" and rng.random() < 0.7:
                code = "ZFZX" if unit.is_zhengfa else "XZ"
                cut = {
                    "kind": MovementKind.HEJIAN,
                    "quota_type": code,
                    "source": {"kind": "UNIT", "unit": unit.pk, "funding_form": FundingForm.QE},
                    "target": {"kind": "POOL"},
                    "amount": 1,
                    "reason": "精简编制",
                }
                decided_and_applied(
                    proposer=unit,
                    kind=MatterKind.QUOTA,
                    title=f"关于核减{unit.name}行政编制的请示",
                    necessity="精简编制。",
                    steps=[("quota_movement", cut)],
                    document=self.doc(day, f"关于核减{unit.name}行政编制的通知"),
                    day=day,
                )


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 35 → 三十五 (school names are written this way)."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    if n < 10:
        return digits[n]
    return f"{digits[tens] if tens > 1 else ''}十{digits[ones] if ones else ''}" if n < 100 else str(n)


def _authority_balance(type_code: str) -> int:
    from bianzhi.quotas.ledger import balances_as_of
    from bianzhi.quotas.models import QuotaBalance

    account = county_account(AccountKind.AUTHORITY, type_code)
    return balances_as_of(QuotaBalance, [account.pk], timezone.localdate()).get(account.pk, 0)


def _demo_scope(name: str) -> Unit:
    """The unit a demo user works for; in a county too small to have it, the first one set up."""
    return Unit.objects.filter(name=name).first() or Unit.objects.order_by("pk").first()


@transaction.atomic
def build_demo(spec: DemoSpec = DemoSpec(), progress: Progress = quiet) -> dict:
    """Builds the county; ``progress`` hears a line at each stage (the demo command prints them)."""
    Installation.objects.update_or_create(
        pk=1, defaults={"county_name": COUNTY_NAME, "region_code": REGION_CODE, "is_demo": True}
    )
    counts = _Builder(spec, progress).build()
    for username, full_name, role, scope in DEMO_USERS:
        user = user_create(actor=None, username=username, password=DEMO_PASSWORD, full_name=full_name)
        user_set_access(
            actor=None,
            user=user,
            roles=[role],
            scope_county=scope == "county",
            scope_unit=_demo_scope(scope) if scope not in (None, "county") else None,
            reason="演示数据初始化",
        )
    progress(f"账号：已建立 {len(DEMO_USERS)} 个演示账号")
    today = spec.today or timezone.localdate()
    matters = build_matters(today)
    progress(f"编委事项：共 {matters} 件（历年已实施的和处于各办理环节的）")
    files = attach_demo_files() if spec.files else 0
    if files:
        progress(f"批准文件：已为 {files} 件文件生成 PDF")
    reviews = build_reviews(today)
    progress(f"规范性文件审核：已登记 {reviews} 件送审稿")
    reports = build_report_tasks(today)
    progress(f"机构编制报告：已布置 {reports} 项 2025 年度执行情况报告")
    institutions = build_registration(today)
    progress(f"事业单位登记：已登记 {institutions} 个事业单位法人，并颁发证书")
    complaints, rectifications = build_supervision(today)
    progress(f"三方比对：本月统发工资名册、人事名册与实名制比对，发现 {build_reconciliation(today)} 条差异")
    progress(f"12310 举报：已登记 {complaints} 件（处于各办理环节）")
    progress(f"整改台账：已登记 {rectifications} 项（含台账比对自动登记的超编、超职数事项）")
    progress(f"监督检查：已登记 {build_supervision_inspections(today)} 次检查（已完成、实施中、计划各一）")
    progress(f"机构编制评估：已建立 {build_evaluations(today)} 项（处于各环节）")
    tokens = build_partners(today)
    progress(f"合作部门：已登记 {len(tokens)} 个部门并各签发接口令牌（另有一个已吊销）")
    return {
        "api_tokens": tokens,  # (department, token name, plaintext): shown in the summary, never stored
        **counts,
        "users": len(DEMO_USERS),
        "matters": matters,
        "normative_reviews": reviews,
        "report_tasks": reports,
        "institutions": institutions,
        "complaints": complaints,
        "rectifications": rectifications,
    }
