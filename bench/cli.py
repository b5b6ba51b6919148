"""``python -m bench``: create the benchmark's database, measure, print, write the JSON, drop it.

Exit status: 0 when every endpoint was measured and none has an N+1, 1 when one has an N+1
(the table and the JSON are still written), 2 when the benchmark could not trust a measurement.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from bench.report import RESULTS_DIR, table, write_json
from bench.sizes import DEFAULT_SEED, SIZES

_START = time.perf_counter()


def _progress(message: str) -> None:
    print(f"[{time.perf_counter() - _START:6.1f}s] {message}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--size", choices=list(SIZES), default="S", type=str.upper)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--repeat", type=int, help="timed runs per endpoint (default: by size)")
    parser.add_argument("--warmup", type=int, help="untimed runs first (default: by size)")
    args = parser.parse_args(argv)
    size = SIZES[args.size]

    from bench.database import dedicated_database

    with dedicated_database(_progress):
        # Imported once Django is set up on the benchmark's database: these load models.
        from bench.endpoints import BenchError
        from bench.harness import run_benchmark

        try:
            result = run_benchmark(
                size, args.seed, warmup=args.warmup, repeat=args.repeat, progress=_progress
            ).as_json()
        except BenchError as error:
            print(f"Benchmark error: {error}", file=sys.stderr)
            return 2

    print(table(result))
    path = write_json(result, RESULTS_DIR / f"bench-{size.name}.json")
    print(f"Results: {path}")
    return 0 if result["ok"] else 1
