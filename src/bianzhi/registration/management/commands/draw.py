from __future__ import annotations

import sys

from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.management.base import BianzhiCommand, ChineseCommandParser
from bianzhi.registration.draws import draw_verify
from bianzhi.registration.errors import RegistrationError
from bianzhi.registration.models import InspectionDraw


class Command(BianzhiCommand):
    help = "双随机抽查。verify：按记录的种子、基数名单和检查人员重新抽取并与记录核对，不一致时退出码为 1。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, parser_class=ChineseCommandParser, title="子命令")
        verify = actions.add_parser("verify", help="核验一次抽查")
        verify.add_argument("number", help="抽查编号，如 2026-01")

    def handle(self, *args, action: str, number: str, **options):
        draw = InspectionDraw.objects.filter(number=number).first()
        if draw is None:
            self._fail(BianzhiError(CommonError.NOT_FOUND, what=f"抽查 {number}"))
        problems = draw_verify(draw)
        if not problems:
            self.stdout.write(f"抽查 {number} 核验一致")
            return
        self._fail(BianzhiError(RegistrationError.DRAW_MISMATCH, number=number), problems)

    def _fail(self, error: BianzhiError, lines: list[str] = ()) -> None:
        self.stderr.write(f"错误 [{error.code}]：{error.message}")
        for line in lines:
            self.stderr.write(f"  - {line}")
        sys.exit(1)
