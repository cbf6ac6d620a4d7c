from __future__ import annotations

from bianzhi.core.management.base import BianzhiCommand
from bianzhi.roster.approvals import approvals_expire


class Command(BianzhiCommand):
    help = "把已过有效期的用编核准单置为「已过期」，释放其未使用的编制。每天运行一次（见 docs/operations.md）。"

    def handle(self, *args, **options):
        expired = approvals_expire()
        self.stdout.write(f"已处理过期用编核准单 {expired} 张。")
