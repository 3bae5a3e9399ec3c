"""The personas' real journeys for `make load` (locust, headless): each simulated user logs in through the
Vietnamese form once, then repeats its role's journey — mostly reading, sometimes writing through the page's own
form (bench/load/journeys.py). Accounts are the demo ones (`dondoc loaddemo`).

The weights make a working day: of a unit officer's rounds about one in eight reports progress on a task; of the
City Office's about one in seven confirms a submitted result and one in thirty looks for a unit to urge (one
letter per unit per day, so urging stops once every unit with overdue tasks has had its letter); a leader reads
the summary and the dashboard, half the time with a filter.

Each journey's duration (all its requests, not the waits between journeys) is kept by journey; when
LOAD_RESULTS_FILE is set, those durations and the count of writes by kind and outcome are written there as JSON at
the end (bench/load/run.py prints them), with the logins and every other request summed apart (a login's cost is
the password hash's, by design).

Accounts: LOAD_ACCOUNTS names a JSON file {"unit_officer": [...], "tracking_officer": [...], "leader": [...]} of
usernames (bench/load/run.py writes it from the database: the officers of every unit that has some); without it
the demo's few fixed accounts.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

import journeys as j  # bench/load/journeys.py: locust puts the locustfile's folder on the path
from locust import between, events
from locust.contrib.fasthttp import FastHttpSession, FastHttpUser
from locust.stats import StatsEntry

LOGIN = "/dang-nhap/"


def _accounts() -> dict[str, list[str]]:
    path = os.environ.get("LOAD_ACCOUNTS")
    if not path:
        return {}
    with open(path, encoding="utf-8") as f:
        return json.load(f)


ACCOUNTS = _accounts()


class LocustClient:
    """The journeys' client on locust's FastHttpUser session (geventhttpclient: 0.44 ms of CPU a 30 KB page against
    1.0 ms through `requests`, on cores the client shares with the server it measures): relative URLs, named
    requests, writes settled by the journey, bodies encoded by `journeys.encoded`."""

    def __init__(self, session: FastHttpSession) -> None:
        self.session = session
        self.pending: Any = None

    def get(self, url: str, *, name: str) -> Any:
        return self.session.get(url, name=name)

    def submit(
        self, url: str, fields: list[tuple[str, str]], *, files: list[str], multipart: bool, name: str
    ) -> Any:
        data, content_type = j.encoded(fields, files, multipart)
        self.pending = self.session.post(
            url,
            name=name,
            data=data,
            headers={"Content-Type": content_type},
            allow_redirects=False,
            catch_response=True,
        )
        return self.pending.__enter__()

    def settle(self, page: Any, outcome: str, reason: str) -> None:
        if outcome == j.FAILED:
            page.failure(reason)
        else:
            page.success()
        pending, self.pending = self.pending, None
        pending.__exit__(None, None, None)


JOURNEYS: dict[str, list[float]] = {}


def journey(label: str) -> Callable[[Callable[[Any], object]], Callable[[Any], None]]:
    """Time the journey (ms, every request it makes) under `label`, whatever its outcome."""

    def wrap(step: Callable[[Any], object]) -> Callable[[Any], None]:
        @wraps(step)
        def timed(user: Any) -> None:
            started = time.perf_counter()
            try:
                step(user.browser)
            finally:
                JOURNEYS.setdefault(label, []).append((time.perf_counter() - started) * 1000)

        return timed

    return wrap


def _page(method: str, entry: Any) -> dict[str, Any]:
    return {
        "method": method,
        "name": entry.name,
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "rps": entry.total_rps,
        "p50": entry.get_response_time_percentile(0.5) if entry.num_requests else 0,
        "p95": entry.get_response_time_percentile(0.95) if entry.num_requests else 0,
    }


@events.test_stop.add_listener
def _write_results(environment: Any, **_: Any) -> None:
    """At the end (every user has finished its journey), the complete figures: locust's CSV files are rewritten
    once a second and can miss the requests of the last second, these cannot."""
    path = os.environ.get("LOAD_RESULTS_FILE")
    if not path:
        return
    stats = environment.runner.stats
    entries = sorted(stats.entries.values(), key=lambda e: (e.name, e.method))
    logins = StatsEntry(stats, "Đăng nhập (mọi yêu cầu)", "", use_response_times_cache=False)
    rest = StatsEntry(stats, "Không kể đăng nhập", "", use_response_times_cache=False)
    for e in entries:
        (logins if e.name.startswith(LOGIN) else rest).extend(e)
    with open(path, "w", encoding="utf-8") as out:
        json.dump(
            {
                "pages": [_page(e.method, e) for e in entries],
                "total": _page("", stats.total),
                "logins": _page("", logins),
                "without_logins": _page("", rest),
                "errors": [[e.method, e.name, str(e.error), e.occurrences] for e in stats.errors.values()],
                "exceptions": [[v["count"], v["msg"]] for v in environment.runner.exceptions.values()],
                "journeys": JOURNEYS,
                "writes": [[kind, outcome, n] for (kind, outcome), n in sorted(j.WRITES.items())],
            },
            out,
            ensure_ascii=False,
        )


class Persona(FastHttpUser):
    abstract = True
    wait_time = between(*j.wait_bounds(os.environ.get("LOAD_WAIT", j.DEFAULT_WAIT)))
    usernames: tuple[str, ...] = ()

    def on_start(self) -> None:
        self.browser = LocustClient(self.client)
        j.login(self.browser, random.choice(self.usernames))


class UnitOfficer(Persona):
    """An officer of a department: the unit's worklist, the overdue list, a task; now and then a progress report."""

    weight = 5
    usernames = tuple(ACCOUNTS.get("unit_officer", ())) or (
        "sxd.cv1",
        "sxd.cv2",
        "snv.cv1",
        "snv.cv2",
        "stc.cv1",
        "syt.cv1",
    )
    tasks = {
        journey("Cán bộ đơn vị: việc của tôi → một nhiệm vụ")(j.unit_worklist): 4,
        journey("Cán bộ đơn vị: quá hạn → một nhiệm vụ")(j.unit_overdue_list): 3,
        journey("Cán bộ đơn vị: quá hạn → xuất CSV")(j.unit_export_overdue): 1,
        journey("Cán bộ đơn vị: báo cáo tiến độ (ghi)")(j.report_progress): 1,
    }


class TrackingOfficer(Persona):
    """The City Office: its worklist, the whole task list, the directives; confirms results, urges units."""

    weight = 3
    usernames = tuple(ACCOUNTS.get("tracking_officer", ())) or ("vp.theodoi1", "vp.theodoi2")
    tasks = {
        journey("VP UBND: việc cần xử lý → một nhiệm vụ")(j.office_worklist): 12,
        journey("VP UBND: danh sách nhiệm vụ, trang 1 và 3")(j.office_all_tasks): 8,
        journey("VP UBND: văn bản → một văn bản")(j.office_directives): 4,
        journey("VP UBND: xác nhận hoàn thành (ghi)")(j.confirm_result): 4,
        journey("VP UBND: công văn đôn đốc (ghi)")(j.urge_overdue_unit): 1,
    }


class Leader(Persona):
    """A city leader: the summary home page and the dashboard, with or without a filter."""

    weight = 1
    usernames = tuple(ACCOUNTS.get("leader", ())) or ("lanhdao.chutich", "lanhdao.pct")
    tasks = {
        journey("Lãnh đạo: trang tổng hợp")(j.leader_summary): 2,
        journey("Lãnh đạo: thống kê, đánh giá")(j.leader_dashboard): 1,
        journey("Lãnh đạo: thống kê, đánh giá có bộ lọc")(j.leader_dashboard_filtered): 1,
    }
