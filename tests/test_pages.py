"""The pages, as the personas see them: the task list and its filters, task and directive pages, registering a
directive, the login page. Dates are shown dd/mm/yyyy; bad input is answered in Vietnamese, never with a 500."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dondoc.directives.models import Authority, Directive
from dondoc.tracking import actions
from dondoc.tracking.models import Task
from tests.helpers import make_directive, register_directive

pytestmark = pytest.mark.django_db

TASK_LIST = reverse("tracking:task_list")


def as_persona(client, person):
    client.force_login(person.user)
    return client


def shown(response) -> set[int]:
    return {t.pk for t in response.context["page"].object_list}


def found(response) -> int:
    """The count the page states ("Tìm thấy N nhiệm vụ/văn bản")."""
    match = re.search(r"Tìm thấy (\d+) (?:nhiệm vụ|văn bản)", response.content.decode())
    assert match, "the page states how many it found"
    return int(match.group(1))


def chip(response, bucket: str) -> int:
    match = re.search(
        rf'data-bucket="{bucket}"[^>]*>[^<]*<span class="count">(\d+)</span>', response.content.decode()
    )
    assert match, bucket
    return int(match.group(1))


def field_block(response, name: str) -> str:
    """The part of the filter form from a field's label to the next label: where its error is shown."""
    html = response.content.decode()
    start = html.index(f'for="id_{name}"')
    end = html.find("<label", start)
    return html[start : end if end != -1 else len(html)]


@pytest.fixture
def government_directive(registry):
    return make_directive(
        "45/QĐ-TTg",
        issuer=registry["CP"],
        authority=Authority.GOVERNMENT,
        issued_on=date(2025, 6, 2),
        subject="Quyết định về chương trình an toàn thực phẩm",
    )


@pytest.fixture
def tasks(make_task, registry, personas, government_directive, frozen):
    """Six assigned tasks, one per bucket on 10/03/2026 (due soon until 13/03), plus a draft nobody lists.
    Sở Xây dựng and Sở Tài chính lead tasks of 15/CT-UBND; Sở Y tế leads the two of 45/QĐ-TTg."""
    tracker = personas["tracker"].user

    def government_task(**fields) -> Task:
        task = actions.create_task(government_directive, lead_unit=registry["SYT"], user=tracker, **fields)
        return actions.assign(task, tracker, on=date(2026, 2, 2))

    made = {
        "overdue": make_task(
            due_date=date(2026, 3, 5), must_report=True, content="Xây dựng Kế hoạch chỉnh trang đô thị"
        ),
        "due_soon": make_task(due_date=date(2026, 3, 12), content="Rà soát hồ sơ khu tập thể ĐỐNG ĐA"),
        "in_deadline": government_task(
            due_date=date(2026, 4, 30), content="Kiem tra an toan thuc pham phuong dong da"
        ),
        "no_deadline": government_task(must_submit=True, content="Tổng kết công tác y tế dự phòng"),
        "on_time": make_task(lead="STC", coordinators=(), due_date=date(2026, 3, 1), content="Quyết toán"),
        "late": make_task(lead="STC", coordinators=(), due_date=date(2026, 2, 20), content="Báo cáo thu chi"),
    }
    Task.objects.filter(pk=made["on_time"].pk).update(state="completed", completed_on=date(2026, 2, 27))
    Task.objects.filter(pk=made["late"].pk).update(state="completed", completed_on=date(2026, 2, 25))
    make_task(assign=False, content="Kế hoạch dự thảo chưa giao")
    return {k: t.pk for k, t in made.items()}


# --- The task list ------------------------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(TASK_LIST)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_task_list_shows_every_visible_assigned_task_but_no_draft(client, personas, tasks):
    response = as_persona(client, personas["tracker"]).get(TASK_LIST)
    assert response.status_code == 200
    assert shown(response) == set(tasks.values())
    assert found(response) == 6


def test_task_list_counts_each_bucket(client, personas, tasks):
    response = as_persona(client, personas["tracker"]).get(TASK_LIST)
    for bucket in ("overdue", "due_soon", "no_deadline"):
        assert chip(response, bucket) == 1
    assert chip(response, "in_deadline") == 2  # the due-soon task is a part of it: "trong đó sắp đến hạn: 1"
    assert "(trong đó <a" in response.content.decode()
    assert chip(response, "completed_on_time") == 1
    assert chip(response, "completed_late") == 1


def test_unit_officer_lists_only_tasks_of_their_unit(client, personas, tasks):
    response = as_persona(client, personas["other_officer"]).get(TASK_LIST)  # Sở Y tế
    assert shown(response) == {tasks["in_deadline"], tasks["no_deadline"]}


@pytest.mark.parametrize(
    ("bucket", "expected"),
    [
        ("overdue", {"overdue"}),
        ("due_soon", {"due_soon"}),
        ("in_deadline", {"in_deadline", "due_soon"}),  # due soon is a part of within deadline
        ("no_deadline", {"no_deadline"}),
        ("completed_on_time", {"on_time"}),
        ("completed_late", {"late"}),
    ],
)
def test_task_list_filters_by_bucket(client, personas, tasks, bucket, expected):
    response = as_persona(client, personas["tracker"]).get(TASK_LIST, {"bucket": bucket})
    assert shown(response) == {tasks[k] for k in expected}
    assert found(response) == len(expected)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("a", {"overdue"}),
        ("b", {"due_soon", "in_deadline", "on_time", "late"}),
        ("c", {"no_deadline"}),
        ("d", set()),
    ],
)
def test_task_list_filters_by_kind(client, personas, tasks, kind, expected):
    response = as_persona(client, personas["tracker"]).get(TASK_LIST, {"kind": kind})
    assert shown(response) == {tasks[k] for k in expected}
    assert found(response) == len(expected)


def test_task_list_filters_by_lead_unit_and_counts_buckets_within_it(client, personas, registry, tasks):
    response = as_persona(client, personas["tracker"]).get(TASK_LIST, {"unit": registry["SYT"].pk})
    assert shown(response) == {tasks["in_deadline"], tasks["no_deadline"]}
    assert found(response) == 2
    assert chip(response, "overdue") == 0
    assert chip(response, "in_deadline") == 1


def test_task_list_filters_by_assigning_authority(client, personas, tasks):
    response = as_persona(client, personas["tracker"]).get(TASK_LIST, {"authority": Authority.GOVERNMENT})
    assert shown(response) == {tasks["in_deadline"], tasks["no_deadline"]}


def test_task_list_filters_by_deadline_range_inclusive(client, personas, tasks):
    response = as_persona(client, personas["tracker"]).get(
        TASK_LIST, {"due_from": "01/03/2026", "due_to": "12/03/2026"}
    )
    assert shown(response) == {tasks["on_time"], tasks["overdue"], tasks["due_soon"]}
    assert found(response) == 3


def test_task_list_filters_by_directive(client, personas, government_directive, tasks):
    response = as_persona(client, personas["tracker"]).get(TASK_LIST, {"directive": government_directive.pk})
    assert shown(response) == {tasks["in_deadline"], tasks["no_deadline"]}


def test_task_list_combines_filters(client, personas, registry, tasks):
    response = as_persona(client, personas["tracker"]).get(
        TASK_LIST, {"unit": registry["SXD"].pk, "bucket": "due_soon"}
    )
    assert shown(response) == {tasks["due_soon"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ke hoach", {"overdue"}),
        ("KẾ HOẠCH chỉnh trang", {"overdue"}),
        ("dong da", {"due_soon", "in_deadline"}),  # "dong da" finds "ĐỐNG ĐA"
        ("Đống Đa", {"due_soon", "in_deadline"}),  # "Đống Đa" finds "dong da"
        ("kiểm tra an toàn", {"in_deadline"}),
        ("chương trình an toàn thực phẩm", {"in_deadline", "no_deadline"}),  # the directive's subject
        ("khong co nhiem vu nay", set()),
    ],
)
def test_search_ignores_case_and_diacritics(client, personas, tasks, query, expected):
    response = as_persona(client, personas["tracker"]).get(TASK_LIST, {"q": query})
    assert shown(response) == {tasks[k] for k in expected}


def test_search_finds_tasks_by_their_lead_unit_name(client, personas, tasks):
    response = as_persona(client, personas["tracker"]).get(TASK_LIST, {"q": "so tai chinh"})
    assert shown(response) == {tasks["on_time"], tasks["late"]}


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"due_from": "99/99/2026"}, "due_from", "Ngày không hợp lệ"),
        ({"due_to": "2026-13-45"}, "due_to", "Ngày không hợp lệ"),
        ({"unit": "abc"}, "unit", "Đơn vị chủ trì không có trong danh mục"),
        ({"bucket": "zzz"}, "bucket", "Tình trạng «zzz» không hợp lệ"),
        ({"kind": "x"}, "kind", "Loại nhiệm vụ «x» không hợp lệ"),
        ({"authority": "vua"}, "authority", "Cấp giao «vua» không hợp lệ"),
        ({"due_from": "20/03/2026", "due_to": "01/03/2026"}, "due_to", "«Hạn đến ngày» phải sau"),
    ],
)
def test_bad_filter_input_is_answered_in_vietnamese_next_to_its_field(
    client, personas, tasks, params, field, message
):
    response = as_persona(client, personas["tracker"]).get(TASK_LIST, params)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    block = field_block(response, field)
    assert response.context["form"][field].label in block
    assert message in block
    assert shown(response) == set()


def test_bad_directive_id_is_answered_in_vietnamese(client, personas, tasks):
    response = as_persona(client, personas["tracker"]).get(TASK_LIST, {"directive": "abc"})
    assert response.status_code == 200
    assert "Văn bản: Mã văn bản phải là số." in response.content.decode()


def test_task_list_shows_dates_as_dd_mm_yyyy(client, personas, tasks):
    html = as_persona(client, personas["tracker"]).get(TASK_LIST).content.decode()
    assert "Tình trạng tính đến ngày 10/03/2026" in html
    assert "05/03/2026" in html
    assert "2026-03-05" not in html
    assert "Mar" not in html


def test_task_list_query_count_does_not_grow_with_the_number_of_tasks(client, personas, make_task, frozen):
    as_persona(client, personas["tracker"])

    def queries_for_list() -> int:
        client.get(TASK_LIST)  # warm the session and the calendar cache
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(TASK_LIST)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    for day in range(5):
        make_task(due_date=date(2026, 3, 20 + day % 5), coordinators=("STC", "SYT"))
    with_five = queries_for_list()
    for day in range(25):
        make_task(due_date=date(2026, 4, 1 + day), coordinators=("STC", "SYT"))
    assert queries_for_list() == with_five


# --- The task page ------------------------------------------------------------------------------------------------


def test_officer_of_another_unit_gets_404_on_a_task_page(client, personas, tasks):
    url = reverse("tracking:task_detail", args=[tasks["overdue"]])
    assert as_persona(client, personas["other_officer"]).get(url).status_code == 404
    assert as_persona(client, personas["coord_officer"]).get(url).status_code == 200


def test_task_page_shows_history_and_original_deadline_after_approved_extension(
    client, personas, make_task, frozen
):
    lead, leader = personas["lead_officer"].user, personas["leader"].user
    task = actions.acknowledge(make_task(due_date=date(2026, 3, 5)), lead)
    actions.request_change(task, lead, reason="Chờ số liệu của phường", proposed_due_date=date(2026, 3, 31))
    actions.decide_change(task, leader, approve=True, decision_document="88/TB-VP")

    response = as_persona(client, personas["lead_officer"]).get(
        reverse("tracking:task_detail", args=[task.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'id="original-due-date">05/03/2026<', html)
    assert "31/03/2026" in html
    history = html[html.index('id="history"') :]
    for label in ("Tạo nhiệm vụ", "Giao nhiệm vụ", "Tiếp nhận", "Đề nghị điều chỉnh thời hạn"):
        assert label in history
    assert "Quyết định về đề nghị điều chỉnh" in history
    assert "Chờ số liệu của phường" in history


def test_task_page_without_extension_shows_no_original_deadline(client, personas, make_task, frozen):
    task = make_task(due_date=date(2026, 3, 20))
    html = (
        as_persona(client, personas["tracker"]).get(reverse("tracking:task_detail", args=[task.pk])).content
    )
    assert b"original-due-date" not in html
    assert b"20/03/2026" in html


# --- Directives ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"15/CT-UBND", "45/QĐ-TTg"}),
        ({"q": "tang cuong ky luat"}, {"15/CT-UBND"}),
        ({"q": "qđ-ttg"}, {"45/QĐ-TTg"}),
        ({"authority": Authority.GOVERNMENT}, {"45/QĐ-TTg"}),
        ({"year": "2025"}, {"45/QĐ-TTg"}),
        ({"doc_type": "CT"}, {"15/CT-UBND"}),
        ({"year": "2026", "authority": Authority.GOVERNMENT}, set()),
    ],
)
def test_directive_list_filters(client, personas, directive, government_directive, frozen, params, expected):
    response = as_persona(client, personas["lead_officer"]).get(reverse("directives:list"), params)
    assert response.status_code == 200
    assert {d.notation for d in response.context["page"].object_list} == expected
    assert found(response) == len(expected)


def test_directive_list_refuses_a_bad_year_in_vietnamese(client, personas, directive, frozen):
    response = as_persona(client, personas["tracker"]).get(reverse("directives:list"), {"year": "abc"})
    assert response.status_code == 200
    assert "Năm phải là số" in response.content.decode()


def test_directive_list_counts_tasks_per_directive(client, personas, directive, tasks):
    response = as_persona(client, personas["tracker"]).get(reverse("directives:list"))
    counts = {d.notation: d.task_count for d in response.context["page"].object_list}
    assert counts == {"15/CT-UBND": 5, "45/QĐ-TTg": 2}  # the draft belongs to 15/CT-UBND too


def test_directive_page_lists_its_tasks_with_their_buckets(client, personas, directive, tasks):
    response = as_persona(client, personas["tracker"]).get(reverse("directives:detail", args=[directive.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert {t.pk for t in response.context["tasks"]} >= {tasks["overdue"], tasks["due_soon"], tasks["late"]}
    assert tasks["in_deadline"] not in {t.pk for t in response.context["tasks"]}
    assert chip(response, "overdue") == 1
    assert chip(response, "in_deadline") == chip(response, "due_soon") == 1  # "trong đó sắp đến hạn: 1"
    assert chip(response, "completed_late") == 1
    assert f"?directive={directive.pk}&amp;bucket=overdue" in html
    assert "02/02/2026" in html


def test_secret_directive_page_is_404_for_people_not_cleared(client, personas, secret_directive, frozen):
    secret = secret_directive
    url = reverse("directives:detail", args=[secret.pk])
    assert as_persona(client, personas["lead_officer"]).get(url).status_code == 404
    assert as_persona(client, personas["tracker"]).get(url).status_code == 200


# --- Registering a directive --------------------------------------------------------------------------------------


def test_tracking_officer_registers_a_directive(client, personas, registry, frozen):
    response = register_directive(as_persona(client, personas["tracker"]), registry)
    directive = Directive.objects.get(notation="16/CT-UBND")
    assert response.status_code == 302
    assert response.url == directive.get_absolute_url()
    assert (directive.number, directive.symbol, directive.year, directive.doc_type) == (
        16,
        "CT-UBND",
        2026,
        "CT",
    )


def test_register_form_refuses_a_malformed_notation(client, personas, registry, frozen):
    response = register_directive(
        as_persona(client, personas["tracker"]), registry, notation="3031 UBND-TKBT"
    )
    assert response.status_code == 200
    assert "thiếu dấu «/»" in " ".join(response.context["form"].errors["notation"])
    assert "thiếu dấu «/»" in response.content.decode()
    assert not Directive.objects.exists()


def test_register_form_refuses_a_duplicate_with_a_link_to_the_existing_directive(
    client, personas, registry, directive, frozen
):
    response = register_directive(
        as_persona(client, personas["tracker"]), registry, notation="15/CT-UBND", issued_on="02/02/2026"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "đã có trong sổ" in html
    assert f'href="{directive.get_absolute_url()}"' in html
    assert Directive.objects.count() == 1


def test_same_number_and_symbol_of_another_year_is_not_a_duplicate(
    client, personas, registry, directive, frozen
):
    response = register_directive(
        as_persona(client, personas["tracker"]), registry, notation="15/CT-UBND", issued_on="02/02/2025"
    )
    assert response.status_code == 302
    assert Directive.objects.filter(notation="15/CT-UBND").count() == 2


@pytest.mark.parametrize("persona", ["lead_officer", "lead_head", "leader", "inspector"])
def test_only_the_city_office_may_open_the_register_form(client, personas, persona):
    response = as_persona(client, personas[persona]).get(reverse("directives:create"))
    assert response.status_code == 403
    assert "Bạn không có quyền" in response.content.decode()


# --- Login page ---------------------------------------------------------------------------------------------------


def test_login_page_lists_demo_logins_only_in_demo_mode(client, settings, db):
    settings.DEMO = True
    html = client.get(reverse("login")).content.decode()
    assert "Tài khoản dùng thử" in html
    assert "vp.theodoi1" in html
    assert "dondoc-demo-2026" in html

    settings.DEMO = False
    html = client.get(reverse("login")).content.decode()
    assert "Tài khoản dùng thử" not in html
    assert "vp.theodoi1" not in html
    assert "dondoc-demo-2026" not in html


def test_wrong_password_is_refused_in_vietnamese(client, personas):
    response = client.post(reverse("login"), {"username": "sxd.cv1", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
