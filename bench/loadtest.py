"""``make loadtest [SCALE=county|city|province] [USERS=50] [SECONDS=60]``: locust against a real server.

Finds (or generates) the bench database of the scale as ``make bench`` does (PostgreSQL from
``BENCH_DATABASE_URL`` or a ``DATABASE_URL`` naming PostgreSQL, else the bench's own server in var/bench/pg/;
``--db sqlite`` for the file under var/bench/). There it creates a county-wide 编办经办 account ``loadtest`` with
one logged-in session per simulated user (its password is random and never used: fifty argon2 checks at once are
not what is measured) and an API token of a county-wide 合作部门只读 account ``loadtest_api``. Then it starts
``bianzhi serve --workers 4`` on 127.0.0.1, runs locust headless (bench/locustfile.py) for the given time, stops
the server and prints p50, p95 and max per page with the errors, beside the goals of issue 11 (a missed goal is
reported, not failed). Exits 1 if any request failed. Traffic goes to the loopback address only; the run is
bounded by ``--seconds``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.data import BENCH_DIR, SCALES, BenchSpec, database_url, ensure

# p95 goals in ms (issue 11, item 6): list pages 150, one unit's page 50, the home page and county totals 300
GOALS = {
    "home": 300,
    "quotas.county_totals": 300,
    "orgs.unit_page": 50,
    "orgs.unit_ledger_tab": 50,
    "api.unit_ledger": 50,
    "orgs.unit_list": 150,
    "roster.list": 150,
    "roster.list_filtered": 150,
    "roster.search": 150,
    "quotas.movement_journal": 150,
    "api.units": 150,
    "api.persons": 150,
    "api.movements": 150,
}
USERNAME, API_USERNAME = "loadtest", "loadtest_api"
LOCUSTFILE = Path(__file__).with_name("locustfile.py")


# ---------------------------------------------------------------- in the bench database (Django set up)


def _account(username: str, password: str, role: str):
    from bianzhi.accounts.models import User
    from bianzhi.accounts.services import user_change_password, user_create, user_set_access

    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(actor=None, username=username, password=password, full_name="压力测试")
        user = user_set_access(actor=None, user=user, roles=[role], scope_county=True, reason="压力测试账号")
    else:
        user = user_change_password(actor=None, user=user, new_password=password)
    return user


def sessions(user, count: int) -> list[str]:
    """Session keys of ``user`` logged in, one per simulated user, as ``django.contrib.auth.login`` leaves them:
    fifty password checks (argon2, deliberately slow) at once are not what the load test measures."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    backend = next(b for b in settings.AUTHENTICATION_BACKENDS if b.endswith("ModelBackend"))
    keys = []
    for _ in range(count):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


def prepare(users: int, seed: int = 2026) -> dict:
    """The accounts, their sessions and a token, and what the simulated users ask for."""
    import datetime as dt

    from django.utils import timezone

    from bianzhi.accounts.roles import Role
    from bianzhi.api.services import api_token_issue
    from bianzhi.orgs.models import Unit
    from bianzhi.quotas.models import AccountKind, QuotaAccount
    from bianzhi.roster.models import Person

    rng = random.Random(seed)
    password = "Lt-" + secrets.token_urlsafe(12) + "9a"
    user = _account(USERNAME, password, Role.BIANBAN_OPERATOR)
    api_user = _account(API_USERNAME, "Lt-" + secrets.token_urlsafe(12) + "9a", Role.PARTNER_READONLY)
    now = timezone.now()
    _token, token = api_token_issue(
        actor=None, user=api_user, name=f"压力测试 {now:%Y%m%d%H%M%S}", expires_at=now + dt.timedelta(days=1)
    )
    with_accounts = sorted(set(QuotaAccount.objects.filter(kind=AccountKind.UNIT).values_list("unit_id", flat=True)))
    units = rng.sample(with_accounts, min(300, len(with_accounts)))
    departments = list(
        Unit.objects.filter(parent__isnull=True, kind="JIGUAN").order_by("pk").values_list("name", flat=True)[:20]
    )
    last = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    picked = rng.sample(range(1, last + 1), min(60, last))
    persons = list(Person.objects.filter(pk__in=picked).values_list("name", "name_pinyin"))
    return {
        "sessions": sessions(user, users),
        "token": token,
        "units": units,
        "departments": departments,
        "names": [name for name, _p in persons],
        "pinyin": [pinyin for _n, pinyin in persons],
        "unit_queries": ["教育局", "中学", "卫生院", "jiaoyu", "wsy", "财政局"],
    }


def _prepare_in_child(spec: BenchSpec, out: Path, users: int) -> None:
    env = {**os.environ, "DATABASE_URL": database_url(spec)}
    command = [sys.executable, "-m", "bench.loadtest", "--prepare", str(out), "--scale", spec.scale]
    command += ["--users", str(users)]
    subprocess.run(command, check=True, env=env)


# ---------------------------------------------------------------- the server and locust


def _wait_until_up(url: str, server: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"服务未能启动（退出码 {server.returncode}），见日志")
        try:
            with urllib.request.urlopen(f"{url}/accounts/login/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"服务在 {seconds:.0f} 秒内未就绪")


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def run_load(spec: BenchSpec, *, users: int, spawn_rate: int, seconds: int, port: int, workers: int) -> list[dict]:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    data_file = (BENCH_DIR / "loadtest-data.json").resolve()
    _prepare_in_child(spec, data_file, users)
    url = f"http://127.0.0.1:{port}"
    log = (BENCH_DIR / "loadtest-server.log").resolve()
    locust_log = (BENCH_DIR / "loadtest-locust.log").resolve()
    env = {**os.environ, "DATABASE_URL": database_url(spec)}
    with open(log, "w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "bianzhi", "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_up(url, server)
        print(f"服务已在 {url} 就绪（{workers} 个工作进程，日志 {log}）；{users} 个用户，{seconds} 秒", flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            prefix = Path(tmp) / "load"
            command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary"]
            command += ["--users", str(users), "--spawn-rate", str(spawn_rate), "--run-time", f"{seconds}s"]
            command += ["--host", url, "--json-file", str(prefix), "--stop-timeout", "10", "--loglevel", "WARNING"]
            env = {**os.environ, "BENCH_LOADTEST_DATA": str(data_file)}
            with open(locust_log, "w") as out:
                subprocess.run(command, env=env, check=False, stdout=out, stderr=subprocess.STDOUT)
            stats = json.loads(Path(f"{prefix}.json").read_text(encoding="utf-8"))
    finally:
        _stop(server)
    results = [_result(entry) for entry in sorted(stats, key=lambda e: (e["name"], e["method"]))]
    if results:
        results.append(_result(_aggregate(stats)))
    if any(entry["num_failures"] for entry in stats):
        report = locust_log.read_text(encoding="utf-8")
        print(report[report.find("Error report") :] if "Error report" in report else report[-3000:])
    return results


def _aggregate(stats: list[dict]) -> dict:
    times: dict[str, int] = {}
    for entry in stats:
        for ms, count in entry["response_times"].items():
            times[ms] = times.get(ms, 0) + count
    return {
        "name": "Aggregated",
        "method": "",
        "num_requests": sum(e["num_requests"] for e in stats),
        "num_failures": sum(e["num_failures"] for e in stats),
        "max_response_time": max(e["max_response_time"] for e in stats),
        "response_times": times,
    }


def percentile(times: dict, share: float) -> float:
    """The response time (ms, as locust rounds it) below which ``share`` of the requests finished."""
    counts = sorted((float(ms), n) for ms, n in times.items())
    total = sum(n for _ms, n in counts)
    seen = 0
    for ms, n in counts:
        seen += n
        if seen >= share * total:
            return ms
    return 0.0


def _result(entry: dict) -> dict:
    name = entry["name"] if entry["method"] in ("GET", "") else f"{entry['name']} ({entry['method']})"
    return {
        "name": name,
        "requests": entry["num_requests"],
        "failures": entry["num_failures"],
        "p50_ms": percentile(entry["response_times"], 0.50),
        "p95_ms": percentile(entry["response_times"], 0.95),
        "max_ms": round(entry["max_response_time"] or 0),
        "goal_p95_ms": GOALS.get(entry["name"]),
    }


def table(results: list[dict]) -> str:
    header = f"{'page':<26} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'goal p95':>8}"
    header += "  met"
    lines = [header, "-" * len(header)]
    for r in results:
        goal = r["goal_p95_ms"]
        met = "" if goal is None else ("yes" if r["p95_ms"] <= goal else "NO")
        lines.append(
            f"{r['name']:<26} {r['requests']:>8} {r['failures']:>6} {r['p50_ms']:>7.0f} {r['p95_ms']:>7.0f}"
            f" {r['max_ms']:>7.0f} {goal if goal is not None else '':>8}  {met}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.loadtest", description="用 locust 对真实服务做负载测试")
    parser.add_argument("--scale", choices=SCALES, default="county")
    parser.add_argument("--users", type=int, default=50, help="模拟用户数")
    parser.add_argument("--spawn-rate", type=int, default=10, help="每秒新增用户数")
    parser.add_argument("--seconds", type=int, default=60, help="持续时间（秒）")
    parser.add_argument("--port", type=int, default=8814, help="服务在 127.0.0.1 上的端口")
    parser.add_argument("--workers", type=int, default=4, help="服务的工作进程数")
    parser.add_argument("--db", choices=("postgres", "sqlite"), default=None, help="同 make bench 的 --db")
    parser.add_argument("--prepare", help=argparse.SUPPRESS)  # internal: write the data file, in the database
    args = parser.parse_args()
    spec = BenchSpec(args.scale)
    if args.prepare:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bianzhi.settings")
        django.setup()
        Path(args.prepare).write_text(json.dumps(prepare(args.users), ensure_ascii=False), encoding="utf-8")
        return
    from bench.__main__ import bench_database

    with bench_database(args.db):
        print(f"数据库：{ensure(spec)['spec']['scale']}（{database_url(spec).split('@')[-1]}）", flush=True)
        load = {"users": args.users, "spawn_rate": args.spawn_rate, "seconds": args.seconds}
        results = run_load(spec, port=args.port, workers=args.workers, **load)
    out = BENCH_DIR / "loadtest.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    print("\n目标（第 11 号问题）：列表页 p95 ≤ 150 ms，单个机构的页面 ≤ 50 ms，首页和编制总量 ≤ 300 ms。")
    print("未达标的只报告、不算失败；任何请求出错则以非零退出。")
    print(f"结果已写入 {out}")
    total = next((r for r in results if r["name"] == "Aggregated"), None)
    if total is None or total["requests"] == 0:
        sys.exit("没有完成任何请求")
    if total["failures"]:
        sys.exit(f"有 {total['failures']} 个请求出错")


if __name__ == "__main__":
    main()
