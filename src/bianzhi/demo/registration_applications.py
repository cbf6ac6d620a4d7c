"""The demo county's registration applications: one in each state of the procedure, filed over the last weeks on
the working-day calendar, through the application services (the days given as the system builds a history): a
设立 of the 事业单位 left unregistered until now, changes of several items, a 注销 after liquidation, certificates
reissued and renewed, one 容缺 item still owed and one promise missed (on the credit record since)."""

from __future__ import annotations

import datetime as dt

from bianzhi.core.files import Upload
from bianzhi.core.workdays import WorkCalendar
from bianzhi.registration.applications import (
    Facts,
    application_create,
    application_step,
    material_defer,
    material_upload,
    promises_check,
)
from bianzhi.registration.models import Application, Institution
from bianzhi.registration.services import items_of

# a one-page scan standing in for every material (stored once: the file store keeps content once)
SCAN = Upload("材料扫描件.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
PROMISE = Upload("容缺受理承诺书.pdf", b"%PDF-1.4\n% promise\ntrailer<<>>\n%%EOF\n")
COMMENTS = {
    "request_correction": "申请书须由法定代表人签字并加盖单位公章；任职文件请提供正式印发件。",
    "not_accept": "证书遗失声明未在指定媒体刊登，不符合补领条件。",
    "review": "材料齐全，符合法定形式，登记事项与批准文件一致。",
    "reject": "名称变更未经审批机关批准，不予变更登记。",
}


class History:
    """Days counted back on the working-day calendar from the demo's today."""

    def __init__(self, today: dt.date):
        self.calendar = WorkCalendar.load()
        self.today = today

    def back(self, days: int) -> dt.date:
        return self.calendar.add(self.today, -days) if days else self.today


def _file(unit, kind: str, facts: Facts, day: dt.date, *, defer=(), due=None):
    application = application_create(actor=None, unit=unit, kind=kind, facts=facts, today=day)
    for material in application.materials.all():
        if material.code in defer:
            material_defer(
                actor=None, application=application, code=material.code, promise=PROMISE, due_on=due, today=day
            )
        elif material.required:
            material_upload(actor=None, application=application, code=material.code, upload=SCAN, today=day)
    return application


def _steps(application: Application, *steps: tuple[str, dt.date]) -> Application:
    for name, day in steps:
        application = application_step(
            actor=None, application=application, name=name, comment=COMMENTS.get(name, ""), today=day
        )
    return application


def _setup(held, h: History) -> Institution:
    """设立: the body left unregistered until now, from filing to 办结."""
    sponsor = held.sponsor or held.parent
    items = {
        "name": held.name,
        "address": "锦绣县滨河路 88 号",
        "purpose": f"为{held.name}职能范围内的公益事业提供服务。",
        "legal_representative": "韩雪梅",
        "capital": 50,
        "funding_source": "FULL",
        "sponsor": sponsor.pk if sponsor else None,
    }
    setup = _file(held, "SETUP", Facts(items=items, fact_date=h.back(30)), h.back(25))
    steps = [("submit", 25), ("accept", 24), ("review", 20), ("approve", 18), ("issue", 17), ("publish", 16)]
    return _steps(setup, *((name, h.back(days)) for name, days in [*steps, ("close", 15)])).institution


def _draft(institution, h, n):  # 草稿: a 副本 to renew, nothing handed in yet
    application_create(
        actor=None, unit=institution.unit, kind="RENEW", facts=Facts(certificate_kinds=("COPY",)), today=h.back(n)
    )


def _submitted(institution, h, n):  # 已提交, within the three days of 一次性告知
    reissue = _file(institution.unit, "REISSUE", Facts(certificate_kinds=("ORIGINAL",)), h.back(1 + n))
    _steps(reissue, ("submit", h.back(1 + n)))


def _deemed(institution, h, n):  # 已提交 and waiting past the three days: it counts as accepted
    facts = Facts(items={"address": f"锦绣县新华街 {66 + n} 号"}, move_date=h.today + dt.timedelta(days=30))
    _steps(_file(institution.unit, "CHANGE", facts, h.back(6 + n)), ("submit", h.back(6 + n)))


def _correction(institution, h, n):  # 待补正: told once what to correct
    facts = Facts(items={"legal_representative": ("冯建国", "蒋丽华")[n % 2]}, fact_date=h.back(10))
    application = _file(institution.unit, "CHANGE", facts, h.back(4))
    _steps(application, ("submit", h.back(4)), ("request_correction", h.back(3)))


def _owed(institution, h, n):  # 已受理 with one 容缺 item owed in a few days
    purpose = items_of(institution.versions.get(valid_to__isnull=True))["purpose"] + "承担相关培训服务。"
    application = _file(
        institution.unit,
        "CHANGE",
        Facts(items={"purpose": purpose}, fact_date=h.back(8)),
        h.back(5),
        defer=("certificate_copy",),
        due=h.calendar.add(h.back(5), 8),
    )
    _steps(application, ("submit", h.back(5)), ("accept", h.back(4 - n)))


def _reviewed(institution, h, n):  # 已审查, waiting for the decision
    renew = _file(institution.unit, "RENEW", Facts(certificate_kinds=("ORIGINAL", "COPY")), h.back(12))
    _steps(renew, ("submit", h.back(12)), ("accept", h.back(11)), ("review", h.back(2 + n)))


LEGAL = [("submit", 30), ("accept", 29), ("review", 26), ("approve", 24), ("issue", 23), ("publish", 22), ("close", 20)]


def _changed(stop: str):
    """A new legal representative, from filing up to ``stop``; 已核准 ones raise 开办资金 by half instead."""

    def scenario(institution, h, n):
        if stop == "approve":
            capital = items_of(institution.versions.get(valid_to__isnull=True))["capital"] * 3 / 2
            facts = Facts(items={"capital": capital}, fact_date=h.back(32))
        else:
            facts = Facts(items={"legal_representative": ("邵明远", "彭晓燕")[n % 2]}, fact_date=h.back(32))
        application = _file(institution.unit, "CHANGE", facts, h.back(30))
        steps = LEGAL[: [name for name, _days in LEGAL].index(stop) + 1]
        _steps(application, *((name, h.back(days - n)) for name, days in steps))

    return scenario


def _not_accepted(institution, h, n):
    refused = _file(institution.unit, "REISSUE", Facts(certificate_kinds=("COPY",)), h.back(9 + n))
    _steps(refused, ("submit", h.back(9 + n)), ("not_accept", h.back(8 + n)))


def _rejected(institution, h, n):
    unit = institution.unit
    facts = Facts(items={"name": f"{unit.name}服务中心"}, fact_date=h.back(22))
    _steps(
        _file(unit, "CHANGE", facts, h.back(20)), ("submit", h.back(20)), ("accept", h.back(19)), ("reject", h.back(10))
    )


def _withdrawn(institution, h, n):
    facts = Facts(certificate_kinds=("COPY",))
    application = application_create(actor=None, unit=institution.unit, kind="RENEW", facts=facts, today=h.back(7))
    _steps(application, ("withdraw", h.back(6)))


def _cancel(institution, h, n):  # 注销 after liquidation, accepted
    ended = h.back(3 + n)
    facts = Facts(
        trigger="SPONSOR_DISSOLVED",
        liquidation_started_on=ended - dt.timedelta(days=130),
        first_notice_on=ended - dt.timedelta(days=110),
        fact_date=ended,
    )
    _steps(_file(institution.unit, "CANCEL", facts, h.back(2)), ("submit", h.back(2)), ("accept", h.back(1)))


def _missed(institution, h, n):  # a 容缺 promise missed: approved, the certificate held back
    application = _file(
        institution.unit,
        "RENEW",
        Facts(certificate_kinds=("COPY",)),
        h.back(16),
        defer=("old_certificates",),
        due=h.back(9),
    )
    steps = [("submit", 16), ("accept", 15), ("review", 12), ("approve", 10)]
    _steps(application, *((name, h.back(days)) for name, days in steps))


SCENARIOS = (
    _draft,
    _submitted,
    _deemed,
    _correction,
    _owed,
    _reviewed,
    _changed("approve"),
    _changed("issue"),
    _changed("publish"),
    _changed("close"),
    _not_accepted,
    _rejected,
    _withdrawn,
    _cancel,
    _missed,
)
# the fewest registered bodies for one application in each state (the first ones are left alone: they carry the
# demo's credit entries and sanctions)
NEEDED = len(SCENARIOS) + 2


def build_applications(institutions: list[Institution], held, today: dt.date) -> list[Institution]:
    """Files the applications, twice over where the county is big enough; ``held``, a 事业单位 not registered yet, is
    registered through its 设立 application. Returns the institutions registered that way."""
    if len(institutions) < NEEDED:
        return []
    h = History(today)
    pick = iter(reversed(institutions))
    for n in range(min(2, (len(institutions) - NEEDED + len(SCENARIOS)) // len(SCENARIOS))):
        for scenario in SCENARIOS:
            scenario(next(pick), h, n)
    promises_check(today=today)  # the missed promises go on the credit record
    return [_setup(held, h)] if held is not None else []
