"""Forms an official fills all day (issue 20): unit choices by type-ahead (point 7)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from dondoc.tracking.models import Task
from tests.e2e.helpers import login, screenshot, watch

pytestmark = pytest.mark.browser


def test_typing_hoang_mai_without_accents_finds_the_ward(page, live_server, personas, registry, make_task):
    complaints = watch(page)
    ward = registry["00331"]
    make_task(lead="00331", content="Chỉnh trang vỉa hè phường Hoàng Mai")
    make_task(content="Việc của Sở Xây dựng")
    login(page, live_server, "vp.theodoi")
    page.goto(f"{live_server.url}/nhiem-vu/")
    page.wait_for_load_state("load")
    control = page.locator("#id_unit-ts-control")
    page.locator("#id_unit + .ts-wrapper").click()
    control.fill("hoang mai")
    option = page.locator(".ts-dropdown .option", has_text="phường Hoàng Mai")
    expect(option).to_have_count(1)
    expect(page.locator(".ts-dropdown .option", has_text="Sở Xây dựng")).to_have_count(0)
    control.fill("dong da")  # đ folded too
    expect(page.locator(".ts-dropdown .option", has_text="Đống Đa").first).to_be_visible()
    control.fill("hoang mai")
    option.click()
    expect(page.locator("#id_unit")).to_have_value(str(ward.pk))  # the <select> itself is what the form sends
    screenshot(page, "typeahead-unit")
    page.get_by_role("button", name="Lọc").click()
    expect(page).to_have_url(re.compile(rf"unit={ward.pk}"))
    expect(page.get_by_text("Chỉnh trang vỉa hè phường Hoàng Mai")).to_be_visible()
    expect(page.get_by_text("Việc của Sở Xây dựng")).to_have_count(0)
    assert page.evaluate("window.__csp || []") == [] and complaints == []


def test_coordinators_are_picked_without_ctrl_click(page, live_server, personas, registry, directive):
    complaints = watch(page)
    login(page, live_server, "vp.theodoi")
    page.goto(f"{live_server.url}/van-ban/{directive.pk}/")
    page.wait_for_load_state("load")
    page.locator("#add-task summary").click()
    page.get_by_label("Nội dung nhiệm vụ").fill("Rà soát quy hoạch chi tiết")
    lead = page.locator("#id_lead_unit-ts-control")
    page.locator("#id_lead_unit + .ts-wrapper").click()
    lead.fill("so xay dung")
    page.locator(".ts-dropdown .option", has_text="Sở Xây dựng").first.click()
    coordinators = page.locator("#id_coordinating_units-ts-control")
    for name, typed in (("Sở Tài chính", "tai chinh"), ("UBND phường Hoàng Mai", "hoang mai")):
        page.locator("#id_coordinating_units + .ts-wrapper").click()
        coordinators.fill(typed)
        page.locator(".ts-dropdown:visible .option", has_text=name).first.click()
    items = page.locator("#id_coordinating_units + .ts-wrapper .item")
    expect(items).to_have_count(2)
    screenshot(page, "typeahead-coordinators")
    page.get_by_role("button", name="Thêm nhiệm vụ").click()
    expect(page.get_by_text("Rà soát quy hoạch chi tiết").first).to_be_visible()
    task = Task.objects.get(content="Rà soát quy hoạch chi tiết")
    assert task.lead_unit.code == "SXD"
    assert sorted(task.coordinating_units.values_list("code", flat=True)) == sorted(["STC", "00331"])
    assert page.evaluate("window.__csp || []") == [] and complaints == []


def test_a_refused_task_is_shown_where_the_user_is_with_the_focus_on_the_error(
    page, live_server, personas, directive, make_task
):
    """Point 8: the form sits ~2,500 px down a directive of many tasks; refused, it used to reload at the top with
    its message hidden in a collapsed form."""
    complaints = watch(page)
    for i in range(40):
        make_task(content=f"Nhiệm vụ số {i + 1} của chỉ thị", assign=False)
    login(page, live_server, "vp.theodoi")
    page.goto(f"{live_server.url}/van-ban/{directive.pk}/")
    page.wait_for_load_state("load")
    page.locator("#add-task summary").click()
    page.get_by_label("Nội dung nhiệm vụ").fill("Nhiệm vụ chưa chọn đơn vị chủ trì")
    page.get_by_role("button", name="Thêm nhiệm vụ").click()
    page.wait_for_load_state("load")
    errors = page.locator("#add-task-errors")
    expect(errors).to_contain_text("Đơn vị chủ trì: Mỗi nhiệm vụ phải có một đơn vị chủ trì.")
    expect(errors).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 1000  # the page opened down at the form, not at its top
    assert page.evaluate("document.activeElement.id") == "id_lead_unit-ts-control"  # the first field in error
    expect(page.get_by_label("Nội dung nhiệm vụ")).to_have_value("Nhiệm vụ chưa chọn đơn vị chủ trì")
    screenshot(page, "directive-task-refused")
    assert page.url.endswith(f"/van-ban/{directive.pk}/them-nhiem-vu/#add-task")
    page.goto(page.url.split("#")[0])  # a reload of that address (a GET): back to the directive, not a 405
    expect(page).to_have_url(f"{live_server.url}/van-ban/{directive.pk}/")
    assert page.evaluate("window.__csp || []") == [] and complaints == []


def test_assigning_drafts_goes_through_a_confirmation_page(page, live_server, personas, directive, make_task):
    complaints = watch(page)
    for i in range(2):
        make_task(content=f"Dự thảo {i + 1}", assign=False)
    login(page, live_server, "vp.theodoi")
    page.goto(f"{live_server.url}/van-ban/{directive.pk}/")
    page.get_by_role("link", name="Giao 2 nhiệm vụ dự thảo").click()
    expect(
        page.get_by_role("heading", name="Giao 2 nhiệm vụ dự thảo của văn bản 15/CT-UBND?")
    ).to_be_visible()
    assert Task.objects.filter(state="draft").count() == 2  # nothing assigned by opening the step
    screenshot(page, "assign-confirm")
    page.get_by_role("button", name="Xác nhận giao 2 nhiệm vụ").click()
    expect(page.get_by_role("alert").filter(has_text="Đã giao 2 nhiệm vụ.")).to_be_visible()
    assert Task.objects.filter(state="assigned").count() == 2
    assert page.evaluate("window.__csp || []") == [] and complaints == []
