"""Generated ledgers for the benchmarks, bulk-inserted into a database of their own.

A county, city or province is a unit tree, one quota account per (unit, type, funding form) the unit kind allows,
the county pool and authority accounts per type, movements dated 2015–2026 (authority → pool, pool → unit 核增,
unit → unit 划转, unit → pool 核减) simulated in date order so that no non-authority account ever goes negative,
and the balance intervals obtained by replaying those movements with ``bianzhi.quotas.ledger.replay_intervals``.
Going through the services would take hours at province scale, so every table is filled with ``bulk_create``.

Each database is ``var/bench/<name>.sqlite3`` (or the schema ``bench_<name>`` of ``BENCH_DATABASE_URL`` when set,
for PostgreSQL) and carries a ``bench_meta`` table with the parameters it was built from; it is reused while they
match. ``python -m bench.data --scale city --movements 16`` builds (or finds) one and prints its description.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import quote

from bench.harness import peak_rss_mb

GENERATOR_VERSION = 3  # 3: persons, occupancies and approvals
SCALES = {"county": 300, "city": 3_000, "province": 60_000}
DEFAULT_MOVEMENTS = 8  # movements per unit account, all movements of the ledger counted
FIRST_DAY = dt.date(2015, 1, 1)
LAST_DAY = dt.date(2026, 10, 31)
OPENING_DAYS = 180  # every unit account receives its first slots in the first half of 2015
REGION_CODE = "610999"
BENCH_DIR = Path("var/bench")
NUMBERED = re.compile(r"^(\D*)(\d*)(.*)$")
MOVEMENT_BATCH = 20_000
INTERVAL_BATCH = 50_000
CHECK_UP_TO_UNITS = 3_000  # run the integrity checks after generating county and city (province: --check)

DEPARTMENT_NAMES = (
    # name, system category, 政法机关
    ("县委办公室", "DANGWEI", False),
    ("县委组织部", "DANGWEI", False),
    ("县委宣传部", "DANGWEI", False),
    ("县委政法委员会", "DANGWEI", False),
    ("县人大常委会办公室", "RENDA", False),
    ("县人民政府办公室", "ZHENGFU", False),
    ("发展和改革局", "ZHENGFU", False),
    ("教育局", "ZHENGFU", False),
    ("公安局", "ZHENGFU", True),
    ("民政局", "ZHENGFU", False),
    ("司法局", "ZHENGFU", True),
    ("财政局", "ZHENGFU", False),
    ("人力资源和社会保障局", "ZHENGFU", False),
    ("自然资源局", "ZHENGFU", False),
    ("住房和城乡建设局", "ZHENGFU", False),
    ("交通运输局", "ZHENGFU", False),
    ("水利局", "ZHENGFU", False),
    ("农业农村局", "ZHENGFU", False),
    ("卫生健康局", "ZHENGFU", False),
    ("市场监督管理局", "ZHENGFU", False),
    ("县政协办公室", "ZHENGXIE", False),
    ("人民法院", "FAYUAN", True),
    ("人民检察院", "JIANCHAYUAN", True),
)
INSTITUTION_NAMES = ("小学", "中学", "卫生院", "农业综合服务站", "自然资源所", "规划建设服务站", "事务中心")
# institution class, weight, funding forms of its accounts
INSTITUTION_CLASSES = (("GY1", 60, ("QE",)), ("GY2", 25, ("CE", "QE")), ("XZZN", 10, ("QE",)), ("SCJY", 5, ("ZS",)))


@dataclass(frozen=True)
class BenchSpec:
    """What a generated database is built from; a cached database is reused only when all of it matches."""

    scale: str
    movements_per_account: int = DEFAULT_MOVEMENTS
    seed: int = 2026
    version: int = GENERATOR_VERSION

    @property
    def units(self) -> int:
        return SCALES[self.scale]

    @property
    def name(self) -> str:
        if self.movements_per_account == DEFAULT_MOVEMENTS:
            return self.scale
        return f"{self.scale}-m{self.movements_per_account}"

    def as_dict(self) -> dict:
        return {**asdict(self), "units": self.units}


# ---------------------------------------------------------------- where a generated database lives


def sqlite_path(spec: BenchSpec) -> Path:
    return (BENCH_DIR / f"{spec.name}.sqlite3").resolve()


def schema_name(spec: BenchSpec) -> str:
    return "bench_" + spec.name.replace("-", "_")


def database_url(spec: BenchSpec, *, building: bool = False) -> str:
    """SQLite under var/bench/ (a temporary file while building), or a schema of ``BENCH_DATABASE_URL``."""
    base = os.environ.get("BENCH_DATABASE_URL")
    if base:
        joiner = "&" if "?" in base else "?"
        return f"{base}{joiner}options={quote(f'-c search_path={schema_name(spec)}')}"
    path = sqlite_path(spec)
    if building:
        path = path.with_name(path.name + ".building")
    return f"sqlite:///{path}"


def _sqlite_meta(path: Path) -> dict | None:
    if not path.exists():
        return None
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)) as db:
            row = db.execute("SELECT value FROM bench_meta WHERE key = 'meta'").fetchone()
    except sqlite3.Error:
        return None
    return json.loads(row[0]) if row else None


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# ---------------------------------------------------------------- the generator (runs inside django.setup())


class _Generator:
    def __init__(self, spec: BenchSpec):
        self.spec = spec
        self.rng = random.Random(spec.seed)
        self.keys: dict[str, tuple[str, str]] = {}
        self.days = [FIRST_DAY + dt.timedelta(days=i) for i in range((LAST_DAY - FIRST_DAY).days + 1)]

    # -------------------------------------------------------------- documents: one per day, one per year from above
    def documents(self) -> None:
        from bianzhi.orgs.documents import document_search_text
        from bianzhi.orgs.models import Document

        docs, self.county_doc, self.upper_doc = [], {}, {}
        serial: dict[int, int] = {}
        for index, day in enumerate(self.days):
            serial[day.year] = serial.get(day.year, 0) + 1
            pk = len(docs) + 1
            docs.append(
                Document(
                    pk=pk,
                    number=f"锦编发〔{day.year}〕{serial[day.year]}号",
                    title="关于调整机构编制的通知",
                    issued_on=day,
                    issuer="中共锦绣县委机构编制委员会",
                )
            )
            self.county_doc[index] = pk
            if day.month == 1 and day.day == 1:
                docs.append(
                    Document(
                        pk=pk + 1,
                        number=f"锦市编发〔{day.year}〕1号",
                        title="关于下达机构编制总额的通知",
                        issued_on=day,
                        issuer="锦州市委机构编制委员会",
                    )
                )
                self.upper_doc[day.year] = pk + 1
        for document in docs:
            document.search_text = document_search_text(document)
        Document.objects.bulk_create(docs, batch_size=2_000)

    # -------------------------------------------------------------- the unit tree
    def search_keys(self, name: str, compute) -> tuple[str, str]:
        """The service's pinyin keys, computed once per text around the number (the number reads as itself)."""
        head, number, tail = NUMBERED.match(name).groups()
        parts = [self.keys.setdefault(part, compute(part)) if part else ("", "") for part in (head, tail)]
        return parts[0][0] + number + parts[1][0], parts[0][1] + number + parts[1][1]

    def units(self) -> list[tuple[int, str, str, bool, str]]:
        """Units with consistent tree paths and one open version each; returns (pk, kind, class, 政法, nature)."""
        from bianzhi.orgs.models import Unit, UnitVersion
        from bianzhi.orgs.services import search_keys

        rng, total = self.rng, self.spec.units
        n_dept = max(4, total * 8 // 100)
        n_town = max(2, total * 3 // 100)
        n_xiashe = total * 3 // 100
        n_neishe = total * 15 // 100
        plan = (
            ["DEPT"] * n_dept
            + ["TOWN"] * n_town
            + ["XIASHE"] * n_xiashe
            + ["NEISHE"] * n_neishe
            + ["SHIYE"] * (total - n_dept - n_town - n_xiashe - n_neishe)
        )
        paths: dict[int, str] = {}
        depts: list[int] = []
        towns: list[int] = []
        institutions: list[int] = []
        units, versions, described = [], [], []
        classes = [c for c, _w, _f in INSTITUTION_CLASSES]
        weights = [w for _c, w, _f in INSTITUTION_CLASSES]
        for pk, role in enumerate(plan, start=1):
            parent = None
            category, kind, nature, rank, cls, zhengfa = "ZHENGFU", "SHIYE", "SHIYE", "GUJI", "", False
            if role == "DEPT":
                base, category, zhengfa = DEPARTMENT_NAMES[(pk - 1) % len(DEPARTMENT_NAMES)]
                round_ = (pk - 1) // len(DEPARTMENT_NAMES)
                name = f"锦绣县{base}" + (f"（{round_ + 1}）" if round_ else "")
                kind, nature, rank = "JIGUAN", "XINGZHENG", "ZHENGKE"
                depts.append(pk)
            elif role == "TOWN":
                name = f"锦绣县第{len(towns) + 1}镇人民政府"
                category, kind, nature, rank = "XIANGZHEN", "JIGUAN", "XINGZHENG", "ZHENGKE"
                towns.append(pk)
            elif role == "XIASHE":
                parent = rng.choice(depts)
                name = f"锦绣县{pk}号下设机构"
                kind, nature, rank = "XIASHE", "XINGZHENG", "FUKE"
            elif role == "NEISHE":
                parent = (
                    rng.choice(depts) if rng.random() < len(depts) / (len(depts) + len(towns)) else rng.choice(towns)
                )
                name = f"锦绣县{pk}号内设机构"
                kind, nature = "NEISHE", "XINGZHENG"
            else:
                draw = rng.random()
                if draw < 0.7 or not institutions:
                    parent = rng.choice(depts)
                elif draw < 0.9:
                    parent = rng.choice(towns)
                else:  # an institution run by another institution: the tree gets deeper
                    parent = rng.choice(institutions)
                name = f"锦绣县第{pk}{INSTITUTION_NAMES[pk % len(INSTITUTION_NAMES)]}"
                cls = rng.choices(classes, weights)[0]
                institutions.append(pk)
            path = f"{paths[parent]}{pk}/" if parent else f"/{pk}/"
            paths[pk] = path
            pinyin, initials = self.search_keys(name, search_keys)
            values = {
                "name": name,
                "system_category": category,
                "kind": kind,
                "nature": nature,
                "rank": rank,
                "parent_id": parent,
                "sponsor_id": parent if kind == "SHIYE" else None,
                "institution_class": cls,
                "is_zhengfa": zhengfa,
            }
            units.append(
                Unit(
                    pk=pk,
                    code=f"{REGION_CODE}{pk:07d}",
                    established_on=FIRST_DAY,
                    tree_path=path,
                    depth=path.count("/") - 2,
                    name_pinyin=pinyin,
                    name_initials=initials,
                    **values,
                )
            )
            versions.append(
                UnitVersion(
                    unit_id=pk, valid_from=FIRST_DAY, change="CREATED", document_id=self.county_doc[0], **values
                )
            )
            described.append((pk, kind, cls, zhengfa, nature))
        Unit.objects.bulk_create(units, batch_size=2_000)
        UnitVersion.objects.bulk_create(versions, batch_size=2_000)
        return described

    # -------------------------------------------------------------- accounts
    def accounts(self, units) -> None:
        from bianzhi.quotas.models import QuotaAccount

        funding_of = {c: f for c, _w, f in INSTITUTION_CLASSES}
        rows: list[QuotaAccount] = []
        self.pool, self.authority = {}, {}
        for code in ("XZ", "ZFZX", "SY", "GQ"):
            for kind, holder in (("AUTHORITY", self.authority), ("POOL", self.pool)):
                holder[code] = len(rows) + 1
                rows.append(QuotaAccount(pk=len(rows) + 1, kind=kind, quota_type_id=code, funding_form=""))
        self.unit_accounts: list[tuple[int, str]] = []  # (account pk, type)
        self.account_info: dict[int, tuple[int, str, str, str]] = {}  # pk -> (unit, type, funding, class)
        for pk, kind, cls, zhengfa, nature in units:
            if kind in ("JIGUAN", "XIASHE"):
                wanted = [("ZFZX" if zhengfa else "XZ", "QE")]
                if kind == "JIGUAN" and nature != "QUNTUAN":
                    wanted.append(("GQ", "QE"))
            elif kind == "SHIYE":
                forms = funding_of[cls]
                wanted = [("SY", forms[0])]
                if len(forms) > 1 and self.rng.random() < 0.3:
                    wanted.append(("SY", forms[1]))
            else:
                wanted = []
            for code, funding in wanted:
                account_pk = len(rows) + 1
                rows.append(
                    QuotaAccount(pk=account_pk, kind="UNIT", unit_id=pk, quota_type_id=code, funding_form=funding)
                )
                self.unit_accounts.append((account_pk, code))
                self.account_info[account_pk] = (pk, code, funding, cls)
        QuotaAccount.objects.bulk_create(rows, batch_size=2_000)
        self.account_count = len(rows)

    # -------------------------------------------------------------- movements, simulated in date order
    def movements(self) -> int:
        from bianzhi.quotas.models import Movement

        rng, spec = self.rng, self.spec
        balance = [0] * (self.account_count + 1)
        self.deltas: list[dict[int, int]] = [{} for _ in range(self.account_count + 1)]
        by_type: dict[str, list[int]] = {}
        for account, code in self.unit_accounts:
            by_type.setdefault(code, []).append(account)
        type_of = dict(self.unit_accounts)
        batch: list[Movement] = []
        written = 0

        def flush() -> None:
            nonlocal batch, written
            Movement.objects.bulk_create(batch, batch_size=MOVEMENT_BATCH)
            written += len(batch)
            batch = []

        def move(kind: str, source: int, target: int, amount: int, day: int, upper: bool = False) -> None:
            balance[source] -= amount
            balance[target] += amount
            for account, delta in ((source, -amount), (target, amount)):
                deltas = self.deltas[account]
                deltas[day] = deltas.get(day, 0) + delta
            batch.append(
                Movement(
                    kind=kind,
                    from_account_id=source,
                    to_account_id=target,
                    amount=amount,
                    effective_date=self.days[day],
                    document_id=self.upper_doc[self.days[day].year] if upper else self.county_doc[day],
                )
            )
            if len(batch) >= MOVEMENT_BATCH:
                flush()

        # opening: the upper level sets the totals, every unit account gets its first slots in 2015
        opening = {account: rng.randint(5, 40) for account, _code in self.unit_accounts}
        for code, accounts in by_type.items():
            total = sum(opening[a] for a in accounts)
            move("HEZENG", self.authority[code], self.pool[code], total + total // 10 + 10, 0, upper=True)
        opening_days = sorted(rng.randrange(1, OPENING_DAYS) for _ in self.unit_accounts)
        for (account, code), day in zip(self.unit_accounts, opening_days, strict=True):
            move("HEZENG", self.pool[code], account, opening[account], day)
        # the years after: yearly grants from above, and random 核增 / 划转 / 核减 on random days
        yearly = {i: day.year for i, day in enumerate(self.days) if day.month == 1 and day.day == 1 and i}
        budget = (
            len(self.unit_accounts) * spec.movements_per_account - written - len(batch) - len(yearly) * len(by_type)
        )
        event_days = sorted(rng.randrange(OPENING_DAYS, len(self.days)) for _ in range(max(0, budget)))
        accounts = [a for a, _c in self.unit_accounts]
        next_grant = sorted(yearly)
        for day in event_days:
            while next_grant and next_grant[0] <= day:
                grant_day = next_grant.pop(0)
                for code, members in by_type.items():
                    move("HEZENG", self.authority[code], self.pool[code], max(1, len(members) // 2), grant_day, True)
            source = rng.choice(accounts)
            code = type_of[source]
            draw = rng.random()
            if draw < 0.3 and balance[source] > 0 and len(by_type[code]) > 1:
                target = source
                while target == source:
                    target = rng.choice(by_type[code])
                move("HUAZHUAN", source, target, rng.randint(1, min(3, balance[source])), day)
            elif draw < 0.6 and balance[source] > 0:
                move("HEJIAN", source, self.pool[code], rng.randint(1, min(2, balance[source])), day)
            else:  # 核增 into the drawn account, from the pool while it has slots, else straight from above
                amount = rng.randint(1, 3)
                if balance[self.pool[code]] >= amount:
                    move("HEZENG", self.pool[code], source, amount, day)
                else:
                    move("HEZENG", self.authority[code], source, amount, day, True)
        for grant_day in next_grant:
            for code, members in by_type.items():
                move("HEZENG", self.authority[code], self.pool[code], max(1, len(members) // 2), grant_day, True)
        flush()
        self.final_balance = balance
        return written

    # -------------------------------------------------------------- balance intervals, by replaying the movements
    def intervals(self) -> int:
        from bianzhi.quotas.ledger import replay_intervals
        from bianzhi.quotas.models import QuotaBalance

        batch: list[QuotaBalance] = []
        written = 0
        self.steps: dict[int, list[tuple[int, int]]] = {}  # unit account -> (ordinal day, balance), for the roster
        for account, deltas in enumerate(self.deltas):
            if not deltas:
                continue
            steps = replay_intervals((self.days[day], delta) for day, delta in deltas.items())
            assert steps[-1][1] == self.final_balance[account], f"replay disagrees with the simulation: #{account}"
            if account in self.account_info:
                self.steps[account] = [(day.toordinal(), amount) for day, amount in steps]
            for (start, amount), following in zip(steps, [*steps[1:], None], strict=True):
                valid_to = following[0] if following else None
                batch.append(QuotaBalance(account_id=account, valid_from=start, valid_to=valid_to, balance=amount))
            if len(batch) >= INTERVAL_BATCH:
                QuotaBalance.objects.bulk_create(batch, batch_size=INTERVAL_BATCH)
                written += len(batch)
                batch = []
        QuotaBalance.objects.bulk_create(batch, batch_size=INTERVAL_BATCH)
        self.deltas = []
        return written + len(batch)

    # -------------------------------------------------------------- the roster, from the balance intervals
    def roster(self):
        from bench.persons import AccountInfo, Roster, Writer
        from bianzhi.roster.usage import use_refresh

        writer = Writer()
        roster = Roster(
            random.Random(f"{self.spec.seed}/roster"),
            first_day=FIRST_DAY,
            last_day=LAST_DAY,
            county_doc=self.county_doc,
            writer=writer,
        )
        accounts = (AccountInfo(pk, *self.account_info[pk], self.steps.get(pk, [])) for pk, _code in self.unit_accounts)
        with writer.without_indexes():
            counts = roster.run(accounts)
        started = time.perf_counter()
        use_refresh(None)  # the slot-use intervals, derived from the rows just written (one set-based pass)
        writer.seconds["slot_use"] = time.perf_counter() - started
        self.steps = {}
        counts.write_seconds = {name: round(seconds, 1) for name, seconds in writer.seconds.items()}
        return counts


def reset_sequences() -> None:
    """Rows were written with their own primary keys: PostgreSQL's sequences must start after them."""
    from bench.persons import reset_sequences as reset
    from bianzhi.orgs.models import Document, Unit
    from bianzhi.quotas.models import QuotaAccount
    from bianzhi.roster.models import Approval, Occupancy, Person, SerialCounter

    reset([Document, Unit, QuotaAccount, Person, Occupancy, Approval, SerialCounter])


def _write_meta(meta: dict) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_meta (key VARCHAR(32) PRIMARY KEY, value TEXT NOT NULL)")
        cursor.execute("INSERT INTO bench_meta (key, value) VALUES (%s, %s)", ["meta", json.dumps(meta)])


def _read_meta() -> dict | None:
    from django.db import connection

    if "bench_meta" not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM bench_meta WHERE key = %s", ["meta"])
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


def integrity_drifts() -> list:
    from bianzhi.core.integrity import run_all

    return [drift for drifts in run_all().values() for drift in drifts]


def generate(spec: BenchSpec, *, check: bool) -> dict:
    """Fills the (freshly migrated) current database; returns its description for ``bench_meta``."""
    from django.db import connection, transaction

    started = time.perf_counter()
    generator = _Generator(spec)
    stages: dict[str, float] = {}

    def stage(name: str, func, *args):
        begun = time.perf_counter()
        value = func(*args)
        stages[name] = round(time.perf_counter() - begun, 1)
        return value

    with transaction.atomic():
        stage("documents", generator.documents)
        units = stage("units", generator.units)
        stage("accounts", generator.accounts, units)
        movements = stage("movements", generator.movements)
        intervals = stage("intervals", generator.intervals)
        roster = stage("roster", generator.roster)
        reset_sequences()
    generated = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum does soon after a bulk load
    checked = "skipped"
    if check:
        drifts = integrity_drifts()
        assert not drifts, f"generated ledger drifts: {drifts[:5]}"
        checked = "no drift"
    return {
        "spec": spec.as_dict(),
        "vendor": connection.vendor,
        "units": len(units),
        "unit_accounts": len(generator.unit_accounts),
        "movements": movements,
        "intervals": intervals,
        "persons": roster.persons,
        "in_post": roster.in_post,
        "occupancies": roster.occupancies,
        "transfers": roster.transfers,
        "open_approvals": roster.approvals,
        "reserved": roster.reserved,
        "roster_write_seconds": roster.write_seconds,
        "generate_seconds": round(generated, 1),
        "stages": stages,
        "total_seconds": None,
        "peak_rss_mb": None,
        "integrity": checked,
    }


def _build(spec: BenchSpec, *, check: bool) -> dict:
    """In a fresh process: point Django at the target database, migrate, generate, describe."""
    import django
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    os.environ["DATABASE_URL"] = database_url(spec, building=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bianzhi.settings")
    if not os.environ.get("BENCH_DATABASE_URL"):
        _remove_sqlite(sqlite_path(spec).with_name(sqlite_path(spec).name + ".building"))
    django.setup()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema_name(spec)} CASCADE")
            cursor.execute(f"CREATE SCHEMA {schema_name(spec)}")
    call_command("migrate", verbosity=0, interactive=False)
    meta = generate(spec, check=check)
    meta["total_seconds"] = round(time.perf_counter() - started, 1)
    meta["peak_rss_mb"] = peak_rss_mb()
    _write_meta(meta)
    connection.close()
    if connection.vendor == "sqlite":
        final = sqlite_path(spec)
        _remove_sqlite(final)
        os.replace(final.with_name(final.name + ".building"), final)
    return meta


def _cached(spec: BenchSpec) -> dict | None:
    if not os.environ.get("BENCH_DATABASE_URL"):
        meta = _sqlite_meta(sqlite_path(spec))
    else:
        import django

        os.environ["DATABASE_URL"] = database_url(spec)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bianzhi.settings")
        django.setup()
        meta = _read_meta()
    return meta if meta and meta.get("spec") == spec.as_dict() else None


def _migrate_reused(spec: BenchSpec) -> None:
    """A reused database gets the migrations written since it was built (tables derived from the roster fill
    themselves), so every run measures the schema of the code it runs."""
    import django
    from django.core.management import call_command

    os.environ["DATABASE_URL"] = database_url(spec)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bianzhi.settings")
    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def ensure(spec: BenchSpec, *, check: bool | None = None, force: bool = False) -> dict:
    """The description of the database for ``spec``, generating it (in a child process) unless it is cached."""
    command = [
        sys.executable,
        "-m",
        "bench.data",
        "--scale",
        spec.scale,
        "--movements",
        str(spec.movements_per_account),
    ]
    command += ["--seed", str(spec.seed)]
    if force:
        command.append("--force")
    if check is not None:
        command.append("--check" if check else "--no-check")
    out = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.data", description="生成基准测试用的编制台账数据库")
    parser.add_argument("--scale", choices=SCALES, default="county")
    parser.add_argument("--movements", type=int, default=DEFAULT_MOVEMENTS, help="每个单位账户的变动笔数")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--force", action="store_true", help="即使已有相同参数的数据库也重新生成")
    parser.add_argument("--check", action=argparse.BooleanOptionalAction, default=None, help="生成后运行完整性检查")
    args = parser.parse_args()
    spec = BenchSpec(args.scale, args.movements, args.seed)
    check = args.check if args.check is not None else spec.units <= CHECK_UP_TO_UNITS
    meta = None if args.force else _cached(spec)
    if meta is not None:
        _migrate_reused(spec)
        meta["reused"] = True
    else:
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        meta = {**_build(spec, check=check), "reused": False}
    print(json.dumps(meta, ensure_ascii=False))


if __name__ == "__main__":
    main()
