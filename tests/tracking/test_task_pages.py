"""The lifecycle from the pages: each action through its form, permissions by persona, no lost update, files."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task, TaskEvent
from tests.helpers import act, login

pytestmark = pytest.mark.django_db

PERSONAS = ["lead_head", "lead_officer", "coord_officer", "other_officer", "tracker", "leader", "inspector"]


def test_every_page_answers_every_persona_without_error(client, personas, make_task, directive, frozen):
    task = make_task(due_date=date(2026, 3, 20))
    urls = [
        reverse("home"),
        reverse("tracking:task_list"),
        reverse("tracking:task_detail", args=[task.pk]),
        reverse("tracking:unit_detail", args=[task.lead_unit_id]),
        reverse("directives:list"),
        reverse("directives:detail", args=[directive.pk]),
        reverse("directives:create"),
    ]
    expected = {
        # (task detail, directive create) status per persona
        "lead_head": (200, 403),
        "lead_officer": (200, 403),
        "coord_officer": (200, 403),
        "other_officer": (404, 403),
        "tracker": (200, 200),
        "leader": (200, 403),
        "inspector": (200, 403),
    }
    for name in PERSONAS:
        c = login(personas[name], client)
        statuses = [c.get(url).status_code for url in urls]
        assert statuses[2] == expected[name][0], name
        assert statuses[6] == expected[name][1], name
        assert all(s == 200 for i, s in enumerate(statuses) if i not in (2, 6)), (name, statuses)


def test_anonymous_user_is_sent_to_login(client, make_task):
    task = make_task()
    response = client.get(reverse("tracking:task_detail", args=[task.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_page_offers_only_the_actions_the_persona_may_take(client, personas, make_task, frozen):
    task = make_task(due_date=date(2026, 3, 20))
    page = login(personas["lead_officer"], client).get(task.get_absolute_url()).content.decode()
    assert 'id="action-acknowledge"' in page
    assert 'id="action-confirm_completion"' not in page
    page = login(personas["tracker"], client).get(task.get_absolute_url()).content.decode()
    assert 'id="action-acknowledge"' not in page
    assert 'id="action-change_lead"' in page


def test_officer_walks_task_to_completion_and_bucket_is_on_time(client, personas, make_task, frozen):
    task = make_task(due_date=date(2026, 3, 20), must_report=True)
    c = login(personas["lead_officer"], client)
    assert act(c, task, "acknowledge").status_code == 302
    task.refresh_from_db()
    assert act(c, task, "report_progress", text="Đã dự thảo", percent="60").status_code == 302
    task.refresh_from_db()
    response = act(
        c, task, "submit_result", document_number="15/BC-SXD", document_date="09/03/2026", summary="Đã xong"
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.state == tl.RESULT_SUBMITTED
    c = login(personas["tracker"], client)
    assert act(c, task, "confirm_completion").status_code == 302
    task.refresh_from_db()
    assert task.state == tl.COMPLETED
    assert task.completed_on == date(2026, 3, 9)  # the result document's date, not today
    page = c.get(task.get_absolute_url()).content.decode()
    assert "Hoàn thành đúng hạn" in page


def test_officer_of_another_unit_is_refused_an_action_and_nothing_changes(client, personas, make_task):
    task = make_task()
    events = TaskEvent.objects.filter(task=task).count()
    response = act(login(personas["other_officer"], client), task, "acknowledge")
    assert response.status_code == 404
    response = act(login(personas["coord_officer"], client), task, "acknowledge")
    assert response.status_code == 403
    assert "đơn vị chủ trì" in response.content.decode()
    task.refresh_from_db()
    assert task.state == tl.ASSIGNED
    assert TaskEvent.objects.filter(task=task).count() == events


def test_bad_progress_input_names_the_field_and_changes_nothing(client, personas, make_task, frozen):
    task = make_task()
    c = login(personas["lead_officer"], client)
    act(c, task, "acknowledge")
    task.refresh_from_db()
    response = act(c, task, "report_progress", text="", percent="150")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Phải nhập nội dung báo cáo tiến độ." in body
    assert "Tiến độ phải từ 0 đến 100%." in body
    task.refresh_from_db()
    assert task.progress == 0 and not task.progress_reports.exists()


def test_second_editor_is_refused_with_who_changed_what(client, personas, make_task, frozen):
    task = make_task()
    seen_version = task.version
    c = login(personas["lead_head"], client)
    act(c, task, "acknowledge")
    c = login(personas["lead_officer"], client)
    response = c.post(
        reverse("tracking:task_action", args=[task.pk, "request_change"]),
        {
            "request_change-version": seen_version,
            "request_change-reason": "Cần thêm thời gian",
            "request_change-proposed_due_date": "30/04/2026",
        },
    )
    assert response.status_code in (403, 409)
    task.refresh_from_db()
    assert not task.deadline_requests.exists()


def test_stale_version_gets_conflict_message_naming_the_editor(client, personas, make_task, frozen):
    task = make_task(due_date=date(2026, 3, 20))
    c = login(personas["lead_officer"], client)
    act(c, task, "acknowledge")
    task.refresh_from_db()
    stale = task.version
    act(c, task, "report_progress", text="Lần 1", percent="20")
    response = c.post(
        reverse("tracking:task_action", args=[task.pk, "report_progress"]),
        {"report_progress-version": stale, "report_progress-text": "Lần 2", "report_progress-percent": "40"},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "sxd.cv1" in body and "báo cáo tiến độ" in body
    assert Task.objects.get(pk=task.pk).progress == 20


def test_extension_approved_by_leader_keeps_original_deadline_on_page(client, personas, make_task, frozen):
    task = make_task(due_date=date(2026, 3, 5))  # overdue on 10/03/2026
    c = login(personas["lead_officer"], client)
    act(c, task, "acknowledge")
    task.refresh_from_db()
    act(c, task, "request_change", reason="Chờ ý kiến Bộ", proposed_due_date="31/03/2026")
    task.refresh_from_db()
    assert task.bucket_on(date(2026, 3, 10), date(2026, 3, 13)) == tl.OVERDUE  # the old deadline stands
    c = login(personas["leader"], client)
    response = act(
        c, task, "decide_change", approve="1", new_due_date="31/03/2026", decision_document="99/UBND-KT"
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.due_date == date(2026, 3, 31) and task.original_due_date == date(2026, 3, 5)
    page = c.get(task.get_absolute_url()).content.decode()
    assert 'id="original-due-date">05/03/2026' in page
    assert "Đang thực hiện trong hạn" in page


def _pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_result_file_is_checked_by_content(client, personas, make_task, frozen):
    task = make_task(due_date=date(2026, 3, 20), must_report=True)
    c = login(personas["lead_officer"], client)
    act(c, task, "acknowledge")
    task.refresh_from_db()
    fake = SimpleUploadedFile("ketqua.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = c.post(
        reverse("tracking:task_action", args=[task.pk, "submit_result"]),
        {
            "submit_result-version": task.version,
            "submit_result-document_number": "1/BC-SXD",
            "submit_result-document_date": "09/03/2026",
            "submit_result-file": fake,
        },
    )
    assert response.status_code == 400
    assert "không phải tệp PDF hợp lệ" in response.content.decode()
    assert not task.results.exists()


def test_result_file_is_served_only_to_people_who_see_the_task(
    client, personas, make_task, frozen, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    task = make_task(due_date=date(2026, 3, 20), must_report=True)
    c = login(personas["lead_officer"], client)
    act(c, task, "acknowledge")
    task.refresh_from_db()
    response = c.post(
        reverse("tracking:task_action", args=[task.pk, "submit_result"]),
        {
            "submit_result-version": task.version,
            "submit_result-document_number": "1/BC-SXD",
            "submit_result-document_date": "09/03/2026",
            "submit_result-file": SimpleUploadedFile("ketqua.pdf", _pdf(), content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    result = task.results.get()
    url = reverse("tracking:task_file", args=[task.pk, "ket-qua", result.pk])
    download = c.get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert login(personas["other_officer"], client).get(url).status_code == 404


def test_directive_task_form_refuses_two_leads_and_no_lead(client, personas, directive):
    c = login(personas["tracker"], client)
    url = reverse("directives:task_add", args=[directive.pk])
    sxd, stc = personas["lead_officer"].unit_id, personas["coord_officer"].unit_id
    response = c.post(url, {"content": "Lập kế hoạch", "lead_unit": [sxd, stc]})
    assert response.status_code == 400
    assert "chỉ giao cho một đơn vị chủ trì" in response.content.decode()
    response = c.post(url, {"content": "Lập kế hoạch"})
    assert "Mỗi nhiệm vụ phải có một đơn vị chủ trì." in response.content.decode()
    assert not Task.objects.filter(directive=directive).exists()


def test_directive_task_form_resolves_working_days_and_assigns(client, personas, directive, frozen):
    c = login(personas["tracker"], client)
    url = reverse("directives:task_add", args=[directive.pk])
    response = c.post(
        url,
        {
            "content": "Báo cáo kết quả rà soát",
            "lead_unit": personas["lead_officer"].unit_id,
            "coordinating_units": [personas["coord_officer"].unit_id],
            "deadline": "10 ngày làm việc",
            "report_deadline": "trước ngày 25 hằng tháng",
        },
    )
    assert response.status_code == 302
    task = Task.objects.get(directive=directive)
    # Directive dated Monday 02/02/2026: 10 working days → Monday 23/02/2026 (Tết 16–20/02 skipped).
    assert task.due_date == date(2026, 2, 23)
    assert task.report_day_of_month == 25 and task.must_report
    assert task.state == tl.DRAFT
    c.post(reverse("directives:assign_all", args=[directive.pk]), {"confirm": "1", "task": [task.pk]})
    task.refresh_from_db()
    assert task.state == tl.ASSIGNED
    assert task.accountable_head == personas["lead_head"]


def test_home_pages_per_role(client, personas, make_task, frozen):
    due_soon = make_task(due_date=date(2026, 3, 11), content="Việc sắp đến hạn")
    make_task(due_date=date(2026, 3, 2), content="Việc đã quá hạn")
    page = login(personas["lead_officer"], client).get(reverse("home")).content.decode()
    assert "Việc của tôi" in page and "Việc sắp đến hạn" in page and "Việc đã quá hạn" in page
    page = login(personas["coord_officer"], client).get(reverse("home")).content.decode()
    assert "phối hợp" in page and due_soon.content in page
    page = login(personas["tracker"], client).get(reverse("home")).content.decode()
    assert "Nhiệm vụ đơn vị chưa tiếp nhận" in page and due_soon.content in page
    page = login(personas["leader"], client).get(reverse("home")).content.decode()
    assert "Đơn vị có nhiều nhiệm vụ quá hạn nhất" in page and "Sở Xây dựng" in page


def test_a_result_confirmed_by_the_other_officer_meanwhile_is_a_conflict_not_a_refused_right(
    client, personas, make_task, registry, frozen
):
    """Two City Office officers open the same submitted result; the first confirms. The second's form is stale:
    409 with who confirmed it, not 403 "only the City Office may confirm" (the load test's journeys met it)."""
    from tests.helpers import make_person

    task = make_task(due_date=date(2026, 3, 20))
    c = login(personas["lead_officer"], client)
    act(c, task, "acknowledge")
    task.refresh_from_db()
    act(c, task, "submit_result", document_number="12/BC-SXD", document_date="09/03/2026")
    task.refresh_from_db()
    assert task.state == tl.RESULT_SUBMITTED
    seen = task.version
    other = make_person("vp.theodoi2", registry["VPUBND"], "tracking_officer")
    c = login(other, client)
    assert act(c, task, "confirm_completion").status_code == 302

    c = login(personas["tracker"], client)
    response = c.post(
        reverse("tracking:task_action", args=[task.pk, "confirm_completion"]),
        {"confirm_completion-version": seen},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Vui lòng tải lại trang" in body and "vp.theodoi2" in body and "xác nhận hoàn thành" in body
    assert TaskEvent.objects.filter(task=task, action=TaskEvent.Action.CONFIRM).count() == 1
    # Without a stale version the refusal stays what it was: a right the user does not have.
    response = c.post(
        reverse("tracking:task_action", args=[task.pk, "confirm_completion"]),
        {"confirm_completion-version": Task.objects.get(pk=task.pk).version},
    )
    assert response.status_code == 403


def test_directive_task_form_sets_the_coordinators_input_deadline(client, personas, directive, frozen):
    c = login(personas["tracker"], client)
    url = reverse("directives:task_add", args=[directive.pk])
    base = {
        "content": "Báo cáo kết quả rà soát",
        "lead_unit": personas["lead_officer"].unit_id,
        "coordinating_units": [personas["coord_officer"].unit_id],
        "deadline": "10 ngày làm việc",
    }
    # Refused, each with a message naming the field, nothing saved: no coordinator; after the completion
    # deadline; not a deadline.
    cases = [
        ({"coordinating_units": []}, "Hạn đơn vị phối hợp gửi ý kiến: nhiệm vụ không có đơn vị phối hợp."),
        ({"input_deadline": "28/02/2026"}, "không được sau thời hạn hoàn thành (23/02/2026)"),
        ({"input_deadline": "sớm nhất có thể"}, None),
    ]
    for change, message in cases:
        data = {**base, "input_deadline": "5 ngày làm việc", **change}
        response = c.post(url, data)
        assert response.status_code == 400, change
        errors = [e for e in response.context["task_form"].errors.get("input_deadline", [])]
        assert errors, change
        if message:
            assert message in response.content.decode()
    assert not Task.objects.filter(directive=directive).exists()
    # Directive dated Monday 02/02/2026: 5 working days → Monday 09/02/2026, for every coordinator.
    response = c.post(url, {**base, "input_deadline": "5 ngày làm việc"})
    assert response.status_code == 302
    task = Task.objects.get(directive=directive)
    assert [co.input_due for co in task.coordinations.all()] == [date(2026, 2, 9)]
    page = c.get(reverse("tracking:task_detail", args=[task.pk])).content.decode()
    assert "(hạn 09/02/2026)" in page
