"""A split recorded in the browser (issue 15, point 3): the City Office records that the former quận Ba Đình (ended
01/07/2025) was split among phường Ba Đình and phường Ngọc Hà, choosing the ward of each open task; the dashboard's
H1/2025 keeps the district's tasks under the district, H2/2025 puts them under the wards."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from dondoc.org.models import Unit
from dondoc.tracking import actions
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task
from tests.e2e.helpers import login, open_menu, screenshot

pytestmark = pytest.mark.browser

DISTRICT, BA_DINH, NGOC_HA = "UBND quận Ba Đình", "UBND phường Ba Đình", "UBND phường Ngọc Hà"


def due_counts(page: Page, live_server, half: int) -> dict[str, str]:
    """The 'Đến hạn' number of each unit row of the dashboard's ranking for 6 tháng đầu/cuối năm 2025."""
    page.goto(f"{live_server.url}/danh-gia/?loai_ky=nam_nua&ky=2025-{half}")
    rows = page.locator("#bang-don-vi tbody tr")
    expect(rows.first).to_be_visible()
    out = {}
    for name in (DISTRICT, BA_DINH, NGOC_HA):
        row = page.locator("#bang-don-vi tbody tr", has_text=name)
        if row.count():
            out[name] = row.locator('a[data-measure="den_han"]').inner_text().strip()
    return out


def test_the_city_office_records_a_split_and_h2_moves_to_the_wards(page, live_server, personas, directive):
    tracker = personas["tracker"].user
    district = Unit.objects.get(code="001")  # quận Ba Đình, a former unit with no successor recorded yet

    def task(content: str, due: date, completed_on: date | None = None) -> Task:
        t = actions.assign(
            actions.create_task(directive, lead_unit=district, content=content, user=tracker, due_date=due),
            tracker,
            on=date(2025, 1, 2),
        )
        if completed_on:
            Task.objects.filter(pk=t.pk).update(state=tl.COMPLETED, completed_on=completed_on)
        return t

    task("Báo cáo quý I/2025", date(2025, 3, 10), completed_on=date(2025, 3, 5))
    task("Giải phóng mặt bằng phố Đội Cấn", date(2025, 5, 30))
    task("Chỉnh trang vỉa hè phố Kim Mã", date(2025, 9, 30))
    to_ngoc_ha = task("Cải tạo công viên Thủ Lệ", date(2025, 10, 31))

    login(page, live_server, "vp.theodoi")
    assert due_counts(page, live_server, 1) == {DISTRICT: "2"}
    assert due_counts(page, live_server, 2) == {DISTRICT: "2"}
    screenshot(page, "unit-split-before")

    open_menu(page, "Sáp nhập, chia tách đơn vị")
    for field, typed, name in (
        ("formers", "quan ba dinh", DISTRICT),
        ("successors", "phuong ba dinh", BA_DINH),
    ):
        page.locator(f"#id_{field} + .ts-wrapper").click()
        page.locator(f"#id_{field}-ts-control").fill(typed)
        page.locator(f"[id^='id_{field}-opt-']:visible", has_text=name).first.click()  # this field's list
        expect(page.locator(f"#id_{field} + .ts-wrapper .item", has_text=name)).to_be_visible()
        page.keyboard.press("Escape")  # a multiple select keeps its list open
        # closed before the next field is clicked (an open list would take that click)
        expect(page.locator(".ts-dropdown:visible")).to_have_count(0)
    page.locator("#id_successors + .ts-wrapper").click()
    page.locator("#id_successors-ts-control").fill("ngoc ha")
    page.locator("[id^='id_successors-opt-']:visible", has_text=NGOC_HA).first.click()
    page.keyboard.press("Escape")
    page.get_by_label("Có hiệu lực từ ngày").fill("01/07/2025")
    page.get_by_label("Căn cứ, lý do").fill("Nghị quyết 1656/NQ-UBTVQH15")
    expect(page.locator(".ts-dropdown:visible")).to_have_count(0)
    page.get_by_role("button", name="Xem trước các nhiệm vụ chuyển giao").click()

    expect(page.get_by_text("3 nhiệm vụ đang mở sẽ chuyển đơn vị chủ trì từ ngày 01/07/2025")).to_be_visible()
    page.locator(f"#lead_{to_ngoc_ha.pk}").select_option(label=NGOC_HA)
    screenshot(page, "unit-split-confirm")
    page.get_by_role("button", name="Xác nhận ghi nhận và chuyển 3 nhiệm vụ").click()
    expect(page.get_by_text("3 nhiệm vụ đang mở được chuyển cho đơn vị kế thừa")).to_be_visible()
    expect(page.locator("#unit-change-link")).to_be_visible()  # back on the district's page

    assert due_counts(page, live_server, 1) == {DISTRICT: "2"}  # H1: the unit that led them then
    assert due_counts(page, live_server, 2) == {BA_DINH: "1", NGOC_HA: "1"}
    screenshot(page, "unit-split-after")
