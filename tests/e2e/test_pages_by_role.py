"""Each role's main pages on a desktop (1280×800) and a phone (390×844) (issue 20, points 10 and 11, "Done when").

Every page answers 200 without a CSP complaint; on a phone none scrolls sideways (the task page's change-request
table, the task list, the directive page and the dashboard's tables become stacked cards or scroll in their own
frame); and every page is photographed (the full page) under var/screenshots/pages/ (`<role>-<viewport>-<page>.png`),
the set a reviewer looks through.
"""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from dondoc.inspection import services
from dondoc.inspection.models import TeamMember
from dondoc.org.models import Person
from dondoc.tracking import actions
from dondoc.tracking.models import Task
from tests.e2e.helpers import PHONE, login, screenshot, watch
from tests.evaluation.lifecycle import complete_by_lead
from tests.helpers import make_person

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}

LONG = (
    "Rà soát, hoàn thiện hồ sơ thủ tục đầu tư, giải phóng mặt bằng các dự án chỉnh trang đô thị, cải tạo vỉa hè "
    "và hệ thống chiếu sáng công cộng trên địa bàn, báo cáo UBND Thành phố kết quả thực hiện"
)
# role → (username, the pages it opens); "task" is the task of its unit (the ward's for the ward officer)
ROLES = {
    "theo-doi": ("vp.theodoi", ("home", "tasks", "task", "directive", "dashboard", "inspection")),
    "can-bo-phuong": ("hm.cv1", ("home", "tasks", "task", "directive", "inspection")),
    "thu-truong": ("sxd.truong", ("home", "tasks", "task", "directive", "inspection")),
    "lanh-dao": ("lanhdao", ("home", "tasks", "task", "directive", "dashboard", "inspection")),
    "thanh-tra": ("snv.thanhtra", ("home", "tasks", "task", "directive", "dashboard", "inspection")),
}


@pytest.fixture
def city(personas, registry, make_task, directive):
    """Tasks of several units (full names as long as the registry has: the ward, the high-tech parks' board), one
    with a long content and two deadline-change requests, a completed one, one without deadline, an inspection."""
    p = personas
    ward_officer = make_person("hm.cv1", registry["00331"], Person.Role.UNIT_OFFICER)
    main = make_task(due_date=date(2026, 3, 2), content=LONG, must_report=True)
    for proposed, approve in ((date(2026, 3, 31), False), (date(2026, 4, 15), True)):
        actions.request_change(
            Task.objects.get(pk=main.pk),
            p["lead_officer"].user,
            reason="Chờ ý kiến thẩm định của Bộ Xây dựng",
            proposed_due_date=proposed,
        )
        actions.decide_change(
            Task.objects.get(pk=main.pk),
            p["leader"].user,
            approve=approve,
            decision_document="99/UBND-ĐT" if approve else "",
            note="" if approve else "Không chấp thuận",
        )
    make_task(due_date=date(2026, 3, 13), content="Kiểm tra công trình xây dựng trọng điểm")
    make_task(due_date=None, content="Theo dõi thường xuyên an toàn công trình")
    complete_by_lead(make_task(due_date=date(2026, 3, 5)), date(2026, 3, 4), p)
    ward = make_task(lead="00331", coordinators=(), due_date=date(2026, 3, 12), content=LONG)
    actions.request_change(
        ward, ward_officer.user, reason="Chờ bố trí vốn", proposed_due_date=date(2026, 4, 30)
    )
    make_task(lead="BQLKCN", coordinators=(), due_date=date(2026, 3, 3), content="Rà soát khu công nghiệp")
    make_task(lead="SQHKT", coordinators=(), due_date=date(2026, 3, 11), content="Lập quy hoạch phân khu")
    plan = services.create_plan(
        p["inspector"].user,
        team=[services.TeamEntry(p["inspector"], TeamMember.Role.HEAD)],
        units=[registry["SXD"], registry["00331"]],
        decision_number="12/QĐ-SNV",
        decision_date=date(2026, 3, 2),
        title="Kiểm tra công vụ quý I năm 2026",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 9),
        starts_on=date(2026, 3, 10),
        ends_on=date(2026, 3, 20),
    )
    return {"main": main, "ward": ward, "directive": directive, "plan": plan}


def url_of(page_name: str, role: str, city: dict) -> str:
    task = city["ward"] if role == "can-bo-phuong" else city["main"]
    return {
        "home": "/",
        "tasks": "/nhiem-vu/",
        "task": task.get_absolute_url(),
        "directive": city["directive"].get_absolute_url(),
        "dashboard": "/danh-gia/",
        "inspection": f"/thanh-tra/{city['plan'].pk}/" if role == "thanh-tra" else "/thanh-tra/",
    }[page_name]


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("role", list(ROLES))
def test_each_roles_main_pages_fit_the_screen(new_context, live_server, city, role, viewport):
    username, pages = ROLES[role]
    size = DESKTOP if viewport == "desktop" else PHONE
    page = new_context(viewport=size).new_page()
    complaints = watch(page)
    login(page, live_server, username)
    too_wide = {}
    for name in pages:
        response = page.goto(f"{live_server.url}{url_of(name, role, city)}")
        assert response is not None and response.status == 200, (name, response and response.status)
        page.wait_for_load_state("load")
        if name == "dashboard":
            expect(page.locator("#bieu-do-don-vi")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > size["width"]:
            too_wide[name] = width
        screenshot(page, f"pages/{role}-{viewport}-{name}")
    assert too_wide == {}, f"scrolls sideways at {size['width']} px: {too_wide}"
    assert complaints == [] and page.evaluate("window.__csp || []") == []
