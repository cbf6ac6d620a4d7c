from __future__ import annotations

import sys
from pathlib import Path

from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.management.base import BianzhiCommand, ChineseCommandParser
from bianzhi.orgs.document_load import Folder, LoadResult, documents_load


class Command(BianzhiCommand):
    help = "批准文件档案。load：从文件夹和目录表（列：文号,标题,日期,发文机关,文件名）批量导入历史文件。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, parser_class=ChineseCommandParser, title="子命令")
        load = actions.add_parser(
            "load",
            help="逐行检查目录表和文件，全部无误才一次导入；已登记且各项一致的文号只补上文件",
        )
        load.add_argument("folder", type=Path, metavar="FOLDER", help="存放文件的文件夹（目录表的“文件名”相对于它）")
        load.add_argument("index", type=Path, metavar="INDEX", help="目录表：.xlsx 或 .csv")
        load.add_argument("--dry-run", action="store_true", help="只检查、列出将导入的内容，不作改动")

    def handle(self, *args, action: str, **options):
        getattr(self, f"_{action}")(**options)

    def _load(self, *, folder: Path, index: Path, dry_run: bool, **options):
        if not folder.is_dir():
            raise BianzhiError(CommonError.NOT_FOUND, what=f"文件夹 {folder}")
        if not index.is_file():
            raise BianzhiError(CommonError.NOT_FOUND, what=f"文件 {index}")
        result = documents_load(
            actor=None, index_name=index.name, index=index, read=Folder(folder).read, dry_run=dry_run
        )
        if not result.ok:
            for issue in result.issues:
                sys.stderr.write(f"第 {issue.row} 行 {issue.column}：{issue.message}\n")
            rows = len({issue.row for issue in result.issues})
            sys.stderr.write(f"目录表有 {rows} 行共 {len(result.issues)} 处错误，未导入任何内容。请修改后重新运行。\n")
            sys.exit(1)
        self.stdout.write(self._summary(result, dry_run=dry_run))

    @staticmethod
    def _summary(result: LoadResult, *, dry_run: bool) -> str:
        if dry_run:
            return (
                f"检查无误（未作改动）：共 {len(result.rows)} 行，将新登记 {result.to_create} 件文件，"
                f"保存 {result.to_attach} 个文件（其中 PDF {result.pdfs} 个）。"
            )
        return (
            f"已导入：新登记 {result.created} 件文件，保存 {result.attached} 个文件，"
            f"从 {result.pdf_text} 个 PDF 中读取了文字。"
        )
