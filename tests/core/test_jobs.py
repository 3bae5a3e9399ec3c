"""The one job queue (`dondoc.core.jobs`, `dondoc worker`): retries with backoff, given up with a reason."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from dondoc.core import jobs
from tests.helpers import run_jobs

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2026, 3, 3, 9, 0, tzinfo=HANOI)
CALLS: list[int] = []
NOTES: list[tuple] = []


def _retry(*_args: int, attempt: int, when: datetime, exc: BaseException) -> None:
    NOTES.append(("retry", attempt, when, jobs.retry_note(attempt, when, exc)))


def _give_up(*_args: int, attempt: int, exc: BaseException) -> None:
    NOTES.append(("gave up", attempt, jobs.reason(exc)))


@jobs.job(backoff=(timedelta(minutes=1), timedelta(minutes=5)), on_retry=_retry, on_give_up=_give_up)
def flaky(failures: int) -> str:
    """Fails its first `failures` attempts."""
    CALLS.append(failures)
    if len(CALLS) <= failures:
        raise ConnectionError("máy nhận không trả lời")
    return "xong"


@jobs.job(backoff=(timedelta(minutes=1),), on_give_up=_give_up)
def refused() -> None:
    raise jobs.Refused("Tệp không phải bảng tính Excel (.xlsx).")


@pytest.fixture(autouse=True)
def _clean():
    CALLS.clear()
    NOTES.clear()


def statuses() -> list[str]:
    return sorted(DBTaskResult.objects.values_list("status", flat=True))


@pytest.mark.django_db
def test_a_failed_attempt_is_retried_after_its_pause():
    with time_machine.travel(START, tick=False) as clock:
        flaky.enqueue(1)
        run_jobs()
        assert CALLS == [1]
        assert NOTES == [
            (
                "retry",
                1,
                START + timedelta(minutes=1),
                "Lần 1 không thành công: Lỗi hệ thống (ConnectionError: máy nhận không trả lời). "
                "Sẽ thử lại lúc 09:01 03/03/2026.",
            )
        ]
        assert statuses() == ["FAILED", "READY"]
        clock.shift(timedelta(seconds=59))
        run_jobs()
        assert CALLS == [1]  # not due yet: the pause is kept
        clock.shift(timedelta(seconds=1))
        run_jobs()
    assert CALLS == [1, 1]
    assert statuses() == ["FAILED", "SUCCESSFUL"]
    assert DBTaskResult.objects.get(status="SUCCESSFUL").return_value == "xong"


@pytest.mark.django_db
def test_the_pauses_grow_then_the_job_gives_up_with_its_reason():
    with time_machine.travel(START, tick=False) as clock:
        flaky.enqueue(9)
        run_jobs()
        clock.shift(timedelta(minutes=1))
        run_jobs()
        assert [n[:3] for n in NOTES] == [
            ("retry", 1, START + timedelta(minutes=1)),
            ("retry", 2, START + timedelta(minutes=6)),
        ]
        clock.shift(timedelta(minutes=5))
        run_jobs()
        run_jobs()  # nothing left: three attempts in all
    assert CALLS == [9, 9, 9]
    assert NOTES[-1] == ("gave up", 3, "Lỗi hệ thống (ConnectionError: máy nhận không trả lời)")
    assert statuses() == ["FAILED", "FAILED", "FAILED"]


@pytest.mark.django_db
def test_a_refusal_is_not_retried():
    refused.enqueue()
    run_jobs()
    assert NOTES == [("gave up", 1, "Tệp không phải bảng tính Excel (.xlsx).")]
    assert statuses() == ["FAILED"]


def die_in_the_middle() -> DBTaskResult:
    """What a worker killed with SIGKILL leaves: the ready task claimed (running), never finished."""
    claimed = DBTaskResult.objects.ready().get()
    claimed.claim("killed-worker")
    return claimed


@pytest.mark.django_db
def test_an_attempt_whose_worker_died_is_taken_up_again_after_an_hour():
    with time_machine.travel(START, tick=False) as clock:
        flaky.enqueue(0)
        lost = die_in_the_middle()
        clock.shift(jobs.STALE_AFTER - timedelta(seconds=1))
        run_jobs()
        assert CALLS == [] and statuses() == ["RUNNING"]  # it may still be working
        clock.shift(timedelta(seconds=2))
        run_jobs()
        lost.refresh_from_db()
        assert lost.status == "FAILED" and lost.exception_class_path == "dondoc.core.jobs.WorkerLost"
        assert NOTES[0][:2] == ("retry", 1)
        assert "Lỗi hệ thống (WorkerLost: tiến trình nền dừng giữa chừng)" in NOTES[0][3]
        clock.shift(timedelta(minutes=1))
        run_jobs()
    assert CALLS == [0] and statuses() == ["FAILED", "SUCCESSFUL"]


def job_block(html: str) -> str:
    """The shared progress block of a page (core/_job_progress.html), its record's id blanked."""
    start = html.index('<p class="small text-muted mb-1 job-stage">')
    end = html.index("</progress>") + len("</progress>")
    return re.sub(r"job-bar-\d+", "job-bar-N", html[start:end])


@pytest.mark.django_db
def test_every_long_job_shows_its_progress_with_the_same_block(client, personas, registry, frozen):
    from dondoc.api.models import ImportRun
    from dondoc.evaluation import periods, report

    run = report.new_run(periods.monthly(2026, 3), registry["SNV"])
    imported = ImportRun.objects.create(created_by=personas["tracker"].user, rows=900)
    for record in (run, imported):
        type(record).objects.filter(pk=record.pk).update(status="running")
        jobs.step(record, 42, "Đã kiểm tra 378/900")
    client.force_login(personas["tracker"].user)
    pages = [
        client.get(reverse("evaluation:report_progress", args=[run.pk])).content.decode(),
        client.get(reverse("api:import_run_progress", args=[imported.pk])).content.decode(),
    ]
    blocks = [job_block(page) for page in pages]
    assert blocks[0] == blocks[1]
    assert 'value="42"' in blocks[0] and "Đã kiểm tra 378/900" in blocks[0]
    assert all('hx-trigger="every 2s"' in page for page in pages)


@pytest.mark.django_db
def test_enqueue_many_writes_the_rows_enqueue_writes_in_one_insert(django_assert_num_queries):
    """The follow-up engine hands thousands of e-mails to the queue after a busy day: one bulk insert, not one
    INSERT per job, and rows the worker runs exactly as those of `enqueue` (retries included)."""
    flaky.enqueue(0)
    one = DBTaskResult.objects.get()
    with django_assert_num_queries(1):
        assert jobs.enqueue_many(flaky, [(0,), (0,), (0,)]) == 3
    many = list(DBTaskResult.objects.exclude(pk=one.pk).order_by("enqueued_at", "id"))
    fields = ("status", "priority", "task_path", "queue_name", "run_after", "backend_name")
    assert {tuple(getattr(r, f) for f in fields) for r in many} == {tuple(getattr(one, f) for f in fields)}
    assert [r.args_kwargs for r in many] == [one.args_kwargs] * 3 == [{"args": [0], "kwargs": {}}] * 3
    with time_machine.travel(START, tick=False):
        run_jobs()
    assert len(CALLS) == 4
    assert statuses() == ["SUCCESSFUL"] * 4


@pytest.mark.django_db
def test_a_retry_note_with_a_long_reason_fits_its_column_and_keeps_the_next_time(personas):
    """Review 14: the note of a job waiting for its next attempt carries the first line of the error, however long
    (a database's message, a path): on PostgreSQL the record's update failed past the column's 120 characters
    (the import's `stage`) and the failure could not be recorded. It is shortened, the next time kept."""
    from dondoc.api.models import ImportRun
    from dondoc.evaluation.report_models import ReportRun

    imported = ImportRun.objects.create(created_by=personas["tracker"].user, rows=900)
    exc = ImportError("cannot import name 'x' from 'dondoc.core.dates' (" + "/thu-muc" * 40 + "/dates.py)")
    jobs.waiting_again(ImportRun)(imported.pk, attempt=1, when=START, exc=exc)
    imported.refresh_from_db()
    limit = ImportRun._meta.get_field("stage").max_length
    assert len(imported.stage) <= limit
    assert imported.stage.startswith("Lần 1 không thành công: Lỗi hệ thống (ImportError: cannot import")
    assert imported.stage.endswith("…. Sẽ thử lại lúc 09:00 03/03/2026.")
    assert ReportRun._meta.get_field("stage").max_length >= limit  # the same hook serves the reports
