"""The load of ``make loadtest`` (run by bench/loadtest.py, which starts the server and writes the data file).

Web users log in once as the county-wide 编办 account and then browse the main pages; API users read with a token
of a county-wide 合作部门只读 account. Each request is named by the page it stands for, so that locust's statistics
are per page. What to ask for (units, names, pinyin) comes from ``BENCH_LOADTEST_DATA``, a JSON file.
"""

from __future__ import annotations

import json
import os
import random
import re

from locust import HttpUser, between, task

DATA = json.loads(open(os.environ["BENCH_LOADTEST_DATA"], encoding="utf-8").read())  # noqa: SIM115
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class WebUser(HttpUser):
    weight = 4
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        page = self.client.get("/accounts/login/", name="login")
        found = CSRF.search(page.text)
        with self.client.post(
            "/accounts/login/",
            data={
                "username": DATA["username"],
                "password": DATA["password"],
                "csrfmiddlewaretoken": found.group(1) if found else "",
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="login.submit",
            catch_response=True,
        ) as response:
            if "sessionid" not in self.client.cookies:
                response.failure("登录失败")

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
