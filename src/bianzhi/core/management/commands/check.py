from __future__ import annotations

import sys

from django.core.management.base import CommandError
from django.core.management.commands.check import Command as DjangoCheckCommand
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from bianzhi.core import integrity
from bianzhi.core.errors import CliError, WorkerError
from bianzhi.core.management.base import BianzhiCommand
from bianzhi.core.replica import max_lag, probe
from bianzhi.core.selectors import queued_tasks, worker_alive
from bianzhi.core.workers import tasks_settle_interrupted


class Command(BianzhiCommand, DjangoCheckCommand):
    help = (
        "检查系统配置，并从原始记录重新推算全部数据，报告任何不一致；"
        "有任务排队而后台任务未运行时也报告（有问题时退出码为 1）；"
        "进程已退出的后台任务记为已中断；配置了只读副本时报告其延迟或无法连接（只警告）。"
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--rebuild-derived",
            action="store_true",
            help="先从原始记录重建派生数据（如各编制账户的占用区间；数据库被直接修改过之后），再检查",
        )

    def handle(self, *app_labels, **options):
        super().handle(*app_labels, **options)
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            pending = CliError.MIGRATIONS_PENDING
            raise CommandError(f"[{pending.code}] {pending.format()}")
        if options["rebuild_derived"]:
            for rebuilt in integrity.rebuild_derived.collect(actor=None):
                self.stdout.write(f"已重建：{rebuilt}。")
        results = integrity.run_all()
        drifts = [drift for found in results.values() for drift in found]
        for drift in drifts:
            self.stderr.write(f"不一致 [{drift.check}] {drift.subject}：{drift.message}")
        if drifts:
            self.stderr.write(f"数据检查未通过：共 {len(drifts)} 处不一致。")
        else:
            self.stdout.write(f"数据检查通过：{len(results)} 项检查，未发现不一致。")
        self.report_replica()
        if not self.worker_ok() or drifts:
            sys.exit(1)

    def worker_ok(self) -> bool:
        """Queued tasks need a running worker; without queued tasks, a stopped one is only worth a note."""
        interrupted = tasks_settle_interrupted()
        if interrupted:  # not an inconsistency: the tasks are now marked, and their pages say so
            self.stdout.write(f"后台任务：{interrupted} 个任务的进程已退出，已记为已中断（可在原页面重新发起）。")
        alive, waiting = worker_alive(), queued_tasks()
        if waiting.count and not alive:
            since = timezone.localtime(waiting.since).strftime("%Y-%m-%d %H:%M")
            problem = WorkerError.TASKS_WAITING
            self.stderr.write(f"错误 [{problem.code}]：{problem.format(count=waiting.count, since=since)}")
            return False
        if alive:
            self.stdout.write(f"后台任务：运行中，{waiting.count} 个任务排队。")
        else:
            self.stdout.write("后台任务：未运行（没有排队的任务；页面发起导入等任务前须运行 bianzhi db_worker）。")
        return True

    def report_replica(self) -> None:
        """A replica that lags or is down costs speed, not correctness (the primary answers): a warning only."""
        state = probe()  # afresh, and not through the log the server writes
        if not state.configured:
            self.stdout.write("只读副本：未配置（DATABASE_REPLICA_URL 未设置），全部读取由主库提供。")
        elif state.usable:
            self.stdout.write(
                f"只读副本：{state.where} 正常，落后主库 {state.lag:.1f} 秒（上限 {max_lag():g} 秒），"
                "报表和列表从副本读取。"
            )
        else:
            self.stderr.write(f"警告 [{state.problem.code}]：{state.message()}")
