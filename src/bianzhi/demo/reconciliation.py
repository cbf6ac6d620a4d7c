"""The demo county's three-way reconciliation: this month's 统发工资名册 (GB18030 CSV with a title row, as 财政's
system exports it) and the HR roster (.xlsx with title rows, 15-digit and lower-case numbers as old systems keep
them), made from the register with a realistic sprinkling of mismatches, compared, and the findings reviewed into
every state (one turned into a rectification item); and a run whose file had no ID number column."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

from openpyxl import Workbook

from bianzhi.demo.codes import id_number
from bianzhi.exchange.models import Finding, ReconciliationRun
from bianzhi.exchange.reconcile_runs import (
    finding_rectify,
    finding_review,
    reconciliation_execute,
    reconciliation_start,
)
from bianzhi.orgs.models import Unit
from bianzhi.quotas.models import FundingForm
from bianzhi.roster.crypto import decrypt
from bianzhi.roster.models import Occupancy
from bianzhi.roster.usage import open_on

_OTHER_FUNDING = {FundingForm.QE: "差额拨款", FundingForm.CE: "全额拨款", FundingForm.ZS: "全额拨款"}


def _people(today: dt.date) -> list[dict]:
    held = (
        Occupancy.objects.filter(open_on(today))
        .select_related("person", "account__unit", "account__quota_type")
        .order_by("person_id")
    )
    seen, people = set(), []
    for occupancy in held:
        if occupancy.person_id in seen:
            continue
        seen.add(occupancy.person_id)
        account = occupancy.account
        people.append(
            {
                "name": occupancy.person.name,
                "id": decrypt(occupancy.person.id_cipher),
                "unit": account.unit.name,
                "type": account.quota_type.name,
                "funding": FundingForm(account.funding_form).label if account.funding_form else "",
                "funding_code": account.funding_form,
            }
        )
    return people


def _leavers(today: dt.date, count: int) -> list[dict]:
    ended = (
        Occupancy.objects.filter(end_date__lte=today)
        .exclude(person__occupancies__end_date__isnull=True)
        .select_related("person", "account__unit")
        .order_by("-end_date", "person_id")[:count]
    )
    return [
        {"name": o.person.name, "id": decrypt(o.person.id_cipher), "unit": o.account.unit.name, "funding": "全额拨款"}
        for o in ended
    ]


def _payroll(people: list[dict], leavers: list[dict], rng: random.Random, today: dt.date) -> bytes:
    rows = [dict(p) for p in people]
    missing = {3, 17, 41}  # in a slot, not paid
    for i in (5, 29):  # paid by another unit
        rows[i]["unit"] = rows[i + 1]["unit"] if rows[i + 1]["unit"] != rows[i]["unit"] else rows[i + 2]["unit"]
    for i in (8, 33):  # 全额 slot paid as 差额 (or the other way round)
        rows[i]["funding"] = _OTHER_FUNDING.get(rows[i]["funding_code"], "差额拨款")
    rows[12]["unit"] = "锦绣县农村经济经营管理站"  # a unit long since renamed: not in the register
    paid = [r for i, r in enumerate(rows) if i not in missing]
    paid.insert(20, dict(rows[20]))  # paid twice
    paid += [dict(p) for p in leavers]  # left, still paid
    for name in ("欧阳明", "司徒兰"):  # paid, never in a slot
        number = id_number(rng, region_code="330781", birth=dt.date(1991, 4, 2), male=name == "欧阳明")
        paid.append({"name": name, "id": number, "unit": rows[0]["unit"], "funding": "全额拨款"})
    typo = rows[50]["id"]
    paid.append({**rows[50], "name": "刘晓", "id": typo[:10] + typo[11] + typo[10] + typo[12:]})  # digits swapped
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([f"锦绣县财政统发工资名册（{today:%Y年%m月}）"])
    writer.writerow(["序号", "姓名", "身份证号", "工资发放单位", "经费来源", "应发工资"])
    for number, row in enumerate(paid, start=1):
        writer.writerow([number, row["name"], row["id"], row["unit"], row["funding"], rng.randrange(5200, 9800)])
    return out.getvalue().encode("gb18030")


def _hr(people: list[dict]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "在职人员"
    sheet.append(["锦绣县机关事业单位在职人员名册"])
    sheet.append(["填报单位：锦绣县人力资源和社会保障局"])
    sheet.append(["序号", "姓名", "公民身份号码", "单位名称", "编制类型", "经费形式"])
    for number, person in enumerate(people, start=1):
        if number == 60:  # a new entrant the HR roster has not caught up with
            continue
        id_text = person["id"]
        if number % 37 == 0 and id_text[6:8] == "19":
            id_text = id_text[:6] + id_text[8:17]  # the 1989 number, as an old record keeps it
        elif number % 11 == 0:
            id_text = id_text.lower()
        sheet.append([number, person["name"], id_text, person["unit"], person["type"], person["funding"]])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _review(run: ReconciliationRun) -> None:
    findings = run.findings.order_by("pk")
    first = {kind: findings.filter(kind=kind).first() for kind in ("unit_mismatch", "funding_mismatch")}
    if first["unit_mismatch"]:
        finding_review(
            actor=None,
            finding=first["unit_mismatch"],
            action="explain",
            reason="借调人员，工资由原单位发放，已核对借调文件。",
        )
    if first["funding_mismatch"]:
        finding_review(actor=None, finding=first["funding_mismatch"], action="confirm")
    duplicate = findings.filter(kind="duplicate_in_file").first()
    if duplicate:
        finding_review(actor=None, finding=duplicate, action="dismiss", reason="补发上月工资，另列一行，非重复发放。")
    left = findings.filter(kind="left_still_paid", unit__isnull=False).first()
    if left:
        finding_rectify(actor=None, finding=left)


def build_reconciliation(today: dt.date) -> int:
    """Two runs: this month's, done and partly reviewed; and one refused for a file with no ID number column.
    Returns the findings of the first."""
    people = _people(today)
    if len(people) < 60 or not Unit.objects.exists():
        return 0
    rng = random.Random(20261205)
    payroll = _payroll(people, _leavers(today, 2), rng, today)
    run = reconciliation_start(
        actor=None,
        payroll=(f"统发工资名册{today:%Y%m}.csv", payroll),
        hr=("人事名册.xlsx", _hr(people)),
        as_of=today,
        queue=False,
    )
    reconciliation_execute(ReconciliationRun.objects.get(pk=run.pk))
    _review(run)
    bad = reconciliation_start(
        actor=None,
        payroll=("工资汇总表.csv", "单位,人数,应发合计\n锦绣县交通运输局,42,315000\n".encode("gb18030")),
        hr=("人事名册.xlsx", _hr(people)),
        as_of=today - dt.timedelta(days=30),
        queue=False,
    )
    reconciliation_execute(ReconciliationRun.objects.get(pk=bad.pk))
    return Finding.objects.filter(run=run).count()
