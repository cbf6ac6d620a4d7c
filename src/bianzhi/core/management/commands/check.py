from __future__ import annotations

import sys

from django.core.management.base import CommandError
from django.core.management.commands.check import Command as DjangoCheckCommand
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from bianzhi.core import integrity
from bianzhi.core.errors import CliError
from bianzhi.core.management.base import BianzhiCommand


class Command(BianzhiCommand, DjangoCheckCommand):
    help = "检查系统配置，并从原始记录重新推算全部数据，报告任何不一致（有不一致时退出码为 1）。"

    def handle(self, *app_labels, **options):
        super().handle(*app_labels, **options)
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            pending = CliError.MIGRATIONS_PENDING
            raise CommandError(f"[{pending.code}] {pending.format()}")
        results = integrity.run_all()
        drifts = [drift for found in results.values() for drift in found]
        for drift in drifts:
            self.stderr.write(f"不一致 [{drift.check}] {drift.subject}：{drift.message}")
        if drifts:
            self.stderr.write(f"数据检查未通过：共 {len(drifts)} 处不一致。")
            sys.exit(1)
        self.stdout.write(f"数据检查通过：{len(results)} 项检查，未发现不一致。")
