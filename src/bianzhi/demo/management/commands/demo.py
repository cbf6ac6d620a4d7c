from __future__ import annotations

import time

from django.core.management import call_command
from django.db import connection
from django.db.models import Count

from bianzhi.core.management.base import BianzhiCommand
from bianzhi.core.models import Installation
from bianzhi.demo.county import COUNTY_NAME, DEMO_PASSWORD, DEMO_USERS, DemoSpec, build_demo
from bianzhi.roster.choices import PersonStatus
from bianzhi.roster.models import Person


class Command(BianzhiCommand):
    help = (
        f"生成虚构的演示县「{COUNTY_NAME}」（默认写入 var/demo.sqlite3），并以生产方式提供服务，后台任务进程随之运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="只生成数据，不启动服务")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子，相同种子生成相同数据")
        parser.add_argument("--units", type=int, default=DemoSpec.units, help="机构数")
        parser.add_argument("--bind", default="127.0.0.1:8000", help="监听地址，默认 127.0.0.1:8000")

    def handle(self, *args, no_serve: bool, seed: int, units: int, bind: str, **options):
        spec = DemoSpec(seed=seed, units=units, roster=True, files=True)  # checked before anything is written
        call_command("migrate", interactive=False, verbosity=0)
        tokens = []
        if Installation.objects.filter(is_demo=True).exists():
            self.stdout.write(f"演示数据已存在：{connection.settings_dict['NAME']}")
        else:
            self.stdout.write(f"正在生成演示县「{COUNTY_NAME}」（{units} 个机构）：")
            counts = build_demo(spec, progress=self.progress())
            tokens = counts["api_tokens"]
            persons = dict(Person.objects.values_list("status").annotate(n=Count("pk")).order_by())
            in_quota, out = persons.get(PersonStatus.IN_QUOTA, 0), persons.get(PersonStatus.OUT, 0)
            self.stdout.write(
                f"已生成演示县「{COUNTY_NAME}」：{counts['units']} 个机构，{in_quota} 名在编人员"
                f"（另有 {out} 名已出编），{counts['users']} 个账号。"
            )
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, full_name, role, _scope in DEMO_USERS:
            self.stdout.write(f"  {username:<10} {full_name}  {role.label}")
        if tokens:
            self.stdout.write("合作部门的接口令牌（只显示这一次；调用时加请求头 Authorization: Bearer <令牌>）：")
            for department, name, plaintext in tokens:
                self.stdout.write(f"  {department}「{name}」 {plaintext}")
        else:
            self.stdout.write(
                "合作部门的接口令牌在生成演示数据时已显示；安全管理员 anquan 可在「合作部门与接口」签发新令牌。"
            )
        if not no_serve:
            call_command("serve", bind=bind, with_worker=True)  # imports started in the demo need the worker

    def progress(self):
        """Each stage of the build as a line, with the seconds since it began, shown at once even through a pipe."""
        started = time.monotonic()

        def say(line: str) -> None:
            self.stdout.write(f"  [{time.monotonic() - started:5.0f} 秒] {line}")
            self.stdout.flush()

        return say
