"""The audit page tells each entry as a Vietnamese sentence (who did what to which object, what changed), with the
raw recorded fields kept in a collapsible block for whoever checks the chain (issue 20, point 12)."""

from __future__ import annotations

from datetime import date

from dondoc.audit.context import acting_as
from dondoc.audit.models import AuditEntry
from dondoc.audit.sentences import describe, names_for
from dondoc.org.models import Person
from dondoc.tracking import actions
from tests.helpers import PASSWORD, make_person

URL = "/nhat-ky/"


def _sentence_of(entry: AuditEntry) -> str:
    return describe(entry, names_for([entry]))


def test_confirming_completion_reads_as_a_sentence_with_the_persons_name(frozen, make_task, personas):
    task = make_task()
    tracker = personas["tracker"]
    with acting_as(personas["lead_officer"].user):
        actions.acknowledge(task, personas["lead_officer"].user)
        actions.submit_result(task, personas["lead_officer"].user, document_number="12/BC-SXD",
                              document_date=date(2026, 3, 1))  # fmt: skip
    with acting_as(tracker.user):
        actions.confirm_completion(task, tracker.user)
    entry = AuditEntry.objects.filter(object_type="tracking.task", object_id=str(task.pk)).order_by("-id")[0]
    assert _sentence_of(entry).startswith(f"{tracker.full_name} xác nhận hoàn thành nhiệm vụ #{task.pk}")
    submitted = AuditEntry.objects.filter(object_type="tracking.task", after__state="result_submitted").get()
    assert _sentence_of(submitted).startswith(
        f"{personas['lead_officer'].full_name} gửi kết quả nhiệm vụ #{task.pk}"
    )


def test_a_unit_renamed_names_the_field_and_both_values(registry, personas):
    unit = registry["SXD"]
    old = unit.name
    with acting_as(personas["tracker"].user):
        unit.name = "Sở Xây dựng Hà Nội"
        unit.save()
    entry = AuditEntry.objects.filter(object_type="org.unit", object_id=str(unit.pk)).latest("id")
    assert _sentence_of(entry) == (
        f"{personas['tracker'].full_name} sửa đơn vị #{unit.pk} «Sở Xây dựng Hà Nội»: tên «{old}» → «Sở Xây dựng Hà Nội»"
    )


def test_booleans_dates_and_choices_read_in_words(frozen, make_task, personas):
    task = make_task(due_date=date(2026, 6, 30))
    with acting_as(personas["tracker"].user):
        task.secret = True
        task.due_date = date(2026, 7, 15)
        task.save()
    sentence = _sentence_of(AuditEntry.objects.filter(object_type="tracking.task").latest("id"))
    assert "nhiệm vụ mật «không» → «có»" in sentence
    assert "thời hạn hoàn thành «30/06/2026» → «15/07/2026»" in sentence
    assert "False" not in sentence and "None" not in sentence and "tracking.task" not in sentence


def test_logins_failures_and_exports(client, registry, personas):
    client.login(username="sxd.cv1", password=PASSWORD)
    client.login(username="sxd.cv1", password="sai")
    login, failed = AuditEntry.objects.filter(action__in=["login", "login_failed"]).order_by("id")
    assert _sentence_of(login) == f"{personas['lead_officer'].full_name} đăng nhập"
    assert _sentence_of(failed) == "Đăng nhập thất bại với tài khoản «sxd.cv1»"
    export = AuditEntry(action="export", username="sxd.cv1", object_type="export",
                        object_repr="Danh sách nhiệm vụ (XLSX)", after={"count": 40})  # fmt: skip
    assert (
        _sentence_of(export)
        == f"{personas['lead_officer'].full_name} xuất dữ liệu: Danh sách nhiệm vụ (XLSX) (40 bản ghi)"
    )


def test_the_page_shows_sentences_and_keeps_the_raw_fields_collapsed(client, registry, personas):
    unit = registry["SXD"]
    with acting_as(personas["tracker"].user):
        unit.name = "Sở Xây dựng mới"
        unit.save()
    make_person("quantri", registry["VPUBND"], Person.Role.ADMIN)
    client.login(username="quantri", password=PASSWORD)
    page = client.get(URL).content.decode()
    assert f"{personas['tracker'].full_name} sửa đơn vị #{unit.pk}" in page
    assert "Quantri đăng nhập" in page
    raw = page[page.index("<details") :]
    assert "<summary>Chi tiết ghi nhận</summary>" in raw and "<code>name</code>" in raw
