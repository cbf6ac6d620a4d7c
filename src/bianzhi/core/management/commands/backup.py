from __future__ import annotations

from pathlib import Path

from bianzhi.core.backup import backup, backup_into, keys_outside
from bianzhi.core.errors import BackupError, BianzhiError
from bianzhi.core.management.base import BianzhiCommand


class Command(BianzhiCommand):
    help = "将数据库（一致的快照）和上传的文件备份为一个文件（.tar.gz）；不含密钥，密钥须另行备份。服务运行时也可备份。"

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="?", help="备份文件的路径，例如 /backup/bianzhi-2026-11-28.tar.gz（不得已存在）"
        )
        parser.add_argument(
            "--into",
            metavar="目录",
            help="保存到该目录，文件名按时间生成（bianzhi-YYYYMMDD-HHMMSS.tar.gz），供定时备份使用",
        )
        parser.add_argument(
            "--keep", type=int, metavar="N", help="与 --into 同用：只保留该目录中最近的 N 份定时备份，更早的删除"
        )

    def handle(self, *args, file: str | None, into: str | None, keep: int | None, **options):
        if (file is None) == (into is None) or (keep is not None and into is None):
            raise BianzhiError(BackupError.TARGET)
        removed = []
        if into is None:
            path, manifest = Path(file).resolve(), backup(Path(file))
        else:
            path, manifest, removed = backup_into(Path(into), keep=keep)
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"已备份到 {path}：{len(manifest['tables'])} 张表，共 {rows} 行记录，{len(manifest['files'])} 个文件。"
        )
        for old in removed:
            self.stdout.write(f"已删除较早的定时备份 {old}（保留最近 {keep} 份）。")
        self.stdout.write("备份不含密钥。以下密钥须另行备份并与备份文件分开保存（没有它们，恢复后无法校验审计链、")
        self.stdout.write("无法读取加密的身份证号码和电话号码）：")
        for where in keys_outside():
            self.stdout.write(f"  {where}")
