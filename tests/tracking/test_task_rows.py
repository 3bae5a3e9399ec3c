"""The home pages' worklist table written by the `task_rows` tag (issue 19) is, byte for byte, what its template was."""

from __future__ import annotations

from datetime import date

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from dondoc.tracking.models import Task
from dondoc.tracking.timeliness import soon_limit

pytestmark = pytest.mark.django_db

# tracking/_task_rows.html as it was (included by the home pages), the reference
TEMPLATE = (
    '{% load tracking %}<div class="table-responsive"><table class="table table-sm table-hover mb-0 table-cards">\n'
    "<thead><tr><th>Nội dung</th>{% if show_lead %}<th>Đơn vị chủ trì</th>{% endif %}<th>Thời hạn</th></tr></thead>"
    "<tbody>\n"
    '{% for task in tasks %}<tr><td><a href="{{ task.get_absolute_url }}">{% task_content task 120 %}</a>'
    '{% if task.bucket == "due_soon" %} <span class="badge text-bg-info">Sắp đến hạn</span>{% endif %}</td>'
    '{% if show_lead %}<td data-label="Đơn vị chủ trì"><a href="{% url \'tracking:unit_detail\' task.lead_unit_id %}">'
    "{{ task.lead_unit.name }}</a></td>{% endif %}"
    '<td data-label="Thời hạn">{{ task.due_date|date:"d/m/Y"|default:"—" }}</td></tr>\n'
    '{% empty %}<tr><td colspan="3" class="text-muted">Không có.</td></tr>{% endfor %}\n'
    "</tbody></table></div>\n"
)


@pytest.fixture
def varied(make_task, registry, frozen):
    """Tasks of every kind a row shows: a lead unit's name to escape, content to escape, due soon (a long content),
    secret, without a deadline."""
    registry["SXD"].name = 'Sở Xây dựng & "Quy hoạch" <HN>'
    registry["SXD"].save()
    make_task(content="Nhiệm vụ <b>quá hạn</b> & khẩn", due_date=date(2026, 3, 2))
    make_task(content="Sắp đến hạn " + "rất dài " * 30, due_date=date(2026, 3, 11))
    make_task(content="Nội dung mật", due_date=date(2026, 4, 30), secret=True)
    make_task(content="Không có thời hạn")


@pytest.mark.parametrize("who", ["lead_officer", "tracker"])
@pytest.mark.parametrize("show_lead", [True, False])
@pytest.mark.parametrize("annotated", [True, False])
def test_task_rows_is_the_templates_text(varied, personas, who, show_lead, annotated):
    ref = date(2026, 3, 10)
    tasks = Task.objects.select_related("lead_unit").order_by("id")
    if annotated:
        tasks = tasks.with_bucket(ref, soon_limit(ref))
    request = RequestFactory().get("/")
    request.user = personas[who].user
    for rows in (list(tasks), []):
        context = {"tasks": rows, "show_lead": show_lead, "request": request}
        fast = Template("{% load tracking %}{% task_rows tasks show_lead %}").render(Context(context))
        assert fast == Template(TEMPLATE).render(Context(context))
    assert (
        "Sắp đến hạn</span>"
        in Template("{% load tracking %}{% task_rows tasks True %}").render(
            Context({"tasks": list(tasks), "request": request})
        )
        or not annotated
    )


# the rows of tracking/task_list.html as its template wrote them, the reference of `list_rows`
LIST_TEMPLATE = (
    "{% load tracking %}{% for task in page %}\n    <tr>\n"
    '      <td class="task-content"><a href="{{ task.get_absolute_url }}">{% task_content task 140 %}</a>'
    '<div class="d-md-none small text-muted">{{ task.lead_unit.name }}</div>{% if task.secret %} '
    '<span class="badge text-bg-dark">Mật</span>{% endif %}</td>\n'
    '      <td class="d-none d-md-table-cell"><a href="{{ task.lead_unit_id|unit_url }}">{{ task.lead_unit.name }}'
    "</a></td>\n"
    '      <td class="d-none d-lg-table-cell text-nowrap"><a href="{{ task.directive.get_absolute_url }}">'
    "{{ task.directive.notation }}</a></td>\n"
    '      <td data-label="Thời hạn">{{ task.due_date|dmy|default:"—" }}</td>\n'
    '      <td data-label="Tình trạng"><span class="badge {{ task.bucket|bucket_class }}">'
    "{{ task.bucket|bucket_label }}</span>{% if task.awaiting_confirmation %} "
    '<span class="badge text-bg-warning">Chờ xác nhận</span>{% endif %}</td>\n'
    "    </tr>\n  {% empty %}\n"
    '    <tr><td colspan="5" class="text-muted">Không có nhiệm vụ nào khớp điều kiện lọc.</td></tr>\n  {% endfor %}'
)


@pytest.mark.parametrize("who", ["lead_officer", "tracker"])
@pytest.mark.parametrize("annotated", [True, False])
def test_list_rows_is_the_templates_text(varied, make_task, personas, who, annotated):
    from django.core.paginator import Paginator

    from dondoc.tracking import actions

    lead = personas["lead_officer"].user
    waiting = actions.acknowledge(make_task(content="Chờ xác nhận kết quả", due_date=date(2026, 5, 4)), lead)
    actions.submit_result(waiting, lead, document_number="2/BC", document_date=date(2026, 3, 9))
    ref = date(2026, 3, 10)
    tasks = Task.objects.select_related("lead_unit", "directive").order_by("id")
    if annotated:
        tasks = tasks.with_bucket(ref, soon_limit(ref))
    request = RequestFactory().get("/")
    request.user = personas[who].user
    for page in (list(tasks), Paginator(tasks, 3).get_page(2), []):
        context = {"page": page, "request": request}
        fast = Template("{% load tracking %}{% list_rows page %}").render(Context(context))
        assert fast == Template(LIST_TEMPLATE).render(Context(context))
    text = Template("{% load tracking %}{% list_rows page %}").render(
        Context({"page": list(tasks), "request": request})
    )
    assert "Chờ xác nhận</span>" in text and "&lt;b&gt;quá hạn" in text
    assert ("Nội dung mật" in text) == personas[who].cleared_for_secrets
