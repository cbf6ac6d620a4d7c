from __future__ import annotations

import sys

from bianzhi.audit.selectors import verify_chain
from bianzhi.core.management.base import BianzhiCommand, ChineseCommandParser


class Command(BianzhiCommand):
    help = "审计日志工具。verify：逐条校验审计链，发现被修改、删除或插入的事件时退出码为 1。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, parser_class=ChineseCommandParser, title="子命令")
        actions.add_parser("verify", help="校验审计链的完整性")

    def handle(self, *args, action: str, **options):
        report = verify_chain()
        if report.intact:
            self.stdout.write(f"审计链完整：共 {report.events} 条事件，逐条校验通过。")
            return
        self.stderr.write(
            f"错误 [audit.chain_broken]：审计链已损坏，首个问题在{'' if report.lane == 1 else f'审计链 {report.lane} '}"
            f"第 {report.broken_seq} 条事件：{report.problem}"
        )
        sys.exit(1)
