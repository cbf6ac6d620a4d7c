from __future__ import annotations

from pathlib import Path

from bianzhi.core.backup import Database, restore
from bianzhi.core.management.base import BianzhiCommand


class Command(BianzhiCommand):
    help = (
        "从 bianzhi backup 生成的文件恢复数据库和上传的文件。只恢复到空数据库（DATABASE_URL 所指）；"
        "恢复后逐表核对校验值。密钥须先按原样放回。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件的路径")

    def handle(self, *args, file: str, **options):
        manifest = restore(Path(file))
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"已恢复 {manifest['created_at']} 的备份到 {Database.configured().where}：{len(manifest['tables'])} 张表、"
            f"{rows} 行记录与备份清单逐表核对一致，{len(manifest['files'])} 个文件。"
        )
        self.stdout.write("请确认密钥与备份时相同，然后运行 bianzhi migrate、bianzhi check 和 bianzhi audit verify。")
