"""Management commands with Chinese argument errors (argparse itself speaks only English)."""

from __future__ import annotations

import re
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

_ARGPARSE_MESSAGES = (
    (re.compile(r"unrecognized arguments: (.+)"), "无法识别的参数：{0}"),
    (re.compile(r"the following arguments are required: (.+)"), "缺少必需的参数：{0}"),
    (
        re.compile(r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)"),
        "参数 {0} 的取值 {1} 无效，可选：{2}",
    ),
    (re.compile(r"argument (\S+): expected one argument"), "参数 {0} 需要一个值"),
    (re.compile(r"argument (\S+): invalid (\w+) value: (.+)"), "参数 {0} 的取值 {2} 不是有效的 {1}"),
    (re.compile(r"argument (\S+): (.+)"), "参数 {0}：{1}"),  # a type function's own (Chinese) message
)


def chinese_argparse_message(message: str) -> str:
    for pattern, template in _ARGPARSE_MESSAGES:
        match = pattern.search(message)
        if match:
            return template.format(*match.groups())
    return f"参数有误：{message}"


class ChineseCommandParser(CommandParser):
    def error(self, message):
        text = f"错误 [cli.bad_arguments]：{chinese_argparse_message(message)}"
        if self.called_from_command_line:
            self.print_usage(sys.stderr)
            sys.stderr.write(f"{text}\n运行 `{self.prog} --help` 查看用法。\n")
            sys.exit(2)
        raise CommandError(text)


class BianzhiCommand(BaseCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = ChineseCommandParser
        return parser
