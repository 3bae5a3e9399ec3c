"""Content-Security-Policy in a real browser: every main page loads with the header and without one violation.

Chromium reports each blocked inline script, inline style or foreign resource on the console ("Refused to ...
because it violates the following Content Security Policy directive") and fires a ``securitypolicyviolation``
event; the test listens to both, so a template that slips in ``style=""`` or ``onclick=`` fails it.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page

from dondoc.core.security import DEFAULT_POLICY
from dondoc.tracking.models import Task
from tests.e2e.helpers import login, watch
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser


def visit(page: Page, url: str, complaints: list[str]) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    assert response.headers.get("content-security-policy") == DEFAULT_POLICY, url
    assert response.headers.get("x-frame-options") == "DENY", url
    assert response.headers.get("x-content-type-options") == "nosniff", url
    page.wait_for_load_state("load")
    complaints.extend(page.evaluate("window.__csp || []"))
    assert complaints == [], f"{url}: {complaints}"


def test_main_pages_load_without_csp_violation(page, live_server, personas, make_task, directive):
    directive.full_text = "Điều 1. Giao Sở Xây dựng...\nĐiều 2. Giao Sở Tài chính..."
    directive.save()
    task: Task = make_task(due_date=date(2026, 3, 31))
    complaints = watch(page)

    visit(page, f"{live_server.url}/dang-nhap/", complaints)
    login(page, live_server, "vp.theodoi")
    for path in (
        "/",
        "/nhiem-vu/",
        f"/nhiem-vu/{task.pk}/",
        f"/nhiem-vu/don-vi/{task.lead_unit_id}/",
        "/van-ban/",
        f"/van-ban/{directive.pk}/",
        "/van-ban/moi/",
    ):
        visit(page, f"{live_server.url}{path}", complaints)
    # The task page's action forms are <details>: opening one must not need inline code either.
    page.goto(f"{live_server.url}/nhiem-vu/{task.pk}/")
    page.locator("details summary").first.click()
    assert page.evaluate("window.__csp") == [] and complaints == []


def test_unit_and_leader_home_pages_have_no_csp_violation(page, live_server, personas, make_task):
    make_task(due_date=date(2026, 3, 12))
    complaints = watch(page)
    for username in ("sxd.cv1", "lanhdao"):
        page.context.clear_cookies()
        login(page, live_server, username)
        visit(page, f"{live_server.url}/", complaints)


def test_admin_pages_have_no_csp_violation(page, live_server, registry):
    get_user_model().objects.create_superuser("quantri", "qt@example.org", PASSWORD)
    complaints = watch(page)
    login(page, live_server, "quantri")
    for path in (
        "/quan-tri/",
        "/quan-tri/org/person/",
        "/quan-tri/org/person/add/",
        "/quan-tri/workdays/calendarday/",
    ):
        visit(page, f"{live_server.url}{path}", complaints)


def test_an_inline_script_would_be_caught(page, live_server, registry):
    """The detector itself: the same page with an inline script and style added is reported, and not run."""
    complaints = watch(page)

    def inject(route):
        response = route.fetch()
        body = response.text().replace(
            "</body>", '<script>document.title="HACKED"</script><p style="color:red">x</p></body>'
        )
        route.fulfill(response=response, body=body)

    page.route("**/dang-nhap/", inject)
    page.goto(f"{live_server.url}/dang-nhap/")
    page.wait_for_load_state("load")
    complaints.extend(page.evaluate("window.__csp"))
    assert page.title() != "HACKED"
    assert any("script-src" in c for c in complaints), complaints
    assert any("style-src" in c for c in complaints), complaints


FEATURE_PAGES = (
    "/danh-gia/",
    "/danh-gia/bao-cao/",
    "/don-doc/",
    "/don-doc/thong-bao/",
    "/van-ban-di/",
    "/van-ban-di/don-doc/",
    "/du-thao/",
    "/api/khoa/",
    "/api/v1/docs",
    "/thanh-tra/",
    "/doi-mat-khau/",
)


def test_feature_pages_load_without_csp_violation(page, live_server, personas, make_task):
    """The dashboards (Chart.js), follow-up, outgoing documents, draft checker and API pages: whichever of them
    answer 200 to the City Office's tracking officer load without one CSP complaint."""
    make_task(due_date=date(2026, 3, 5))
    complaints = watch(page)
    login(page, live_server, "vp.theodoi")
    served = []
    for path in FEATURE_PAGES:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None
        if response.status != 200:
            continue
        served.append(path)
        assert response.headers.get("content-security-policy") == DEFAULT_POLICY, path
        page.wait_for_load_state("load")
        complaints.extend(page.evaluate("window.__csp || []"))
        assert complaints == [], f"{path}: {complaints}"
    assert "/doi-mat-khau/" in served
