"""Background spreadsheet import: a file over IMPORT_INLINE_MAX_ROWS is queued, the worker imports it all or nothing,
its page polls the progress with htmx."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client
from django_tasks_db.models import DBTaskResult

from dondoc.api import spreadsheet
from dondoc.api.models import ImportRun
from dondoc.directives.models import Directive
from dondoc.tracking.models import Task
from tests.api.helpers import GOOD_ROWS, upload_sheet, xlsx
from tests.helpers import run_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_threshold(settings, tmp_path):
    settings.IMPORT_INLINE_MAX_ROWS = 2
    settings.MEDIA_ROOT = str(tmp_path)
    return settings


def queued_run(office: Client, content: bytes) -> ImportRun:
    assert upload_sheet(office, content).status_code == 200
    response = office.post("/api/nhap/xac-nhan/")
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/api/nhap/lan/{run.pk}/"
    return run


def test_large_file_is_queued_then_imported_once_by_the_worker(
    frozen, small_threshold, office, directive, personas
):
    run = queued_run(office, xlsx(GOOD_ROWS))
    assert (run.status, run.progress, run.rows) == ("queued", 0, 3)
    assert run.created_by == personas["tracker"].user and run.file.name.endswith(".xlsx")
    assert Task.objects.count() == 0  # nothing imported by the request
    page = office.get(f"/api/nhap/lan/{run.pk}/").content.decode()
    assert f'hx-get="/api/nhap/lan/{run.pk}/tien-do/"' in page and 'hx-trigger="every 2s"' in page
    assert "Đang chờ".lower() in page.lower()

    run_jobs()
    run.refresh_from_db()
    assert (run.status, run.progress, run.error) == ("done", 100, "")
    assert (run.new_directives, run.new_tasks, run.skipped) == (1, 3, 0)
    assert run.started_at is not None and run.finished_at is not None
    assert Task.objects.count() == 3 and Directive.objects.filter(number=27).count() == 1
    assert all(t.events.filter(action="create").count() == 1 for t in Task.objects.all())
    spreadsheet.import_file.enqueue(
        run.pk
    )  # the same job again (queued twice): the run is done, nothing redone
    run_jobs()
    assert Task.objects.count() == 3

    fragment = office.get(f"/api/nhap/lan/{run.pk}/tien-do/").content.decode()
    assert fragment.lstrip().startswith('<section id="import-progress"')
    assert "hx-get" not in fragment  # finished: polling stops
    assert "Đã nhập 1 văn bản mới và 3 nhiệm vụ mới" in fragment


def test_status_endpoint_returns_the_progress_fragment_while_running(frozen, small_threshold, office):
    run = queued_run(office, xlsx(GOOD_ROWS))
    ImportRun.objects.filter(pk=run.pk).update(status="running", progress=42, stage="Đã kiểm tra 1/3 dòng")
    response = office.get(f"/api/nhap/lan/{run.pk}/tien-do/")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'hx-trigger="every 2s"' in html and 'value="42"' in html and "Đã kiểm tra 1/3 dòng" in html


def test_small_file_still_imports_in_the_request(frozen, settings, office, directive):
    settings.IMPORT_INLINE_MAX_ROWS = 3
    upload_sheet(office, xlsx(GOOD_ROWS))
    assert office.post("/api/nhap/xac-nhan/")["Location"] == "/van-ban/"
    assert Task.objects.count() == 3 and not ImportRun.objects.exists()


def test_bad_file_fails_with_its_row_errors_and_imports_nothing(frozen, small_threshold, office, personas):
    bad = [
        GOOD_ROWS[0],
        [*GOOD_ROWS[1][:7], "Sở Không Có", *GOOD_ROWS[1][8:]],
        [*GOOD_ROWS[0][:9], "hôm qua", *GOOD_ROWS[0][10:]],
    ]
    # The preview refuses it, so the worker meets a bad file only when the register changed after the preview;
    # the worker's own check is what is tested here.
    run = spreadsheet.queue(xlsx(bad), personas["tracker"].user, 3)
    run_jobs()
    run.refresh_from_db()
    assert run.status == "failed" and "2 dòng sai" in run.error
    assert [row for row, _ in run.row_errors] == [3, 4]
    assert "không tìm thấy đơn vị «Sở Không Có»" in run.row_errors[0][1]
    assert "Thời hạn hoàn thành" in run.row_errors[1][1]
    assert Task.objects.count() == 0 and not Directive.objects.filter(number=27).exists()
    html = office.get(f"/api/nhap/lan/{run.pk}/").content.decode()
    assert "Không nhập được" in html and "Sở Không Có" in html and "hx-get" not in html


def test_unreadable_file_fails_with_a_clear_message(frozen, small_threshold, personas):
    run = spreadsheet.queue(b"PK\x03\x04 not really", personas["tracker"].user, 0)
    run_jobs()
    run.refresh_from_db()
    assert run.status == "failed" and "không phải bảng tính Excel" in run.error
    assert DBTaskResult.objects.count() == 1  # a file that is not a spreadsheet is not tried again


def test_validation_reports_progress_as_it_goes(frozen, registry, directive, personas):
    seen: list[tuple[int, int]] = []
    result = spreadsheet.plan(
        xlsx(GOOD_ROWS * 40), personas["tracker"].user, lambda done, total: seen.append((done, total))
    )
    assert result.errors == []
    assert seen[0] == (0, 120) and len(seen) == 60  # every 2 rows (120 // 50)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_the_worker_command_does_queued_imports(frozen, small_threshold, office, directive):
    run = queued_run(office, xlsx(GOOD_ROWS))
    call_command("worker", "--once")
    run.refresh_from_db()
    assert run.status == "done" and Task.objects.count() == 3


def test_an_import_that_breaks_is_retried_with_backoff_and_shows_the_same_progress_block(
    frozen, small_threshold, office, directive, monkeypatch
):
    """Progress is shown the same way for every long job (core/_job_progress.html): the report's and the
    import's blocks carry the same bar, the same waiting note and the same failure line."""
    real_run = spreadsheet.run

    def locked_once(content, user):
        if not getattr(locked_once, "done", False):
            locked_once.done = True
            raise OperationalError("database is locked")
        return real_run(content, user)

    monkeypatch.setattr(spreadsheet, "run", locked_once)
    run = queued_run(office, xlsx(GOOD_ROWS))
    page = office.get(f"/api/nhap/lan/{run.pk}/tien-do/").content.decode()
    assert 'class="job-percent">0<' in page and "Đang chờ tiến trình nền (<code>dondoc worker</code>)" in page
    run_jobs()
    run.refresh_from_db()
    assert (run.status, run.progress) == ("queued", 0) and Task.objects.count() == 0
    page = office.get(f"/api/nhap/lan/{run.pk}/tien-do/").content.decode()
    assert (
        "Lần 1 không thành công: Lỗi hệ thống (OperationalError: database is locked). "
        "Sẽ thử lại lúc 09:01 10/03/2026." in page
    )
    assert 'hx-trigger="every 2s"' in page
    frozen.shift(60)
    run_jobs()
    run.refresh_from_db()
    assert run.status == "done" and Task.objects.count() == 3


def test_only_the_city_office_sees_import_runs(frozen, small_threshold, office, personas):
    run = spreadsheet.queue(xlsx(GOOD_ROWS), personas["tracker"].user, 3)
    for persona in ("lead_officer", "lead_head", "leader"):
        client = Client()
        client.force_login(personas[persona].user)
        assert client.get(f"/api/nhap/lan/{run.pk}/").status_code == 403
        assert client.get(f"/api/nhap/lan/{run.pk}/tien-do/").status_code == 403
    anonymous = Client().get(f"/api/nhap/lan/{run.pk}/tien-do/")
    assert anonymous.status_code == 302 and "/dang-nhap/" in anonymous["Location"]
    assert office.get("/api/nhap/lan/999999/").status_code == 404


def test_a_run_left_running_by_a_dead_worker_is_taken_again(frozen, small_threshold, personas, directive):
    run = spreadsheet.queue(xlsx(GOOD_ROWS), personas["tracker"].user, 3)
    DBTaskResult.objects.ready().get().claim("killed-worker")  # what a worker killed mid-import leaves
    ImportRun.objects.filter(pk=run.pk).update(status="running", started_at=run.created_at, progress=40)
    run_jobs()
    run.refresh_from_db()
    assert run.status == "running"  # still within the hour: left alone
    frozen.shift(61 * 60)
    run_jobs()
    run.refresh_from_db()
    assert run.status == "queued" and run.stage.startswith("Lần 1 không thành công: Lỗi hệ thống (WorkerLost")
    frozen.shift(60)
    run_jobs()
    run.refresh_from_db()
    assert run.status == "done" and Task.objects.count() == 3
