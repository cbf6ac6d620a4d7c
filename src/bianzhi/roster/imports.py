"""实名制 first load: persons into quota slots from the old system's export (.xlsx or .csv).

The file is read once, row by row: every row is checked (ID number, name, unit, quota type, vacancy, dates, code
sets, and who already holds a slot) and, while no row has failed, turned into ready-to-insert records spooled to a
temporary file. Only a clean file is written, in one transaction of bulk inserts that locks the affected accounts and
counts their vacancies again; so all rows are imported or none, and one audit event records the batch.

Personal data: full ID numbers appear only in the uploaded file and, encrypted, in the database. Issues, reports,
progress records and logs carry masked numbers (``mask_id_number``) only.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import pickle
import re
import sqlite3
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.accounts.scoping import unit_name_for
from bianzhi.audit.services import audit_record
from bianzhi.core.errors import BianzhiError, ErrorCode, TabularError
from bianzhi.core.excel import HEADER_FONT, county_name, to_bytes, write_value
from bianzhi.core.ids import mask_id_number, normalize_code
from bianzhi.core.locks import lock_rows
from bianzhi.core.tabular import (
    CellDate,
    Column,
    Header,
    Schema,
    Source,
    choice_map,
    file_size_label,
    fold,
    locate,
    normalize,
    normalize_name,
    parse_date,
    source_size,
)
from bianzhi.orgs.choices import UnitStatus
from bianzhi.orgs.documents import DocumentRef, document_resolve
from bianzhi.orgs.models import Document, Unit
from bianzhi.orgs.selectors import units_visible_to
from bianzhi.orgs.services import ensure_unit_usable
from bianzhi.quotas.ledger import balances_as_of
from bianzhi.quotas.models import AccountKind, FundingForm, QuotaAccount, QuotaBalance, QuotaType
from bianzhi.quotas.services import check_quota_type_fits
from bianzhi.roster import crypto
from bianzhi.roster.choices import (
    Education,
    EntryMode,
    Gender,
    HireKind,
    PersonStatus,
    PoliticalStatus,
    StaffIdentity,
)
from bianzhi.roster.errors import RosterError, RosterImportError
from bianzhi.roster.models import Occupancy, Person
from bianzhi.roster.persons import CheckedId, PersonData, check_id_number, check_phone, search_keys
from bianzhi.roster.slots import SlotState, ensure_available, ensure_unit_not_over, occupancy_counts

MAX_ROWS = 1_000_000
MAX_FILE_BYTES = 200 * 1024 * 1024
BATCH = 2_000  # rows checked against the database, and inserted, at a time
MAX_ISSUES = 100_000  # kept for the page and the report; a file wrong throughout is not listed to its last row
DEFAULT_DOCUMENT_TITLE = "实名制数据初始导入"


# ---------------------------------------------------------------- columns and values

COLUMNS = (
    Column("name", "姓名", ("人员姓名",), required=True),
    Column("id_number", "公民身份号码", ("身份证号", "身份证号码", "身份证", "证件号码"), required=True),
    Column("gender", "性别", choices=Gender),
    Column("birth_date", "出生日期", ("出生年月",)),
    Column("unit", "单位名称", ("单位", "所在单位", "工作单位")),
    Column("uscc", "统一社会信用代码", ("信用代码", "社会信用代码", "单位统一社会信用代码")),
    Column("quota_type", "编制类型", ("占用编制情况", "编制性质"), required=True),
    Column("funding_form", "经费形式", ("经费来源", "经费类型"), required=True, choices=FundingForm),
    Column("start_date", "入编时间", ("入编日期",), required=True),
    Column("entry_mode", "进入方式", ("进入形式", "进入来源", "入编方式"), required=True, choices=EntryMode),
    Column("ethnicity", "民族"),
    Column("political_status", "政治面貌", choices=PoliticalStatus),
    Column("education", "学历", ("最高学历",), choices=Education),
    Column("position", "职务", ("现任职务",)),
    Column("rank_title", "职级", ("现任职级",)),
    Column("internal_body", "所在机构", ("内设机构", "所在科室")),
    Column("identity", "人员身份", ("岗位类别", "身份类别"), choices=StaffIdentity),
    Column("work_start_date", "参加工作时间", ("参加工作日期",)),
    Column("phone", "联系电话", ("电话", "手机", "手机号码")),
    Column("remarks", "备注"),
)
SCHEMA = Schema(COLUMNS, key=("name", "id_number"), ignored=("序号",), strict=False)
TEXT_FIELDS = ("ethnicity", "position", "rank_title", "internal_body", "remarks")
# Spellings found in old systems' exports, besides each code's own label and the code itself.
_VARIANTS = {
    "gender": {Gender.MALE: ("男性", "M"), Gender.FEMALE: ("女性", "F")},
    "funding_form": {FundingForm.QE: ("全额",), FundingForm.CE: ("差额",), FundingForm.ZS: ("自筹",)},
    "entry_mode": {
        EntryMode.KL: ("考录", "录用"),
        EntryMode.GZ: ("招聘", "公开招考"),
        EntryMode.DR: ("调入", "调任", "调动"),
        EntryMode.JZ: ("军转", "军转干部", "军队转业"),
        EntryMode.TY: ("退役士兵", "退伍士兵安置"),
        EntryMode.YJ: ("引进", "人才引进"),
        EntryMode.XD: ("选调生", "选调", "定向"),
    },
    "political_status": {
        PoliticalStatus.CPC: ("中共党员",),
        PoliticalStatus.CPC_PROBATION: ("中共预备党员", "预备党员"),
        PoliticalStatus.CYL: ("共青团员", "团员"),
    },
    "education": {
        Education.DOCTOR: ("博士",),
        Education.MASTER: ("硕士", "研究生"),
        Education.BACHELOR: ("大学本科", "大学"),
        Education.COLLEGE: ("大学专科", "专科"),
        Education.SECONDARY: ("中等专科",),
    },
    "identity": {
        StaffIdentity.CANGONG: ("参公",),
        StaffIdentity.MANAGEMENT: ("管理", "管理人员"),
        StaffIdentity.PROFESSIONAL: ("专技", "专业技术", "专业技术人员"),
        StaffIdentity.WORKER: ("工勤", "工勤人员", "工勤技能"),
    },
}
_CHOICES = {c.field: choice_map(c.choices, _VARIANTS.get(c.field)) for c in COLUMNS if c.choices}
_ALLOWED = {c.field: "、".join(c.choices.labels) for c in COLUMNS if c.choices}  # for messages: built once
_QUOTA_TYPE_VARIANTS = {
    "XZ": ("行政",),
    "ZFZX": ("政法专项", "政法编制"),
    "SY": ("事业",),
    "GQ": ("工勤编制", "工勤", "机关工勤"),
}
# Lists pad two-character names to the width of three (“王　芳”); a space between Chinese characters is layout.
_ALIGNMENT_SPACE = re.compile(r"(?<=[\u3400-\u9fff])[\s\u3000]+(?=[\u3400-\u9fff])")
_PERSON_FIELD = {
    RosterError.NAME_INVALID: "name",
    RosterError.GENDER_MISMATCH: "gender",
    RosterError.BIRTH_MISMATCH: "birth_date",
}
_PERSON_MAX_LENGTH = {f: Person._meta.get_field(f).max_length for f in TEXT_FIELDS if f != "remarks"}


@functools.lru_cache(maxsize=100_000)
def _name_keys(name: str) -> tuple[str, str]:
    """Pinyin search keys; names repeat a great deal across a county, and pinyin is the slowest step per row."""
    return search_keys(name)


# ---------------------------------------------------------------- results


@dataclass
class Issue:
    """One problem (or, among warnings, one thing to verify), located as the user sees it in the file."""

    row: int
    name: str
    masked_id: str
    column: str
    code: str
    message: str

    def as_dict(self) -> dict:
        return self.__dict__.copy()


@dataclass
class AccountUse:
    unit: str
    quota_type: str
    funding_form: str
    count: int
    available: int


@dataclass
class RosterImportResult:
    file_name: str
    dry_run: bool
    sha256: str
    header_row: int = 0
    rows: int = 0
    imported: int = 0
    returning: int = 0  # persons already in the register (已出编) who enter a slot again
    document: str = ""
    issues: list[Issue] = field(default_factory=list)  # the first MAX_ISSUES, by row
    issue_count: int = 0
    failed_rows: int = 0
    warnings: list[Issue] = field(default_factory=list)
    skipped_columns: list[str] = field(default_factory=list)
    accounts: list[AccountUse] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.issue_count == 0

    @property
    def skipped_note(self) -> str:
        if not self.skipped_columns:
            return ""
        return RosterImportError.SKIPPED_COLUMNS.format(headers="、".join(self.skipped_columns))

    def add_issue(self, issue: Issue) -> None:
        self.issue_count += 1
        if len(self.issues) < MAX_ISSUES:
            self.issues.append(issue)

    def add_warning(self, issue: Issue) -> None:
        if len(self.warnings) < MAX_ISSUES:
            self.warnings.append(issue)


Progress = Callable[[str, int, int | None], None]  # (phase "checking" | "writing", rows done, rows expected)


def _no_progress(_phase: str, _done: int, _total: int | None) -> None:
    return None


# ---------------------------------------------------------------- reading a row


@dataclass(slots=True)
class _Row:
    number: int
    raw: dict[str, str]
    name: str = ""
    masked: str = ""
    checked: CheckedId | None = None  # when name and ID number are valid and agree with gender and birth date
    id_hash: str = ""  # computed once: an HMAC per use adds up over a million rows
    unit: Unit | None = None
    quota_type: str = ""
    funding_form: str = ""
    start_date: dt.date | None = None
    entry_mode: str = ""
    details: dict = field(default_factory=dict)
    phone: str | None = None  # None: the file has no phone column
    issues: list[Issue] = field(default_factory=list)


class _RowReader:
    """Turns a row's texts into checked values, noting every problem on the way (not only the first)."""

    def __init__(self, actor, header: Header, today: dt.date):
        self.actor = actor
        self.header = header
        self.today = today
        self.units_by_name: dict[str, Unit] = {}  # by folded name: full-width and spacing differ between files
        self.units_by_uscc: dict[str, Unit] = {}
        active = units_visible_to(actor).filter(status=UnitStatus.ACTIVE)
        for unit in active.only("pk", "name", "uscc", "kind", "is_zhengfa", "institution_class", "status"):
            self.units_by_name[fold(unit.name)] = unit
            if unit.uscc:
                self.units_by_uscc[unit.uscc] = unit
        types = QuotaType.objects.all()
        spellings = {t.code: (t.code, t.name, *_QUOTA_TYPE_VARIANTS.get(t.code, ())) for t in types}
        self.quota_types = {fold(spelling): code for code, names in spellings.items() for spelling in names}
        self.quota_type_names = "、".join(t.name for t in types)

    def issue(self, row: _Row, field_name: str, error: ErrorCode, /, **params) -> None:
        """Notes a problem; messages name the column as the file writes it (``{field}``)."""
        label = self.header.label(field_name)
        self._note(row, label, error.code, error.format(field=label, **params))

    def refusal(self, row: _Row, field_name: str, exc: BianzhiError) -> None:
        self._note(row, self.header.label(field_name), exc.code, exc.message)

    @staticmethod
    def _note(row: _Row, label: str, code: str, message: str) -> None:
        row.issues.append(Issue(row.number, row.name or row.raw.get("name", ""), row.masked, label, code, message))

    def text(self, row: _Row, field_name: str) -> str:
        return normalize(row.raw.get(field_name, ""))

    def choice(self, row: _Row, field_name: str, values: dict[str, str], allowed: str) -> str:
        text = self.text(row, field_name)
        if not text:
            if self.header.schema.column[field_name].required:
                self.issue(row, field_name, TabularError.REQUIRED)
            return ""
        code = values.get(fold(text))
        if code is None:
            self.issue(row, field_name, TabularError.BAD_VALUE, value=text, allowed=allowed)
            return ""
        return code

    def coded(self, row: _Row, field_name: str) -> str:
        return self.choice(row, field_name, _CHOICES[field_name], _ALLOWED[field_name])

    def date(self, row: _Row, field_name: str, *, required: bool = False) -> CellDate | None:
        """A date not after today (a birth date after today is caught against the ID number instead)."""
        text = self.text(row, field_name)
        if not text:
            if required:
                self.issue(row, field_name, TabularError.REQUIRED)
            return None
        parsed = parse_date(text)
        if parsed is None:
            self.issue(row, field_name, TabularError.BAD_DATE, value=text)
            return None
        if parsed.day > self.today and field_name != "birth_date":
            self.issue(row, field_name, RosterError.DATE_IN_FUTURE, what=self.header.label(field_name), date=text)
            return None
        return parsed

    def person(self, row: _Row) -> None:
        """Name and ID number, and gender and birth date when given, which must agree with the ID number."""
        raw_id = normalize_code(row.raw.get("id_number", ""))
        row.masked = mask_id_number(raw_id)
        gender = self.coded(row, "gender")
        birth = self.date(row, "birth_date")
        # a 年月-only birth date is compared with the ID number below, by month
        name = _ALIGNMENT_SPACE.sub("", row.raw.get("name", ""))
        data = PersonData(name, raw_id, gender, birth.day if birth and birth.has_day else None)
        try:
            row.name, row.checked = data.checked()
        except BianzhiError as exc:
            self.refusal(row, _PERSON_FIELD.get(exc.error, "id_number"), exc)
            if exc.error is RosterError.NAME_INVALID:  # the ID number has not been looked at yet
                try:
                    check_id_number(raw_id)
                except BianzhiError as id_exc:
                    self.refusal(row, "id_number", id_exc)
            return
        row.masked, row.id_hash = row.checked.masked, row.checked.hash
        if birth and not birth.has_day and birth.day.replace(day=1) != row.checked.birth_date.replace(day=1):
            text, expected = self.text(row, "birth_date"), row.checked.birth_date
            self.issue(row, "birth_date", RosterError.BIRTH_MISMATCH, birth=text, expected=expected)

    def unit(self, row: _Row) -> None:
        name, uscc = normalize_name(row.raw.get("unit", "")), normalize_code(row.raw.get("uscc", ""))
        if not (name or uscc):
            self.issue(row, "unit" if "unit" in self.header.labels else "uscc", TabularError.REQUIRED)
            return
        if uscc:
            row.unit = self.units_by_uscc.get(uscc)
            if row.unit is None:
                self.issue(row, "uscc", RosterImportError.UNKNOWN_UNIT, value=uscc)
            elif name and fold(name) != fold(row.unit.name):
                self.issue(row, "unit", RosterImportError.UNIT_MISMATCH, uscc=uscc, unit=row.unit.name, name=name)
                row.unit = None
            return
        row.unit = self.units_by_name.get(fold(name))
        if row.unit is None:
            self.issue(row, "unit", RosterImportError.UNKNOWN_UNIT, value=name)

    def details(self, row: _Row) -> None:
        """The optional columns: what units keep up to date later, given here from the old system."""
        for field_name in TEXT_FIELDS:
            if field_name not in self.header.labels:
                continue
            value = self.text(row, field_name)
            limit = _PERSON_MAX_LENGTH.get(field_name)
            if limit and len(value) > limit:
                self.issue(row, field_name, TabularError.TOO_LONG, max=limit, length=len(value))
            else:
                row.details[field_name] = value
        for field_name in ("political_status", "education", "identity"):
            if field_name in self.header.labels:
                row.details[field_name] = self.coded(row, field_name)
        if "work_start_date" in self.header.labels:
            started = self.date(row, "work_start_date")
            row.details["work_start_date"] = started.day if started else None
        if "phone" in self.header.labels:
            try:
                row.phone = check_phone(self.text(row, "phone"))
            except BianzhiError as exc:
                self.refusal(row, "phone", exc)

    def read(self, number: int, cells: list[str]) -> _Row:
        row = _Row(number, self.header.values(cells))
        self.person(row)
        self.unit(row)
        row.quota_type = self.choice(row, "quota_type", self.quota_types, self.quota_type_names)
        row.funding_form = self.coded(row, "funding_form")
        started = self.date(row, "start_date", required=True)
        row.start_date = started.day if started else None
        row.entry_mode = self.coded(row, "entry_mode")
        self.details(row)
        return row


# ---------------------------------------------------------------- slots


_NO_SLOTS = SlotState(0, 0, 0, 0)


@dataclass
class _Target:
    """One (unit, type, funding form) the file fills: its slots today and the file's rows for it."""

    unit: Unit
    quota_type: str
    funding_form: str
    account: QuotaAccount | None = None  # None: the unit has no such account, so no vacancy
    state: SlotState = _NO_SLOTS
    refusal: BianzhiError | None = None
    count: int = 0
    excess: list[tuple[int, str, str, bool]] = field(default_factory=list)  # (row, name, masked, otherwise clean)

    @property
    def key(self) -> tuple[int, str, str]:
        return (self.unit.pk, self.quota_type, self.funding_form)


class _Slots:
    """The accounts a file fills, found a batch of rows at a time. Their slot states are read together (a few queries
    per batch, not per account) with the ``SlotState`` arithmetic of the onboarding; an account found wanting is
    then refused by the onboarding's own checks (``ensure_unit_not_over``, ``ensure_available``).

    Vacancies are counted as of today only: a first load records entries from before the register kept the ledger,
    so the every-day-since check of a back-dated onboarding would refuse history the system never held."""

    def __init__(self, today: dt.date):
        self.today = today
        self.targets: dict[tuple[int, str, str], _Target] = {}
        self.quota_types = {t.code: t for t in QuotaType.objects.all()}

    def _states(self, unit_ids) -> dict[tuple[int, str, str], tuple[QuotaAccount, SlotState]]:
        """Every account of these units with its slots today: a few queries, however many accounts."""
        units = QuotaAccount.objects.filter(kind=AccountKind.UNIT, unit_id__in=unit_ids)
        accounts = list(units.select_related("unit", "quota_type"))
        approved = balances_as_of(QuotaBalance, [a.pk for a in accounts], self.today)
        counts = occupancy_counts([a.pk for a in accounts], self.today)
        return {
            (a.unit_id, a.quota_type_id, a.funding_form): (
                a,
                SlotState(approved.get(a.pk, 0), *counts.get(a.pk, (0,) * 3)),
            )
            for a in accounts
        }

    @staticmethod
    def _over_quota(key: tuple[int, str, str], states) -> bool:
        """I5: the unit is over quota in this type, all funding forms together."""
        siblings = [state for (unit_id, code, _), (_, state) in states.items() if (unit_id, code) == key[:2]]
        return sum(s.occupied for s in siblings) > sum(s.approved for s in siblings)

    def _refusal(self, target: _Target, count: int) -> BianzhiError | None:
        """The onboarding's refusal of ``count`` persons into the target's account (one that may not exist yet)."""
        account = target.account or QuotaAccount(
            kind=AccountKind.UNIT,
            unit=target.unit,
            quota_type=self.quota_types[target.quota_type],
            funding_form=target.funding_form,
        )
        try:
            ensure_unit_not_over(account, self.today)
            ensure_available(account, self.today, count)
        except BianzhiError as exc:
            return exc
        return None

    def resolve(self, rows: list[_Row]) -> None:
        """The targets of a batch of rows not seen before."""
        wanted: dict[tuple[int, str, str], Unit] = {}
        for row in rows:
            if row.unit is not None and row.quota_type and row.funding_form:
                key = (row.unit.pk, row.quota_type, row.funding_form)
                if key not in self.targets:
                    wanted[key] = row.unit
        if not wanted:
            return
        states = self._states({key[0] for key in wanted})
        for key, unit in wanted.items():
            target = self.targets[key] = _Target(unit, key[1], key[2])
            try:
                # the rule unit_account applies when it opens an account; the account may not exist yet
                check_quota_type_fits(unit, self.quota_types[target.quota_type], target.funding_form)
            except BianzhiError as exc:
                target.refusal = exc
                continue
            if key in states:
                target.account, target.state = states[key]
                if self._over_quota(key, states):
                    target.refusal = self._refusal(target, 0)

    def take(self, row: _Row, reader: _RowReader) -> _Target | None:
        """Counts the row against its account (``resolve`` has seen its batch); rows past the account's vacancy are
        refused at the end, once the file's total for the account is known."""
        target = self.targets.get((row.unit.pk, row.quota_type, row.funding_form)) if row.unit else None
        if target is None:
            return None
        if target.refusal is not None:
            reader.refusal(row, "quota_type", target.refusal)
            return None
        target.count += 1
        if target.count > target.state.available:
            target.excess.append((row.number, row.name or row.raw.get("name", ""), row.masked, not row.issues))
        return target

    def shortfalls(self) -> Iterator[tuple[int, str, str, bool, BianzhiError]]:
        """(row, name, masked ID, whether the row is otherwise clean, the refusal) for each row past a vacancy."""
        for target in self.targets.values():
            if target.excess:
                error = self._refusal(target, target.count)
                for excess in target.excess:
                    yield (*excess, error)

    def recheck(self) -> None:
        """The same counts again, with the accounts locked: someone may have entered a slot since the check."""
        filled = [t for t in self.targets.values() if t.count]
        states = self._states({t.unit.pk for t in filled})
        for target in filled:
            wanting = self._over_quota(target.key, states) or states[target.key][1].available < target.count
            if wanting and (refusal := self._refusal(target, target.count)) is not None:
                raise refusal

    def uses(self) -> list[AccountUse]:
        return [
            AccountUse(
                t.unit.name,
                self.quota_types[t.quota_type].name,
                FundingForm(t.funding_form).label,
                t.count,
                t.state.available,
            )
            for t in self.targets.values()
            if t.count
        ]


# ---------------------------------------------------------------- who is already in the register


def _against_register(rows: list[_Row], reader: _RowReader) -> dict[str, int]:
    """Refuses rows whose person holds a slot already (or is registered under another name, or left after the new
    entry date); returns the pks of persons who come back (已出编), by ID hash."""
    by_hash: dict[str, list[_Row]] = defaultdict(list)  # a number twice in the file: both rows are told
    for row in rows:
        if row.checked is not None:
            by_hash[row.id_hash].append(row)
    existing = list(Person.objects.filter(id_hash__in=by_hash).values_list("pk", "id_hash", "name"))
    if not existing:
        return {}
    open_slots = Occupancy.objects.filter(end_date__isnull=True, person__id_hash__in=by_hash).select_related(
        "person", "account__unit"
    )
    # where someone holds a slot is named only to an importer whose scope reaches that unit, as on the entry form
    holding = {slot.person.id_hash: unit_name_for(reader.actor, slot.account.unit) for slot in open_slots}
    last_exit = dict(
        Occupancy.objects.filter(person__id_hash__in=by_hash, end_date__isnull=False)
        .values("person__id_hash")
        .annotate(last=Max("end_date"))
        .values_list("person__id_hash", "last")
    )
    returning: dict[str, int] = {}
    for pk, id_hash, name in existing:
        for row in by_hash[id_hash]:
            ended = last_exit.get(id_hash)
            if id_hash in holding:
                unit = holding[id_hash]
                reader.issue(row, "id_number", RosterError.ALREADY_IN_SLOT, name=row.name, masked=row.masked, unit=unit)
            elif name != row.name:
                reader.issue(row, "id_number", RosterError.ID_TAKEN_BY_OTHER_NAME, masked=row.masked, name=name)
            elif row.start_date and ended and row.start_date < ended:
                reader.issue(row, "start_date", RosterError.ENTRY_BEFORE_LAST_EXIT, date=row.start_date, end=ended)
            else:
                returning[id_hash] = pk
    return returning


def _namesakes(rows: list[_Row], reader: _RowReader, result: RosterImportResult) -> None:
    """The old system's duplicate warning: someone else with the same name and birth date (brief §1.8)."""
    wanted = {(row.name, row.checked.birth_date): row for row in rows if row.checked is not None}
    if not wanted:
        return
    similar = Person.objects.filter(
        name__in={name for name, _ in wanted}, birth_date__in={birth for _, birth in wanted}
    ).values_list("name", "birth_date", "id_hash", "id_masked", "unit__name")
    warned = set()
    for name, birth, id_hash, masked, unit in similar:
        row = wanted.get((name, birth))
        if row is None or row.id_hash == id_hash or row.number in warned:
            continue
        warned.add(row.number)
        error = RosterImportError.SAME_NAME_BIRTH
        message = error.format(name=name, masked=masked, unit=unit)
        result.add_warning(Issue(row.number, row.name, row.masked, reader.header.label("name"), error.code, message))


# ---------------------------------------------------------------- records ready to insert


def _prepared(row: _Row, target: _Target, returning_pk: int | None) -> tuple:
    """What the insert needs, encrypted where personal: spooled to disk, so memory does not grow with the file.
    ``details`` holds only the columns the file has: a returning person keeps what the file does not say."""
    pinyin, initials = _name_keys(row.name)
    checked = row.checked
    identity = {
        "name": row.name,
        "name_pinyin": pinyin,
        "name_initials": initials,
        "id_hash": row.id_hash,
        "id_cipher": crypto.encrypt(checked.number),
        "id_masked": checked.masked,
        "gender": checked.gender,
        "birth_date": checked.birth_date,
    }
    details = dict(row.details)
    if row.phone is not None:
        details["phone_cipher"] = crypto.encrypt(row.phone)
    return (returning_pk, identity, details, target.key, row.start_date, row.entry_mode)


class _FirstRows:
    """Each ID number of the file → the row it is first on, kept in a private temporary SQLite file (not the
    register's database), so that a million rows cost no more memory than a thousand. Asked a batch at a time."""

    def __init__(self):
        self._db = sqlite3.connect("")  # "": a temporary on-disk database, deleted when closed

    def __enter__(self) -> _FirstRows:
        self._db.execute("CREATE TABLE seen (number INTEGER PRIMARY KEY, row INTEGER NOT NULL)")
        return self

    def __exit__(self, *_exc) -> None:
        self._db.close()

    def earlier(self, batch: list[tuple[int, int]]) -> dict[int, int]:
        """For a batch of (first 17 digits of an ID number, row) in file order: the rows whose number came before,
        in this batch or an earlier one, each with the row it was first on."""
        keys = list({number for number, _row in batch})
        first: dict[int, int] = {}
        for start in range(0, len(keys), 500):  # within any SQLite's limit of bound parameters
            part = keys[start : start + 500]
            query = f"SELECT number, row FROM seen WHERE number IN ({','.join('?' * len(part))})"
            first.update(self._db.execute(query, part))
        repeated, new = {}, []
        for number, row in batch:
            if number in first:
                repeated[row] = first[number]
            else:
                first[number] = row
                new.append((number, row))
        self._db.executemany("INSERT INTO seen VALUES (?, ?)", new)
        return repeated


class _Spool:
    """Batches of prepared rows in an unnamed temporary file (pickled lists, read back in the same order)."""

    def __init__(self, file):
        self.file = file
        self.batch: list[tuple] = []

    def add(self, record: tuple) -> None:
        self.batch.append(record)
        if len(self.batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.batch:
            pickle.dump(self.batch, self.file, protocol=pickle.HIGHEST_PROTOCOL)
            self.batch = []

    def batches(self) -> Iterator[list[tuple]]:
        self.flush()
        self.file.seek(0)
        while True:
            try:
                yield pickle.load(self.file)  # our own unnamed file, written above by this process
            except EOFError:
                return


# ---------------------------------------------------------------- the import


def _sha256(source: Source) -> str:
    digest = hashlib.sha256()
    if isinstance(source, bytes):
        digest.update(source)
    else:
        with source.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def default_document(today: dt.date | None = None) -> DocumentRef:
    """The document an import cites when the user names none: registered as the import's own record."""
    now = timezone.localtime()
    return DocumentRef(
        number=f"{DEFAULT_DOCUMENT_TITLE}-{now:%Y%m%d-%H%M%S}",
        title=DEFAULT_DOCUMENT_TITLE,
        issued_on=today or now.date(),
        issuer=f"{county_name()}机构编制委员会办公室",
    )


def check_document(document: DocumentRef | Document) -> str:
    """Refuses a document that cannot be registered before the file is read (and registers nothing)."""
    with transaction.atomic():
        number = document_resolve(document).number
        transaction.set_rollback(True)
    return number


def roster_import(
    *,
    actor,
    file_name: str,
    source: Source,
    document: DocumentRef | Document | None = None,
    dry_run: bool,
    import_id: str = "",
    progress: Progress = _no_progress,
    today: dt.date | None = None,
) -> RosterImportResult:
    """Checks every row of the file and, unless it is a dry run or any row is bad, puts every person into a slot.

    Problems of the file as a whole (format, header, size, document, a concurrent change) raise ``BianzhiError``;
    problems of rows are collected in the result, with their row numbers.
    """
    require_capability(actor, Capability.DECIDE_QUOTA_USE)
    today = today or timezone.localdate()
    size = source_size(source)
    if size > MAX_FILE_BYTES:
        raise BianzhiError(
            RosterImportError.TOO_LARGE, size=file_size_label(size), limit=file_size_label(MAX_FILE_BYTES)
        )
    document = document or default_document(today)
    result = RosterImportResult(file_name, dry_run, _sha256(source), document=check_document(document))
    header, sheet = locate(file_name, source, SCHEMA)
    if "unit" not in header.labels and "uscc" not in header.labels:
        raise BianzhiError(RosterImportError.NO_UNIT_COLUMN)
    result.header_row = header.row
    result.skipped_columns = header.skipped
    expected = sheet.last_row - header.row if sheet.last_row else None
    reader, slots = _RowReader(actor, header, today), _Slots(today)
    with tempfile.TemporaryFile() as spool_file, _FirstRows() as first_rows:
        spool = None if dry_run else _Spool(spool_file)
        _check_all(reader, slots, spool, first_rows, sheet.rows, result, progress, expected)
        if result.ok and not dry_run:
            progress("writing", 0, result.rows)
            _write(actor, result, slots, spool, document, import_id, progress)
    return result


def _check_all(reader, slots: _Slots, spool, first_rows, rows, result: RosterImportResult, progress, expected) -> None:
    batch: list[_Row] = []
    for number, cells in rows:
        if reader.header.is_blank(cells):
            continue
        if result.rows == MAX_ROWS:
            raise BianzhiError(TabularError.TOO_MANY_ROWS, max=MAX_ROWS)
        result.rows += 1
        batch.append(reader.read(number, cells))
        if len(batch) == BATCH:
            _finish_batch(batch, reader, slots, spool, first_rows, result)
            batch = []
            progress("checking", result.rows, expected)
    _finish_batch(batch, reader, slots, spool, first_rows, result)
    if not result.rows:
        raise BianzhiError(TabularError.EMPTY_FILE)
    label = reader.header.label("quota_type")
    for number, name, masked, clean, error in slots.shortfalls():
        result.failed_rows += clean
        result.add_issue(Issue(number, name, masked, label, error.code, error.message))
    result.issues.sort(key=lambda issue: issue.row)
    result.accounts = slots.uses()
    progress("checking", result.rows, result.rows)


def _finish_batch(rows: list[_Row], reader, slots: _Slots, spool, first_rows, result: RosterImportResult) -> None:
    checked = {row.number: row for row in rows if row.checked is not None}
    numbers = [(int(row.checked.number[:17]), row.number) for row in checked.values()]  # the 18th is a check digit
    for repeat, first in first_rows.earlier(numbers).items():
        row = checked[repeat]
        reader.issue(row, "id_number", TabularError.DUPLICATE_IN_FILE, value=row.masked, row=first)
    slots.resolve(rows)
    returning = _against_register(rows, reader)
    _namesakes(rows, reader, result)
    for row in rows:
        target = slots.take(row, reader)
        if row.issues:
            result.failed_rows += 1
            for issue in row.issues:
                result.add_issue(issue)
        elif spool is not None and result.ok:  # once a row has failed nothing will be written: stop preparing
            spool.add(_prepared(row, target, returning.get(row.id_hash)))


def _write(actor, result: RosterImportResult, slots: _Slots, spool: _Spool, document, import_id, progress) -> None:
    """One transaction: accounts locked and counted again, persons and occupancies inserted in batches, one event."""
    try:
        with transaction.atomic():
            # one document for the batch; entry dates before its issue are history it records (no effective-date check)
            doc = document_resolve(document)
            filled = [t for t in slots.targets.values() if t.count]
            for unit in lock_rows(Unit, [t.unit.pk for t in filled]):
                ensure_unit_usable(unit, slots.today)  # the people go into the units as they stand today
            lock_rows(QuotaAccount, [t.account.pk for t in filled])
            slots.recheck()
            accounts = {t.key: t.account for t in filled}
            for batch in spool.batches():
                _insert(actor, batch, accounts, doc, result)
                progress("writing", result.imported, result.rows)
            audit_record(
                actor=actor,
                action="roster.imported",
                object_type="roster.import",
                object_id=import_id,
                object_repr=result.file_name[:255],
                after={
                    "file": result.file_name,
                    "sha256": result.sha256,
                    "rows": result.rows,
                    "persons": result.imported,
                    "returning": result.returning,
                    "accounts": len(accounts),
                    "document": doc.number,
                },
            )
    except IntegrityError as exc:  # a person entered elsewhere between the check and the write
        result.imported = result.returning = 0
        raise BianzhiError(RosterImportError.CHANGED) from exc
    except BianzhiError:
        result.imported = result.returning = 0
        raise


def _insert(actor, batch: list[tuple], accounts: dict, doc: Document, result: RosterImportResult) -> None:
    """One batch: new persons inserted, returning ones (已出编) updated, then an occupancy for each."""
    new, back = [], []
    for returning_pk, identity, details, key, _start, _mode in batch:
        unit_id = accounts[key].unit_id
        if returning_pk is None:
            new.append(Person(**identity, **details, unit_id=unit_id, status=PersonStatus.IN_QUOTA))
        else:
            back.append(Person(pk=returning_pk, **details, unit_id=unit_id, status=PersonStatus.IN_QUOTA))
    Person.objects.bulk_create(new)
    if back:
        # someone who entered a slot since the check fails here, or on the one-open-slot constraint below
        if Person.objects.filter(pk__in=[p.pk for p in back], status=PersonStatus.IN_QUOTA).exists():
            raise BianzhiError(RosterImportError.CHANGED)
        now = timezone.now()
        for person in back:
            person.on_leave, person.updated_at = False, now
        changed = {name for _, _, details, *_ in batch for name in details}
        Person.objects.bulk_update(back, ["unit", "status", "on_leave", "updated_at", *sorted(changed)])
    persons, returning = iter(new), iter(back)
    Occupancy.objects.bulk_create(
        Occupancy(
            person=next(persons) if returning_pk is None else next(returning),
            account=accounts[key],
            start_date=start,
            entry_mode=mode,
            hire_kind=HireKind.NEW,
            entry_document=doc,
            created_by=actor,
        )
        for returning_pk, _identity, _details, key, start, mode in batch
    )
    result.imported += len(batch)
    result.returning += len(back)


# ---------------------------------------------------------------- workbooks for the user

REPORT_HEADERS = (("行号", 8), ("姓名", 12), ("公民身份号码", 22), ("列", 14), ("错误代码", 30), ("原因", 80))


def error_report(result: RosterImportResult) -> bytes:
    """行号, 姓名, masked 公民身份号码, 列, 错误代码, 原因 for every problem (and, on a second sheet, what to verify).
    Written in openpyxl's write-only mode: a report of 100 000 rows is streamed, not built in memory."""
    workbook = Workbook(write_only=True)
    for title, issues in (("错误", result.issues), ("提示", result.warnings)):
        if title == "提示" and not issues:
            continue
        ws = workbook.create_sheet(title)
        for index, (_, width) in enumerate(REPORT_HEADERS):
            ws.column_dimensions[chr(ord("A") + index)].width = width
        ws.freeze_panes = "A2"
        ws.append([_header_cell(ws, label) for label, _ in REPORT_HEADERS])
        for i in issues:
            ws.append(
                [write_value(WriteOnlyCell(ws), v) for v in (i.row, i.name, i.masked_id, i.column, i.code, i.message)]
            )
    return to_bytes(workbook)


def _header_cell(ws, label: str) -> WriteOnlyCell:
    cell = write_value(WriteOnlyCell(ws), label)
    cell.font = HEADER_FONT
    return cell


def accepted_headers_help() -> str:
    """The upload field's help; the column names are the files' own words and stay as they are."""
    return format_lazy(
        gettext_lazy(
            "Excel 工作簿（.xlsx）或 CSV 文件，不超过 {size}、{rows} 万行。"
            "必填列：{required}，以及单位名称或统一社会信用代码；可选列：{optional}。"
            "也可用常见写法，如身份证号、单位、经费来源；表头上方的标题行会自动跳过，合并单元格视为每行相同，"
            "其他列不导入。"
        ),
        size=file_size_label(MAX_FILE_BYTES),
        rows=MAX_ROWS // 10_000,
        required="、".join(c.label for c in COLUMNS if c.required),
        optional="、".join(c.label for c in COLUMNS if not c.required and c.field not in ("unit", "uscc")),
    )
