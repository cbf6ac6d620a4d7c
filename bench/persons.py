"""The real-name roster of a generated ledger: persons, their occupancies (in post, left, 转编), open approvals.

Everything is derived from each unit account's balance intervals so that the roster never holds more than the
ledger allows. An account's slots are numbered 1…B; slot ``k`` exists on the days its balance is at least ``k``,
in runs of consecutive days. Persons occupy a slot one after another inside a run (a run that ends — a 核减 or a
划转 out — ends its occupant's stay the same day), so on any day the persons in post never outnumber the balance.
Slots 1…C (C ≈ 85–95 % of today's balance) end with a person in post; the others end vacant, and an open approval
(用编核准单, APPROVED or PARTIALLY_USED as the roster's approval flow leaves it) reserves some of them, approved on a
day from which its slots are free. A few persons who left one account enter another the same day (转编 chains).

Persons are generated and written one batch of units at a time (constant memory): ``COPY`` on PostgreSQL,
``executemany`` on SQLite, inside the generator's transaction. ID numbers are unique by construction (the n-th
person born on a day of one sex gets the n-th sequence number of that day, over a list of region codes), and every
derived field comes from the roster's own functions: ``crypto.lookup_hash``/``encrypt``, ``mask_id_number``,
``persons.search_keys`` (remembered per distinct name), the check digit of ``core.ids``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
import time
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

HISTORY_RATE = 0.1  # persons who left, per slot and year the slot existed
FILL_DELAY_DAYS = 90  # mean delay before a new slot is first filled
TRANSFER_SHARE = 0.03  # of the persons who left one account, the share who went to another one (转编)
APPROVAL_SHARE = 0.5  # of the accounts with a vacancy, the share with an open approval
APPROVAL_WINDOW = 150  # open approvals were approved in the last 150 days before the last generated day
ON_LEAVE_SHARE = 0.02
UNIT_BATCH = 500
# where ID numbers are issued: each birth day and sex has 500 sequence numbers in each (see Roster.id_number)
REGIONS = (
    "610999",
    "610102",
    "610103",
    "610104",
    "610111",
    "610112",
    "610113",
    "610114",
    "610115",
    "610116",
    "610202",
    "610203",
    "610302",
    "610303",
    "610402",
    "610404",
    "610502",
    "610602",
    "610702",
    "610802",
)
ID_CAPACITY = 500 * len(REGIONS)
EDUCATION = (("BK", 55), ("DZ", 20), ("SS", 10), ("ZZ", 8), ("GZ", 5), ("BS", 2))
DEGREES = {"BS": "博士", "SS": "硕士", "BK": "学士"}
EXIT_REASONS = (("CZ", 30), ("DC", 45), ("SW", 3), ("CT", 5), ("QT", 17))
POLITICAL = (("01", 45), ("13", 40), ("03", 10), ("04", 3), ("12", 2))
POSITIONS = {
    "GWY": ("科员", ("一级科员", "四级主任科员", "二级主任科员")),
    "CG": ("科员", ("一级科员", "四级主任科员", "二级主任科员")),
    "GL": ("干事", ("管理九级", "管理八级", "管理七级")),
    "ZJ": ("专业技术人员", ("初级", "中级", "副高级")),
    "GQ": ("工勤人员", ("技术工五级", "技术工四级", "技术工三级")),
}
APPROVAL_PURPOSES = ("补充工作人员", "公开招聘事业单位工作人员", "考试录用公务员", "军转干部安置")


@dataclass
class Segment:
    """One stay in one slot of one account: [start, end) in ordinal days, ``end`` None while in post."""

    account: int
    start: int
    end: int | None
    lower: int  # the earliest day the stay could start: the run's start or the previous stay's end
    backfill: bool
    prev: Segment | None = None  # 转编: the stay this one follows, of the same person
    next: Segment | None = None
    approval: int | None = None
    pk: int = 0


@dataclass
class AccountInfo:
    pk: int
    unit: int
    quota_type: str
    funding: str
    institution_class: str
    steps: list[tuple[int, int]]  # (first ordinal day, balance) of each interval
    free: list = field(default_factory=list)  # (slot, first day free for good) of the slots that end vacant
    in_post: list = field(default_factory=list)  # the stays in post, one per occupied slot


@dataclass
class Counts:
    persons: int = 0
    in_post: int = 0
    occupancies: int = 0
    transfers: int = 0
    approvals: int = 0
    reserved: int = 0
    serials: dict = field(default_factory=dict)
    write_seconds: dict = field(default_factory=dict)


def runs(steps: Sequence[tuple[int, int]], k: int) -> list[tuple[int, int | None]]:
    """The runs of days on which the balance is at least ``k``: [start, end), ``end`` None for the last if open."""
    found, start = [], None
    for day, balance in steps:
        if balance >= k and start is None:
            start = day
        elif balance < k and start is not None:
            found.append((start, day))
            start = None
    if start is not None:
        found.append((start, None))
    return found


def poisson(rng: random.Random, mean: float) -> int:
    limit, n, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        n += 1
        product *= rng.random()
    return n


class Roster:
    """Generates the roster one batch of unit accounts at a time; ``write`` receives the rows of each table."""

    def __init__(self, rng: random.Random, *, first_day: dt.date, last_day: dt.date, county_doc: dict, writer):
        from bianzhi.core.ids import id_check_digit, mask_id_number
        from bianzhi.demo.names import (
            COLLEGES,
            ETHNICITIES,
            NATIVE_PLACES,
            SECONDARY_SCHOOLS,
            UNIVERSITIES,
            person_name,
        )
        from bianzhi.roster import crypto
        from bianzhi.roster.persons import search_keys
        from bianzhi.roster.slots import SERIAL_PREFIX

        self.rng = rng
        self.first = first_day.toordinal()
        self.horizon = last_day.toordinal()  # nobody enters or leaves after the last generated day
        self.county_doc = county_doc
        self.writer = writer
        self.counts = Counts()
        self.keys: dict[str, tuple[str, str]] = {}
        self.born: dict[int, int] = {}  # (birth ordinal * 2 + sex) -> persons numbered so far
        self.next_pk = {"person": 0, "occupancy": 0, "approval": 0}
        self._check_digit, self._mask, self._name = id_check_digit, mask_id_number, person_name
        self._hash, self._encrypt, self._search_keys = crypto.lookup_hash, crypto.encrypt, search_keys
        self._prefix = SERIAL_PREFIX
        self.tables = {
            name: (tuple(v for v, _w in table), tuple(itertools.accumulate(w for _v, w in table)))
            for name, table in (
                ("ethnicity", ETHNICITIES),
                ("place", NATIVE_PLACES),
                ("education", EDUCATION),
                ("political", POLITICAL),
                ("exit", EXIT_REASONS),
                ("institution", (("ZJ", 85), ("GL", 10), ("GQ", 5))),
            )
        }
        self._schools = {"BS": UNIVERSITIES, "SS": UNIVERSITIES, "BK": UNIVERSITIES, "DZ": COLLEGES}
        self._schools.update({"ZZ": SECONDARY_SCHOOLS, "GZ": ("锦绣县中学",)})

    # -------------------------------------------------------------- numbers
    def pick(self, table: str) -> str:
        values, cumulative = self.tables[table]
        return self.rng.choices(values, cum_weights=cumulative)[0]

    def _pk(self, table: str) -> int:
        self.next_pk[table] += 1
        return self.next_pk[table]

    def serial(self, kind: str, day: int) -> str:
        year = dt.date.fromordinal(day).year
        last = self.counts.serials.get((kind, year), 0) + 1
        self.counts.serials[(kind, year)] = last
        return f"{self._prefix[kind]}〔{year}〕{last:04d}号"

    def doc(self, day: int) -> int:
        return self.county_doc[day - self.first]

    def id_number(self, birth: dt.date, male: bool) -> str:
        """The n-th person of one birth day and sex gets the n-th of that day's (region, sequence) pairs, in an
        order scrambled by the day: numbers unique by construction, with last digits as varied as real ones."""
        key = birth.toordinal() * 2 + male
        n = self.born.get(key, 0)
        self.born[key] = n + 1
        assert n < ID_CAPACITY, "too many persons born on one day"
        scrambled = (n * 7919 + key * 104_729) % ID_CAPACITY  # 7919 is prime to the capacity: a permutation
        region, sequence = REGIONS[scrambled // 500], scrambled % 500
        first17 = f"{region}{birth:%Y%m%d}{sequence * 2 + male:03d}"
        return first17 + self._check_digit(first17)

    # -------------------------------------------------------------- one account's stays
    def stays(self, account: AccountInfo) -> list[Segment]:
        """Every stay in the account's slots: slots 1…C end with a person in post, the others end vacant (their
        first free day is kept in ``account.free`` for the approvals)."""
        rng, horizon = self.rng, self.horizon
        final = account.steps[-1][1] if account.steps else 0
        in_post = min(final, round(final * rng.uniform(0.85, 0.95)))
        stays: list[Segment] = []
        for k in range(1, max((b for _d, b in account.steps), default=0) + 1):
            for start, end in runs(account.steps, k):
                stop = horizon + 1 if end is None else end
                occupied = end is None and k <= in_post
                first = start + min(int(rng.expovariate(1 / FILL_DELAY_DAYS)), stop - start - 1)
                left = poisson(rng, HISTORY_RATE * (stop - start) / 365.25)
                left = max(0, min(left, (stop - first - occupied) // 2))
                needed = 2 * left + occupied
                days = sorted([first, *rng.sample(range(first + 1, stop), needed - 1)]) if needed else []
                previous, lower = None, start
                for i in range(left):
                    stay = Segment(account.pk, days[2 * i], days[2 * i + 1], lower, previous is not None)
                    stays.append(stay)
                    previous, lower = stay, stay.end
                if occupied:
                    stay = Segment(account.pk, days[-1], None, lower, previous is not None)
                    stays.append(stay)
                    account.in_post.append(stay)
                elif end is None and k <= final:
                    account.free.append((k, lower))
        return stays

    def transfers(self, stays: list[Segment]) -> None:
        """转编: some who left one account entered another the same day (``prev``/``next`` link their stays)."""
        rng = self.rng
        ended = [s for s in stays if s.end is not None]
        if len(stays) < 2:
            return
        for leaving in rng.sample(ended, int(len(ended) * TRANSFER_SHARE)):
            if leaving.next is not None:
                continue
            day = leaving.end
            for _try in range(20):
                entering = stays[rng.randrange(len(stays))]
                if (
                    entering.account != leaving.account
                    and entering.prev is None
                    and entering.lower <= day < (entering.end if entering.end is not None else self.horizon + 1)
                ):
                    entering.start, entering.backfill = day, False
                    entering.prev, leaving.next = leaving, entering
                    self.counts.transfers += 1
                    break

    def approvals(self, account: AccountInfo) -> list[tuple]:
        """An open approval reserving part of the account's vacancy, sometimes partly used already."""
        rng, horizon = self.rng, self.horizon
        if not account.free or rng.random() >= APPROVAL_SHARE:
            return []
        reserve = rng.randint(1, max(1, len(account.free) - 1))
        free_from = max(day for _k, day in account.free[:reserve])
        approved_on = rng.randint(max(free_from, horizon - APPROVAL_WINDOW), horizon)
        # persons already entered on it: in post, entered since, into a slot free on the day it was approved
        used = [s for s in account.in_post if s.prev is None and s.lower <= approved_on <= s.start][:2]
        pk = self._pk("approval")
        for stay in used:
            stay.approval = pk
        count = len(used) + reserve
        self.counts.approvals += 1
        self.counts.reserved += reserve
        day = dt.date.fromordinal(approved_on)
        decided = self.writer.timestamp(day)
        mode = "GZ" if account.quota_type == "SY" else "KL"
        return [
            (
                pk,
                self.serial("approval", approved_on),
                account.unit,
                account.pk,
                count,
                len(used),
                mode,
                rng.choice(APPROVAL_PURPOSES),
                "PARTIALLY_USED" if used else "APPROVED",
                day.isoformat(),
                (day + dt.timedelta(days=180)).isoformat(),
                None,
                "",
                None,
                decided,
                decided,
                None,
                decided,
            )
        ]

    # -------------------------------------------------------------- persons and their occupancies
    def identity(self, account: AccountInfo) -> str:
        if account.quota_type in ("XZ", "ZFZX"):
            return "GWY"
        if account.quota_type == "GQ":
            return "GQ"
        if account.institution_class == "XZZN":
            return "CG"
        return self.pick("institution")

    def person(self, chain: list[Segment], accounts: dict[int, AccountInfo]) -> tuple[tuple, list[tuple]]:
        rng, first, last = self.rng, chain[0], chain[-1]
        account = accounts[last.account]
        male = rng.random() < 0.55
        entry_age = rng.triangular(21, 45, 25)
        birth = dt.date.fromordinal(first.start - int(entry_age * 365.25) - rng.randrange(1, 365))
        number = self.id_number(birth, male)
        name = self._name(rng, male=male)
        keys = self.keys.get(name)
        if keys is None:
            keys = self.keys[name] = self._search_keys(name)
        education = self.pick("education")
        identity = self.identity(account)
        position, ranks = POSITIONS[identity]
        in_post = last.end is None
        age_now = (min(last.end or self.horizon, self.horizon) - birth.toordinal()) / 365.25
        started = dt.date.fromordinal(first.start)
        work_start = min(started, dt.date(birth.year + 22, 7, 1))
        pk = self._pk("person")
        created = self.writer.timestamp(started)
        person = (
            pk,
            name,
            keys[0],
            keys[1],
            self._hash(number),
            self._encrypt(number),
            self._mask(number),
            "1" if male else "2",
            birth.isoformat(),
            self.pick("ethnicity"),
            self.pick("place"),
            self.pick("political"),
            work_start.isoformat(),
            education,
            DEGREES.get(education, ""),
            rng.choice(self._schools[education]),
            "",
            account.unit,
            "",
            identity,
            position,
            ranks[0 if age_now < 30 else 1 if age_now < 45 else 2],
            dt.date.fromordinal(last.start).isoformat(),
            "IN_QUOTA" if in_post else "OUT",
            in_post and rng.random() < ON_LEAVE_SHARE,
            self._encrypt(f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"),
            "",
            created,
            self.writer.timestamp(dt.date.fromordinal(min(last.end or last.start, self.horizon))),
        )
        occupancies = []
        for stay in chain:
            stay.pk = self._pk("occupancy")
        for stay in chain:
            moved = stay.prev is not None
            end = stay.end
            leaves = end is not None and stay.next is None
            age_out = (end - birth.toordinal()) / 365.25 if end is not None else 0
            mode = "DR" if moved else ("KL" if identity in ("GWY", "CG") else "GZ")
            if not moved and rng.random() < 0.05:
                mode = rng.choice(("JZ", "TY", "YJ", "XD"))
            occupancies.append(
                (
                    stay.pk,
                    pk,
                    stay.account,
                    None,
                    stay.approval,
                    dt.date.fromordinal(stay.start).isoformat(),
                    dt.date.fromordinal(end).isoformat() if end is not None else None,
                    mode,
                    "BACKFILL" if stay.backfill else "NEW",
                    self.doc(stay.start),
                    self.serial("entry", stay.start),
                    "",
                    stay.prev.pk if moved else None,
                    ("TX" if age_out >= 55 else self.pick("exit")) if leaves else "",
                    self.doc(end) if leaves else None,
                    self.serial("exit", end) if leaves else "",
                    None,
                    self.writer.timestamp(dt.date.fromordinal(stay.start)),
                )
            )
        self.counts.persons += 1
        self.counts.in_post += in_post
        self.counts.occupancies += len(chain)
        return person, occupancies

    def batch(self, accounts: list[AccountInfo]) -> None:
        by_pk = {a.pk: a for a in accounts}
        stays = [stay for account in accounts for stay in self.stays(account)]
        self.transfers(stays)
        approvals = [row for account in accounts for row in self.approvals(account)]
        persons, occupancies = [], []
        for stay in stays:
            if stay.prev is not None:
                continue
            chain = [stay]
            while chain[-1].next is not None:
                chain.append(chain[-1].next)
            person, rows = self.person(chain, by_pk)
            persons.append(person)
            occupancies += rows
        self.writer.write("person", persons)
        self.writer.write("approval", approvals)
        self.writer.write("occupancy", occupancies)

    def run(self, accounts: Iterable[AccountInfo]) -> Counts:
        batch: list[AccountInfo] = []
        unit = None
        for account in accounts:
            if len(batch) >= UNIT_BATCH and account.unit != unit:
                self.batch(batch)
                batch = []
            batch.append(account)
            unit = account.unit
        if batch:
            self.batch(batch)
        self.writer.write(
            "serial",
            [(i, kind, year, last) for i, ((kind, year), last) in enumerate(sorted(self.counts.serials.items()), 1)],
        )
        return self.counts


# ---------------------------------------------------------------- writing: COPY on PostgreSQL, executemany on SQLite

COLUMNS = {
    "person": (
        "id name name_pinyin name_initials id_hash id_cipher id_masked gender birth_date ethnicity native_place"
        " political_status work_start_date education degree school major unit_id internal_body identity position"
        " rank_title post_since status on_leave phone_cipher remarks created_at updated_at"
    ),
    "occupancy": (
        "id person_id account_id loan_id approval_id start_date end_date entry_mode hire_kind entry_document_id"
        " entry_serial override_reason transferred_from_id exit_reason exit_document_id exit_serial created_by_id"
        " created_at"
    ),
    "approval": (
        "id serial unit_id account_id count used entry_mode purpose status approved_on valid_until closed_on"
        " review_comment created_by_id created_at submitted_at decided_by_id decided_at"
    ),
    "serial": "id kind year last",
}


class Writer:
    """Rows into the current Django connection's tables, in its open transaction."""

    def __init__(self):
        from django.db import connection

        from bianzhi.roster.models import Approval, Occupancy, Person, SerialCounter

        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.models = {"person": Person, "occupancy": Occupancy, "approval": Approval, "serial": SerialCounter}
        for name, model in self.models.items():
            columns = COLUMNS[name].split()
            assert sorted(columns) == sorted(f.column for f in model._meta.concrete_fields), f"{name}: columns"
        self.seconds: dict[str, float] = {}  # spent writing, per table

    def timestamp(self, day: dt.date) -> str:
        return f"{day.isoformat()} 09:00:00" + ("+08" if self.postgres else "")

    def write(self, name: str, rows: list[tuple]) -> None:
        if not rows:
            return
        started = time.perf_counter()
        table, columns = self.models[name]._meta.db_table, COLUMNS[name].split()
        self.connection.ensure_connection()
        raw = self.connection.connection
        if self.postgres:
            with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(columns))
            raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
        self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started

    @contextmanager
    def without_indexes(self):
        """On PostgreSQL, the roster tables' plain indexes are dropped for the load and built again after it: one
        sort per index instead of millions of insertions into it (the indexes of constraints stay)."""
        if not self.postgres:
            yield
            return
        tables = [model._meta.db_table for model in self.models.values()]
        with self.connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT i.indexname, i.indexdef FROM pg_indexes i
                WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexname::regclass)
                """,
                [tables],
            )
            indexes = cursor.fetchall()
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        yield
        started = time.perf_counter()
        with self.connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred foreign key checks, now
            self.seconds["foreign_keys"] = time.perf_counter() - started
            started = time.perf_counter()
            for _name, definition in indexes:
                cursor.execute(definition)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        self.seconds["indexes"] = time.perf_counter() - started


def reset_sequences(models) -> None:
    """After rows written with their own primary keys, PostgreSQL's sequences start after them."""
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
