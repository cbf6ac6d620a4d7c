from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from bianzhi.core.errors import BianzhiError, CalendarError, CommonError
from bianzhi.core.management.base import BianzhiCommand, ChineseCommandParser
from bianzhi.core.models import CalendarDay, CalendarYear
from bianzhi.core.tabular import parse_date
from bianzhi.core.workdays import WEEKDAYS, WorkCalendar, add_working_days, calendar_import


def _day(value: str) -> dt.date:
    parsed = parse_date(value)
    if parsed is None or not parsed.has_day:
        raise argparse.ArgumentTypeError(f"日期「{value}」无效，请按 2026-10-09 的格式填写")
    return parsed.day


def _count(value: str) -> int:
    try:
        return int(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(CalendarError.BAD_COUNT.format(value=value)) from exc


class Command(BianzhiCommand):
    help = (
        "工作日历（法定节假日和调休上班日）。import：导入国务院办公厅通知的全年安排；add：某日之后第 N 个工作日；"
        "between：两日之间的工作日数；show：列出某年的安排或已载入的年度。"
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, parser_class=ChineseCommandParser, title="子命令")
        load = actions.add_parser(
            "import", help="导入 CSV 或 .xlsx（列：日期,类型[,名称]；类型为 休 或 班），文件中的年度整年替换"
        )
        load.add_argument("file", type=Path, help="文件路径")
        load.add_argument("--basis", default="", help="依据的通知，如「国务院办公厅关于2027年部分节假日安排的通知」")
        add = actions.add_parser("add", help="输出 DATE 之后第 N 个工作日（N 为负数时向前推算）")
        add.add_argument("day", type=_day, metavar="DATE")
        add.add_argument("count", type=_count, metavar="N")
        between = actions.add_parser("between", help="输出 A 之后到 B（含）的工作日数（B 早于 A 时为负数）")
        between.add_argument("start", type=_day, metavar="A")
        between.add_argument("end", type=_day, metavar="B")
        show = actions.add_parser("show", help="列出某年的节假日和调休上班日；不给年度时列出已载入的年度")
        show.add_argument("year", type=int, nargs="?")

    def handle(self, *args, action: str, **options):
        getattr(self, f"_{action}")(**options)

    def _note_unloaded(self, years) -> None:
        # the bare result stays alone on stdout; what it rests on goes to stderr
        if years:
            listed = "、".join(str(year) for year in years)
            sys.stderr.write(f"注意：{listed} 年的节假日安排尚未载入，按周一至周五推算。\n")

    def _add(self, *, day: dt.date, count: int, **options):
        deadline = add_working_days(day, count)
        self.stdout.write(deadline.due.isoformat())
        self._note_unloaded(deadline.unloaded_years)

    def _between(self, *, start: dt.date, end: dt.date, **options):
        calendar = WorkCalendar.load()
        self.stdout.write(str(calendar.between(start, end)))
        self._note_unloaded(calendar.unloaded_years(start, end))

    def _import(self, *, file: Path, basis: str, **options):
        if not file.is_file():
            raise BianzhiError(CommonError.NOT_FOUND, what=f"文件 {file}")
        result = calendar_import(actor=None, file_name=file.name, source=file, basis=basis)
        if not result.ok:
            for issue in result.issues:
                sys.stderr.write(f"第 {issue.row} 行 {issue.column}：{issue.message}\n")
            sys.stderr.write(f"文件有 {len(result.issues)} 处错误，未导入任何内容。\n")
            sys.exit(1)
        years = "、".join(str(year) for year in result.years)
        self.stdout.write(f"已导入 {years} 年的节假日安排，共 {result.days} 天。")

    def _show(self, *, year: int | None, **options):
        if year is None:
            for loaded in CalendarYear.objects.all():
                self.stdout.write(f"{loaded.year}\t{loaded.source}")
            return
        if not CalendarYear.objects.filter(year=year).exists():
            self.stdout.write(f"{year} 年的节假日安排尚未载入，按周一至周五计算。")
            return
        for day in CalendarDay.objects.filter(day__year=year):
            weekday = WEEKDAYS[day.day.weekday()]
            self.stdout.write(f"{day.day.isoformat()}\t星期{weekday}\t{day.get_kind_display()}\t{day.name}")
