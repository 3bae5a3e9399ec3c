"""Layout of the pages an official uses all day (issue 20): the menu on one line at 1280 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dondoc.org.models import Person
from tests.e2e.helpers import login, screenshot
from tests.helpers import make_person

pytestmark = pytest.mark.browser


def _one_line(page) -> dict[str, float]:
    """The navbar's height and the height of its tallest item; all items' tops (they share one line)."""
    return page.evaluate(
        """() => {
          const bar = document.querySelector('nav.navbar > .container-fluid');
          const items = [...bar.querySelectorAll(
            '.navbar-brand, #menu-chinh > li, #notification-badge, #menu-tai-khoan, .navbar-text, form button')];
          const boxes = items.map(e => e.getBoundingClientRect());
          return {height: bar.getBoundingClientRect().height,
                  tallest: Math.max(...boxes.map(b => b.height)),
                  tops: boxes.map(b => Math.round(b.top + b.height / 2))};
        }"""
    )


@pytest.mark.parametrize("username", ["vp.theodoi", "lanhdao", "snv.thanhtra", "sxd.cv1", "quantri"])
def test_the_menu_fits_one_line_at_1280_px(page, live_server, personas, registry, username):
    admin = make_person("quantri", registry["VPUBND"], Person.Role.ADMIN)
    admin.user.is_staff = True
    admin.user.save()
    user = next(p.user for p in [*personas.values(), admin] if p.user.username == username)
    user.first_name, user.last_name = "Nguyễn Thị", "Phương Thảo"  # a full name as long as most
    user.save()
    login(page, live_server, username)
    page.wait_for_load_state("load")  # the style sheets applied, not only the address changed
    assert page.viewport_size["width"] == 1280
    found = _one_line(page)
    assert found["height"] <= found["tallest"] + 1, found  # one line: no taller than its tallest item
    assert max(found["tops"]) - min(found["tops"]) <= 4, found  # every item centred on the same line
    assert page.locator("#menu-chinh > li").count() <= 7
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280  # and nothing pushed off the screen
    if page.locator(
        "#menu-khac"
    ).count():  # the rest opens under "Khác" (Bootstrap's own script, none inline)
        page.locator("#menu-khac .dropdown-toggle").click()
        expect(page.locator("#menu-khac .dropdown-menu")).to_be_visible()
    screenshot(page, f"menu-{username}")


def test_no_page_asks_for_a_missing_file(page, live_server, personas, make_task):
    """The browser's own request for the site icon included: /favicon.ico was a 404 on every page."""
    task = make_task()
    failed = []
    page.on("response", lambda r: failed.append((r.status, r.url)) if r.status >= 400 else None)
    login(page, live_server, "sxd.cv1")
    for url in ("/", "/nhiem-vu/", task.get_absolute_url()):
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("load")
    assert failed == []
    icon = page.locator("link[rel=icon]").get_attribute("href")
    for url in (icon, "/favicon.ico"):  # the one the pages name, and the one browsers guess
        response = page.goto(f"{live_server.url}{url}")
        assert (
            response is not None
            and response.ok
            and response.headers["content-type"] in ("image/x-icon", "image/vnd.microsoft.icon")
        ), url
