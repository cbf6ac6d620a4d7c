"""The load of ``make loadtest`` (run by bench/loadtest.py, which starts the server and writes the data file).

Web users are logged in as the county-wide 编办 account (a session each) and browse the main pages; API users
read with a token of a county-wide 合作部门只读 account. Each request is named by the page it stands for, so that
locust's statistics are per page. What to ask for (sessions, units, names, pinyin) comes from the JSON file named
by ``BENCH_LOADTEST_DATA``.
"""

from __future__ import annotations

import json
import os
import random

from locust import HttpUser, between, task

DATA = json.loads(open(os.environ["BENCH_LOADTEST_DATA"], encoding="utf-8").read())  # noqa: SIM115


class WebUser(HttpUser):
    weight = 4
    wait_time = between(0.5, 1.5)
    started = 0

    def on_start(self) -> None:
        """Each simulated user is one browser already logged in (bench/loadtest.py made the sessions)."""
        WebUser.started += 1
        session = DATA["sessions"][(WebUser.started - 1) % len(DATA["sessions"])]
        self.client.cookies.set("sessionid", session, domain="127.0.0.1", path="/")

    def get(self, path: str, name: str, **params) -> None:
        with self.client.get(path, params=params or None, name=name, catch_response=True) as response:
            if response.status_code == 200 and "/accounts/login/" in response.url:
                response.failure("会话失效，被转到登录页")

    @task(2)
    def home(self) -> None:
        self.get("/", "home")

    @task(2)
    def county_totals(self) -> None:
        self.get("/quotas/", "quotas.county_totals")

    @task(2)
    def unit_list(self) -> None:
        self.get("/orgs/", "orgs.unit_list")

    @task(4)
    def unit_page(self) -> None:
        self.get(f"/orgs/{random.choice(DATA['units'])}/", "orgs.unit_page")

    @task(4)
    def unit_ledger(self) -> None:
        self.get(f"/orgs/{random.choice(DATA['units'])}/", "orgs.unit_ledger_tab", tab="ledger")

    @task(3)
    def roster_list(self) -> None:
        self.get("/roster/", "roster.list")

    @task(3)
    def roster_filtered(self) -> None:
        self.get("/roster/", "roster.list_filtered", unit=random.choice(DATA["departments"]), status="IN_QUOTA")

    @task(3)
    def roster_search(self) -> None:
        self.get("/roster/", "roster.search", q=random.choice(DATA["names"] + DATA["pinyin"]))

    @task(2)
    def movements(self) -> None:
        self.get("/quotas/movements/", "quotas.movement_journal")


class ApiUser(HttpUser):
    weight = 1
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {DATA['token']}"

    @task
    def units(self) -> None:
        self.client.get("/api/v1/units", params={"q": random.choice(DATA["unit_queries"])}, name="api.units")

    @task
    def unit_ledger(self) -> None:
        self.client.get(f"/api/v1/units/{random.choice(DATA['units'])}/ledger", name="api.unit_ledger")

    @task
    def persons(self) -> None:
        self.client.get("/api/v1/persons", params={"q": random.choice(DATA["pinyin"])}, name="api.persons")

    @task
    def movements(self) -> None:
        unit = random.choice(DATA["units"])
        self.client.get("/api/v1/movements", params={"unit_id": unit, "limit": 100}, name="api.movements")
