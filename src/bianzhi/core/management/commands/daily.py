from __future__ import annotations

import sys

from bianzhi.core.daily import run_daily_jobs
from bianzhi.core.management.base import BianzhiCommand


class Command(BianzhiCommand):
    help = (
        "运行每日任务（释放过期的用编核准单、清理过期会话和已停止的后台任务进程记录等），每项任务输出一行处理数量；"
        "同一天再次运行不会重复处理。任一任务失败时其余任务照常运行，退出码为 1。"
        "由 bianzhi-daily.timer 每天 02:30 运行。"
    )

    def handle(self, *args, **options):
        outcomes = run_daily_jobs()
        for outcome in outcomes:
            if outcome.failed:
                self.stderr.write(f"失败 [{outcome.job.name}] {outcome.job.label}：{outcome.error}")
            else:
                self.stdout.write(f"{outcome.job.label}：{outcome.count}")
        failed = [outcome for outcome in outcomes if outcome.failed]
        if failed:
            self.stderr.write(f"每日任务：{len(outcomes)} 项中 {len(failed)} 项失败，详见上方及审计日志。")
            sys.exit(1)
        self.stdout.write(f"每日任务：{len(outcomes)} 项全部完成。")
