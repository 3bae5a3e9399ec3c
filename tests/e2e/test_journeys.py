"""End-to-end journeys: what each kind of user sees in the browser (DOMAIN.md §2 and §5)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from dondoc.directives.models import Authority, Directive
from dondoc.tracking import actions
from dondoc.tracking.models import ProgressReport, Task
from tests.e2e.helpers import PHONE, login, logout, screenshot

pytestmark = pytest.mark.browser


def open_action(page: Page, action: str):
    """Open the <details id="action-…"> form of an action and return it."""
    details = page.locator(f"#action-{action}")
    details.locator("summary").click()
    expect(details).to_have_attribute("open", "")
    return details


def send_action(page: Page, action: str, fields: dict[str, str], button: str, said: str) -> None:
    """Open `action`'s form, fill its `fields` (name → text), press `button` and see the alert saying `said`."""
    form = open_action(page, action)
    for name, value in fields.items():
        form.locator(f"#id_{action}-{name}").fill(value)
    form.get_by_role("button", name=button).click()
    expect(page.get_by_role("alert")).to_contain_text(said)


def in_progress(make_task, personas, **fields) -> Task:
    task = make_task(**fields)
    return actions.acknowledge(task, personas["lead_officer"].user)


# --- 1. Lead unit reports and submits, the City Office confirms --------------------------------------------


def test_officer_submits_result_and_tracker_confirms_on_time(
    page, live_server, personas, make_task, registry
):
    task = make_task(due_date=date(2026, 3, 31), content="Xây dựng Kế hoạch chỉnh trang đô thị năm 2026")

    login(page, live_server, "sxd.cv1")
    expect(page.get_by_role("heading", name=re.compile("Việc của tôi"))).to_be_visible()
    group = page.locator("section", has=page.locator("#group-in_deadline"))
    expect(group.get_by_role("link", name=task.content)).to_be_visible()
    screenshot(page, "home_unit")

    page.get_by_role("link", name="Sở Xây dựng").first.click()
    expect(page.get_by_role("heading", name="Sở Xây dựng", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=task.content)).to_be_visible()
    screenshot(page, "unit_page")
    page.go_back()

    page.get_by_role("link", name=task.content).click()
    expect(page).to_have_url(re.compile(rf"/nhiem-vu/{task.pk}/$"))
    expect(page.locator("h1")).to_have_text(task.content)
    expect(page.locator("#bucket")).to_have_text("Đang thực hiện trong hạn")
    expect(page.locator("#lead-unit")).to_have_text("Sở Xây dựng")

    open_action(page, "acknowledge").get_by_role("button", name="Tiếp nhận").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã ghi nhận: tiếp nhận nhiệm vụ.")
    expect(page.get_by_text("Đang thực hiện", exact=True)).to_be_visible()
    expect(page.locator("#action-acknowledge")).to_have_count(0)

    progress = {"text": "Đã lấy ý kiến các quận, huyện; đang hoàn thiện dự thảo.", "percent": "60"}
    send_action(page, "report_progress", progress, "Gửi báo cáo tiến độ", "Đã ghi nhận: báo cáo tiến độ.")
    expect(page.locator("#progress-reports")).to_contain_text("60%: Đã lấy ý kiến các quận, huyện")
    expect(page.locator("dd", has_text=re.compile(r"^60%$"))).to_be_visible()

    result = {
        "document_number": "45/BC-SXD",
        "document_date": "06/03/2026",
        "summary": "Kế hoạch đã trình UBND Thành phố.",
    }
    send_action(page, "submit_result", result, "Gửi kết quả", "Đã ghi nhận: gửi kết quả thực hiện.")
    expect(page.locator("#results")).to_contain_text("45/BC-SXD ngày 06/03/2026")
    expect(page.get_by_text("Đã gửi kết quả", exact=True)).to_be_visible()
    expect(page.locator("#action-submit_result")).to_have_count(0)
    screenshot(page, "task_page")

    logout(page)
    login(page, live_server, "vp.theodoi")
    worklist = page.locator("#worklist-results")
    expect(worklist.get_by_role("heading")).to_have_text("Kết quả chờ xác nhận: 1")
    screenshot(page, "home_office")
    worklist.get_by_role("link", name=task.content).click()

    open_action(page, "confirm_completion").get_by_role("button", name="Xác nhận hoàn thành").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã ghi nhận: xác nhận hoàn thành.")
    expect(page.locator("#bucket")).to_have_text("Hoàn thành đúng hạn")
    expect(page.locator("dd", has_text="06/03/2026").first).to_be_visible()  # completion date = result date
    task.refresh_from_db()
    assert task.state == "completed" and task.completed_on == date(2026, 3, 6)

    page.goto(f"{live_server.url}/")
    expect(page.locator("#worklist-results").get_by_role("heading")).to_have_text("Kết quả chờ xác nhận: 0")


# --- 2. Extension: the old deadline stands until the leader approves ----------------------------------------


def test_extension_request_keeps_task_overdue_until_leader_approves(page, live_server, personas, make_task):
    task = in_progress(make_task, personas, due_date=date(2026, 3, 2), content="Rà soát quy hoạch chi tiết")

    login(page, live_server, "sxd.cv1")
    page.goto(f"{live_server.url}/nhiem-vu/{task.pk}/")
    expect(page.locator("#bucket")).to_have_text("Quá hạn chưa hoàn thành")

    change = {"reason": "Chờ ý kiến thẩm định của Bộ Xây dựng.", "proposed_due_date": "31/03/2026"}
    send_action(page, "request_change", change, "Gửi đề nghị", "Đã ghi nhận: đề nghị điều chỉnh")
    expect(page.locator("#bucket")).to_have_text("Quá hạn chưa hoàn thành")
    expect(page.locator("#due-date")).to_contain_text("02/03/2026")
    requests = page.locator("table", has=page.get_by_role("columnheader", name="Ngày đề nghị"))
    expect(requests.locator("tbody tr")).to_have_count(1)
    expect(requests).to_contain_text("31/03/2026")
    logout(page)

    login(page, live_server, "lanhdao")
    expect(page.get_by_role("heading", name=re.compile("Tình hình thực hiện nhiệm vụ"))).to_be_visible()
    expect(page.locator(".bucket-chip[data-bucket=overdue] .count")).to_have_text("1")
    screenshot(page, "home_leader")
    waiting = page.locator("section", has=page.get_by_role("heading", name=re.compile("Đề nghị điều chỉnh")))
    waiting.get_by_role("link", name=task.content).click()

    form = open_action(page, "decide_change")
    form.locator("#id_decide_change-approve").select_option(label="Chấp thuận")
    form.locator("#id_decide_change-new_due_date").fill("31/03/2026")
    form.locator("#id_decide_change-decision_document").fill("1234/UBND-ĐT")
    form.get_by_role("button", name="Ghi quyết định").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã ghi nhận: quyết định")
    expect(page.locator("#bucket")).to_have_text(re.compile("^(Đang thực hiện trong hạn|Sắp đến hạn)$"))
    expect(page.locator("#due-date")).to_contain_text("31/03/2026")
    expect(page.locator("#original-due-date")).to_have_text("02/03/2026")
    expect(requests).to_contain_text("1234/UBND-ĐT")
    expect(page.locator("#action-decide_change")).to_have_count(0)


# --- 3. A field error is shown next to the field and nothing changes ----------------------------------------


def test_progress_percent_out_of_range_shows_field_error(page, live_server, personas, make_task):
    task = in_progress(make_task, personas, due_date=date(2026, 3, 31))
    version = Task.objects.get(pk=task.pk).version

    login(page, live_server, "sxd.cv1")
    page.goto(f"{live_server.url}/nhiem-vu/{task.pk}/")
    form = open_action(page, "report_progress")
    form.locator("#id_report_progress-text").fill("Đang triển khai.")
    form.locator("#id_report_progress-percent").fill("150")
    with page.expect_response(re.compile(rf"/nhiem-vu/{task.pk}/thao-tac/report_progress/")) as response:
        form.get_by_role("button", name="Gửi báo cáo tiến độ").click()
    assert response.value.status == 400

    form = page.locator("#action-report_progress")
    expect(form).to_have_attribute("open", "")
    error = form.locator(".field-error[data-field=percent]")
    expect(error).to_have_text("Tiến độ phải từ 0 đến 100%.")
    expect(error).to_be_visible()
    expect(form.locator("#id_report_progress-text")).to_have_value("Đang triển khai.")
    expect(page.locator("#progress-reports")).to_have_count(0)
    expect(page.locator("dd", has_text=re.compile(r"^0%$"))).to_be_visible()
    assert not ProgressReport.objects.filter(task=task).exists()
    task.refresh_from_db()
    assert (task.progress, task.version) == (0, version)


def _post_progress(page, live_server, task, token: str, version: int, text: str):
    """Post the task page's progress form (90 %) from `page`'s session with its CSRF `token`, as a forged form."""
    return page.request.post(
        f"{live_server.url}/nhiem-vu/{task.pk}/thao-tac/report_progress/",
        form={
            "csrfmiddlewaretoken": token,
            "report_progress-version": str(version),
            "report_progress-text": text,
            "report_progress-percent": "90",
        },
    )


# --- 4. Another unit gets nothing by URL --------------------------------------------------------------------


def test_other_unit_cannot_open_or_act_on_task_by_url(page, live_server, personas, make_task):
    task = in_progress(make_task, personas, due_date=date(2026, 3, 31))
    version = Task.objects.get(pk=task.pk).version

    login(page, live_server, "syt.cv1")
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    response = page.goto(f"{live_server.url}/nhiem-vu/{task.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Không tìm thấy trang")).to_be_visible()
    expect(page.get_by_text(task.content)).to_have_count(0)

    posted = _post_progress(page, live_server, task, token, version, "Báo cáo giả mạo")
    assert posted.status == 404
    assert "Không tìm thấy trang" in posted.text()
    task.refresh_from_db()
    assert (task.progress, task.version) == (0, version)
    assert not ProgressReport.objects.filter(task=task).exists()

    # A coordinating unit sees the task but may not report for the lead unit (in a browser context of its own:
    # nothing of the other unit's session can leak into it).
    context = page.context.browser.new_context()
    page = context.new_page()
    login(page, live_server, "stc.cv1")
    response = page.goto(f"{live_server.url}/nhiem-vu/{task.pk}/")
    assert response is not None and response.status == 200
    expect(page.locator("#action-report_progress")).to_have_count(0)
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    posted = _post_progress(page, live_server, task, token, version, "Báo cáo thay")
    assert posted.status == 403
    assert "Chỉ đơn vị chủ trì được báo cáo tiến độ" in posted.text()
    assert not ProgressReport.objects.filter(task=task).exists()
    context.close()


# --- 5. The task list filters -------------------------------------------------------------------------------


def test_task_list_search_without_diacritics_and_bad_date(page, live_server, personas, make_task):
    plan = make_task(
        due_date=date(2026, 3, 31), content="Xây dựng Kế hoạch phát triển nhà ở giai đoạn 2026-2030"
    )
    other = make_task(due_date=date(2026, 4, 15), content="Báo cáo tình hình giải ngân vốn đầu tư công")

    login(page, live_server, "vp.theodoi")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Nhiệm vụ").click()
    expect(page.get_by_role("heading", name="Nhiệm vụ", level=1)).to_be_visible()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    screenshot(page, "task_list")

    page.get_by_label("Tìm kiếm").fill("ke hoach")
    page.get_by_role("button", name="Lọc").click()
    expect(page).to_have_url(re.compile(r"q=ke\+hoach"))
    expect(rows).to_have_count(1)
    expect(rows.get_by_role("link", name=plan.content)).to_be_visible()
    expect(page.get_by_role("link", name=other.content)).to_have_count(0)
    expect(page.get_by_text("Tìm thấy 1 nhiệm vụ.")).to_be_visible()
    expect(page.get_by_label("Tìm kiếm")).to_have_value("ke hoach")

    page.get_by_label("Hạn từ ngày").fill("31/02/2026")
    page.get_by_role("button", name="Lọc").click()
    feedback = page.locator(".invalid-feedback")
    expect(feedback).to_have_text("Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 25/12/2026.")
    expect(feedback).to_be_visible()
    expect(page.get_by_label("Hạn từ ngày")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.get_by_label("Hạn từ ngày")).to_have_value("31/02/2026")
    expect(page.get_by_text("Không có nhiệm vụ nào khớp điều kiện lọc.")).to_be_visible()


# --- 6. Directive register refuses a duplicate with a link to the original ----------------------------------


def fill_directive(page: Page, registry) -> None:
    page.get_by_label("Số, ký hiệu").fill("27/CT-UBND")
    page.get_by_label("Ngày ban hành").fill("05/03/2026")
    page.locator("#id_issuer").select_option(value=str(registry["H26"].pk))
    page.locator("#id_authority").select_option(value=Authority.CITY_COMMITTEE)
    page.get_by_label("Trích yếu").fill("Chỉ thị về phòng, chống cháy nổ mùa hanh khô")


def test_tracker_registers_directive_and_duplicate_is_refused(
    page, live_server, personas, registry, directive
):
    login(page, live_server, "vp.theodoi")
    page.get_by_role("link", name="Vào sổ văn bản").click()
    expect(page).to_have_url(re.compile(r"/van-ban/moi/$"))
    expect(page.get_by_role("heading", name="Vào sổ văn bản chỉ đạo")).to_be_visible()
    fill_directive(page, registry)
    page.get_by_role("button", name="Vào sổ").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã vào sổ văn bản 27/CT-UBND.")
    created = Directive.objects.get(number=27, year=2026)
    expect(page).to_have_url(re.compile(rf"/van-ban/{created.pk}/$"))
    expect(page.locator("h1")).to_contain_text("27/CT-UBND")
    expect(page.get_by_text("Chỉ thị về phòng, chống cháy nổ mùa hanh khô")).to_be_visible()
    screenshot(page, "directive_page")

    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Văn bản chỉ đạo"
    ).click()
    expect(page.get_by_role("link", name="27/CT-UBND")).to_be_visible()
    expect(page.get_by_role("link", name="15/CT-UBND")).to_be_visible()
    screenshot(page, "directive_list")

    page.goto(f"{live_server.url}/van-ban/moi/")
    fill_directive(page, registry)
    page.get_by_role("button", name="Vào sổ").click()
    errors = page.locator("#form-errors")
    expect(errors).to_contain_text(
        "Văn bản 27/CT-UBND của Ủy ban nhân dân Thành phố Hà Nội năm 2026 đã có trong sổ"
    )
    link = errors.get_by_role("link", name="xem văn bản đã vào sổ")
    expect(link).to_have_attribute("href", f"/van-ban/{created.pk}/")
    assert Directive.objects.filter(number=27, year=2026).count() == 1
    link.click()
    expect(page).to_have_url(re.compile(rf"/van-ban/{created.pk}/$"))


# --- 7. Keyboard ---------------------------------------------------------------------------------------------


def test_login_form_is_reachable_by_keyboard_in_order(page, live_server, personas):
    page.goto(f"{live_server.url}/dang-nhap/")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    screenshot(page, "login")
    page.evaluate("document.activeElement && document.activeElement.blur()")
    focused = []
    for _ in range(8):
        page.keyboard.press("Tab")
        focused.append(
            page.evaluate(
                "() => { const e = document.activeElement; return e.id || (e.tagName + ':' + e.textContent.trim()); }"
            )
        )
    assert "id_username" in focused, focused
    start = focused.index("id_username")
    assert focused[start : start + 3] == ["id_username", "id_password", "BUTTON:Đăng nhập"], focused

    # And the form works from the keyboard alone.
    page.get_by_label("Tên đăng nhập").focus()
    page.keyboard.type("vp.theodoi")
    page.keyboard.press("Tab")
    page.keyboard.type("mat-khau-thu-nghiem-2026")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Việc cần xử lý"))).to_be_visible()


# --- 8. Responsive ------------------------------------------------------------------------------------------


def test_task_list_fits_a_phone(new_context, live_server, personas, make_task):
    for n in range(3):
        make_task(
            due_date=date(2026, 3, 12 + n),
            content=f"Triển khai thực hiện Kế hoạch số {n + 1} về chỉnh trang đô thị, hạ tầng kỹ thuật và "
            "cảnh quan các tuyến phố chính trên địa bàn Thành phố",
        )
    page = new_context(viewport=PHONE).new_page()
    login(page, live_server, "vp.theodoi")
    page.goto(f"{live_server.url}/nhiem-vu/")
    expect(page.locator("table tbody tr")).to_have_count(3)
    toggler = page.get_by_role("button", name="Mở menu")
    expect(toggler).to_be_visible()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_hidden()
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,"
        " body: document.body.scrollWidth})"
    )
    assert widths["scroll"] <= widths["inner"], widths
    screenshot(page, "task_list_phone")
    toggler.click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


# --- Every role's home page -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "heading", "shot"),
    [
        ("sxd.truong", "Việc của tôi", "home_unit_head"),
        ("stc.cv1", "Việc của tôi", "home_coordinator"),
        ("snv.thanhtra", "Tình hình thực hiện nhiệm vụ", "home_inspector"),
    ],
)
def test_home_of_each_role(page, live_server, personas, make_task, username, heading, shot):
    task = make_task(due_date=date(2026, 3, 11))
    login(page, live_server, username)
    expect(page.get_by_role("heading", name=re.compile(heading))).to_be_visible()
    if username == "stc.cv1":
        coordinated = page.locator("h2", has_text="Nhiệm vụ đơn vị tham gia phối hợp")
        expect(coordinated).to_be_visible()
        expect(page.get_by_role("link", name=task.content)).to_be_visible()
    if username == "sxd.truong":
        # due soon (11/03): listed among the tasks within their deadline, marked "Sắp đến hạn"
        group = page.locator("section", has=page.locator("#group-in_deadline"))
        expect(group.get_by_role("link", name=task.content)).to_be_visible()
        expect(group.get_by_text("Sắp đến hạn", exact=True)).to_be_visible()
        expect(group.locator('a[data-bucket="due_soon"]')).to_have_attribute("data-count", "1")
    screenshot(page, shot)
