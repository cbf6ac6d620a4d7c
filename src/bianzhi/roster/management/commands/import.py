from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from django.contrib.auth import get_user_model

from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.management.base import BianzhiCommand
from bianzhi.core.tabular.rows import RowIssue
from bianzhi.orgs.documents import DocumentRef
from bianzhi.roster.errors import RosterImportError
from bianzhi.roster.import_tasks import document_fields, execute
from bianzhi.roster.models import RosterImport


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期「{value}」无效，请按 2026-11-28 的格式填写") from None


def _line(issue: RowIssue) -> str:
    return f"第 {issue.row} 行 [{issue.code}] {issue.column}：{issue.message}"


class Command(BianzhiCommand):
    help = (
        "导入实名制人员（旧系统导出的 .xlsx 或 .csv）：先检查全部行，任何一行有误则不导入并列出原因（退出码 1），"
        "全部无误则一次性写入。"
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["roster"], help="导入的内容：roster（实名制人员）")
        parser.add_argument("file", type=Path, help="导入文件（.xlsx 或 .csv）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--document", default="", help="入编依据的文号；不填时登记“实名制数据初始导入”")
        parser.add_argument("--document-title", default="", help="文件标题（文号尚未登记时必填）")
        parser.add_argument("--document-date", type=_day, help="发文日期 YYYY-MM-DD（文号尚未登记时必填）")
        parser.add_argument("--document-issuer", default="", help="发文机关（文号尚未登记时必填）")
        parser.add_argument("--user", default="", help="以该账号的名义导入（记入审计日志）；不填为系统")
        parser.add_argument("--report", type=Path, help="有错误时把错误报告（.xlsx）写到这里")

    def handle(self, *args, file: Path, dry_run: bool, user: str, report: Path | None, **options):
        if not file.is_file():
            raise BianzhiError(RosterImportError.FILE_MISSING, path=file)
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise BianzhiError(CommonError.NOT_FOUND, what=f"账号 {user}")
        document = DocumentRef(
            options["document"], options["document_title"], options["document_date"], options["document_issuer"]
        )
        record = RosterImport.objects.create(
            file_name=file.name,
            dry_run=dry_run,
            document=document_fields(document) if document.number else {},
            created_by=actor,
        )
        result = execute(record, file, report=report)  # a bad file or document raises: `bianzhi` prints it
        if result.skipped_note:
            self.stdout.write(f"提示：{result.skipped_note}")
        for warning in result.warnings:
            self.stdout.write(f"提示：{_line(warning)}")
        if not result.ok:
            for issue in result.issues:
                self.stderr.write(_line(issue))
            if result.issue_count > len(result.issues):
                self.stderr.write(f"（仅列出前 {len(result.issues)} 处，共 {result.issue_count} 处）")
            if report is not None:
                self.stderr.write(f"错误报告已写入 {report}")
            self.stderr.write(
                f"检查未通过：{result.rows} 行中有 {result.failed_rows} 行共 {result.issue_count} 处问题，"
                "未导入任何人员。"
            )
            sys.exit(1)
        if dry_run:
            self.stdout.write(f"检查通过：{result.rows} 行均可导入（仅检查，未写入）。")
            return
        self.stdout.write(
            f"已导入 {result.imported} 人（其中再次入编 {result.returning} 人），"
            f"涉及 {len(result.accounts)} 个编制账户，依据 {result.document}（导入编号 {record.pk}）。"
        )
