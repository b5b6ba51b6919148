"""Timing helpers: run budgets, and wall times with the garbage collector off (as timeit)."""

from __future__ import annotations

import gc
from collections.abc import Callable
from time import perf_counter

from bench.sizes import MIN_RUNS


def budgeted(one_call_s: float, warmup: int, repeat: int, seconds: float) -> tuple[int, int]:
    """Warm-up and timed runs, fewer when ``repeat`` calls would take more than ``seconds``."""
    if one_call_s * repeat <= seconds:
        return warmup, repeat
    runs = min(repeat, max(MIN_RUNS, int(seconds / one_call_s)))
    return min(warmup, max(1, runs // 10)), runs


def _timed(calls: Callable[[], None]) -> None:
    """Run ``calls`` with the garbage collector off, as timeit does."""
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        calls()
    finally:
        if enabled:
            gc.enable()


def time_calls(measured: Callable[[], object], *, warmup: int, repeat: int) -> list[float]:
    """Seconds per call; GC off, as timeit."""
    for _ in range(warmup):
        measured()
    seconds: list[float] = []

    def run() -> None:
        for _ in range(repeat):
            start = perf_counter()
            measured()
            seconds.append(perf_counter() - start)

    _timed(run)
    return seconds


def time_pair(
    measured: Callable[[], object], baseline: Callable[[], object], *, warmup: int, repeat: int
) -> tuple[list[float], list[float]]:
    """Seconds per call of each, interleaved so both see the same machine; GC off, as timeit."""
    for _ in range(warmup):
        measured()
        baseline()
    first: list[float] = []
    second: list[float] = []

    def run() -> None:
        for _ in range(repeat):
            start = perf_counter()
            measured()
            middle = perf_counter()
            baseline()
            end = perf_counter()
            first.append(middle - start)
            second.append(end - middle)

    _timed(run)
    return first, second
