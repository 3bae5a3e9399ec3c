"""Hardening: CSP and frame denial on every response, production settings pass `check --deploy`, downloads
are attachments the browser must not sniff."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from dondoc.core.security import DEFAULT_POLICY
from dondoc.tracking import actions
from tests.helpers import PASSWORD

PROJECT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n<html><script>alert(1)</script></html>"


def test_every_response_carries_csp_and_frame_denial(client, db):
    for path in ("/dang-nhap/", "/khong-co-trang-nay/", "/"):
        response = client.get(path)
        assert response["Content-Security-Policy"] == DEFAULT_POLICY, path
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY", path
        assert response["X-Content-Type-Options"] == "nosniff", path


def test_templates_carry_no_inline_code():
    """CSP would block them: inline <script> code, on*= and hx-on handlers, javascript: URLs, style= attributes."""
    import re

    offenders = []
    for template in (PROJECT / "dondoc").rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for pattern in (
            r"<script(?![^>]*\bsrc=)[^>]*>",  # inline code (json_script blocks are data: allowed below)
            r"\son[a-z]+\s*=",  # onclick= and friends
            r"\sstyle\s*=",
            r"\s(?:data-)?hx-on",  # htmx inline handlers need eval
            r"javascript:",
        ):
            for match in re.finditer(pattern, text):
                if "json_script" in text[max(0, match.start() - 40) : match.end()]:
                    continue
                offenders.append(f"{template.relative_to(PROJECT)}: {match.group(0)}")
    assert offenders == []


def _deploy_check(extra: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG", "DEMO", "HTTPS", "HSTS"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="dondoc.settings",
        SECRET_KEY="k9$Vq2!zR7pL0wX4e#Tn8uYb3Hc6Jm1Fs5Gd9Ka2Qo7Wi4Ev0Rt3Yp8Uz6Lx1Nb5Mc",
        ALLOWED_HOSTS="dondoc.hanoi.gov.vn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        DONDOC_VAR_DIR=str(tmp_path),
        DEBUG="0",
        DEMO="0",
        **extra,
    )
    return subprocess.run(
        [sys.executable, "-m", "dondoc.cli", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = _deploy_check({"HTTPS": "1"}, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_complains_without_https(tmp_path):
    """The same check fails when HTTPS is off: secure cookies, HSTS and the redirect are what HTTPS=1 buys."""
    result = _deploy_check({}, tmp_path)
    assert result.returncode != 0
    said = result.stdout + result.stderr
    for warning in ("security.W004", "security.W008", "security.W016"):
        assert warning in said
    # the session cookie not secure: W010 (sessions installed) — Django says W012 only when it also finds its own
    # SessionMiddleware by name, and ours (accounts.sessions.SlidingSessionMiddleware) is a subclass of it
    assert "security.W010" in said or "security.W012" in said


def test_https_settings_follow_the_environment(monkeypatch):
    import importlib

    import dondoc.settings as module

    monkeypatch.setenv("HTTPS", "1")
    try:
        production = importlib.reload(module)
        assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
        assert production.SECURE_SSL_REDIRECT and production.SECURE_HSTS_SECONDS >= 31_536_000
        assert production.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    finally:
        monkeypatch.delenv("HTTPS")
        importlib.reload(module)


def _result_with_file(make_task, personas):
    """A result document whose bytes are a PDF that also contains HTML: a sniffing browser might render it."""
    task = actions.acknowledge(make_task(), personas["lead_officer"].user)
    return actions.submit_result(
        task,
        personas["lead_officer"].user,
        document_number="45/BC-SXD",
        document_date=date(2026, 3, 6),
        file=SimpleUploadedFile("ket-qua.pdf", PDF, content_type="text/html"),
    )


def test_uploaded_file_is_served_as_attachment_never_sniffed(
    client, make_task, personas, settings, tmp_path, frozen
):
    settings.MEDIA_ROOT = tmp_path
    result = _result_with_file(make_task, personas)
    client.login(username="sxd.cv1", password=PASSWORD)
    response = client.get(f"/nhiem-vu/{result.task_id}/tep/ket-qua/{result.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_file_of_an_invisible_task_is_not_served(client, make_task, personas, settings, tmp_path, frozen):
    settings.MEDIA_ROOT = tmp_path
    result = _result_with_file(make_task, personas)
    client.login(username="syt.cv1", password=PASSWORD)
    assert client.get(f"/nhiem-vu/{result.task_id}/tep/ket-qua/{result.pk}/").status_code == 404


def test_server_error_handler_answers_503_only_for_database_errors(rf):
    from django.db import OperationalError

    from dondoc.core.faults import server_error

    request = rf.get("/nhiem-vu/")
    try:
        raise OperationalError("could not connect to server")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Hệ thống tạm thời gián đoạn" in response.content.decode()
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500 and "Hệ thống gặp lỗi" in response.content.decode()
