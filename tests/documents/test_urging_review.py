"""Review of the urging letter's issue written in fewer statements and its page written in Python (issue 19):
escaping, secrecy, the audit record of the links, bad input."""

from __future__ import annotations

import os
import threading
import time
from datetime import date

import pytest
from django.db import connection, transaction
from django.urls import reverse

from dondoc.audit import chain
from dondoc.audit.models import AuditEntry
from dondoc.documents import urging
from dondoc.documents.models import OutgoingDocument
from dondoc.org.models import Unit
from dondoc.tracking import actions
from dondoc.tracking.models import TaskEvent
from tests.helpers import login

URGING = reverse("documents:urging")
ISSUE = reverse("documents:urging_issue")
EVIL = "<script>alert(\"x\")</script> & 'q'"


def test_a_hostile_unit_name_task_content_and_directive_are_escaped_on_the_page(
    client, overdue_tasks, personas, registry
):
    unit = registry["SXD"]
    Unit.objects.filter(pk=unit.pk).update(name=f"Sở {EVIL}")
    task = overdue_tasks["late_7"]
    type(task).objects.filter(pk=task.pk).update(content=f"Nội dung {EVIL}")
    type(task.directive).objects.filter(pk=task.directive_id).update(notation=f"01/{EVIL}")
    c = login(personas["tracker"], client)
    for page in (c.get(URGING).content.decode(), c.get(URGING, {"unit": unit.pk}).content.decode()):
        assert "<script>alert" not in page
    page = c.get(URGING, {"unit": unit.pk}).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27;" in page
    # The confirmation step, the letter issued (its message names the unit) and the page of every unit's letter.
    confirm = c.post(ISSUE, {"unit": unit.pk}).content.decode()
    assert "<script>alert" not in confirm and "&lt;script&gt;" in confirm
    issued = c.post(ISSUE, {"unit": unit.pk, "confirm": "1"}, follow=True).content.decode()
    assert OutgoingDocument.objects.count() == 1
    assert "<script>alert" not in issued and "&lt;script&gt;" in issued
    again = c.post(ISSUE, {"unit": unit.pk, "confirm": "1"}, follow=True)
    assert again.status_code == 400 and "<script>alert" not in again.content.decode()
    everyone = c.post(ISSUE, {"unit": "all"}).content.decode()
    assert "<script>alert" not in everyone


@pytest.mark.parametrize("value", ["abc", "", "٣", "1e3", "-1", "99999999999999999999", " 1", "all "])
def test_bad_unit_on_the_issue_form_is_a_vietnamese_message(client, overdue_tasks, personas, value):
    response = login(personas["tracker"], client).post(ISSUE, {"unit": value, "confirm": "1"})
    assert response.status_code == 400
    assert "Đơn vị nhận công văn:" in response.content.decode()
    assert not OutgoingDocument.objects.exists()


def test_a_unit_that_may_not_receive_a_letter_is_refused_by_name(client, overdue_tasks, personas, registry):
    ids = set(Unit.objects.assignable().values_list("pk", flat=True))
    outside = max(Unit.objects.values_list("pk", flat=True)) + 1000
    assert outside not in ids
    response = login(personas["tracker"], client).post(ISSUE, {"unit": outside, "confirm": "1"})
    assert response.status_code == 400 and "không có trong danh sách đơn vị" in response.content.decode()


def test_the_letters_links_are_audited_as_add_audited_them(overdue_tasks, personas, registry):
    record = urging.issue_letter(registry["SXD"], personas["tracker"].user, date(2026, 3, 10))
    entries = {
        tuple(e.after): e
        for e in AuditEntry.objects.filter(object_type="documents.outgoingdocument", object_id=str(record.pk))
        if e.action == AuditEntry.Action.UPDATE
    }
    tasks = sorted(record.tasks.values_list("pk", flat=True))
    # What `record.tasks.add(...)` records on a fresh copy of the same links.
    record.tasks.clear()
    record.tasks.add(*tasks)
    added = AuditEntry.objects.filter(
        object_type="documents.outgoingdocument", object_id=str(record.pk)
    ).latest("pk")
    bulk = entries[("tasks",)]
    assert bulk.after == added.after == {"tasks": tasks}
    assert bulk.before == added.before == {"tasks": []}
    assert (bulk.object_repr, bulk.action) == (added.object_repr, added.action)
    assert list(chain.verify()) == []  # chained as every entry: `audit verify` finds no break


def test_secret_tasks_are_never_in_the_preview_or_the_letter_or_the_counts(
    client, overdue_tasks, personas, registry
):
    c = login(personas["tracker"], client)
    secret = overdue_tasks["secret"]
    for params in ({}, {"unit": registry["SXD"].pk}):
        page = c.get(URGING, params).content.decode()
        assert secret.content not in page
    record = urging.issue_letter(registry["SXD"], personas["tracker"].user, date(2026, 3, 10))
    assert secret.pk not in set(record.tasks.values_list("pk", flat=True))
    assert record.listed == record.tasks.count() == 3
    overview = dict(
        (u.pk, (o, s)) for u, o, s in urging.overview(personas["tracker"].user, date(2026, 3, 10))
    )
    assert overview[registry["SXD"].pk][0] == 2


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql")),
    reason="row locks of two connections need PostgreSQL",
)
def test_a_task_whose_result_is_submitted_while_the_letter_waits_for_it_is_not_urged(
    transactional_db, overdue_tasks, personas, registry
):
    late = overdue_tasks["late_3"]
    out: dict[str, object] = {}

    def clerk() -> None:
        try:
            out["record"] = urging.issue_letter(registry["SXD"], personas["tracker"].user, date(2026, 3, 10))
        except BaseException as error:  # noqa: BLE001 — reported by the main thread
            out["error"] = error
        finally:
            connection.close()

    with transaction.atomic():
        actions.submit_result(
            late, personas["lead_officer"].user, document_number="15/BC-SXD", document_date=date(2026, 3, 4)
        )
        thread = threading.Thread(target=clerk)
        thread.start()
        time.sleep(1.5)  # the clerk's statement waits for the task's row
        assert thread.is_alive(), out
    thread.join(30)
    assert "error" not in out, out
    record = out["record"]
    assert isinstance(record, OutgoingDocument)
    listed = set(record.tasks.values_list("pk", flat=True))
    assert late.pk not in listed and overdue_tasks["late_7"].pk in listed
    assert not TaskEvent.objects.filter(task=late, action="urge").exists()
    assert record.listed == len(listed)


@pytest.mark.parametrize("value", ["abc", "٣", "-1", "99999999999999999999", EVIL, "0"])
def test_bad_unit_in_the_preview_address_is_a_vietnamese_message(client, overdue_tasks, personas, value):
    response = login(personas["tracker"], client).get(URGING, {"unit": value})
    page = response.content.decode()
    assert response.status_code in (200, 400)
    assert "Đơn vị nhận công văn: «" in page and "không có trong danh sách đơn vị" in page
    assert "<script>alert" not in page
    assert not OutgoingDocument.objects.exists()
