"""`make load`'s journeys (bench/load/journeys.py) run against the live server on the demo data, through a plain
`requests` session: they log in through the form, read the pages, and write only through the pages' own forms
(CSRF token, task version, multipart) — each write lands in the database, a write that lost a race is a conflict,
any other refusal is a failure. And the summary (bench/load/run.py) exits 1 when a request failed or a journey
raised."""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from pathlib import Path
from typing import Any

import pytest
import requests
import time_machine
from django.core.management import call_command

from dondoc.documents.models import OutgoingDocument
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import ProgressReport, Task, TaskEvent

LOAD = Path(__file__).resolve().parents[1] / "bench" / "load"


def _module(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(f"load_{name}", LOAD / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


j = _module("journeys")
run = _module("run")


class Browser:
    """The journeys' client on a `requests` session against the live server; keeps what it was asked to settle."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()
        self.pages: list[tuple[str, int]] = []
        self.settled: list[tuple[int, str, str]] = []

    def get(self, url: str, *, name: str) -> requests.Response:
        response = self.session.get(self.base + url, timeout=60)
        self.pages.append((name, response.status_code))
        return response

    def submit(
        self, url: str, fields: list[tuple[str, str]], *, files: list[str], multipart: bool, name: str
    ) -> requests.Response:
        data, content_type = j.encoded(fields, files, multipart)
        return self.session.post(
            self.base + url,
            data=data,
            headers={"Content-Type": content_type},
            allow_redirects=False,
            timeout=60,
        )

    def settle(self, page: requests.Response, outcome: str, reason: str) -> None:
        self.settled.append((page.status_code, outcome, reason))

    def read_errors(self) -> list[tuple[str, int]]:
        return [(name, status) for name, status in self.pages if status >= 400]


@pytest.fixture
def demo(transactional_db, without_personas, live_server):
    """The demo data (a few hundred tasks) on 10/03/2026, the clock ticking so the live server sees it too. (Only the
    journeys' tests use the database, committed for the live server; the summary's tests read files, and a test
    marked for the database would end with a flush and the reload of the ground data.)"""
    with time_machine.travel("2026-03-10 09:00 +07:00", tick=True):
        call_command("loaddemo", tasks=400, verbosity=0)
        random.seed(3031)
        j.WRITES.clear()
        yield live_server.url


def signed_in(base: str, username: str) -> Browser:
    browser = Browser(base)
    assert j.login(browser, username)
    assert browser.settled == [(302, j.OK, "")]
    browser.settled.clear()
    return browser


def test_unit_officer_reports_progress_through_the_task_page_form(demo):
    officer = signed_in(demo, "sxd.cv1")
    before = ProgressReport.objects.count()

    assert j.report_progress(officer, tries=50) == j.OK

    assert ProgressReport.objects.count() == before + 1
    report = ProgressReport.objects.get(text__contains="thử tải")
    assert report.author.username == "sxd.cv1" and 10 <= report.percent <= 95
    assert report.task.progress == report.percent and report.task.lead_unit.code == "SXD"
    assert TaskEvent.objects.filter(task=report.task, action=TaskEvent.Action.PROGRESS).count() == 1
    assert officer.settled == [(302, j.OK, "")]
    assert j.WRITES[(j.PROGRESS, j.OK)] == 1
    assert officer.read_errors() == []


def test_city_office_confirms_a_submitted_result_from_its_worklist(demo):
    office = signed_in(demo, "vp.theodoi1")
    waiting = Task.objects.filter(state=tl.RESULT_SUBMITTED).count()
    confirmations = TaskEvent.objects.filter(action=TaskEvent.Action.CONFIRM)
    before = confirmations.count()
    assert waiting > 0

    assert j.confirm_result(office) == j.OK

    assert Task.objects.filter(state=tl.RESULT_SUBMITTED).count() == waiting - 1
    assert confirmations.count() == before + 1
    confirmed = confirmations.latest("id")
    assert confirmed.actor.username == "vp.theodoi1" and confirmed.task.state == tl.COMPLETED
    assert j.WRITES[(j.CONFIRM, j.OK)] == 1
    assert office.read_errors() == []


def test_city_office_urges_each_unit_once_a_day_then_stops(demo):
    office = signed_in(demo, "vp.theodoi2")

    assert j.urge_overdue_unit(office) == j.OK
    letter = OutgoingDocument.objects.get(doc_type=OutgoingDocument.DocType.URGING)
    assert j.urged_on(office, "10/03/2026") == {letter.recipient_unit.name}

    # The other clerk urged the same unit a moment before: the product refuses the second letter; a conflict.
    page = office.get(f"/van-ban-di/don-doc/?unit={letter.recipient_unit_id}", name="preview")
    form = j.forms_of(page.text)
    issue = next(f for f in form if "/ban-hanh/" in f.action)
    assert j.confirmed_write(office, j.URGE, issue, issue.filled(), "again") == j.CONFLICT
    assert OutgoingDocument.objects.count() == 1

    # Urging every unit with overdue tasks takes one letter each; then the journey writes nothing.
    outcomes = []
    while (outcome := j.urge_overdue_unit(office)) is not None:
        outcomes.append(outcome)
        assert len(outcomes) < 200
    units = set(OutgoingDocument.objects.values_list("recipient_unit__name", flat=True))
    assert outcomes == [j.OK] * (len(units) - 1)
    assert j.urged_on(office, "10/03/2026") == units
    assert j.WRITES[(j.URGE, j.FAILED)] == 0
    assert office.read_errors() == []


def test_a_task_changed_since_the_page_was_loaded_is_a_conflict_not_a_success(demo):
    officer = signed_in(demo, "sxd.cv1")
    task = Task.objects.filter(lead_unit__code="SXD", state=tl.IN_PROGRESS).order_by("id").first()
    page = officer.get(f"/nhiem-vu/{task.pk}/", name="task")
    form = j.form_posting_to(page.text, "/thao-tac/report_progress/")
    assert form is not None
    other = signed_in(demo, "sxd.cv2")
    theirs = j.form_posting_to(other.get(f"/nhiem-vu/{task.pk}/", name="task").text, "report_progress")
    assert j.write(other, j.PROGRESS, theirs, theirs.filled(text="Trước", percent="20"), "first") == j.OK

    assert j.write(officer, j.PROGRESS, form, form.filled(text="Sau", percent="30"), "second") == j.CONFLICT
    assert officer.settled[-1][:2] == (409, j.CONFLICT) and "tải lại trang" in officer.settled[-1][2]
    assert ProgressReport.objects.filter(task=task).count() == 1


def test_a_write_the_server_refuses_for_another_reason_is_a_failure(demo):
    officer = signed_in(demo, "sxd.cv1")
    task = Task.objects.filter(lead_unit__code="SXD", state=tl.IN_PROGRESS).order_by("id").first()
    form = j.form_posting_to(officer.get(f"/nhiem-vu/{task.pk}/", name="task").text, "report_progress")

    assert j.write(officer, j.PROGRESS, form, form.filled(text="Xong", percent="150"), "bad") == j.FAILED
    status, outcome, reason = officer.settled[-1]
    assert (status, outcome) == (400, j.FAILED) and "HTTP 400" in reason
    assert j.WRITES[(j.PROGRESS, j.FAILED)] == 1
    assert not ProgressReport.objects.filter(task=task).exists()


def test_a_refused_login_is_a_failure(demo):
    browser = Browser(demo)
    assert not j.login(browser, "sxd.cv1", password="sai-mat-khau")
    assert browser.settled[-1][1] == j.FAILED


def test_reading_journeys_and_the_dashboard_filter_answer_every_page(demo):
    unit, office, leader = (signed_in(demo, u) for u in ("sxd.cv1", "vp.theodoi1", "lanhdao.chutich"))
    j.unit_worklist(unit)
    j.unit_overdue_list(unit)
    j.unit_export_overdue(unit)
    j.office_worklist(office)
    j.office_all_tasks(office)
    j.office_directives(office)
    j.leader_summary(leader)
    j.leader_dashboard(leader)
    j.leader_dashboard_filtered(leader)

    for browser in (unit, office, leader):
        assert browser.read_errors() == []
    assert any(name == "/danh-gia/?bộ lọc" for name, _ in leader.pages)
    assert len(unit.pages) == 7 and len(office.pages) == 7  # the login page, and each list opened one task
    assert unit.pages[-1] == ("/danh-gia/xuat/nhiem-vu.csv?…", 200)  # the overdue list's "Xuất CSV"


def _page(name: str, requests: int, failures: int, method: str = "GET") -> dict[str, object]:
    return {
        "method": method,
        "name": name,
        "requests": requests,
        "failures": failures,
        "rps": 2.0,
        "p50": 100,
        "p95": 300,
    }


@pytest.mark.parametrize(
    ("failures", "exceptions", "locust_status", "status"),
    [(0, 0, 0, 0), (1, 0, 1, 1), (0, 1, 1, 1), (0, 0, 2, 1)],
    ids=["clean", "failed", "raised", "locust-error"],
)
def test_the_summary_exits_1_on_a_failed_request_or_a_journey_that_raised(
    tmp_path, capsys, failures, exceptions, locust_status, status
):
    results = tmp_path / "journeys.json"
    results.write_text(
        json.dumps(
            {
                "pages": [_page("/", 10, failures)],
                "total": _page("Aggregated", 10, failures, method=""),
                "errors": [["POST", "x", "HTTP 500", 1]] * failures,
                "exceptions": [[1, "boom"]] * exceptions,
                "journeys": {"A": [100.0, 200.0, 300.0]},
                "writes": [[j.PROGRESS, j.OK, 3], [j.PROGRESS, j.CONFLICT, 1]],
            }
        ),
        encoding="utf-8",
    )
    log = tmp_path / "gunicorn.log"
    log.write_text("[2026-03-10 09:00:00 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:2)\n", encoding="utf-8")

    assert run.report(results, {j.PROGRESS: 3}, log, locust_status) == status

    out = capsys.readouterr().out
    assert f"{failures} yêu cầu lỗi" in out and f"{exceptions} lỗi trong hành trình" in out
    assert "3 lần ghi thành công" in out and "WORKER TIMEOUT" in out
    progress = next(line for line in out.splitlines() if line.startswith(j.PROGRESS))
    assert progress.split()[-4:] == [
        "3",
        "1",
        "0",
        "3",
    ]  # succeeded, conflicts, failed, rows the database gained


def test_the_summary_sums_logins_apart_and_names_the_pages_over_the_busy_hour_target(tmp_path, capsys):
    results = tmp_path / "journeys.json"
    login = {**_page("/dang-nhap/ (post)", 50, 0, method="POST"), "p95": 900}
    slow = {**_page("/danh-gia/", 40, 0), "p95": 450}
    results.write_text(
        json.dumps(
            {
                "pages": [login, _page("/", 400, 0), slow],
                "total": _page("Aggregated", 490, 0, method=""),
                "logins": {**_page("", 50, 0, method=""), "p95": 900},
                "without_logins": {**_page("", 440, 0, method=""), "rps": 120.0},
                "errors": [],
                "exceptions": [],
                "journeys": {},
                "writes": [],
            }
        ),
        encoding="utf-8",
    )
    log = tmp_path / "gunicorn.log"
    log.write_text("", encoding="utf-8")
    assert run.report(results, {}, log, 0) == 0
    out = capsys.readouterr().out
    assert "đăng nhập (cộng lại)" in out and "TỔNG không kể đăng nhập" in out
    target = next(line for line in out.splitlines() if line.startswith("Mục tiêu"))
    assert "120.0 req/s" in target and "GET /danh-gia/ (450 ms)" in target and "dang-nhap" not in target


def test_the_summary_fails_when_locust_wrote_no_figures(tmp_path, capsys):
    log = tmp_path / "gunicorn.log"
    log.write_text("", encoding="utf-8")
    assert run.report(tmp_path / "missing.json", {}, log, 2) == 1
    assert "không ghi kết quả" in capsys.readouterr().out


def test_the_cpu_line_gives_the_server_the_database_and_the_load_generator_per_request(tmp_path):
    """The load generator shares the two cores with the server it measures: its CPU per request is printed beside
    the server's and the database's (issue 19)."""
    results = tmp_path / "journeys.json"
    results.write_text(json.dumps({"total": {"requests": 200}}), encoding="utf-8")
    line = run.cpu_shares(4.0, 0.5, 1.0, 2.0, 9.0, 10.0, results)
    assert "gunicorn 20.0 ms, PostgreSQL 10.0 ms, locust 5.0 ms" in line
    line = run.cpu_shares(4.0, 0.5, 1.0, 3.0, 11.5, 10.0, results, 1.0, [("rabbitmq", 1.5), ("kworker", 0.5)])
    assert "PostgreSQL 15.0 ms" in line and "kết nối đã đóng trong lượt 1 s" in line
    assert (
        "phần còn lại của máy (việc khác) 3 s (rabbitmq 1.5 s, kworker 0.5 s; đã kết thúc, không rõ 1.0 s)"
        in line
    )


def test_the_rest_of_the_machine_names_the_other_processes_and_other_databases_ended_backends():
    """The CPU no counted process had, by name (issue 19: the run's unexplained "rest of the machine"): the other
    processes' own CPU during the run, the counted ones (the server, its workers, the harness) left out; the
    postmaster's ended children less the load database's ended backends (counted with PostgreSQL's) are other
    databases' backends."""
    before = {
        1: (
            "postgres",
            0,
            1.0,
            10.0,
        ),  # the postmaster: its ended children's CPU grows by the backends that end
        2: ("postgres", 1, 0.5, 0.0),  # a background process of PostgreSQL's
        3: ("gunicorn", 9, 5.0, 0.0),  # counted
        4: ("rabbitmq", 0, 2.0, 0.0),
        5: ("kworker/u8:3-events", 0, 0.1, 0.0),
    }
    after = {
        1: ("postgres", 0, 1.2, 14.0),
        2: ("postgres", 1, 0.7, 0.0),
        3: ("gunicorn", 9, 9.0, 0.0),
        4: ("rabbitmq", 0, 3.5, 0.0),
        5: ("kworker/u8:3-events", 0, 0.4, 0.0),
        6: ("python3", 4, 0.6, 0.3),  # started during the run: all its own CPU (not its ended children's)
    }
    others = run.rest_of_machine(before, after, {3}, kernel=0.25, ended_load=3.0)
    assert dict(others) == pytest.approx(
        {
            "rabbitmq": 1.5,
            "postgres: ended backends of other databases": 1.0,
            "python3": 0.6,
            "postgres": 0.4,
            "kworker": 0.3,
            "kernel (irq, softirq)": 0.25,
        }
    )
    assert [name for name, _ in others][:2] == ["rabbitmq", "postgres: ended backends of other databases"]


def test_the_load_databases_backends_that_end_during_the_run_are_counted(db):
    """gunicorn replaces a connection older than DB_CONN_MAX_AGE during a run: the backend that served it is gone
    from /proc at the end, and its CPU was the run's "rest of the machine" — the backend watch counts it."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's backends")
    import psycopg

    name = connection.settings_dict["NAME"]
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    watch = run.BackendWatch(name, every=60)  # read by hand here, not by its thread
    with psycopg.connect(**params) as other:
        other.execute("SELECT count(*) FROM generate_series(1, 3000000)").fetchone()
        watch.read()
    spent, ended = watch.stop()
    assert ended >= 0.05 and spent >= ended


def test_the_default_think_time_asks_the_busy_hours_rate_of_fifty_users():
    """Issue 19's busy hour: ≥ 100 requests/s from 50 users. At the default wait the users ask it while a journey's
    answers take up to 0.2 s (the former 0.5–2 s asked at most ~80 however fast the server)."""
    low, high = j.wait_bounds(j.DEFAULT_WAIT)
    asked = 50 * j.REQUESTS_PER_JOURNEY / ((low + high) / 2 + 0.2)
    assert asked >= 100
    assert 50 * j.REQUESTS_PER_JOURNEY / ((0.5 + 2) / 2) < 100


def test_the_timing_summary_gives_each_page_its_cpu_whatever_the_ids(tmp_path):
    """LOAD_TIMING=1: bench/timed_wsgi.py's lines (pid, start, request, wall, thread CPU, statements' ms, count,
    commits' ms) summed by page, the ids folded, the costliest page first."""
    timing = tmp_path / "timing.tsv"
    rows = [
        ("GET /nhiem-vu/17/", 3.0, 1.0),
        ("GET /nhiem-vu/2050/", 5.0, 2.0),
        ("POST /nhiem-vu/17/bao-cao/", 9.0, 4.0),
        ("GET /", 20.0, 3.0),
    ]
    timing.write_text(
        "".join(f"1\t0\t{r}\t50\t{cpu}\t{sql}\t3\t0\n" for r, cpu, sql in rows), encoding="utf-8"
    )
    lines = run.timing_summary(timing).splitlines()
    assert lines[2].split() == ["GET", "/", "1", "20.0", "20.0", "54%", "3.0"]
    assert lines[3].split() == ["POST", "/nhiem-vu/{id}/bao-cao/", "1", "9.0", "9.0", "24%", "4.0"]
    assert lines[4].split() == ["GET", "/nhiem-vu/{id}/", "2", "4.0", "4.0", "22%", "1.5"]


def test_the_wait_between_journeys_is_read_from_load_wait_or_refused_by_name():
    assert j.wait_bounds("0.5,2") == (0.5, 2.0)
    assert j.wait_bounds(j.DEFAULT_WAIT) == (0.3, 1.3)
    assert j.wait_bounds("0,0.25") == (0.0, 0.25)
    for bad in ("2", "a,b", "2,1", "-1,1", "1,2,3"):
        with pytest.raises(SystemExit, match="LOAD_WAIT"):
            j.wait_bounds(bad)
