"""Onboarding throughput: ``staffing.occupancy_start`` against approvals, by one client and by eight at once, against
a bare SQL transaction doing the same essential work, in the same database and the same run.

The bare transaction takes the account's lock (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite ``BEGIN
IMMEDIATE`` takes the database's write lock), counts who occupies the account, inserts one person and one occupancy
row, and adds one to the approval's used counter. The service does the same and what the bare side leaves out:
checking the name and ID number, the unit, document and approval, the 入编 serial and the audit event, whose
counter row and chain head every onboarding in the county takes in turn.

Each client enters persons into a unit of its own (eight units' HR operators at once), and then all eight into
one unit's account (``hot8``: a county-wide recruitment entered by several clerks). The eight clients are
processes with a connection each, so that they really run at the same time. Persons, and the bare side's rows,
are prepared before the clock starts; ``n`` is the number of onboardings timed.

The database is made for the run: ``var/bench/roster-onboarding.sqlite3``, or the schema
``bench_roster_onboarding`` of ``BENCH_DATABASE_URL`` (PostgreSQL) when that is set, as for the ledger benches.
``python -m bench.roster_onboarding --n 400`` runs it alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import random
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path
from urllib.parse import quote

from bench.data import BENCH_DIR, REGION_CODE
from bench.harness import BenchResult, compare

CLIENTS = 8
DEFAULT_N = 160  # onboardings per timed round, on either side; a multiple of CLIENTS
ROUNDS = 3
SCHEMA = "bench_roster_onboarding"
DAY = dt.date(2026, 3, 2)  # entry date and approval date: a fixed day in the past
SEED = 2026


def database_url() -> str:
    base = os.environ.get("BENCH_DATABASE_URL")
    if base:
        joiner = "&" if "?" in base else "?"
        return f"{base}{joiner}options={quote(f'-c search_path={SCHEMA}')}"
    return f"sqlite:///{(BENCH_DIR / 'roster-onboarding.sqlite3').resolve()}"


def _start_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bianzhi.settings")
    import django

    django.setup()


# ---------------------------------------------------------------- the county: units with slots and approvals


def _fresh_database(url: str) -> None:
    if not os.environ.get("BENCH_DATABASE_URL"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
    _start_django(url)
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
            cursor.execute(f"CREATE SCHEMA {SCHEMA}")
    call_command("migrate", verbosity=0, interactive=False)


def _setup_units(count: int, slots: int) -> list:
    """``count`` units (基准县第N局), each with ``slots`` 行政编制, through the services."""
    from bianzhi.orgs.choices import SystemCategory, UnitKind, UnitNature, UnitRank
    from bianzhi.orgs.documents import DocumentRef
    from bianzhi.orgs.services import UnitSpec, unit_create
    from bianzhi.quotas.models import AccountKind, MovementKind
    from bianzhi.quotas.services import county_account, movement_post, unit_account

    day = DAY - dt.timedelta(days=60)
    document = DocumentRef("基准编发〔2026〕1号", "基准测试机构和编制", day, "基准县机构编制委员会")
    pool = county_account(AccountKind.POOL, "XZ")
    movement_post(
        actor=None,
        kind=MovementKind.HEZENG,
        from_account=county_account(AccountKind.AUTHORITY, "XZ"),
        to_account=pool,
        amount=count * slots,
        effective_date=day,
        document=document,
    )
    units = []
    for index in range(count):
        unit = unit_create(
            actor=None,
            spec=UnitSpec(
                name=f"基准县第{index + 1:02d}局",
                system_category=SystemCategory.ZHENGFU,
                kind=UnitKind.JIGUAN,
                nature=UnitNature.XINGZHENG,
                rank=UnitRank.ZHENGKE,
            ),
            document=document,
            effective_date=day,
        )
        account = unit_account(unit, "XZ", "QE")
        movement_post(
            actor=None,
            kind=MovementKind.HEZENG,
            from_account=pool,
            to_account=account,
            amount=slots,
            effective_date=day,
            document=document,
        )
        units.append(unit)
    return units


def _approvals(unit, count: int) -> list[int]:
    """Approved applications for ``count`` slots of the unit, as many as the per-application maximum needs."""
    from bianzhi.roster import approvals

    made = []
    while count:
        size = min(count, approvals.MAX_COUNT)
        draft = approvals.approval_draft(
            actor=None, unit=unit, quota_type="XZ", funding_form="QE", count=size, entry_mode="KL", purpose="基准测试"
        )
        approvals.approval_submit(actor=None, approval=draft)
        made.append(approvals.approval_approve(actor=None, approval=draft, comment="同意", today=DAY).pk)
        count -= size
    return made


class _People:
    """Distinct, valid persons for the onboardings: (name, ID number)."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.issued: set[str] = set()

    def take(self, n: int) -> list[tuple[str, str]]:
        from bianzhi.demo.codes import birth_date, id_number
        from bianzhi.demo.names import person_name

        people = []
        while len(people) < n:
            male = self.rng.random() < 0.5
            number = id_number(self.rng, region_code=REGION_CODE, birth=birth_date(self.rng, today=DAY), male=male)
            if number not in self.issued:
                self.issued.add(number)
                people.append((person_name(self.rng, male=male), number))
        return people


# ---------------------------------------------------------------- one client's work: ours, and the bare side


def onboard_ours(job: dict) -> int:
    """``staffing.occupancy_start`` for each person, against the client's approvals in turn."""
    from bianzhi.orgs.models import Document
    from bianzhi.roster import staffing
    from bianzhi.roster.models import Approval
    from bianzhi.roster.persons import PersonData

    document = Document.objects.get(pk=job["document"])
    approvals = iter(Approval.objects.select_related("account").filter(pk__in=job["approvals"]).order_by("pk"))
    approval, left = None, 0
    for name, number in job["people"]:
        if not left:
            approval = next(approvals)
            left = approval.remaining
        staffing.occupancy_start(
            actor=None,
            data=PersonData(name, number),
            slot=staffing.Slot(approval=approval),
            start_date=DAY,
            entry_mode="KL",
            document=document,
            today=DAY,
        )
        left -= 1
    return len(job["people"])


def _bare_sql() -> dict[str, str]:
    from django.db import connection

    from bianzhi.quotas.models import QuotaAccount
    from bianzhi.roster.models import Approval, Occupancy, Person

    def insert(model) -> str:
        columns = ", ".join(f.column for f in _fields(model))
        return f"INSERT INTO {model._meta.db_table} ({columns}) VALUES ({', '.join(['%s'] * len(_fields(model)))})"

    postgres = connection.vendor == "postgresql"
    return {
        "begin": "BEGIN" if postgres else "BEGIN IMMEDIATE",
        "lock": f"SELECT id FROM {QuotaAccount._meta.db_table} WHERE id = %s" + (" FOR UPDATE" if postgres else ""),
        "count": f"SELECT COUNT(*) FROM {Occupancy._meta.db_table} WHERE account_id = %s AND end_date IS NULL",
        "person": insert(Person) + " RETURNING id",
        "occupancy": insert(Occupancy),
        # what ``approvals.consume`` does: one more used, and the approval closed when none are left
        "used": f"UPDATE {Approval._meta.db_table} SET used = used + 1,"
        f" status = CASE WHEN used + 1 < count THEN 'PARTIALLY_USED' ELSE 'FULLY_USED' END,"
        f" closed_on = CASE WHEN used + 1 < count THEN closed_on ELSE %s END WHERE id = %s",
    }


def onboard_bare(job: dict) -> int:
    """The essential work of an onboarding, one transaction each, in plain SQL on the same tables."""
    from django.db import connection

    sql = _bare_sql()
    account = job["account"]
    with connection.cursor() as cursor:
        for person, occupancy, approval in job["rows"]:
            cursor.execute(sql["begin"])
            try:
                cursor.execute(sql["lock"], [account])
                cursor.execute(sql["count"], [account])
                cursor.fetchone()
                cursor.execute(sql["person"], person)
                person_id = cursor.fetchone()[0]
                cursor.execute(sql["occupancy"], [person_id, *occupancy])
                cursor.execute(sql["used"], [DAY, approval])
                cursor.execute("COMMIT")
            except Exception:
                cursor.execute("ROLLBACK")
                raise
    return len(job["rows"])


ONBOARD: dict[str, Callable[[dict], int]] = {"ours": onboard_ours, "bare": onboard_bare}


def _fields(model) -> list:
    # the person column first: the bare side fills it in with the id the person insert returns
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    return sorted(fields, key=lambda f: f.name != "person")


def _bare_rows(unit, account_pk: int, approvals: list[int], document_pk: int, people) -> list[tuple[list, list, int]]:
    """Each person's row as the service would fill it, the occupancy's (without its person), and its approval."""
    from django.db import connection, transaction

    from bianzhi.roster.approvals import MAX_COUNT
    from bianzhi.roster.choices import HireKind, PersonStatus
    from bianzhi.roster.models import Occupancy, Person
    from bianzhi.roster.persons import PersonData, person_for_entry

    def values(model, instance) -> list:
        return [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in _fields(model)]

    rows = []
    with transaction.atomic():  # person_for_entry looks the number up with a row lock
        for index, (name, number) in enumerate(people):
            approval = approvals[index // MAX_COUNT]
            occupancy = Occupancy(
                account_id=account_pk,
                approval_id=approval,
                start_date=DAY,
                entry_mode="KL",
                hire_kind=HireKind.NEW,
                entry_document_id=document_pk,
            )
            person, _created = person_for_entry(PersonData(name, number), unit)
            person.status = PersonStatus.IN_QUOTA
            rows.append((values(Person, person), values(Occupancy, occupancy)[1:], approval))
    return rows


# ---------------------------------------------------------------- eight clients, each a process with a connection


def _client(url: str, jobs, done) -> None:
    _start_django(url)
    from django.db import connection

    connection.ensure_connection()
    done.put(0)  # ready: starting Python and Django is not part of any timing
    for side, job in iter(jobs.get, None):
        done.put(ONBOARD[side](job))
    connection.close()


class _Clients:
    def __init__(self, url: str, count: int):
        context = multiprocessing.get_context("spawn")  # a fresh interpreter: no connection inherited
        self.jobs = [context.Queue() for _ in range(count)]
        self.done = context.Queue()
        self.processes = [context.Process(target=_client, args=(url, q, self.done)) for q in self.jobs]
        for process in self.processes:
            process.start()
        for _ in self.processes:
            self.done.get()

    def run(self, side: str, jobs: list[dict]) -> int:
        for queue, job in zip(self.jobs, jobs, strict=True):
            queue.put((side, job))
        return sum(self.done.get() for _ in jobs)

    def close(self) -> None:
        for queue in self.jobs:
            queue.put(None)
        for process in self.processes:
            process.join()


# ---------------------------------------------------------------- the measurements (in a child process)


class _Plan:
    """The units, approvals and prepared persons for every timed round, set up before any timing."""

    def __init__(self, n: int):
        from bianzhi.orgs.documents import DocumentRef, document_resolve

        per_client = n // CLIENTS
        # unit 0 for the single client, units 1–8 for the eight, the last for eight clients on one account; room
        # for both sides' rounds in each
        self.units = _setup_units(CLIENTS + 2, 2 * ROUNDS * n)
        ref = DocumentRef("基准组发〔2026〕1号", "关于录用公务员的通知", DAY, "基准县委组织部")
        self.document = document_resolve(ref).pk
        self.people = _People()
        self.sequential = {side: self._jobs(side, [self.units[0]], n) for side in ONBOARD}
        self.concurrent = {side: self._jobs(side, self.units[1:-1], per_client) for side in ONBOARD}
        self.hot = {side: self._jobs(side, [self.units[-1]] * CLIENTS, per_client) for side in ONBOARD}

    def _jobs(self, side: str, units, per_unit: int) -> Iterator[list[dict]]:
        """One list of jobs (one per unit) for each round."""
        from bianzhi.quotas.services import unit_account

        rounds = []
        for _ in range(ROUNDS):
            jobs = []
            for unit in units:
                people = self.people.take(per_unit)
                approvals = _approvals(unit, per_unit)
                if side == "ours":
                    jobs.append({"people": people, "approvals": approvals, "document": self.document})
                else:
                    account = unit_account(unit, "XZ", "QE").pk
                    rows = _bare_rows(unit, account, approvals, self.document, people)
                    jobs.append({"account": account, "rows": rows})
            rounds.append(jobs)
        return iter(rounds)


def measure(scale: str, n: int, url: str) -> list[BenchResult]:
    from bianzhi.core.integrity import run_all
    from bianzhi.quotas.models import QuotaAccount
    from bianzhi.roster.models import Occupancy
    from bianzhi.roster.usage import use_refresh

    plan = _Plan(n)
    clients = _Clients(url, CLIENTS)
    try:

        def alone(side: str) -> Callable[[], int]:
            return lambda: sum(ONBOARD[side](job) for job in next(plan.sequential[side]))

        def together(side: str, jobs=plan.concurrent) -> Callable[[], int]:
            return lambda: clients.run(side, next(jobs[side]))

        results = [
            compare(
                "roster.onboard.sequential",
                scale,
                n,
                alone("ours"),
                "bare SQL transaction",
                alone("bare"),
                rounds=ROUNDS,
            ),
            compare(
                f"roster.onboard.concurrent{CLIENTS}",
                scale,
                n,
                together("ours"),
                f"bare SQL, {CLIENTS} clients",
                together("bare"),
                rounds=ROUNDS,
            ),
            compare(
                f"roster.onboard.hot{CLIENTS}",
                scale,
                n,
                together("ours", plan.hot),
                f"bare SQL, {CLIENTS} on 1 account",
                together("bare", plan.hot),
                rounds=ROUNDS,
            ),
        ]
    finally:
        clients.close()
    assert Occupancy.objects.count() == 3 * 2 * ROUNDS * n, "some onboardings were not written"
    # the bare side inserts occupancies without the slot-use intervals derived from them (decision 0009)
    use_refresh(QuotaAccount.objects.values_list("pk", flat=True))
    drifts = [d for found in run_all().values() for d in found]
    assert not drifts, drifts[:5]
    return results


# ---------------------------------------------------------------- orchestration


def run(scale: str, *, n: int = DEFAULT_N) -> list[BenchResult]:
    """Runs the measurement in a child process pointed at the benchmark database; returns its results."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        command = [sys.executable, "-m", "bench.roster_onboarding", "--child", "--scale", scale, "--n", str(n)]
        subprocess.run([*command, "--out", str(out)], check=True)
        return [BenchResult(**r) for r in json.loads(out.read_text())]


def throughput_table(results: list[BenchResult]) -> str:
    header = f"{'name':<30} {'n':>5} {'ours /s':>9} {'bare /s':>9} {'ratio':>6}"
    rows = [
        f"{r.name:<30} {r.n:>5} {r.n / r.seconds:>9.1f} {r.n / r.baseline_seconds:>9.1f} {r.ratio:>6.2f}"
        for r in results
        if r.name.startswith("roster.onboard.")
    ]
    return "\n".join([header, "-" * len(header), *rows])


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.roster_onboarding", description="入编吞吐量基准")
    parser.add_argument("--scale", default="county")
    parser.add_argument("--n", type=int, default=DEFAULT_N, help=f"每轮计时的入编人数（{CLIENTS} 的倍数）")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.n <= 0 or args.n % CLIENTS:
        parser.error(f"--n 须为 {CLIENTS} 的正整数倍")
    if args.child:
        url = database_url()
        _fresh_database(url)
        results = measure(args.scale, args.n, url)
        Path(args.out).write_text(json.dumps([asdict(r) for r in results], ensure_ascii=False))
        return
    from bench.harness import table

    results = run(args.scale, n=args.n)
    print(table(results))
    print()
    print(throughput_table(results))


if __name__ == "__main__":
    main()
