from __future__ import annotations

import sys

from bianzhi.core.management.base import BianzhiCommand, ChineseCommandParser
from bianzhi.registration.choices import category_choices
from bianzhi.registration.codes import uscc_issue, uscc_preview


class Command(BianzhiCommand):
    help = "统一社会信用代码。issue：本县下一个代码（默认只显示、不使用；加 --apply 才赋码并记入审计日志）。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, parser_class=ChineseCommandParser, title="子命令")
        issue = actions.add_parser("issue", help="输出本县下一个统一社会信用代码")
        categories = "；".join(f"{code} {label}" for code, label in category_choices())
        issue.add_argument(
            "--category",
            required=True,
            choices=[code for code, _ in category_choices()],
            help=f"机构类别：{categories}",
        )
        issue.add_argument("--apply", action="store_true", help="赋予该代码（不再重复使用），否则只显示")

    def handle(self, *args, action: str, category: str, apply: bool, **options):
        if apply:
            self.stdout.write(uscc_issue(actor=None, category=category).code)
            return
        self.stdout.write(uscc_preview(category=category))
        # the bare code alone on stdout; what it means goes to stderr
        sys.stderr.write("（试算：未赋码。加 --apply 赋予该代码。）\n")
