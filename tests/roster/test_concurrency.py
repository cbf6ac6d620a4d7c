"""Clients racing for the last slots: exactly as many succeed as there are slots, the rest hear "no vacancy".

Service-level races run one thread and one database connection per client (PostgreSQL row locks; SQLite
IMMEDIATE transactions on a WAL file). The HTTP race sends real concurrent form posts to a live server."""

from __future__ import annotations

import threading
import urllib.parse
import urllib.request
from collections import Counter
from http.cookiejar import CookieJar

import pytest
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.core.integrity import run_all
from bianzhi.quotas.selectors import unit_ledger
from bianzhi.roster import approvals, staffing
from bianzhi.roster.choices import ApprovalStatus
from bianzhi.roster.models import Approval, Occupancy, Person
from tests.factories import PASSWORD, make_unit, make_user
from tests.quotas.support import document
from tests.quotas.test_concurrency import race, shared_database  # noqa: F401  (fixture)
from tests.roster.support import give_slots, new_id, person

THREADS = 8
LAST = 3
TODAY = timezone.localdate()

pytestmark = pytest.mark.django_db(transaction=True)


def _clean() -> None:
    assert {name: drifts for name, drifts in run_all().items() if drifts} == {}


def test_racing_onboardings_take_exactly_the_free_slots(shared_database):  # noqa: F811
    unit = make_unit("锦绣县财政局")
    give_slots(unit, LAST)
    entrants = [person(f"王{'甲乙丙丁戊己庚辛'[i]}") for i in range(THREADS)]
    docs = [document(TODAY, f"调动通知（{i}）") for i in range(THREADS)]
    slot = staffing.Slot(unit=unit, quota_type="XZ", funding_form="QE", override_reason="急需补充")

    def hire(i):
        return lambda: staffing.occupancy_start(
            actor=None, data=entrants[i], slot=slot, start_date=TODAY, entry_mode="DR", document=docs[i]
        )

    outcomes = race(shared_database, [hire(i) for i in range(THREADS)])

    assert Counter(outcomes) == {"ok": LAST, "roster.no_vacancy": THREADS - LAST}
    [row] = unit_ledger(None, unit, TODAY)
    assert (row.approved, row.occupied, row.vacant) == (LAST, LAST, 0)
    assert Person.objects.count() == LAST
    _clean()


def test_racing_approvals_reserve_no_more_than_is_free(shared_database):  # noqa: F811
    unit = make_unit("锦绣县审计局")
    give_slots(unit, LAST)
    drafts = []
    for _ in range(THREADS):
        draft = approvals.approval_draft(
            actor=None, unit=unit, quota_type="XZ", funding_form="QE", count=1, entry_mode="KL", purpose="补缺"
        )
        drafts.append(approvals.approval_submit(actor=None, approval=draft))

    outcomes = race(
        shared_database,
        [lambda d=d: approvals.approval_approve(actor=None, approval=d, comment="同意") for d in drafts],
    )

    assert Counter(outcomes) == {"ok": LAST, "roster.no_vacancy": THREADS - LAST}
    assert Approval.objects.filter(status=ApprovalStatus.APPROVED).count() == LAST
    [row] = unit_ledger(None, unit, TODAY)
    assert (row.reserved, row.usable) == (LAST, 0)
    _clean()


def test_the_same_person_racing_into_two_units_gets_one_slot(shared_database):  # noqa: F811
    units = [make_unit(f"锦绣县第{i}局") for i in range(THREADS)]
    for unit in units:
        give_slots(unit, 1)
    number = new_id()
    docs = [document(TODAY, f"调动通知（{i}）") for i in range(THREADS)]

    def hire(i):
        slot = staffing.Slot(unit=units[i], quota_type="XZ", funding_form="QE", override_reason="调入")
        return lambda: staffing.occupancy_start(
            actor=None,
            data=person("刘洋", id_number=number),
            slot=slot,
            start_date=TODAY,
            entry_mode="DR",
            document=docs[i],
        )

    outcomes = race(shared_database, [hire(i) for i in range(THREADS)])

    assert Counter(outcomes) == {"ok": 1, "roster.already_in_slot": THREADS - 1}
    assert Occupancy.objects.filter(end_date__isnull=True).count() == 1
    _clean()


@pytest.mark.e2e
def test_concurrent_http_clients_onboard_against_one_approval(live_server, settings):
    """Eight browsers of the same unit post the onboarding form at once against an approval of three."""
    # plain HTTP clients keep Secure cookies to themselves on http://localhost; browsers treat it as secure
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    unit = make_unit("锦绣县统计局")
    give_slots(unit, 5)
    make_user("tongji", Role.UNIT_OPERATOR, scope_unit=unit)
    draft = approvals.approval_draft(
        actor=None, unit=unit, quota_type="XZ", funding_form="QE", count=LAST, entry_mode="KL", purpose="统计员"
    )
    approvals.approval_submit(actor=None, approval=draft)
    approval = approvals.approval_approve(actor=None, approval=draft, comment="同意")
    openers = [_logged_in(live_server.url, "tongji") for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    pages: list[str] = []

    def post(i):
        opener, token = openers[i]
        fields = {
            "csrfmiddlewaretoken": token,
            "source": f"a{approval.pk}",
            "name": f"陈{'甲乙丙丁戊己庚辛'[i]}",
            "id_number": new_id(male=i % 2 == 0),
            "start_date": TODAY.isoformat(),
            "entry_mode": "KL",
            "hire_kind": "NEW",
            "doc_number": f"锦人社〔{TODAY.year}〕{300 + i}号",
            "doc_title": "录用审批表",
            "doc_issued_on": TODAY.isoformat(),
            "doc_issuer": "锦绣县人力资源和社会保障局",
        }
        barrier.wait()
        request = urllib.request.Request(
            f"{live_server.url}/roster/onboard/",
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Referer": f"{live_server.url}/roster/onboard/"},
        )
        with opener.open(request, timeout=60) as response:
            pages.append(response.read().decode())

    threads = [threading.Thread(target=post, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(pages) == THREADS
    refused = [page for page in pages if "已全部使用" in page or "不能用于入编" in page]
    assert len(refused) == THREADS - LAST, [p[-2000:] for p in pages if p not in refused][:1]
    approval.refresh_from_db()
    assert (approval.used, approval.status) == (LAST, ApprovalStatus.FULLY_USED)
    assert Occupancy.objects.count() == LAST
    _clean()


def _logged_in(base: str, username: str):
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = opener.open(f"{base}/accounts/login/").read().decode()
    token = login.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD})
    request = urllib.request.Request(f"{base}/accounts/login/", data=data.encode(), headers={"Referer": base})
    opener.open(request).read()
    form = opener.open(f"{base}/roster/onboard/").read().decode()
    return opener, form.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
