"""What the leaders' pages and the exports cost, one request at a time, in the process (Django's test client signed
in with force_login, as bench/load/pages.py): the leaders' dashboard (*Thống kê, đánh giá*) without and with a
filter (and as the City Office's tracking officer sees it) — its figures computed (the evaluation cache emptied before each request: in the busy hour every write
changes the data version, so the cache rarely answers) and from the cache — and the exports: a unit officer's
overdue list as CSV (the task list's "Xuất CSV"), the City Office's overdue list of the month as CSV and XLSX (a
dashboard cell's list), each read to its last byte. For each: the median CPU time of the process
(`time.process_time`) and wall time of N requests after one warm-up, the statements, the two slowest, and for
an export its rows, size and the time to its first byte.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dondoc_load SECRET_KEY=x ALLOWED_HOSTS=127.0.0.1 \\
        .venv/bin/python bench/load/leader_pages.py

N (default 3) requests per page; UNIT: the code of the unit whose officer exports (default: the sixth unit
officer); ONLY: the cases whose label contains it.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import django


def main() -> None:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pages import readers, slowest  # bench/load/pages.py: the same people ask, the same statements shown

    from dondoc.core.dates import today
    from dondoc.evaluation import periods as pr
    from dondoc.evaluation.forms import period_key

    n = int(os.environ.get("N", "3"))
    tracker, leader, officer = readers()
    ref = today()
    month = pr.containing(pr.MONTHLY, ref)
    quarter = pr.containing(pr.QUARTERLY, ref)
    ngay = f"{ref:%d/%m/%Y}"
    month_list = (
        f"bucket=overdue&period_from={month.start:%d/%m/%Y}&period_to={month.end:%d/%m/%Y}&as_of={ngay}"
    )
    print(f"as of {ngay}; unit officer {officer.user.username} ({officer.unit.name})", flush=True)
    nothing: Callable[[], None] = lambda: None  # noqa: E731
    cases: list[tuple[str, Any, str, Callable[[], None]]] = [
        ("dashboard, computed", leader, "/danh-gia/", cache.clear),
        ("dashboard, cached", leader, "/danh-gia/", nothing),
        ("dashboard, tracking officer, computed", tracker, "/danh-gia/", cache.clear),
        (
            "dashboard ?month+authority, computed",
            leader,
            f"/danh-gia/?loai_ky=thang&ky={period_key(month)}&ngay={ngay}&authority=city_committee",
            cache.clear,
        ),
        (
            "dashboard ?quarter+kind, computed",
            leader,
            f"/danh-gia/?loai_ky=quy&ky={period_key(quarter)}&ngay={ngay}&kind=a",
            cache.clear,
        ),
        ("unit overdue CSV", officer, "/danh-gia/xuat/nhiem-vu.csv?bucket=overdue", nothing),
        ("office month overdue CSV", tracker, f"/danh-gia/xuat/nhiem-vu.csv?{month_list}", nothing),
        ("office month overdue XLSX", tracker, f"/danh-gia/xuat/nhiem-vu.xlsx?{month_list}", nothing),
    ]
    only = os.environ.get("ONLY")
    for label, person, url, before in cases:
        if only and only not in label:
            continue
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(person.user)
        cpu, wall, first = [], [], []
        size = 0
        for i in range(n + 1):
            before()
            with CaptureQueriesContext(connection) as ctx:
                c0, w0 = time.process_time(), time.perf_counter()
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code, response.content[:300])
                if response.streaming:
                    chunks = iter(response.streaming_content)
                    head = next(chunks, b"")
                    f0 = time.perf_counter() - w0
                    size = len(head) + sum(len(c) for c in chunks)
                else:
                    f0 = time.perf_counter() - w0
                    size = len(response.content)
                c1, w1 = time.process_time(), time.perf_counter()
            if i:  # the first one warms up
                cpu.append(c1 - c0)
                wall.append(w1 - w0)
                first.append(f0)
        statements = slowest(ctx.captured_queries, 60)
        print(
            f"{label:38} cpu {statistics.median(cpu) * 1000:6.0f} ms, wall {statistics.median(wall) * 1000:6.0f} ms"
            f" (first byte {statistics.median(first) * 1000:5.0f} ms), {len(ctx.captured_queries)} statements, "
            f"{size / 1024:,.0f} KiB; slowest: {statements}",
            flush=True,
        )


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings")
    django.setup()
    main()
