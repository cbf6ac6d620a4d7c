"""What a roster import hands back: the counts, the accounts it fills, its problems and warnings (the first
``MAX_ISSUES`` of each, with the true count), and the error report written from them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bianzhi.core.tabular.report import ReportColumn, issue_report
from bianzhi.core.tabular.rows import RowIssue
from bianzhi.roster.errors import RosterImportError

MAX_ISSUES = 100_000  # kept for the page and the report; a file wrong throughout is not listed to its last row

Progress = Callable[[str, int, int | None], None]  # (phase "checking" | "writing", rows done, rows expected)


def no_progress(_phase: str, _done: int, _total: int | None) -> None:
    return None


@dataclass
class AccountUse:
    unit: str
    quota_type: str
    funding_form: str
    count: int
    available: int


@dataclass
class RosterImportResult:
    file_name: str
    dry_run: bool
    sha256: str
    header_row: int = 0
    rows: int = 0
    imported: int = 0
    returning: int = 0  # persons already in the register (已出编) who enter a slot again
    document: str = ""
    issues: list[RowIssue] = field(default_factory=list)  # the first MAX_ISSUES, by row
    issue_count: int = 0
    failed_rows: int = 0
    warnings: list[RowIssue] = field(default_factory=list)
    skipped_columns: list[str] = field(default_factory=list)
    accounts: list[AccountUse] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.issue_count == 0

    @property
    def skipped_note(self) -> str:
        if not self.skipped_columns:
            return ""
        return RosterImportError.SKIPPED_COLUMNS.format(headers="、".join(self.skipped_columns))

    def add_issue(self, issue: RowIssue) -> None:
        self.issue_count += 1
        if len(self.issues) < MAX_ISSUES:
            self.issues.append(issue)

    def add_warning(self, issue: RowIssue) -> None:
        if len(self.warnings) < MAX_ISSUES:
            self.warnings.append(issue)


REPORT_COLUMNS = (
    ReportColumn("行号", 8, "row"),
    ReportColumn("姓名", 12, "name"),
    ReportColumn("公民身份号码", 22, "masked_id"),
    ReportColumn("列", 14, "column"),
    ReportColumn("错误代码", 30, "code"),
    ReportColumn("原因", 80, "message"),
)


def error_report(result: RosterImportResult) -> bytes:
    """行号, 姓名, masked 公民身份号码, 列, 错误代码, 原因 for every problem; what to verify on a second sheet."""
    sheets = [("错误", result.issues)] + ([("提示", result.warnings)] if result.warnings else [])
    return issue_report(columns=REPORT_COLUMNS, sheets=sheets)
