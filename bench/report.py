"""The printed table and the JSON file of a run. No Django here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.sizes import PROBE_ROWS

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def table(result: dict[str, Any]) -> str:
    """A plain-text report of ``BenchResult.as_json()``."""
    low, high = PROBE_ROWS
    db = result["database"]
    ws = result["measured_workspace"]
    dataset = ", ".join(f"{n} {kind}" for kind, n in result["dataset"].items())
    lines = [
        f"Territoria benchmark: size {result['size']}, seed {result['seed']}, "
        f"{db['version']}, median of up to {result['repeat']} runs after {result['warmup']} "
        "warm-up (slow endpoints: fewer runs)",
        f"Dataset: {dataset}",
        f"Pages timed in workspace {ws['slug']} ({ws['territories']} territories, "
        f"{ws['projects']} projects), as its owner; plan pages on project "
        f"{ws['plan_project']['name']!r} ({ws['plan_actions']} actions, "
        f"{ws['plan_objectives']} objectives). Ratio = median / raw-SQL baseline median.",
        "",
    ]
    header = (
        "endpoint",
        "rows",
        "runs",
        "median ms",
        "baseline ms",
        "ratio",
        f"queries@{low}",
        f"queries@{high}",
    )
    rows = []
    for e in result["endpoints"]:
        shown = str(e["rows"]) if e["total_rows"] is None else f"{e['rows']}/{e['total_rows']}"
        queries = [str(e["queries"][str(n)]) for n in PROBE_ROWS]
        flag = "" if e["n_plus_one_free"] else "  <- N+1"
        rows.append(
            (
                e["endpoint"],
                shown,
                str(e["runs"]),
                f"{e['median_ms']:.2f}",
                f"{e['baseline_ms']:.3f}",
                f"{e['ratio']:.1f}x",
                *queries[:-1],
                queries[-1] + flag,
            )
        )
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for i, row in enumerate([header, *rows]):
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append("")
    save, size = result["inline_save"], result["table_bytes"]
    lines.append(
        f"Inline save (POST {save['field']} with its version, HX-Request): median "
        f"{save['median_ms']:.2f} ms over {save['runs']} runs, {save['queries']} queries per save."
    )
    lines.append(
        f"Table partial: {size['partial_bytes']:,} bytes; full table page: "
        f"{size['full_page_bytes']:,} bytes ({size['share']:.2f}x)."
    )
    api = result["api_list"]
    lines.append(
        f"API actions list (GET {api['path']}, {api['auth']}): {api['rows']} of "
        f"{api['total_rows']} actions, median {api['median_ms']:.2f} ms against "
        f"{api['baseline_ms']:.2f} ms for one SQL query + json.dumps of the same JSON "
        f"({api['ratio']:.2f}x), {api['queries']} queries per page, {api['bytes']:,} bytes."
    )
    lines += _snapshots(result)
    for target in result["targets"]:
        verdict = "met" if target["met"] else "MISSED"
        lines.append(f"Target {target['what']} <= {target['max']}: {target['value']} -> {verdict}")
    lines.append("")
    bad = [e["endpoint"] for e in result["endpoints"] if not e["n_plus_one_free"]]
    if bad:
        lines.append(f"N+1: the query count grows with the rows on {', '.join(bad)}.")
    else:
        lines.append(f"No N+1: every endpoint issues as many queries at {low} row as at {high}.")
    lines.append(f"Dataset, probes and timings took {result['duration_s']:.1f} s.")
    return "\n".join(lines)


def write_json(result: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _columns(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for i, row in enumerate([header, *rows]):
        lines.append("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def _snapshots(result: dict[str, Any]) -> list[str]:
    """The dashboard snapshot per measurement level, and the dashboard page."""
    lines = [
        "",
        "Dashboard snapshot of the timed project (evaluation.dashboard.compute_project, SQL "
        "aggregates) against a Python reference over the same rows (values_list), same run. "
        "Peak = Python allocations (tracemalloc).",
    ]
    header = (
        "measurements",
        "indicators",
        "runs",
        "median ms",
        "reference ms",
        "ratio",
        "queries",
        "peak KiB",
        "reference peak KiB",
    )
    rows = [
        (
            f"{s['measurements']:,}",
            str(s["indicators"]),
            str(s["runs"]),
            f"{s['median_ms']:.1f}",
            f"{s['reference_ms']:.1f}",
            f"{s['ratio']:.2f}x",
            str(s["queries"]),
            f"{s['peak_kib']:,.0f}",
            f"{s['reference_peak_kib']:,.0f}",
        )
        for s in result["snapshots"]
    ]
    lines += _columns(header, rows)
    page = result["dashboard_page"]
    if "skipped" in page:
        lines.append(f"Dashboard page: not measured ({page['skipped']}).")
    else:
        lines.append(
            f"Dashboard page ({page['path']}): {page['queries']} queries, median "
            f"{page['median_ms']:.2f} ms over {page['runs']} runs."
        )
    lines.append("")
    return lines
