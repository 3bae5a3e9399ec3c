"""API in a real browser: the docs page renders under the CSP from vendored files; a token is created, shown
once and works."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import login

pytestmark = pytest.mark.browser


def _get_with_token(url: str, token: str) -> tuple[int, str]:
    """A request with the token only (no browser cookies), as another program would send it."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_api_docs_render_under_the_csp_without_a_cdn(page: Page, live_server, personas):
    violations: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    login(page, live_server, "sxd.cv1")
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.get_by_text("Đôn đốc API").first).to_be_visible()
    expect(
        page.locator(".opblock-summary-path", has_text="/api/v1/tasks/{task_id}/acknowledge")
    ).to_be_visible()
    assert violations == []
    assert outside == []


def test_token_is_shown_once_and_reads_the_api(page: Page, live_server, personas, make_task):
    task = make_task()
    login(page, live_server, "sxd.cv1")
    page.goto(f"{live_server.url}/api/khoa/")
    page.get_by_label("Tên gợi nhớ").fill("Bảng tính của phòng")
    page.get_by_role("button", name="Tạo khóa mới").click()
    raw = page.locator("#khoa-moi").inner_text().strip()
    assert re.fullmatch(r"dd_[\w-]{40,}", raw)
    status, body = _get_with_token(f"{live_server.url}/api/v1/tasks/{task.pk}", raw)
    assert status == 200 and json.loads(body)["id"] == task.pk
    page.reload()
    expect(page.locator("#khoa-moi")).to_have_count(0)
    page.get_by_role("button", name="Thu hồi").click()
    expect(page.get_by_text("Đã thu hồi", exact=False).first).to_be_visible()
    status, body = _get_with_token(f"{live_server.url}/api/v1/tasks/{task.pk}", raw)
    assert status == 401 and "Chưa xác thực" in json.loads(body)["detail"]
