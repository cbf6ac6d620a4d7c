"""The streaming .xlsx reader (``core.xlsx_stream`` through ``core.tabular``) on one long run of text without a "<",
against inflating the same parts with ``zipfile`` and doing nothing with them (the least any reader must do).

``n`` is the run's length in MB. Where the run sits:

- ``cell``: one cell's text (an inline string), which Excel caps at 32,767 characters; a longer one is refused.
- ``shared``: one shared string shown in a cell, refused likewise.
- ``formula``: a formula's text, which is read past, not kept: the reader must take time in proportion to it.
- ``attribute``: an attribute value of a row, one XML token, read past likewise.
- ``bomb``: a cell of spaces that compresses a thousandfold (a 256 MB cell in a 0.26 MB file), refused.
- ``shared_bomb``: likewise a shared string of spaces (a 1 GB string in a 1 MB file), refused.

The text is random hex digits (the bombs: spaces), so that apart from the bomb the files compress no better than real
sheets do. Each case runs in a child process of its own, whose peak RSS (VmHWM) is reported, and which is given up
after ``--timeout`` seconds. ``python -m bench.xlsx_reader`` runs 8, 16, 32 and 64 MB; ``make bench`` runs it too.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.harness import BenchResult, peak_rss_mb, timed

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
KINDS = ("cell", "shared", "formula", "attribute")
SIZES = (8, 16, 32, 64)
BOMBS = (("bomb", 256), ("shared_bomb", 1024))
MB = 1 << 20
SEED = 2026


@dataclass
class Outcome:
    kind: str
    mb: int
    file_kb: int
    seconds: float | None  # None: given up after the timeout
    inflate_seconds: float
    peak_rss_mb: float | None
    result: str  # "read", or the code the file was refused with


def _run(kind: str, megabytes: int):
    """The run's bytes, a megabyte at a time."""
    if kind.endswith("bomb"):
        yield from (b" " * MB for _ in range(megabytes))
        return
    rng = random.Random(SEED)
    for _ in range(megabytes):
        yield rng.randbytes(MB // 2).hex().encode()


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def write_workbook(path: Path, kind: str, megabytes: int) -> None:
    """A one-sheet workbook: a header row, the row holding the run (as ``kind`` places it), one more row."""
    header = f'<row r="1">{_cell("A1", "姓名")}{_cell("B1", "备注")}</row>'
    first = f'<row r="2">{_cell("A2", "张三")}'
    before, after = {  # the sheet's XML around the run; a shared string's run is in the shared strings part
        "cell": (f'{first}<c r="B2" t="inlineStr"><is><t>', "</t></is></c></row>"),
        "bomb": (f'{first}<c r="B2" t="inlineStr"><is><t xml:space="preserve">', "</t></is></c></row>"),
        "shared": (f'{first}<c r="B2" t="s"><v>0</v></c></row>', ""),
        "shared_bomb": (f'{first}<c r="B2" t="s"><v>0</v></c></row>', ""),
        "formula": (f'{first}<c r="C2"><f>', "</f><v>0</v></c></row>"),
        "attribute": ('<row r="2" x-note="', f'">{_cell("A2", "张三")}</row>'),
    }[kind]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" Type="{RELS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>",
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" Type="{RELS}/worksheet" '
            f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{RELS}/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>',
        )
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f'<sst xmlns="{MAIN}"><si><t xml:space="preserve">'.encode())
            if kind.startswith("shared"):
                for piece in _run(kind, megabytes):
                    part.write(piece)
            part.write(b"</t></si></sst>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(f'<worksheet xmlns="{MAIN}"><sheetData>{header}{before}'.encode())
            if not kind.startswith("shared"):
                for piece in _run(kind, megabytes):
                    part.write(piece)
            part.write(f'{after}<row r="3">{_cell("A3", "李四")}</row></sheetData></worksheet>'.encode())


def read_through(path: Path) -> str:
    """Every row of every sheet, as an import reads them: "read", or the code the file is refused with."""
    from bianzhi.core.errors import BianzhiError
    from bianzhi.core.tabular import sheets

    try:
        for sheet in sheets(path.name, path):
            for _ in sheet.rows:
                pass
    except BianzhiError as exc:
        return exc.code
    return "read"


def inflate(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            with z.open(info) as stream:
                while stream.read(MB):
                    pass


def _child(path: Path, out: Path) -> None:
    import bianzhi.core.tabular  # noqa: F401  (imported before the clock starts)

    start = time.perf_counter()
    result = read_through(path)
    seconds = time.perf_counter() - start
    out.write_text(json.dumps({"seconds": seconds, "result": result, "peak_rss_mb": peak_rss_mb()}))


def measure(kind: str, megabytes: int, timeout: float) -> Outcome:
    with tempfile.TemporaryDirectory() as tmp:
        path, out = Path(tmp) / f"{kind}-{megabytes}mb.xlsx", Path(tmp) / "out.json"
        write_workbook(path, kind, megabytes)
        inflate_seconds = timed(lambda: inflate(path))
        command = [sys.executable, "-m", "bench.xlsx_reader", "--child", str(path), "--out", str(out)]
        try:
            subprocess.run(command, check=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            measured = {"seconds": None, "result": f"未在 {timeout:.0f} 秒内完成", "peak_rss_mb": None}
        else:
            measured = json.loads(out.read_text())
        return Outcome(kind, megabytes, path.stat().st_size // 1024, inflate_seconds=inflate_seconds, **measured)


def run(scale: str, *, sizes=SIZES, kinds=KINDS, bomb: bool = True, timeout: float = 300) -> list[Outcome]:
    outcomes = [measure(kind, mb, timeout) for kind in kinds for mb in sizes]
    if bomb:
        outcomes += [measure(kind, mb, timeout) for kind, mb in BOMBS]
    return outcomes


def results(outcomes: list[Outcome], scale: str) -> list[BenchResult]:
    """The cases that finished, as entries of the common results table."""
    return [
        BenchResult(
            name=f"xlsx_reader.{o.kind}",
            scale=scale,
            n=o.mb,
            seconds=round(o.seconds, 3),
            baseline="zip inflate only",
            baseline_seconds=round(o.inflate_seconds, 3),
            ratio=round(o.seconds / o.inflate_seconds, 2) if o.inflate_seconds else float("inf"),
            peak_rss_mb=o.peak_rss_mb,
        )
        for o in outcomes
        if o.seconds is not None
    ]


def outcome_table(outcomes: list[Outcome]) -> str:
    header = (
        f"{'run in':<10} {'MB':>5} {'file KB':>8} {'seconds':>8} {'s per MB':>9} {'inflate s':>10} "
        f"{'peak RSS MB':>12}  result"
    )
    lines = [header, "-" * len(header)]
    for o in outcomes:
        seconds = f"{o.seconds:>8.2f} {o.seconds / o.mb:>9.3f}" if o.seconds is not None else f"{'—':>8} {'—':>9}"
        rss = f"{o.peak_rss_mb:>12.1f}" if o.peak_rss_mb is not None else f"{'—':>12}"
        lines.append(f"{o.kind:<10} {o.mb:>5} {o.file_kb:>8} {seconds} {o.inflate_seconds:>10.2f} {rss}  {o.result}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.xlsx_reader", description=".xlsx 读取器在超长文本上的耗时与内存基准")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="文本长度（MB，逗号分隔）")
    parser.add_argument("--kinds", default=",".join(KINDS), help=f"文本所在位置：{','.join(KINDS)}")
    parser.add_argument("--no-bomb", action="store_true", help="不测高倍压缩的超大单元格和共享字符串")
    parser.add_argument("--timeout", type=float, default=300, help="每个用例的最长秒数")
    parser.add_argument("--json", help="把结果另存为 JSON 文件")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(Path(args.child), Path(args.out))
        return
    sizes = tuple(int(s) for s in args.sizes.split(","))
    kinds = tuple(k for k in args.kinds.split(",") if k)
    outcomes = run("county", sizes=sizes, kinds=kinds, bomb=not args.no_bomb, timeout=args.timeout)
    print(outcome_table(outcomes))
    if args.json:
        Path(args.json).write_text(json.dumps([asdict(o) for o in outcomes], ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
