from __future__ import annotations

import json
import sys

from bianzhi.core.ids import VALIDATORS
from bianzhi.core.management.base import BianzhiCommand


class Command(BianzhiCommand):
    help = "校验公民身份号码（id）、统一社会信用代码（uscc）或组织机构代码（org），每个值输出一行 JSON。"
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(VALIDATORS), help="id | uscc | org")
        parser.add_argument("values", nargs="*", help="要校验的值；不给出时从标准输入逐行读取")

    def handle(self, *args, kind: str, values: list[str], **options):
        validate = VALIDATORS[kind]
        source = values or (line.rstrip("\r\n") for line in sys.stdin if line.strip())
        all_valid = True
        for value in source:
            result = validate(value)
            all_valid &= result.valid
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
        if not all_valid:
            sys.exit(1)
