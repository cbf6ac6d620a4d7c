"""The people of the demo county (brief §1.8, §2.1–§2.3, §2.7): who held which slot from the 2019 reform to today.

The slots come from the ledger history (``county.py``); the roster fills them. Everyone in post on the day the
slots were first approved is registered in bulk, row for row as ``staffing.occupancy_start`` writes them (through the
services they would add minutes to a county's build). Everything after that goes through the services in date
order, so approvals, notice serials and audit events exist for it: yearly 用编核准 rounds and their hires,
retirements at 60, resignations and transfers out, 转编 between units, leadership posts, loans from the turnover
pool, a mistaken 出编 put right, units pushed over quota by a 核减, and applications left in every state.

The builder keeps its own count of every account (persons, reserved slots, and the lowest approved balance from
a date on), so that it never takes a slot the ledger will not have later: the ledger is over quota only in the
units deliberately pushed over.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from bianzhi.audit.services import audit_record
from bianzhi.demo.codes import id_number
from bianzhi.demo.names import (
    COLLEGES,
    DOTTED_ETHNICITY,
    ETHNICITIES,
    MAJORS,
    NATIVE_PLACES,
    SECONDARY_SCHOOLS,
    UNIVERSITIES,
    dotted_name,
    person_name,
    weighted,
)
from bianzhi.orgs.choices import InstitutionClass, UnitKind, UnitStatus
from bianzhi.orgs.documents import DocumentRef, document_resolve
from bianzhi.orgs.models import Document, Unit
from bianzhi.quotas.ledger import balances_as_of
from bianzhi.quotas.models import (
    AccountKind,
    LeadershipAccount,
    LeadershipBalance,
    Movement,
    MovementKind,
    QuotaAccount,
    QuotaBalance,
)
from bianzhi.quotas.services import county_account, movement_post
from bianzhi.roster import approvals, loans, posts, staffing
from bianzhi.roster.choices import HireKind, LoanPurpose, PersonStatus
from bianzhi.roster.models import Approval, Occupancy, Person, TurnoverLoan
from bianzhi.roster.persons import PersonData, person_for_entry, person_update
from bianzhi.roster.usage import use_refresh

RETIREMENT_AGE = 60
# age at registration in 2019, weighted: county offices are older than the country
AGE_BANDS = ((22, 30, 12), (30, 40, 25), (40, 50, 33), (50, 60, 30))
# (lowest, highest, most common) age at entry, by entry mode
ENTRY_AGES = {
    "KL": (22, 33, 25),
    "GZ": (22, 35, 25),
    "XD": (22, 26, 23),
    "DR": (28, 50, 36),
    "JZ": (35, 46, 40),
    "TY": (22, 28, 23),
    "YJ": (28, 42, 32),
    "QT": (25, 45, 32),
}
# how units of each group fill their slots: (entry mode, weight)
ENTRY_MODES = {
    "机关": (("KL", 70), ("DR", 14), ("XD", 6), ("JZ", 5), ("TY", 5)),
    "工勤": (("TY", 45), ("GZ", 40), ("DR", 15)),
    "事业": (("GZ", 82), ("DR", 8), ("TY", 4), ("YJ", 3), ("JZ", 2), ("QT", 1)),
}
MALE_SHARE = {"机关": 0.6, "工勤": 0.85, "学校": 0.35, "卫生": 0.4}
EXIT_RATE = 0.001  # per person and month, other than retirement (about 1.2% a year)
TRANSFER_RATE = 0.0003  # 转编 per person and month
EXITS = (("CZ", 40), ("DC", 35), ("SW", 10), ("CT", 8), ("QT", 5), ("KC", 2))
# position and ranks (before 30, before 45, after) by the kind of work
CAREERS = {
    "机关": ("科员", ("一级科员", "四级主任科员", "二级主任科员")),
    "学校": ("教师", ("二级教师", "一级教师", "高级教师")),
    "卫生": ("医师", ("住院医师", "主治医师", "副主任医师")),
    "农业": ("农技员", ("助理农艺师", "农艺师", "高级农艺师")),
    "资源": ("技术员", ("助理工程师", "工程师", "高级工程师")),
    "建设": ("技术员", ("助理工程师", "工程师", "高级工程师")),
    "其他": ("管理人员", ("九级职员", "八级职员", "七级职员")),
    "工勤": ("工勤人员", ("中级工", "高级工", "技师")),
}
EDUCATION = {
    "机关": (("BK", 60), ("SS", 12), ("DZ", 22), ("ZZ", 6)),
    "工勤": (("GZ", 40), ("ZZ", 35), ("DZ", 25)),
    "学校": (("BK", 62), ("DZ", 28), ("SS", 6), ("ZZ", 4)),
    "卫生": (("BK", 45), ("DZ", 35), ("ZZ", 15), ("SS", 5)),
    "事业": (("BK", 50), ("DZ", 35), ("ZZ", 10), ("SS", 5)),
}
GRADUATION_AGE = {"BS": 28, "SS": 25, "BK": 22, "DZ": 21, "ZZ": 19, "GZ": 19}
ISSUERS = {
    "组织部": ("锦组发", "中共锦绣县委组织部"),
    "人社": ("锦人社发", "锦绣县人力资源和社会保障局"),
    "退役军人": ("锦退役军人发", "锦绣县退役军人事务局"),
    "编办": ("锦编办发", "中共锦绣县委机构编制委员会办公室"),
    "纪委": ("锦纪发", "中共锦绣县纪律检查委员会"),
}
ENTRY_DOCS = {
    "KL": ("组织部", "关于录用{unit}公务员的通知"),
    "GZ": ("人社", "关于{unit}公开招聘工作人员聘用备案的通知"),
    "DR": ("组织部", "关于调入{unit}工作人员的通知"),
    "JZ": ("退役军人", "关于{year}年军队转业干部安置的通知"),
    "TY": ("退役军人", "关于{year}年退役士兵安置的通知"),
    "YJ": ("人社", "关于{unit}引进急需紧缺人才的通知"),
    "XD": ("组织部", "关于{year}年选调生分配的通知"),
    "QT": ("人社", "关于{unit}人员入编的通知"),
}
EXIT_DOCS = {
    "CZ": ("人社", "关于同意{name}同志辞职的批复"),
    "DC": ("组织部", "关于{name}同志调出本县的通知"),
    "SW": ("人社", "关于{name}同志因病去世的报告"),
    "CT": ("人社", "关于解除{name}聘用合同的决定"),
    "KC": ("纪委", "关于给予{name}开除处分的决定"),
    "QT": ("人社", "关于{name}同志减员的说明"),
}
PURPOSES = {
    "KL": "补充自然减员空缺岗位，拟通过公务员考试录用",
    "GZ": "补充专业技术岗位，拟通过公开招聘",
    "DR": "业务骨干不足，拟从外县调入",
    "JZ": "承担军队转业干部安置任务",
    "TY": "承担退役士兵安置任务",
    "YJ": "引进急需紧缺专业人才",
    "XD": "接收选调生",
    "QT": "政策性安置",
}
REJECTIONS = ("岗位设置与单位职责不符，不予核准。", "本年度用编计划已用完，请下年度申报。")
RETURN_NOTE = "请补充岗位说明书和近三年人员增减情况后重新提交。"
# a department's head is called after the department
POST_TITLES = (
    ("人民政府", "长"),
    ("局", "局长"),
    ("部", "部长"),
    ("检察院", "检察长"),
    ("法院", "院长"),
    ("办公室", "主任"),
    ("委员会", "书记"),
)
TOWNSHIP_BODIES = ("党政综合办公室", "经济发展办公室", "社会事务办公室")
# what an institution does, read from its name
INSTITUTION_GROUPS = (
    ("小学", "学校"),
    ("中学", "学校"),
    ("卫生院", "卫生"),
    ("农业", "农业"),
    ("自然资源", "资源"),
    ("规划建设", "建设"),
)


def years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def first_of_next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@dataclass(eq=False)
class _Slots:
    """One unit account as the builder sees it."""

    account: QuotaAccount
    unit: Unit
    group: str  # 机关, 工勤, 学校, 卫生, 农业, 资源, 建设, 其他
    steps: list[tuple[dt.date, dt.date | None, int]]
    keep: int = 0  # vacancies the unit leaves open when it applies
    members: set[int] = field(default_factory=set)  # persons in normal slots
    listed: set[int] = field(default_factory=set)  # persons on slots lent from the turnover pool
    reserved: int = 0
    over: bool = False  # pushed over quota: nobody joins it until it is back within quota
    steady: bool = False  # nobody leaves it by chance (resignation, transfer) any more
    grown: int = 0  # the year its slots last grew: the next hires are 新增, not 补缺
    applied: int = 0  # the year of its last application

    def floor(self, day: dt.date) -> int:
        """The lowest approved balance from ``day`` on: a person taken in on ``day`` must fit until then."""
        return min((balance for _start, end, balance in self.steps if end is None or end > day), default=0)

    def balance(self, day: dt.date) -> int:
        return next((b for start, end, b in self.steps if start <= day and (end is None or end > day)), 0)

    def room(self, day: dt.date) -> int:
        return self.floor(day) - len(self.members) - self.reserved

    @property
    def kind(self) -> str:
        return "机关" if self.group in ("机关", "工勤") else "事业"


@dataclass(eq=False)
class _Person:
    pk: int
    name: str
    birth: dt.date
    slots: _Slots
    on_loan: bool = False
    post: bool = False


@dataclass(eq=False)
class _Approval:
    approval: Approval
    slots: _Slots
    hire_kind: str
    document: Document | None = None
    used: int = 0
    open: bool = True


Progress = Callable[[str], None]  # told a line at each stage of a build


def quiet(_line: str) -> None:
    """The default: builds in tests and benchmarks say nothing."""


class RosterBuilder:
    """Builds the roster in one pass over a queue of dated events (``at``), each run through the services."""

    def __init__(
        self,
        *,
        seed: int,
        region_code: str,
        start: dt.date,
        council_doc: Callable[[dt.date, str], DocumentRef],
        today: dt.date | None = None,
        progress: Progress = quiet,
    ):
        self.progress = progress
        # a stream of its own: the ledger history drawn from the county's seed stays as it was
        self.rng = random.Random(f"roster-{seed}")
        self.region_code = region_code
        self.start = start
        self.today = today or timezone.localdate()
        self.council_doc = council_doc
        self.issued: set[str] = set()
        self.serials: Counter = Counter()
        self.queue: list = []
        self.order = itertools.count()
        self.people: dict[int, _Person] = {}
        self.open_approvals: list[_Approval] = []
        self.month_docs: dict[tuple[int, int], Document] = {}
        self.post_holders: set[int] = set()
        self.post_units: set[int] = set()  # units whose leadership posts are filled
        self.slots: list[_Slots] = []
        self.bodies: dict[int, tuple[str, ...]] = {}  # internal bodies (股室) by unit

    # -------------------------------------------------------------- helpers
    def at(self, day: dt.date, action: Callable, *args) -> None:
        if self.start < day <= self.today:
            heapq.heappush(self.queue, (day, next(self.order), action, args))

    def doc(self, day: dt.date, issuer: str, title: str) -> DocumentRef:
        prefix, name = ISSUERS[issuer]
        self.serials[prefix, day.year] += 1
        return DocumentRef(f"{prefix}〔{day.year}〕{self.serials[prefix, day.year]}号", title, day, name)

    def new_id(self, birth: dt.date, male: bool) -> str:
        while True:
            number = id_number(self.rng, region_code=self.region_code, birth=birth, male=male)
            if number not in self.issued:
                self.issued.add(number)
                return number

    def pick(self, table: dict, slots: _Slots) -> tuple:
        return table.get(slots.group) or table[slots.kind]

    def new_person(
        self, slots: _Slots, day: dt.date, mode: str, age: float | None = None
    ) -> tuple[PersonData, dt.date]:
        """Someone entering ``slots`` on ``day`` by ``mode``: ID, name and particulars that agree with each other."""
        rng = self.rng
        if age is None:
            age = rng.triangular(*ENTRY_AGES[mode])
        birth = day - dt.timedelta(days=int(age * 365.25) + 1)
        male = rng.random() < {"JZ": 0.95, "TY": 0.9}.get(mode, MALE_SHARE.get(slots.group, 0.55))
        dotted = rng.random() < 0.003
        name = dotted_name(rng, male=male) if dotted else person_name(rng, male=male)
        education = weighted(rng, self.pick(EDUCATION, slots))
        graduated = years_after(birth, GRADUATION_AGE[education]) + dt.timedelta(days=rng.randrange(180))
        if mode == "TY":  # 退役士兵: service in the army counts as work
            graduated = years_after(birth, 18)
        years = age_on(birth, min(day, self.today))
        identity = self.identity(slots)
        civil = identity in ("GWY", "CG")
        career = CAREERS["机关" if civil else {"GL": "其他", "GQ": "工勤"}.get(identity, slots.group)]
        details = {
            "work_start_date": min(graduated, day),
            "ethnicity": DOTTED_ETHNICITY if dotted else weighted(rng, ETHNICITIES),
            "native_place": weighted(rng, NATIVE_PLACES),
            "political_status": self.political_status(civil, years),
            "education": education,
            "degree": {"BS": "博士", "SS": "硕士", "BK": "学士"}.get(education, ""),
            "school": self.school(education),
            "major": "" if education in ("GZ", "ZZ") and slots.group == "工勤" else rng.choice(self.majors(slots)),
            "internal_body": rng.choice(self.bodies.get(slots.unit.pk) or ("",)),
            "identity": identity,
            "position": career[0],
            "rank_title": career[1][0 if years < 30 else 1 if years < 45 else 2],
            "phone": f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
        }
        return PersonData(name=name, id_number=self.new_id(birth, male), details=details), birth

    def identity(self, slots: _Slots) -> str:
        """人员身份: civil servants in offices, 参公 in institutions with administrative duties, else by post."""
        if slots.group in ("机关", "工勤"):
            return "GWY" if slots.group == "机关" else "GQ"
        if slots.unit.institution_class == InstitutionClass.XZZN:
            return "CG"
        kinds = (("GL", 60), ("ZJ", 40)) if slots.group == "其他" else (("ZJ", 85), ("GL", 10), ("GQ", 5))
        return weighted(self.rng, kinds)

    def political_status(self, civil: bool, age: int) -> str:
        draw = self.rng.random()
        members = 0.7 if civil else 0.35
        if draw < members:
            return "02" if age < 30 and draw < 0.04 else "01"
        if age < 28 and draw < members + 0.15:
            return "03"
        return "04" if draw > 0.97 else "12" if draw > 0.96 else "13"

    def school(self, education: str) -> str:
        if education in ("BS", "SS", "BK"):
            return self.rng.choice(UNIVERSITIES)
        if education == "DZ":
            return self.rng.choice(COLLEGES)
        return self.rng.choice(SECONDARY_SCHOOLS) if education == "ZZ" else "锦绣县第一中学"

    def majors(self, slots: _Slots) -> tuple[str, ...]:
        return MAJORS.get(slots.group) or MAJORS["机关" if slots.kind == "机关" else "其他"]

    @staticmethod
    def retirement_day(birth: dt.date) -> dt.date:
        return first_of_next_month(years_after(birth, RETIREMENT_AGE))

    def retiring(self, pks, day: dt.date) -> int:
        """How many of ``pks`` retire after ``day`` and by today."""
        return sum(1 for pk in pks if day < self.retirement_day(self.people[pk].birth) <= self.today)

    def track(self, pk: int, name: str, birth: dt.date, slots: _Slots, *, on_loan: bool = False) -> None:
        self.people[pk] = _Person(pk, name, birth, slots, on_loan=on_loan)
        (slots.listed if on_loan else slots.members).add(pk)
        self.at(self.retirement_day(birth), self.retire, pk)

    def left(self, person: _Person) -> None:
        del self.people[person.pk]
        person.slots.members.discard(person.pk)
        person.slots.listed.discard(person.pk)
        self.post_holders.discard(person.pk)
        if person.slots.listed and not person.on_loan:
            self.resync(person.slots)

    def resync(self, slots: _Slots) -> None:
        """After a normal slot frees up, a person of the unit on a loan slot may have moved into it."""
        rows = Occupancy.objects.filter(account=slots.account, end_date__isnull=True).values_list("person_id", "loan")
        slots.members = {pk for pk, loan in rows if loan is None}
        slots.listed = {pk for pk, loan in rows if loan is not None}
        for pk in slots.members:
            self.people[pk].on_loan = False

    def reload_steps(self, *slots_list: _Slots) -> None:
        for slots in slots_list:
            slots.steps = list(
                QuotaBalance.objects.filter(account=slots.account)
                .order_by("valid_from")
                .values_list("valid_from", "valid_to", "balance")
            )

    # -------------------------------------------------------------- the county as it stands after the ledger history
    def load(self) -> None:
        accounts = (
            QuotaAccount.objects.filter(kind=AccountKind.UNIT, unit__status=UnitStatus.ACTIVE)
            .select_related("unit", "quota_type")
            .order_by("pk")
        )
        for body in Unit.objects.filter(kind=UnitKind.NEISHE, status=UnitStatus.ACTIVE).select_related("parent"):
            self.bodies.setdefault(body.parent_id, ())
            self.bodies[body.parent_id] += (body.name.removeprefix(body.parent.name),)
        for account in accounts:
            unit = account.unit
            if account.quota_type_id == "GQ":
                group = "工勤"
            elif account.quota_type_id != "SY":
                group = "机关"
                if unit.name.endswith("人民政府"):
                    self.bodies[unit.pk] = TOWNSHIP_BODIES
            else:
                group = next((g for word, g in INSTITUTION_GROUPS if word in unit.name), "其他")
            self.slots.append(_Slots(account, unit, group, []))
        self.reload_steps(*self.slots)

    def opened(self, slots: _Slots, day: dt.date) -> bool:
        return (slots.unit.established_on or self.start) <= day and slots.balance(day) > 0

    # -------------------------------------------------------------- 2019: everyone in post, registered in bulk
    def register_everyone(self) -> int:
        """The persons already in post on the day the slots were approved, written as ``onboard`` writes them but
        without 入编通知单 serials: they were in post already, nobody issued them a notice (as in an import)."""
        rng, day = self.rng, self.start
        ref = self.doc(day - dt.timedelta(days=20), "编办", "关于开展机关事业单位机构编制实名制登记的通知")
        document = document_resolve(ref)
        rows = []
        for slots in self.slots:
            if not self.opened(slots, day):
                continue
            floor = slots.floor(day)
            slots.keep = round(floor * rng.uniform(0.02, 0.12))
            for _ in range(min(floor, round(floor * rng.uniform(0.86, 0.98)))):
                low, high, _weight = AGE_BANDS[rng.choices(range(len(AGE_BANDS)), [w for *_b, w in AGE_BANDS])[0]]
                mode = weighted(rng, self.pick(ENTRY_MODES, slots))
                data, birth = self.new_person(slots, day, mode, age=rng.uniform(low, high))
                person, _created = person_for_entry(data, slots.unit)
                person.status = PersonStatus.IN_QUOTA
                rows.append((person, slots, mode, birth))
        Person.objects.bulk_create([person for person, *_rest in rows], batch_size=500)
        Occupancy.objects.bulk_create(
            [
                Occupancy(
                    person=person,
                    account=slots.account,
                    start_date=day,
                    entry_mode=mode,
                    hire_kind=HireKind.NEW,
                    entry_document=document,
                )
                for person, slots, mode, _birth in rows
            ],
            batch_size=500,
        )
        use_refresh({slots.account.pk for _person, slots, _mode, _birth in rows})
        for person, slots, _mode, birth in rows:
            self.track(person.pk, person.name, birth, slots)
        audit_record(
            actor=None,
            action="roster.imported",
            obj=document,
            after={"persons": len(rows), "start_date": day.isoformat(), "document": document.number},
            reason="实名制初始登记",
        )
        return len(rows)

    # -------------------------------------------------------------- what happens, in date order
    def schedule(self) -> None:
        rng = self.rng
        month = first_of_next_month(self.start)
        while month <= self.today:
            self.at(month, self.expire)
            self.at(month + dt.timedelta(days=14), self.attrition)
            self.at(month + dt.timedelta(days=19), self.transfers)
            month = first_of_next_month(month)
        for year in range(self.start.year, self.today.year + 1):
            for slots in self.slots:
                # applications come in over the spring; in the first year after everyone is registered
                opens = max(dt.date(year, 2, 10), self.start + dt.timedelta(days=5))
                self.at(opens + dt.timedelta(days=rng.randrange(70)), self.apply, slots)
            self.at(dt.date(year, 6, 1), self.appoint)
            self.at(dt.date(year, 10, 15), self.placement)
            if 2020 <= year <= 2023:
                self.at(dt.date(year, 9, 1), self.grow)
        self.at(dt.date(2022, 5, 10), self.mistaken_exit)
        for slots in self.slots:
            if slots.unit.established_on and slots.unit.established_on > self.start:
                self.at(slots.unit.established_on, self.staff_new_unit, slots)
        pool = county_account(AccountKind.TURNOVER, "SY")
        lendable = [s for s in self.slots if s.group in ("学校", "卫生")]
        loan_count = max(1, round(len(lendable) / 30)) if lendable else 0
        opened = QuotaBalance.objects.filter(account=pool).order_by("valid_from").values_list("valid_from", flat=True)
        if loan_count and opened.exists():
            # the last loan late enough that its people are still on it today
            last = self.today - dt.timedelta(days=120)
            span = max(0, (last - opened.first()).days - 30)
            for i in range(loan_count):
                self.at(last - dt.timedelta(days=span * i // loan_count), self.lend, lendable, i == 0)
        self.at(self.today - dt.timedelta(days=380), self.push_over)
        self.at(self.today - dt.timedelta(days=75), self.autumn_round)
        self.at(self.today - dt.timedelta(days=10), self.open_applications)
        self.at(self.today - dt.timedelta(days=3), self.leave_marks)
        self.at(self.today, self.expire)

    def run(self) -> None:
        year, steps = None, 0
        while self.queue:
            day, _order, action, args = heapq.heappop(self.queue)
            if year is not None and day.year != year:
                self.year_done(year, steps)
            year = day.year
            action(day, *args)
            steps += 1
        if year is not None:
            self.year_done(year, steps)

    def year_done(self, year: int, steps: int) -> None:
        self.progress(f"实名制历史：{year} 年已写入，在编 {len(self.people):,} 人，累计 {steps:,} 个事件")

    # -------------------------------------------------------------- 用编核准 and hires
    def apply(self, day: dt.date, slots: _Slots) -> None:
        count = slots.room(day) - slots.keep
        if slots.over or count < 1 or not self.opened(slots, day):
            return
        # small offices apply every other year, for the vacancies two years have left
        if slots.floor(day) < 30 and slots.applied == day.year - 1:
            return
        slots.applied = day.year
        draw = self.rng.random()
        tracked = self.approve(day, slots, count, fate=draw)
        if tracked is None:
            return
        hires = count - 1 if draw > 0.88 else count  # some approvals are never used up: they expire
        for _ in range(hires):
            self.at(day + dt.timedelta(days=self.rng.randrange(20, 170)), self.hire, tracked)

    def approve(self, day: dt.date, slots: _Slots, count: int, *, fate: float = 1.0) -> _Approval | None:
        """An application through the workflow; ``fate`` below 0.15 withdraws, rejects or first returns it."""
        mode = weighted(self.rng, self.pick(ENTRY_MODES, slots))
        approval = self.draft(slots, count, mode)
        approvals.approval_submit(actor=None, approval=approval)
        if fate < 0.03:
            approvals.approval_cancel(actor=None, approval=approval, comment="单位调整招聘计划，撤回申请")
            return None
        if fate < 0.15:  # most are approved as submitted; these are examined first (受理)
            approvals.approval_accept(actor=None, approval=approval)
        if fate < 0.07:
            approvals.approval_reject(actor=None, approval=approval, comment=self.rng.choice(REJECTIONS))
            return None
        if fate < 0.15:
            approvals.approval_return(actor=None, approval=approval, comment=RETURN_NOTE)
            approvals.approval_submit(actor=None, approval=approval)
        approval = approvals.approval_approve(actor=None, approval=approval, comment="同意", today=day)
        slots.reserved += count
        hire_kind = HireKind.NEW if slots.grown >= day.year - 1 else HireKind.BACKFILL
        tracked = _Approval(approval, slots, hire_kind)
        self.open_approvals.append(tracked)
        return tracked

    def draft(self, slots: _Slots, count: int, mode: str) -> Approval:
        return approvals.approval_draft(
            actor=None,
            unit=slots.unit,
            quota_type=slots.account.quota_type_id,
            funding_form=slots.account.funding_form,
            count=count,
            entry_mode=mode,
            purpose=PURPOSES[mode],
        )

    def hire(self, day: dt.date, tracked: _Approval) -> None:
        if not tracked.open:
            return
        approval, slots = tracked.approval, tracked.slots
        if tracked.document is None:
            issuer, title = ENTRY_DOCS[approval.entry_mode]
            ref = self.doc(day, issuer, title.format(unit=slots.unit.name, year=day.year))
            tracked.document = document_resolve(ref)
        data, birth = self.new_person(slots, day, approval.entry_mode)
        occupancy = staffing.occupancy_start(
            actor=None,
            data=data,
            slot=staffing.Slot(approval=approval),
            start_date=day,
            entry_mode=approval.entry_mode,
            document=tracked.document,
            hire_kind=tracked.hire_kind,
            today=day,
        )
        tracked.used += 1
        slots.reserved -= 1
        if tracked.used == approval.count:
            tracked.open = False
        self.track(occupancy.person_id, data.name, birth, slots)

    def expire(self, day: dt.date) -> None:
        approvals.approvals_expire(today=day)
        for tracked in self.open_approvals:
            if tracked.open and tracked.approval.valid_until < day:
                tracked.open = False
                tracked.slots.reserved -= tracked.approval.count - tracked.used
        self.open_approvals = [t for t in self.open_approvals if t.open]

    def placement(self, day: dt.date) -> None:
        """军转安置 decided by the county before any approval: the 编办 enters it with its reason."""
        free = [s for s in self.slots if s.group == "机关" and not s.over and s.room(day) >= 1 and self.opened(s, day)]
        if not free:
            return
        slots = self.rng.choice(free)
        data, birth = self.new_person(slots, day, "JZ")
        occupancy = staffing.occupancy_start(
            actor=None,
            data=data,
            slot=staffing.Slot(
                unit=slots.unit,
                quota_type=slots.account.quota_type_id,
                funding_form=slots.account.funding_form,
                override_reason="县委常委会议定的军队转业干部安置任务，编制使用核准随后补办",
            ),
            start_date=day,
            entry_mode="JZ",
            document=self.doc(day, "退役军人", f"关于{day.year}年军队转业干部安置的通知"),
            today=day,
        )
        self.track(occupancy.person_id, data.name, birth, slots)

    # -------------------------------------------------------------- leaving
    def offboard(self, day: dt.date, person: _Person, reason: str, document) -> None:
        staffing.occupancy_end(
            actor=None, person=Person(pk=person.pk), end_date=day, reason=reason, document=document, today=day
        )
        self.left(person)

    def retire(self, day: dt.date, pk: int) -> None:
        person = self.people.get(pk)
        if person is None:
            return
        key = (day.year, day.month)
        if key not in self.month_docs:
            title = f"关于批准{day.year}年{day.month}月退休人员名单的通知"
            self.month_docs[key] = document_resolve(self.doc(day - dt.timedelta(days=5), "人社", title))
        self.offboard(day, person, "TX", self.month_docs[key])

    def movable(self) -> list[_Person]:
        return [p for p in self.people.values() if not p.slots.steady]

    def attrition(self, day: dt.date) -> None:
        for person in [p for p in self.movable() if self.rng.random() < EXIT_RATE]:
            reason = weighted(self.rng, EXITS)
            issuer, title = EXIT_DOCS[reason]
            self.offboard(day, person, reason, self.doc(day, issuer, title.format(name=person.name)))

    def mistaken_exit(self, day: dt.date) -> None:
        """An 出编 entered for a transfer that fell through, put right a week later (恢复)."""
        candidates = [p for p in self.movable() if p.slots.group == "机关" and not p.post]
        if not candidates:
            return
        person = self.rng.choice(candidates)
        document = self.doc(day, "组织部", f"关于{person.name}同志调出本县的通知")
        staffing.occupancy_end(
            actor=None, person=Person(pk=person.pk), end_date=day, reason="DC", document=document, today=day
        )
        staffing.occupancy_restore(
            actor=None,
            person=Person(pk=person.pk),
            reason="调动未成行，出编登记有误，予以恢复",
            today=day + dt.timedelta(days=7),
        )

    # -------------------------------------------------------------- 转编 inside the county
    def transfer(self, day: dt.date, person: _Person, target: _Slots, why: str) -> None:
        staffing.occupancy_transfer(
            actor=None,
            person=Person(pk=person.pk),
            unit=target.unit,
            quota_type=target.account.quota_type_id,
            funding_form=target.account.funding_form,
            effective_date=day,
            document=self.doc(day, "编办", f"关于{person.name}同志转编的通知"),
            reason=why,
            today=day,
        )
        source = person.slots
        self.left(person)
        self.track(person.pk, person.name, person.birth, target)
        if source.listed:
            self.resync(source)

    def transfers(self, day: dt.date) -> None:
        for person in [p for p in self.movable() if not p.on_loan and self.rng.random() < TRANSFER_RATE]:
            targets = [
                s
                for s in self.slots
                if s.group == person.slots.group
                and s is not person.slots
                and s.account.quota_type_id == person.slots.account.quota_type_id
                and not s.over
                and self.opened(s, day)
                and s.room(day) - s.keep >= 1
            ]
            if targets:
                self.transfer(day, person, self.rng.choice(targets), "工作需要")

    def staff_new_unit(self, day: dt.date, target: _Slots) -> None:
        """A unit set up with slots moved from another (分设) takes people along with them."""
        givers = set(
            Movement.objects.filter(
                to_account=target.account, kind=MovementKind.HUAZHUAN, effective_date=day
            ).values_list("from_account_id", flat=True)
        )
        sources = [p for p in self.movable() if p.slots.account.pk in givers and not p.post and not p.on_loan]
        for person in self.rng.sample(sources, min(len(sources), max(0, target.room(day) - target.keep))):
            self.transfer(day, person, target, "机构分设，人员随职能划转")

    # -------------------------------------------------------------- leadership posts
    def appoint(self, day: dt.date, *, initial: bool = False) -> None:
        """Vacant leadership posts filled from the unit's own people aged 35 to 56. The first appointments share
        one notice and their titles are written with the bulk registration; later ones go through the service."""
        accounts = list(
            LeadershipAccount.objects.filter(kind=AccountKind.UNIT, unit_id__in=self.post_units)
            .select_related("unit")
            .order_by("pk")
        )
        approved = balances_as_of(LeadershipBalance, [a.pk for a in accounts], day)
        filled = posts.posts_filled([a.pk for a in accounts], day)
        by_unit: dict[int, list[_Person]] = {}
        for p in self.people.values():
            if p.slots.group == "机关" and p.slots.unit.pk in self.post_units and 35 <= age_on(p.birth, day) <= 56:
                by_unit.setdefault(p.slots.unit.pk, []).append(p)
        shared = None
        if initial:
            shared = document_resolve(self.doc(day, "组织部", "关于县直部门和乡镇领导班子成员任职的通知"))
        titles: dict[str, list[int]] = {}
        for account in accounts:
            free = approved.get(account.pk, 0) - filled.get(account.pk, 0)
            candidates = [p for p in by_unit.get(account.unit_id, ()) if p.pk not in self.post_holders]
            for person in self.rng.sample(candidates, max(0, min(free, len(candidates)))):
                title = self.post_title(account)
                notice = f"关于{person.name}同志任{account.unit.name}{title}的通知"
                posts.post_assign(
                    actor=None,
                    person=Person(pk=person.pk),
                    level=account.level,
                    grade=account.grade,
                    start_date=day,
                    document=shared or self.doc(day, "组织部", notice),
                )
                person.post = True
                self.post_holders.add(person.pk)
                if initial:
                    titles.setdefault(title, []).append(person.pk)
                    continue
                person_update(
                    actor=None,
                    person=Person(pk=person.pk),
                    changes={"position": title, "post_since": day, "internal_body": ""},
                    reason="任职",
                )
        for title, pks in titles.items():
            Person.objects.filter(pk__in=pks).update(position=title, post_since=day, internal_body="")

    @staticmethod
    def post_title(account: LeadershipAccount) -> str:
        name = account.unit.name
        title = next((t for suffix, t in POST_TITLES if name.endswith(suffix)), "主任")
        if title == "长":
            title = "镇长" if name.removesuffix("人民政府").endswith("镇") else "乡长"
        return title if account.level == "ZHENG" else f"副{title}"

    # -------------------------------------------------------------- slots that grow, lend, and shrink
    def grow(self, day: dt.date) -> None:
        """教职工编制动态调整: schools and health centres get slots from the county pool as they grow."""
        pool = county_account(AccountKind.POOL, "SY")
        pool_slots = _Slots(pool, None, "", [])
        self.reload_steps(pool_slots)
        document = None
        for slots in [s for s in self.slots if s.group in ("学校", "卫生") and self.opened(s, day)]:
            amount = self.rng.randint(2, 5)
            if self.rng.random() > 0.25 or pool_slots.floor(day) < amount + 100:
                continue
            document = document or document_resolve(self.council_doc(day, "关于动态调整中小学和卫生院事业编制的通知"))
            movement_post(
                actor=None,
                kind=MovementKind.HEZENG,
                from_account=pool,
                to_account=slots.account,
                amount=amount,
                effective_date=day,
                document=document,
                reason="学生和服务人口增长",
            )
            slots.grown = day.year
            self.reload_steps(slots, pool_slots)

    def lend(self, day: dt.date, lendable: list[_Slots], last: bool) -> None:
        """A full school or health centre borrows from the turnover pool for a talent it cannot wait for. Its
        people move into its own slots as they free up; on the last loan nobody is due to leave before today."""
        pool = county_account(AccountKind.TURNOVER, "SY")
        free = balances_as_of(QuotaBalance, [pool.pk], day).get(pool.pk, 0) - loans.lent_from(pool)
        count = min(self.rng.randint(1, 3), free)
        candidates = sorted((s for s in lendable if self.opened(s, day) and not s.over), key=lambda s: s.room(day))
        if last:
            candidates = [s for s in candidates if not self.retiring(s.members, day)] or candidates
        if not candidates or count < 1:
            return
        slots = self.rng.choice(candidates[:5])
        slots.steady = slots.steady or last
        loan = loans.loan_grant(
            actor=None,
            unit=slots.unit,
            quota_type="SY",
            funding_form=slots.account.funding_form,
            count=count,
            purpose=self.rng.choice(LoanPurpose.values),
            start_date=day,
            due_date=years_after(day, 3),
            document=self.doc(day, "编办", f"关于同意{slots.unit.name}使用周转编制的批复"),
            today=day,
        )
        for _ in range(max(1, count - self.rng.randrange(2))):
            self.at(day + dt.timedelta(days=self.rng.randrange(15, 90)), self.hire_on_loan, loan, slots)

    def hire_on_loan(self, day: dt.date, loan: TurnoverLoan, slots: _Slots) -> None:
        data, birth = self.new_person(slots, day, "YJ")
        occupancy = staffing.occupancy_start(
            actor=None,
            data=data,
            slot=staffing.Slot(loan=loan),
            start_date=day,
            entry_mode="YJ",
            document=self.doc(day, "人社", f"关于{slots.unit.name}引进急需紧缺人才的通知"),
            hire_kind=HireKind.NEW,
            today=day,
        )
        self.track(occupancy.person_id, data.name, birth, slots, on_loan=True)

    def push_over(self, day: dt.date) -> None:
        """核减 slots of a few full offices below the people they hold: they are 超编 and may not hire until
        retirements bring them back within quota."""
        candidates = [
            s
            for s in self.slots
            if s.group == "机关" and s.unit.kind == UnitKind.JIGUAN and not s.reserved and len(s.members) >= 6
        ]
        for slots in self.rng.sample(candidates, min(len(candidates), max(1, len(self.slots) // 100))):
            over = min(len(slots.members), 1 + self.retiring(slots.members, day) + self.rng.randrange(2))
            movement_post(
                actor=None,
                kind=MovementKind.HEJIAN,
                from_account=slots.account,
                to_account=county_account(AccountKind.POOL, slots.account.quota_type_id),
                amount=slots.floor(day) - len(slots.members) + over,
                effective_date=day,
                document=self.council_doc(day, f"关于核减{slots.unit.name}编制的通知"),
                reason="职能划出，编制随职能核减；超编人员随自然减员逐步消化",
                confirm_overstaffing=True,
            )
            slots.over = slots.steady = True
            self.reload_steps(slots)

    # -------------------------------------------------------------- where things stand today
    def autumn_round(self, day: dt.date) -> None:
        """Approvals of the last weeks: some not used yet, some partly, some used up."""
        ready = [s for s in self.slots if not s.over and s.room(day) >= 2 and self.opened(s, day)]
        for i, slots in enumerate(self.rng.sample(ready, min(len(ready), max(3, len(ready) // 4)))):
            count = slots.room(day) - min(slots.keep, slots.room(day) - 2)
            tracked = self.approve(day, slots, count)
            hires = (0, count - 1, count)[i % 3]
            for _ in range(hires):
                self.at(day + dt.timedelta(days=self.rng.randrange(10, 70)), self.hire, tracked)

    def open_applications(self, day: dt.date) -> None:
        """Applications still in the workflow: drafted, submitted, under review, returned, withdrawn; one refused
        because the unit is over quota; one approval cancelled by the 编办."""
        ready = [s for s in self.slots if not s.over and s.room(day) >= 1 and self.opened(s, day)]
        steps = ("draft", "submitted", "review", "returned", "withdrawn", "draft", "submitted", "review")
        for step, slots in zip(steps, self.rng.sample(ready, min(len(ready), len(steps))), strict=False):
            approval = self.draft(slots, 1, weighted(self.rng, self.pick(ENTRY_MODES, slots)))
            if step == "withdrawn":
                approvals.approval_cancel(actor=None, approval=approval, comment="单位暂缓招聘")
                continue
            if step != "draft":
                approvals.approval_submit(actor=None, approval=approval)
            if step in ("review", "returned"):
                approvals.approval_accept(actor=None, approval=approval)
            if step == "returned":
                approvals.approval_return(actor=None, approval=approval, comment=RETURN_NOTE)
        for slots in [s for s in self.slots if s.over][:1]:
            approval = self.draft(slots, 1, "KL")
            approvals.approval_submit(actor=None, approval=approval)
            approvals.approval_accept(actor=None, approval=approval)
            approvals.approval_reject(actor=None, approval=approval, comment="该单位超编，按规定不得新进人。")
        unused = next((t for t in self.open_approvals if t.open and t.used == 0), None)
        if unused is not None:
            approvals.approval_cancel(actor=None, approval=unused.approval, comment="单位机构改革，暂停补充人员")
            unused.open = False
            unused.slots.reserved -= unused.approval.count

    def leave_marks(self, day: dt.date) -> None:
        """在编不在岗: a few near retirement step back (离岗待退); they keep their slots."""
        near = [p for p in self.people.values() if age_on(p.birth, day) >= 57 and not p.post]
        for person in self.rng.sample(near, min(len(near), max(1, len(self.people) // 400))):
            staffing.person_set_on_leave(actor=None, person=Person(pk=person.pk), on_leave=True, reason="离岗待退")

    # -------------------------------------------------------------- the whole story
    def build(self) -> dict:
        self.load()
        registered = self.register_everyone()
        self.progress(f"实名制：{self.start} 在岗的 {registered:,} 人已登记")
        self.post_units = {s.unit.pk for s in self.slots if s.group == "机关" and self.rng.random() < 0.75}
        self.appoint(self.start, initial=True)
        self.schedule()
        self.run()
        return {"registered": registered, "persons": Person.objects.count()}


def build_roster(
    *,
    seed: int,
    region_code: str,
    start: dt.date,
    council_doc: Callable[[dt.date, str], DocumentRef],
    today: dt.date | None = None,
    progress: Progress = quiet,
) -> dict:
    """Fills the county's slots from ``start`` (the day they were first approved) to ``today``."""
    return RosterBuilder(
        seed=seed, region_code=region_code, start=start, council_doc=council_doc, today=today, progress=progress
    ).build()
