"""What production builds and runs: the vendored files, the production static files, and the
deploy/ scripts shared by the Dockerfile, docker-compose.yml and CI (.ci/production serves the
build through gunicorn; these tests check the pieces it relies on)."""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ["build.sh", "web.sh", "worker.sh", "beat.sh", "healthcheck.sh"]
SOURCE_MAP = re.compile(rb"[#@]\s*sourceMappingURL=(\S+)")


def test_every_source_map_a_static_file_names_is_shipped() -> None:
    """The manifest storage refuses a file that names a missing source map (Chart.js did)."""
    checked = 0
    for path in (ROOT / "static").rglob("*"):
        if path.suffix not in {".js", ".css", ".mjs"}:
            continue
        checked += 1
        for name in SOURCE_MAP.findall(path.read_bytes()):
            target = path.parent / name.decode()
            assert target.exists(), f"{path.relative_to(ROOT)} names {name.decode()}, not shipped"
    assert checked >= 3
    note = (ROOT / "static" / "vendor" / "README.md").read_text()
    assert "sourceMappingURL" in note and "chartjs/4.6.1/chart.umd.min.js" in note


@pytest.fixture
def production_static(tmp_path: Path) -> Iterator[tuple[subprocess.CompletedProcess[str], Path]]:
    """``collectstatic`` with DEBUG off (whitenoise's CompressedManifestStaticFilesStorage),
    into a temporary folder instead of the project's staticfiles/."""
    target = tmp_path / "static-root"
    (tmp_path / "collect_settings.py").write_text(
        f"from config.settings import *  # noqa: F403\nSTATIC_ROOT = {str(target)!r}\n"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL"}
    }
    env |= {
        "DEBUG": "0",
        "SECRET_KEY": "collectstatic-test-only",
        "DJANGO_SETTINGS_MODULE": "collect_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    yield result, target
    shutil.rmtree(target, ignore_errors=True)


def test_production_static_files_are_collected_hashed_and_compressed(
    production_static: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    result, target = production_static
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    manifest = json.loads((target / "staticfiles.json").read_text())["paths"]
    for name in ["vendor/chartjs/4.6.1/chart.umd.min.js", "css/territoria.css", "js/territoria.js"]:
        hashed = manifest[name]
        assert re.search(r"\.[0-9a-f]{12}\.", hashed), hashed
        assert (target / hashed).stat().st_size > 0
        assert (target / f"{hashed}.gz").exists(), f"{hashed} has no compressed copy"
    chart = (target / manifest["vendor/chartjs/4.6.1/chart.umd.min.js"]).read_bytes()
    assert chart.startswith(b"/*!\n * Chart.js v4.6.1") and b"sourceMappingURL" not in chart


def test_the_image_and_ci_build_and_run_with_the_same_scripts() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "RUN deploy/build.sh deps" in dockerfile
    assert "RUN deploy/build.sh assets" in dockerfile
    assert 'CMD ["/app/deploy/web.sh"]' in dockerfile
    # No build step of its own beside the script's (it would run in the image only, not in CI).
    assert "collectstatic" not in dockerfile and "compilemessages" not in dockerfile
    production = (ROOT / ".ci" / "production").read_text()
    for script in ["deploy/build.sh", "deploy/web.sh", "deploy/worker.sh", "deploy/healthcheck.sh"]:
        assert script in production, script
    assert "deploy/smoke.py" in production
    ci = (ROOT / ".ci" / "run").read_text()
    assert ".ci/production" in ci
    assert "env -u DATABASE_URL -u REDIS_URL -u REQUIRE_SERVICES" in ci
    build = (ROOT / "deploy" / "build.sh").read_text()
    assert "pip install --quiet ." in build and "collectstatic" in build and "DEBUG=0" in build
    assert "gunicorn config.wsgi" in (ROOT / "deploy" / "web.sh").read_text()
    assert "-Q" in (ROOT / "deploy" / "worker.sh").read_text()


@pytest.mark.parametrize("script", SCRIPTS)
def test_deploy_scripts_are_executable_shell(script: str) -> None:
    path = ROOT / "deploy" / script
    assert os.access(path, os.X_OK), f"chmod +x deploy/{script}"
    shell = "sh" if script == "healthcheck.sh" else "bash"  # the health check runs without bash
    result = subprocess.run([shell, "-n", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


class _Recorder(http.server.BaseHTTPRequestHandler):
    status = 200
    seen: list[dict[str, str]] = []

    def do_GET(self) -> None:
        type(self).seen.append(
            {
                "path": self.path,
                "host": self.headers.get("Host", ""),
                "proto": self.headers.get("X-Forwarded-Proto", ""),
            }
        )
        self.send_response(type(self).status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"status":"ok"}')

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake_web() -> Iterator[tuple[type[_Recorder], int]]:
    class Handler(_Recorder):
        seen: list[dict[str, str]] = []

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Handler, server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl (in the image) is not installed")
def test_the_health_check_asks_as_the_proxy_does(fake_web: tuple[type[_Recorder], int]) -> None:
    handler, port = fake_web

    def check(allowed_hosts: str) -> int:
        env = {"PATH": os.environ["PATH"], "BIND": f"0.0.0.0:{port}"}
        if allowed_hosts:
            env["ALLOWED_HOSTS"] = allowed_hosts
        return subprocess.run(
            ["sh", str(ROOT / "deploy" / "healthcheck.sh")],
            env=env,
            capture_output=True,
            timeout=30,
            check=False,
        ).returncode

    assert check("territoria.example.org,www.territoria.example.org") == 0
    assert check(".example.org") == 0  # a domain wildcard: its bare name
    assert check("") == 0  # compose's default
    assert [seen["host"] for seen in handler.seen] == [
        "territoria.example.org",
        "example.org",
        "localhost",
    ]
    assert {seen["path"] for seen in handler.seen} == {"/healthz"}
    assert {seen["proto"] for seen in handler.seen} == {"https"}
    handler.status = 503
    assert check("territoria.example.org") != 0
