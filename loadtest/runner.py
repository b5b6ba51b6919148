"""The load and soak run: production stack, calibrated rate, goals checked, figures printed.

1. **Setup**: a fresh PostgreSQL database ``<DATABASE_URL's name>_load`` (dropped at the end),
   migrated and seeded by ``loadtest.seed``; the production static files (collected only when
   ``staticfiles/`` is missing or older than ``static/``); gunicorn with the production
   settings (``DEBUG`` off, ``BEHIND_TLS_PROXY=1``: the load sends ``X-Forwarded-Proto: https``
   as the TLS proxy would) and a real Celery worker on ``REDIS_URL``.
2. **Warm-up** (not measured), then the **ramp**: steps of ``--step`` seconds with more and more
   simulated people (``loadtest.locustfile``). A step is *sustainable* while its errors stay
   under 0.1 %, its p95 within ``RAMP_P95_GROWTH`` x the best step's so far (or within
   ``RAMP_P95_SLACK_MS`` of it), and its throughput per person within ``RAMP_THROUGHPUT_DROP``
   of the best (the server keeps up). The ramp stops at the first step that is not.
3. **Soak**: ``--soak`` seconds at 70 % of the last sustainable step. Goals: errors < 0.1 %, and
   the p95 of the last minute ≤ 1.2 x the p95 of the first minute, both weighed to the soak's
   mix of requests (a minute's plain p95 moves by some 20 % with the slow requests that happened
   to fall in it; :func:`mix_adjusted_p95`). The plain figures are printed too.
4. **Noisy neighbour**: the same load while ``loadtest.neighbour`` makes workspace ``soak-a``
   recompute its dashboards in a loop. Goal: the other workspace's (``soak-b``) p95 ≤ 1.5 x its
   p95 during the soak.

A summary table (rate, requests, errors, p50/p95 per step, per minute and per phase, load
average) is printed and written with the raw figures to ``loadtest/results/`` (JSON and CSV).
Exit status: 0 when every goal is met, 1 when one is missed, 2 when the run could not be made.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "loadtest" / "results"
PYTHON = sys.executable
BIN = Path(sys.executable).parent

MAX_ERROR_SHARE = 0.001  # errors < 0.1 %
SOAK_P95_DRIFT = 1.2  # last minute's p95 within 1.2 x the first minute's
NEIGHBOUR_P95_GROWTH = 1.5  # the other workspace's p95 within 1.5 x without the neighbour
SOAK_SHARE = 0.7  # the soak runs at 70 % of the sustainable rate
RAMP_P95_GROWTH = 2.0  # a ramp step whose p95 doubled is past the sustainable rate...
RAMP_P95_SLACK_MS = 250  # ... unless by less than this (one slow page in a short step is noise)
RAMP_THROUGHPUT_DROP = 0.8  # ... and so is one whose requests per person fell by 20 %
MEASURED = "soak-b"  # the workspace whose users the neighbour must not hurt
NEIGHBOUR = "soak-a"
SETTLE = 5.0  # seconds after a change of load that are not measured


def log(message: str) -> None:
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"[{time.strftime('%H:%M:%S')} load {load}] {message}", file=sys.stderr, flush=True)


# --- Figures --------------------------------------------------------------------------------


@dataclass
class Sample:
    at: float  # time.monotonic() when the answer arrived
    name: str
    ms: float
    failed: bool

    @property
    def workspace(self) -> str:
        return self.name[1 : self.name.index("]")] if self.name.startswith("[") else ""


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Window:
    """The figures of the requests answered between two moments."""

    label: str
    users: int
    seconds: float
    requests: int = 0
    errors: int = 0
    p50: float = 0.0
    p95: float = 0.0
    load: float = 0.0  # the machine's 1-minute load average meanwhile

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def error_share(self) -> float:
        return self.errors / self.requests if self.requests else 0.0

    def row(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "rate": round(self.rate, 2),
            "error_pct": round(100 * self.error_share, 3),
        }


def window(
    samples: Iterable[Sample],
    label: str,
    users: int,
    start: float,
    end: float,
    workspace: str | None = None,
    loads: Iterable[tuple[float, float]] = (),
) -> Window:
    """The requests answered in [start, end) (of one workspace if given); ``loads`` are
    (moment, 1-minute load average) readings, averaged over the window."""
    picked = [
        s
        for s in samples
        if start <= s.at < end and (workspace is None or s.workspace == workspace)
    ]
    times = [s.ms for s in picked]
    during = [value for at, value in loads if start <= at < end]
    return Window(
        label=label,
        users=users,
        seconds=end - start,
        requests=len(picked),
        errors=sum(s.failed for s in picked),
        p50=percentile(times, 0.5),
        p95=percentile(times, 0.95),
        load=sum(during) / len(during) if during else os.getloadavg()[0],
    )


def by_endpoint(samples: Iterable[Sample], start: float, end: float) -> dict[str, dict[str, Any]]:
    """Requests, p50 and p95 of each request name answered in [start, end)."""
    times: dict[str, list[float]] = {}
    for s in samples:
        if start <= s.at < end:
            times.setdefault(s.name, []).append(s.ms)
    return {
        name: {"requests": len(v), "p50": percentile(v, 0.5), "p95": percentile(v, 0.95)}
        for name, v in sorted(times.items())
    }


def mix_adjusted_p95(samples: list[Sample], shares: dict[str, float]) -> float:
    """The p95 of ``samples`` as if its kinds of request came in the proportions ``shares``
    (those of the whole soak): each answer weighs its kind's share over its kind's count here.

    A minute holds about 500 answers of a dozen kinds; which of the slow kinds happened to fall
    in it moves the plain p95 by some 20 % with no drift at all (two quiet runs of one build:
    0.87 x and 1.23 x). Weighed to the same mix, two minutes compare the server with itself."""
    counts: dict[str, int] = {}
    for x in samples:
        if x.name in shares:
            counts[x.name] = counts.get(x.name, 0) + 1
    weighed = sorted((x.ms, shares[x.name] / counts[x.name]) for x in samples if x.name in counts)
    total = sum(weight for _ms, weight in weighed)
    running = 0.0
    for ms, weight in weighed:
        running += weight
        if running >= 0.95 * total - 1e-12:
            return ms
    return weighed[-1][0] if weighed else 0.0


@dataclass
class Goal:
    name: str
    ok: bool
    detail: str


@dataclass
class Report:
    started: str
    ramp: list[Window] = field(default_factory=list)
    sustainable_users: int = 0
    soak_users: int = 0
    soak: list[Window] = field(default_factory=list)  # the whole phase, then minute by minute
    neighbour: list[Window] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    # The soak's first and last minutes, endpoint by endpoint (what a drift comes from).
    endpoints: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return bool(self.goals) and all(goal.ok for goal in self.goals)


def table(report: Report) -> str:
    head = f"{'phase':<34} {'users':>5} {'s':>5} {'req':>6} {'req/s':>6} {'err %':>6} "
    head += f"{'p50 ms':>7} {'p95 ms':>7} {'load':>5}"
    lines = [head, "-" * len(head)]

    def add(rows: list[Window]) -> None:
        for w in rows:
            lines.append(
                f"{w.label:<34} {w.users:>5} {w.seconds:>5.0f} {w.requests:>6} {w.rate:>6.1f} "
                f"{100 * w.error_share:>6.2f} {w.p50:>7.0f} {w.p95:>7.0f} {w.load:>5.1f}"
            )

    add(report.ramp)
    lines.append(
        f"sustainable: {report.sustainable_users} people; soak at {SOAK_SHARE:.0%}: "
        f"{report.soak_users} people"
    )
    add(report.soak)
    add(report.neighbour)
    lines.append("")
    for goal in report.goals:
        lines.append(f"{'PASS' if goal.ok else 'FAIL'}  {goal.name}: {goal.detail}")
    for note in report.notes:
        lines.append(f"note: {note}")
    if report.endpoints:
        first, last = report.endpoints["first minute"], report.endpoints["last minute"]
        grown = sorted(
            (last[name]["p95"] - first[name]["p95"], name) for name in last if name in first
        )[::-1][:5]
        lines.append("p95 growth from the soak's first to last minute, largest first:")
        for _growth, name in grown:
            lines.append(
                f"  {name:<34} {first[name]['p95']:>6.0f} -> {last[name]['p95']:>6.0f} ms "
                f"({first[name]['requests']} / {last[name]['requests']} requests)"
            )
    if report.errors:
        lines.append("unexpected answers:")
        for error, count in sorted(report.errors.items(), key=lambda kv: -kv[1])[:15]:
            lines.append(f"  {count:>5}  {error}")
    return "\n".join(lines)


# --- Services -------------------------------------------------------------------------------


def load_database_url(url: str) -> tuple[str, str]:
    """The soak's own database next to DATABASE_URL's: (its URL, its name)."""
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit("The soak needs DATABASE_URL=postgres://... (PostgreSQL).")
    name = parts.path.lstrip("/") + "_load"
    return urlunsplit(parts._replace(path=f"/{name}")), name


def maintenance(url: str, *statements: str) -> None:
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.endswith("_load"):  # never drop a database the soak does not own
        raise SystemExit(f"Refusing to create or drop {name!r}: not a _load database.")
    conn = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            for statement in statements:
                cursor.execute(sql.SQL(statement).format(sql.Identifier(name)))
    finally:
        conn.close()


def run(env: dict[str, str], *args: str) -> None:
    started = time.monotonic()
    subprocess.run(args, cwd=ROOT, env=env, check=True)
    log(f"{' '.join(Path(a).name if i == 0 else a for i, a in enumerate(args))}: "
        f"{time.monotonic() - started:.1f} s")  # fmt: skip


def static_is_current() -> bool:
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return False
    built = manifest.stat().st_mtime
    return all(p.stat().st_mtime <= built for p in (ROOT / "static").rglob("*") if p.is_file())


class Services:
    """gunicorn and the Celery worker, started in their own process groups, stopped by pid."""

    def __init__(self, env: dict[str, str], port: int, logs: Path) -> None:
        self.env, self.port, self.logs = env, port, logs
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, workers: int) -> None:
        """The production commands (deploy/web.sh and deploy/worker.sh, as docker-compose.yml
        runs them), with this venv first on the PATH; the database is migrated already."""
        env = {
            **self.env,
            "PATH": f"{BIN}{os.pathsep}{self.env.get('PATH', os.environ.get('PATH', ''))}",
            "MIGRATE": "0",
            "BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(workers),
            "CELERY_CONCURRENCY": "2",
            "LOG_LEVEL": "WARNING",
        }
        web = [str(ROOT / "deploy" / "web.sh"), "--error-logfile", str(self.logs / "gunicorn.log")]
        worker = [str(ROOT / "deploy" / "worker.sh"), "--without-heartbeat", "--without-mingle"]
        worker += ["--without-gossip", "-n", f"soak-{os.getpid()}@%h"]
        for name, command in (("web", web), ("worker", worker)):
            out = (self.logs / f"{name}.out").open("wb")
            self.processes.append(
                subprocess.Popen(
                    command,
                    cwd=ROOT,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        self.wait_healthy()

    def wait_healthy(self, timeout: float = 90) -> None:
        end = time.monotonic() + timeout
        url = f"http://127.0.0.1:{self.port}/healthz"
        while time.monotonic() < end:
            for process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:
                    if json.load(answer).get("status") == "ok":
                        log(f"gunicorn answers {url}")
                        return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{url} did not answer ok within {timeout:.0f} s")

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes = []


# --- The load -------------------------------------------------------------------------------


class Load:
    """Locust's library API in this process: users started and stopped, every answer kept."""

    def __init__(self, host: str) -> None:
        from locust.env import Environment

        from loadtest import locustfile

        self.env = Environment(
            user_classes=list(locustfile.USERS),
            host=host,
        )
        self.samples: list[Sample] = []
        self.errors: dict[str, int] = {}
        self.env.events.request.add_listener(self._record)
        self.runner = self.env.create_local_runner()
        self.users = 0
        self.loads: list[tuple[float, float]] = []
        import gevent

        self._sampler = gevent.spawn(self._sample_load)

    def _sample_load(self) -> None:
        while True:
            self.loads.append((time.monotonic(), os.getloadavg()[0]))
            self.sleep(2)

    def window(self, label: str, start: float, end: float, workspace: str | None = None) -> Window:
        return window(self.samples, label, self.users, start, end, workspace, self.loads)

    def _record(self, name: str, response_time: float, exception: Any, **kwargs: Any) -> None:
        self.samples.append(Sample(time.monotonic(), name, response_time, exception is not None))
        if exception is not None:
            key = f"{kwargs.get('request_type', '')} {name}: {exception}"
            self.errors[key] = self.errors.get(key, 0) + 1

    def set_users(self, users: int) -> None:
        self.users = users
        self.runner.start(users, spawn_rate=max(users, 1))
        self.sleep(0)

    @staticmethod
    def sleep(seconds: float) -> None:
        import gevent

        gevent.sleep(seconds)

    def measure(self, label: str, seconds: float, workspace: str | None = None) -> Window:
        start = time.monotonic()
        self.sleep(seconds)
        return self.window(label, start, time.monotonic(), workspace)

    def stop(self) -> None:
        self._sampler.kill()
        self.runner.quit()


def ramp_steps(first: int, steps: int) -> list[int]:
    """People at each step: the first, then half as many again at each step."""
    counts = [first]
    while len(counts) < steps:
        counts.append(max(counts[-1] + 1, round(counts[-1] * 1.5)))
    return counts


def calibrate(load: Load, report: Report, first: int, steps: int, seconds: float) -> int:
    sustainable = 0
    best_p95, best_per_person = math.inf, 0.0
    for users in ramp_steps(first, steps):
        load.set_users(users)
        load.sleep(min(SETTLE, seconds / 4))
        step = load.measure(f"ramp {users} people", seconds - min(SETTLE, seconds / 4))
        report.ramp.append(step)
        log(f"ramp: {users} people, {step.rate:.1f} req/s, p95 {step.p95:.0f} ms, "
            f"{100 * step.error_share:.2f} % errors")  # fmt: skip
        # Against the best step so far: a first step that was still warming up is no yardstick.
        best_p95 = min(step.p95, best_p95)
        per_person = step.rate / users
        best_per_person = max(per_person, best_per_person)
        reasons = []
        if step.error_share >= MAX_ERROR_SHARE:
            reasons.append("errors")
        if step.p95 > max(RAMP_P95_GROWTH * best_p95, best_p95 + RAMP_P95_SLACK_MS):
            reasons.append(f"p95 over {RAMP_P95_GROWTH} x the best step's")
        if per_person < RAMP_THROUGHPUT_DROP * best_per_person:
            reasons.append("the server no longer keeps up")
        if reasons:
            report.notes.append(f"ramp stopped at {users} people: {', '.join(reasons)}")
            break
        sustainable = users
    else:
        report.notes.append(
            f"the ramp never saturated the server (last step {sustainable} people): raise --steps"
        )
    return sustainable or first


def soak(load: Load, report: Report, users: int, seconds: float) -> Window:
    load.set_users(users)
    load.sleep(SETTLE)
    start = time.monotonic()
    load.sleep(seconds)
    end = time.monotonic()
    whole = load.window("soak (all)", start, end)
    minutes = max(1, round(seconds / 60))
    span = (end - start) / minutes
    per_minute = [
        load.window(f"soak minute {i + 1}", start + i * span, start + (i + 1) * span)
        for i in range(minutes)
    ]
    measured = load.window(f"soak ({MEASURED} only)", start, end, MEASURED)
    report.soak = [whole, *per_minute, measured]
    report.endpoints = {
        "first minute": by_endpoint(load.samples, start, start + span),
        "last minute": by_endpoint(load.samples, end - span, end),
    }
    first, last = per_minute[0], per_minute[-1]
    report.goals.append(
        Goal(
            "soak errors < 0.1 %",
            whole.error_share < MAX_ERROR_SHARE,
            f"{whole.errors} of {whole.requests} ({100 * whole.error_share:.3f} %)",
        )
    )
    # The two minutes weighed to the soak's mix of requests (mix_adjusted_p95).
    during = [x for x in load.samples if start <= x.at < end]
    shares = {name: n / len(during) for name, n in Counter(x.name for x in during).items()}
    adjusted_first = mix_adjusted_p95([x for x in during if x.at < start + span], shares)
    adjusted_last = mix_adjusted_p95([x for x in during if x.at >= end - span], shares)
    report.goals.append(
        Goal(
            f"soak p95 last minute <= {SOAK_P95_DRIFT} x first minute (same mix of requests)",
            adjusted_last <= SOAK_P95_DRIFT * adjusted_first,
            f"{adjusted_last:.0f} ms vs {adjusted_first:.0f} ms "
            f"({adjusted_last / max(adjusted_first, 1):.2f} x; as measured: {last.p95:.0f} vs "
            f"{first.p95:.0f} ms, {last.p95 / max(first.p95, 1):.2f} x)",
        )
    )
    return measured


def neighbour(
    load: Load, report: Report, env: dict[str, str], seconds: float, baseline: Window
) -> None:
    process = subprocess.Popen(
        [PYTHON, "-m", "loadtest.neighbour", NEIGHBOUR, str(seconds + SETTLE)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        load.sleep(SETTLE)
        start = time.monotonic()
        load.sleep(seconds)
        end = time.monotonic()
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    whole = load.window("neighbour (all)", start, end)
    measured = load.window(f"neighbour ({MEASURED} only)", start, end, MEASURED)
    noisy = load.window(f"neighbour ({NEIGHBOUR} only)", start, end, NEIGHBOUR)
    report.neighbour = [whole, measured, noisy]
    report.notes.append(output.strip() or f"the neighbour exited with {process.returncode}")
    report.goals.append(
        Goal(
            "neighbour errors < 0.1 %",
            whole.error_share < MAX_ERROR_SHARE and process.returncode == 0,
            f"{whole.errors} of {whole.requests}; neighbour exit {process.returncode}",
        )
    )
    report.goals.append(
        Goal(
            f"{MEASURED} p95 with the neighbour <= {NEIGHBOUR_P95_GROWTH} x without",
            measured.p95 <= NEIGHBOUR_P95_GROWTH * baseline.p95,
            f"{measured.p95:.0f} ms vs {baseline.p95:.0f} ms "
            f"({measured.p95 / max(baseline.p95, 1):.2f} x)",
        )
    )


# --- The run --------------------------------------------------------------------------------


def write_results(report: Report) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    rows = (
        [{"phase": "ramp", **w.row()} for w in report.ramp]
        + [{"phase": "soak", **w.row()} for w in report.soak]
        + [{"phase": "neighbour", **w.row()} for w in report.neighbour]
    )
    with (RESULTS / "soak.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["phase"])
        writer.writeheader()
        writer.writerows(rows)
    path = RESULTS / "soak.json"
    data = {
        "started": report.started,
        "sustainable_users": report.sustainable_users,
        "soak_users": report.soak_users,
        "windows": rows,
        "goals": [asdict(g) for g in report.goals],
        "notes": report.notes,
        "errors": report.errors,
        "endpoints": report.endpoints,
        "ok": report.ok,
    }
    path.write_text(json.dumps(data, indent=1))
    return path


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m loadtest",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--port", type=int, default=8391)
    parser.add_argument("--web-workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--warmup", type=float, default=10, help="seconds, not measured")
    parser.add_argument("--first", type=int, default=6, help="people at the first ramp step")
    parser.add_argument("--steps", type=int, default=6, help="ramp steps at most")
    parser.add_argument("--step", type=float, default=12, help="seconds per ramp step")
    parser.add_argument("--soak", type=float, default=180, help="seconds of the soak")
    parser.add_argument("--neighbour", type=float, default=60, help="seconds of that phase")
    parser.add_argument("--users", type=int, help="skip the ramp: soak with this many people")
    parser.add_argument("--keep", action="store_true", help="keep the soak's database")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    database_url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not database_url or not redis_url:
        print("The soak needs DATABASE_URL (PostgreSQL) and REDIS_URL.", file=sys.stderr)
        return 2
    soak_url, soak_name = load_database_url(database_url)
    logs = Path(tempfile.mkdtemp(prefix="territoria-soak-"))
    fixture = logs / "fixture.json"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": soak_url,
        "REDIS_URL": redis_url,
        "BEHIND_TLS_PROXY": "1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CACHE_KEY_PREFIX": f"soak-{os.getpid()}",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    report = Report(started=time.strftime("%Y-%m-%d %H:%M:%S %Z"))
    services = Services(env, args.port, logs)
    load: Load | None = None
    started = time.monotonic()
    try:
        log(f"database {soak_name}, logs in {logs}")
        maintenance(soak_url, "DROP DATABASE IF EXISTS {} WITH (FORCE)", "CREATE DATABASE {}")
        run(env, PYTHON, "manage.py", "migrate", "--no-input", "-v0")
        run(env, PYTHON, "-m", "loadtest.seed", str(fixture))
        if static_is_current():
            log("production static files are current: not collected again")
        else:
            run(env, PYTHON, "manage.py", "collectstatic", "--no-input", "-v0")
        run(env, str(BIN / "celery"), "-A", "config", "purge", "-f", "-Q", "celery,dashboards")
        services.start(args.web_workers)
        os.environ["LOADTEST_FIXTURE"] = str(fixture)
        load = Load(f"http://127.0.0.1:{args.port}")
        min_users = len(load.env.user_classes)
        load.set_users(args.first)
        load.sleep(args.warmup)
        log(f"setup and warm-up: {time.monotonic() - started:.0f} s")
        if args.users:
            report.sustainable_users = args.users
            report.soak_users = args.users
            report.notes.append("no ramp: --users given")
        else:
            report.sustainable_users = calibrate(load, report, args.first, args.steps, args.step)
            report.soak_users = round(SOAK_SHARE * report.sustainable_users)
            if report.soak_users < min_users:
                report.notes.append(
                    f"{SOAK_SHARE:.0%} of the sustainable rate is under one person of each kind "
                    f"and workspace: the soak runs with {min_users}"
                )
                report.soak_users = min_users
        log(f"soak: {report.soak_users} people for {args.soak:.0f} s")
        baseline = soak(load, report, report.soak_users, args.soak)
        log(f"noisy neighbour: {NEIGHBOUR} recomputes its dashboards for {args.neighbour:.0f} s")
        neighbour(load, report, env, args.neighbour, baseline)
        report.errors = dict(load.errors)
        crashed = list(load.runner.exceptions.values())
        report.goals.append(
            Goal(
                "no exception in the simulated people's tasks",
                not crashed,
                "none"
                if not crashed
                else "; ".join(f"{row['count']} x {row['msg']}" for row in crashed[:5]),
            )
        )
    except (subprocess.CalledProcessError, RuntimeError) as error:
        print(f"The soak could not run: {error} (logs in {logs})", file=sys.stderr)
        return 2
    finally:
        if load is not None:
            load.stop()
        services.stop()
        if not args.keep:
            maintenance(soak_url, "DROP DATABASE IF EXISTS {} WITH (FORCE)")
    report.notes.append(f"wall time {time.monotonic() - started:.0f} s; logs in {logs}")
    print(table(report))
    print(f"Results: {write_results(report)}")
    if report.ok:
        shutil.rmtree(logs, ignore_errors=True)
    return 0 if report.ok else 1
