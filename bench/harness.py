"""Benchmark harness: each benchmark times our code and a bare baseline doing the same work in the same run."""

from __future__ import annotations

import gc
import json
import resource
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class BenchResult:
    name: str
    scale: str
    n: int
    seconds: float
    baseline: str
    baseline_seconds: float
    ratio: float
    peak_rss_mb: float


def peak_rss_mb() -> float:
    """Peak RSS of this process. On Linux ``ru_maxrss`` survives ``exec``, so a child process started by the
    benchmarks would report its parent's peak; VmHWM is the process's own."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def timed(func: Callable[[], object]) -> float:
    # each call starts with the cycle collector's counts at zero: a side that pauses the collector while it builds
    # (the statistics do) must not leave the collection it put off to be timed in the other side's call
    gc.collect()
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def compare(
    name: str,
    scale: str,
    n: int,
    ours: Callable[[], object],
    baseline_name: str,
    baseline: Callable[[], object],
    *,
    rounds: int = 3,
) -> BenchResult:
    """Best of ``rounds`` for each side, the two sides taking turns, so a one-off hiccup of the machine (or a
    busy spell of other work on it) does not decide the ratio."""
    seconds = baseline_seconds = float("inf")
    for _ in range(rounds):
        seconds = min(seconds, timed(ours))
        baseline_seconds = min(baseline_seconds, timed(baseline))
    return BenchResult(
        name=name,
        scale=scale,
        n=n,
        seconds=round(seconds, 4),
        baseline=baseline_name,
        baseline_seconds=round(baseline_seconds, 4),
        ratio=round(seconds / baseline_seconds, 2) if baseline_seconds else float("inf"),
        peak_rss_mb=peak_rss_mb(),
    )


def write_results(results: list[BenchResult], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=2) + "\n")


def table(results: list[BenchResult]) -> str:
    header = (
        f"{'name':<34} {'scale':<9} {'n':>10} {'seconds':>9} {'baseline':<28} {'base s':>8} {'ratio':>6} {'RSS MB':>7}"
    )
    rows = [
        f"{r.name:<34} {r.scale:<9} {r.n:>10} {r.seconds:>9.3f} {r.baseline:<28} {r.baseline_seconds:>8.3f}"
        f" {r.ratio:>6.2f} {r.peak_rss_mb:>7.1f}"
        for r in results
    ]
    return "\n".join([header, "-" * len(header), *rows])
