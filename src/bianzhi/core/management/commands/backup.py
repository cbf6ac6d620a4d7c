from __future__ import annotations

from pathlib import Path

from bianzhi.core.backup import backup, keys_outside
from bianzhi.core.management.base import BianzhiCommand


class Command(BianzhiCommand):
    help = "将数据库（一致的快照）和上传的文件备份为一个文件（.tar.gz）；不含密钥，密钥须另行备份。服务运行时也可备份。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件的路径，例如 /backup/bianzhi-2026-11-28.tar.gz（不得已存在）")

    def handle(self, *args, file: str, **options):
        manifest = backup(Path(file))
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"已备份到 {Path(file).resolve()}：{len(manifest['tables'])} 张表，共 {rows} 行记录，"
            f"{len(manifest['files'])} 个文件。"
        )
        self.stdout.write("备份不含密钥。以下密钥须另行备份并与备份文件分开保存（没有它们，恢复后无法校验审计链、")
        self.stdout.write("无法读取加密的身份证号码和电话号码）：")
        for where in keys_outside():
            self.stdout.write(f"  {where}")
