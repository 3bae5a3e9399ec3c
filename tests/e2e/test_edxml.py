"""edXML in a real browser: a package is uploaded, its extracted tasks confirmed, and a status message downloaded."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from dondoc.tracking.models import Task
from tests.api.helpers import CONTENT, package
from tests.e2e.helpers import login

pytestmark = pytest.mark.browser


def test_a_package_is_received_its_tasks_confirmed_and_status_downloaded(
    page: Page, live_server, personas, tmp_path
):
    path = tmp_path / "goi.xml"
    path.write_bytes(package(content=CONTENT))
    login(page, live_server, "vp.theodoi")
    page.goto(f"{live_server.url}/api/edxml/")
    page.get_by_label("Gói edXML (.xml, .edxml)").set_input_files(str(path))
    page.get_by_role("button", name="Nhận gói").click()
    expect(page.locator("#ket-qua")).to_contain_text("Vào sổ văn bản 15/CT-UBND")
    expect(page.locator("legend", has_text="Nhiệm vụ")).to_have_count(2)
    page.get_by_label("Bỏ nhiệm vụ này").nth(1).check()
    page.get_by_role("button", name="Xác nhận và đăng ký nhiệm vụ").click()
    expect(page.get_by_text("Đã đăng ký 1 nhiệm vụ", exact=False)).to_be_visible()
    assert list(Task.objects.values_list("lead_unit__code", flat=True)) == ["SXD"]
    page.go_back()
    page.reload()
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải trạng thái 03").click()
    assert b"<edXML:StatusCode>03</edXML:StatusCode>" in open(info.value.path(), "rb").read()
