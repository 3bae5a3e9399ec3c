"""Database outage: a real gunicorn serving a real database that goes away and comes back.

While the database cannot be reached, pages answer 503 with a Vietnamese page (no stack trace); when it returns,
the very next requests succeed with no restart. SQLite: the database file is moved away and a directory put in its
place. PostgreSQL: the test's own database stops accepting connections and its sessions are terminated
(``pg_terminate_backend``) — the shared server itself is never stopped.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import free_port, site_databases

PROJECT = Path(__file__).resolve().parents[2]
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_NAME = f"dondoc_sec_fault_{os.getpid()}"  # one per test process: the SQLite and PostgreSQL passes may run at once
PASSWORD = "mat-khau-su-co-2026"


def psql(sql: str) -> None:
    subprocess.run(["psql", f"{PG_SERVER}/postgres", "-qc", sql], check=True, capture_output=True)


class Browser:
    """A tiny cookie-keeping HTTP client: enough to log in through the form and fetch pages."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode()
        return self._open(
            urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        )

    def _open(self, request: urllib.request.Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


@pytest.fixture(params=site_databases())
def server(request, tmp_path) -> Iterator[tuple[str, dict[str, str], str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG", "DEMO"))}
    env.update(DJANGO_SETTINGS_MODULE="dondoc.settings", SECRET_KEY="fault-test-" + "k" * 50,
               DONDOC_VAR_DIR=str(tmp_path), LOG_LEVEL="CRITICAL")  # fmt: skip
    if request.param == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    else:
        probe = subprocess.run(["psql", f"{PG_SERVER}/postgres", "-Atc", "select 1"], capture_output=True)
        if probe.returncode != 0:
            pytest.skip("PostgreSQL is not reachable")
        psql(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
        psql(f"CREATE DATABASE {PG_NAME}")
        env["DATABASE_URL"] = f"{PG_SERVER}/{PG_NAME}"
    run = [sys.executable, "-m", "dondoc.cli"]
    subprocess.run(
        [*run, "migrate", "--noinput", "-v0"], cwd=PROJECT, env=env, check=True, capture_output=True
    )
    create = f"from django.contrib.auth.models import User; User.objects.create_user('trucban', password='{PASSWORD}')"
    subprocess.run([*run, "shell", "-c", create], cwd=PROJECT, env=env, check=True, capture_output=True)
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "dondoc.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2"],
        cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/dang-nhap/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        yield base, env, request.param
    finally:
        process.terminate()
        process.wait(timeout=30)
        if request.param == "postgresql":
            psql(f"ALTER DATABASE {PG_NAME} WITH ALLOW_CONNECTIONS true")
            psql(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")


def database_down(env: dict[str, str], vendor: str) -> None:
    if vendor == "sqlite":
        path = Path(env["DATABASE_URL"].removeprefix("sqlite:///"))
        path.rename(path.with_name("away.sqlite3"))
        path.mkdir()  # a directory where the file was: "unable to open database file"
    else:
        psql(f"ALTER DATABASE {PG_NAME} WITH ALLOW_CONNECTIONS false")
        psql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{PG_NAME}'")


def database_up(env: dict[str, str], vendor: str) -> None:
    if vendor == "sqlite":
        path = Path(env["DATABASE_URL"].removeprefix("sqlite:///"))
        path.rmdir()
        path.with_name("away.sqlite3").rename(path)
    else:
        psql(f"ALTER DATABASE {PG_NAME} WITH ALLOW_CONNECTIONS true")


def test_outage_gives_vietnamese_503_and_the_app_recovers_by_itself(server):
    base, env, vendor = server
    browser = Browser(base)
    status, page = browser.get("/dang-nhap/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert status == 200 and token
    status, _ = browser.post("/dang-nhap/", {"csrfmiddlewaretoken": token.group(1), "username": "trucban",
                                            "password": PASSWORD})  # fmt: skip
    assert status == 302
    assert browser.get("/")[0] == 200

    database_down(env, vendor)
    for path in ("/", "/nhiem-vu/", "/van-ban/"):
        status, page = browser.get(path)
        assert status == 503, (path, page[:500])
        assert (
            "Hệ thống tạm thời gián đoạn" in page
            and "Traceback" not in page
            and "OperationalError" not in page
        )

    database_up(env, vendor)
    deadline = time.monotonic() + 10
    status = 0
    while time.monotonic() < deadline and status != 200:
        status, page = browser.get("/")
    assert status == 200, page[:500]  # same session: the user stays logged in after the outage
    assert browser.get("/nhiem-vu/")[0] == 200
