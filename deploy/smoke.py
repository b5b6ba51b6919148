"""Smoke test of a running Territoria, from outside, as a browser and an API client meet it.

    python deploy/smoke.py --url http://127.0.0.1:8000 --host territoria.example.org \
        --behind-tls-proxy --email someone@example.org --password ... --workspace slug \
        --token trr_... [--manifest staticfiles/staticfiles.json]

It checks, and exits non-zero on the first thing that is wrong:

* ``/healthz`` answers 200 with the database (and, when configured, Redis and the broker) ok;
* plain HTTP is redirected to HTTPS and HTTPS answers carry HSTS (production settings, not DEBUG);
* the login page answers 200 and its CSS and JavaScript are served under their hashed names
  (the manifest storage), compressed and cached for ever; with ``--manifest``, so is every
  vendored file;
* logging in through the form (CSRF included) works and the workspace's home page answers 200;
* the API lists the workspace's projects with the token (and answers 401 without it);
* an unknown page answers a plain 404, without Django's debug page.

``--behind-tls-proxy`` sends ``X-Forwarded-Proto: https`` as the TLS-terminating proxy does
(``BEHIND_TLS_PROXY=1``); without it, point ``--url`` at the HTTPS address. Standard library only.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import re
import sys
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

HASHED = re.compile(r"""(?:href|src)="(/static/[^"]+\.[0-9a-f]{12}\.(?:css|js|svg))\"""")


class SmokeError(Exception):
    pass


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


@dataclass
class Client:
    url: str
    host: str
    behind_tls_proxy: bool
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        https: bool = True,
        cookies: bool = True,
    ) -> Response:
        target = urllib.parse.urlsplit(self.url)
        connection_class = (
            http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection
        )
        connection = connection_class(target.netloc, timeout=30)
        sent = {"Host": self.host, "User-Agent": "territoria-smoke/1", **(headers or {})}
        if https and self.behind_tls_proxy:
            sent["X-Forwarded-Proto"] = "https"
        if cookies and self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=sent)
            raw = connection.getresponse()
            response = Response(raw.status, raw.headers, raw.read())
        finally:
            connection.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response

    @property
    def origin(self) -> str:
        return f"https://{self.host}"


def say(message: str) -> None:
    sys.stdout.write(f"smoke: {message}\n")
    sys.stdout.flush()


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeError(message)


def check_health(client: Client) -> None:
    response = client.request("GET", "/healthz", cookies=False)
    expect(response.status == 200, f"/healthz answered {response.status}: {response.text[:300]}")
    report = json.loads(response.body)
    expect(report.get("status") == "ok", f"/healthz: {report}")
    broken = {k: v for k, v in report.items() if v not in {"ok", "in-process"}}
    expect(not broken, f"/healthz reports {broken}")
    say(f"/healthz 200 {report}")


def check_https(client: Client) -> None:
    plain = client.request("GET", "/accounts/login/", https=False, cookies=False)
    location = plain.header("Location")
    expect(
        plain.status == 301 and location.startswith(f"https://{client.host}/"),
        f"plain HTTP answered {plain.status} {location!r}, not a redirect to HTTPS",
    )
    say(f"plain HTTP -> {plain.status} {location}")


def check_static(client: Client, page: str, manifest: Path | None) -> None:
    assets = sorted(set(HASHED.findall(page)))
    expect(bool(assets), "the login page links no static file under a hashed name")
    if manifest is not None:
        paths = json.loads(manifest.read_text())["paths"]
        vendored = [
            f"/static/{hashed}" for name, hashed in paths.items() if name.startswith("vendor/")
        ]
        expect(bool(vendored), f"{manifest} lists no vendored file")
        assets += sorted(vendored)
    for asset in assets:
        response = client.request("GET", asset, headers={"Accept-Encoding": "gzip"}, cookies=False)
        expect(response.status == 200, f"{asset} answered {response.status}")
        expect(
            "immutable" in response.header("Cache-Control"),
            f"{asset} is not cached for ever: {response.header('Cache-Control')!r}",
        )
        body = response.body
        if asset.endswith((".css", ".js")):
            expect(
                response.header("Content-Encoding") == "gzip",
                f"{asset} is not served compressed",
            )
            body = gzip.decompress(body)
        expect(len(body) > 0, f"{asset} is empty")
    say(f"{len(assets)} static files served under their hashed names: {', '.join(assets[:4])}...")


def check_pages(
    client: Client, email: str, password: str, workspace: str, manifest: Path | None
) -> None:
    login = client.request("GET", "/accounts/login/")
    expect(login.status == 200, f"the login page answered {login.status}")
    expect(
        "max-age=" in login.header("Strict-Transport-Security"),
        "no Strict-Transport-Security header: are the production settings on?",
    )
    expect(bool(login.header("Content-Security-Policy")), "no Content-Security-Policy header")
    say("login page 200 (HSTS, CSP)")
    check_static(client, login.text, manifest)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text)
    expect(token is not None, "no CSRF token in the login form")
    assert token is not None
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": email, "password": password}
    ).encode()
    posted = client.request(
        "POST",
        "/accounts/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": client.origin,
            "Referer": f"{client.origin}/accounts/login/",
        },
    )
    expect(
        posted.status == 302 and "sessionid" in client.cookies,
        f"logging in answered {posted.status} (cookies {sorted(client.cookies)}): "
        f"{posted.text[:300]}",
    )
    say(f"logged in as {email} ({posted.status} -> {posted.header('Location')})")
    home = client.request("GET", f"/w/{workspace}/")
    expect(home.status == 200, f"/w/{workspace}/ answered {home.status}")
    say(f"/w/{workspace}/ 200 ({len(home.body)} bytes)")
    missing = client.request("GET", "/no-such-page/")
    expect(missing.status == 404, f"an unknown page answered {missing.status}")
    expect(
        "URLconf" not in missing.text and "Traceback" not in missing.text,
        "the 404 page is Django's debug page: DEBUG is on",
    )
    say("unknown page 404 (no debug page)")


def check_api(client: Client, workspace: str, token: str) -> None:
    path = f"/api/v1/w/{workspace}/projects/"
    anonymous = client.request("GET", path, cookies=False)
    expect(anonymous.status == 401, f"the API without a token answered {anonymous.status}")
    listed = client.request(
        "GET", path, headers={"Authorization": f"Bearer {token}"}, cookies=False
    )
    expect(listed.status == 200, f"{path} answered {listed.status}: {listed.text[:300]}")
    page = json.loads(listed.body)
    expect(page.get("count", 0) >= 1 and page.get("results"), f"{path} lists nothing: {page}")
    say(f"API {path} 200, {page['count']} project(s); 401 without the token")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="where to connect, e.g. http://127.0.0.1:8000")
    parser.add_argument("--host", required=True, help="the Host header, one of ALLOWED_HOSTS")
    parser.add_argument("--behind-tls-proxy", action="store_true")
    parser.add_argument("--email", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--workspace", required=True, help="a workspace slug the user belongs to")
    parser.add_argument("--token", required=True, help="an API token of that workspace")
    parser.add_argument(
        "--manifest", type=Path, help="staticfiles.json, to fetch every vendored file"
    )
    args = parser.parse_args(argv)
    client = Client(args.url.rstrip("/"), args.host, args.behind_tls_proxy)
    try:
        check_health(client)
        if args.behind_tls_proxy:
            check_https(client)
        check_pages(client, args.email, args.password, args.workspace, args.manifest)
        check_api(client, args.workspace, args.token)
    except (SmokeError, OSError, ValueError) as error:
        sys.stderr.write(f"smoke: FAILED: {error}\n")
        return 1
    say("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
