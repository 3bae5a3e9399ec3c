"""What the busy hour's pages cost PostgreSQL, page by page and statement by statement (issue 19: the server's CPU
per request, beside gunicorn's). In the process, as bench/load/pages.py (Django's test client, force_login, the
same readers), one persistent connection:

- `pg cpu`: the CPU of the backend that served the page (the time it ran, /proc/<pid>/schedstat, over N requests, divided
  by N: parse, plan, execute, send — everything the server did for the page), beside the statements'
  count;
- each statement of the page once more under EXPLAIN (ANALYZE, BUFFERS) (reads only), its planning + execution
  time; the statements ranked by their time per request of the mix (each page weighted by its share of the
  busy-hour mix, bench/load/locustfile.py's weights).
- `new backend`: the CPU of a new connection's backend (its start and the catalog caches it fills) for the
  first page it serves, beside the same page on a warm backend: what gunicorn pays each time it replaces a
  connection (DB_CONN_MAX_AGE).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dondoc_load SECRET_KEY=x ALLOWED_HOSTS=127.0.0.1 \\
        .venv/bin/python bench/load/db_cost.py

N (default 20) requests per page; TOP (default 15) statements printed; ONLY: the pages whose label contains it;
VERBOSE=W: each page's statements, their time and their first W characters; FRESH (default 20): new connections
measured.
Needs the PostgreSQL server on this machine (it reads the backend's /proc entry).
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections import defaultdict
from typing import Any

import django

# Each page's requests per 9 users' rounds, from the locustfile's weights (persona weight × journey weight / the
# persona's total, × the journey's requests of that page).
MIX = {
    "/ (đơn vị)": 5 * (4 + 1) / 9,
    "/nhiem-vu/[id]/ (đơn vị)": 5 * (4 + 3 + 1.5) / 9,
    "/nhiem-vu/?bucket=overdue": 5 * (3 + 1) / 9,
    "/danh-gia/xuat/nhiem-vu.csv (đơn vị)": 5 * 1 / 9,
    "/ (VP UBND)": 3 * (12 + 4) / 29,
    "/nhiem-vu/[id]/ (VP UBND)": 3 * (12 + 4) / 29,
    "/nhiem-vu/": 3 * 8 / 29,
    "/nhiem-vu/?trang=3": 3 * 8 / 29,
    "/van-ban/": 3 * 4 / 29,
    "/van-ban/[id]/": 3 * 4 / 29,
    "/van-ban-di/don-doc/": 3 * 1 / 29,
    "/van-ban-di/?doc_type=don_doc": 3 * 1 / 29,
    "/ (lãnh đạo)": 1 * 2 / 4,
    "/danh-gia/": 1 * 2 / 4,
    "/danh-gia/?bộ lọc": 1 * 1 / 4,
}


def backend_cpu(pid: int) -> float:
    """The backend's CPU seconds so far (/proc/<pid>/schedstat: the nanoseconds it ran, exact where
    /proc/<pid>/stat counts 10 ms ticks)."""
    with open(f"/proc/{pid}/schedstat") as f:
        return int(f.read().split()[0]) / 1e9


def shape(sql: str) -> str:
    """The statement without its values: statements that differ only by a value are one."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(?:\.\d+)?\b", "?", sql)
    return re.sub(r"IN \((?:\?, )*\?\)", "IN (…)", sql)


def explained(cursor: Any, sql: str) -> tuple[float, int]:
    """Planning + execution time (ms) of a read statement under EXPLAIN ANALYZE (0 for anything else; a
    server-side cursor's statement explained as its SELECT), and the parallel workers it launched (processes
    started for it beside the backend: their CPU is not in the backend's)."""
    sql = re.sub(r"^DECLARE .*? CURSOR WITH HOLD FOR ", "", sql.lstrip(), flags=re.S)
    if not sql.upper().startswith("SELECT"):
        return 0.0, 0
    cursor.execute("EXPLAIN (ANALYZE, TIMING OFF, BUFFERS, FORMAT JSON) " + sql)
    plan = cursor.fetchone()[0][0]
    workers = sum(int(w) for w in re.findall(r'"Workers Launched": (\d+)', json.dumps(plan)))
    return float(plan.get("Planning Time", 0.0)) + float(plan["Execution Time"]), workers


def read(client: Any, url: str) -> Any:
    """GET `url`, a streamed answer (an export) read to its last byte."""
    response = client.get(url)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response


def new_backends(k: int, person: Any, url: str) -> None:
    """What a new connection costs the server: over `k` new connections, the backend's CPU at its start (fork,
    authentication, its first catalog reads), for its first page and for the same page once more."""
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(person.user)
    client.get(url)
    started = first = second = 0.0
    for _ in range(k):
        connection.close()
        connection.ensure_connection()
        pid = connection.connection.info.backend_pid
        at_start = backend_cpu(pid)
        client.get(url)
        after_first = backend_cpu(pid)
        client.get(url)
        started += at_start
        first += after_first - at_start
        second += backend_cpu(pid) - after_first
    print(
        f"new backend ({k} connections, {url} of a {person.role}): {started / k * 1000:.1f} ms at its start, "
        f"its first page {first / k * 1000:.1f} ms, the same page next {second / k * 1000:.1f} ms",
        flush=True,
    )


def main() -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pages import readers

    from dondoc.core.dates import today
    from dondoc.tracking.models import Directive, Task

    n = int(os.environ.get("N", "20"))
    top = int(os.environ.get("TOP", "15"))
    only = os.environ.get("ONLY")
    verbose = int(os.environ.get("VERBOSE", "0"))
    tracker, leader, officer = readers()
    task_id = (
        Task.objects.filter(lead_unit=officer.unit)
        .exclude(state="draft")
        .order_by("id")
        .values_list("id", flat=True)[100]
    )
    directive_id = Directive.objects.order_by("-id").values_list("id", flat=True)[0]
    year = today().year
    cases = [
        ("/ (đơn vị)", officer, "/"),
        ("/nhiem-vu/[id]/ (đơn vị)", officer, f"/nhiem-vu/{task_id}/"),
        ("/nhiem-vu/?bucket=overdue", officer, "/nhiem-vu/?bucket=overdue"),
        ("/danh-gia/xuat/nhiem-vu.csv (đơn vị)", officer, "/danh-gia/xuat/nhiem-vu.csv?bucket=overdue"),
        ("/ (VP UBND)", tracker, "/"),
        ("/nhiem-vu/[id]/ (VP UBND)", tracker, f"/nhiem-vu/{task_id}/"),
        ("/nhiem-vu/", tracker, "/nhiem-vu/"),
        ("/nhiem-vu/?trang=3", tracker, "/nhiem-vu/?trang=3"),
        ("/van-ban/", tracker, "/van-ban/"),
        ("/van-ban/[id]/", tracker, f"/van-ban/{directive_id}/"),
        ("/van-ban-di/don-doc/", tracker, "/van-ban-di/don-doc/"),
        ("/van-ban-di/?doc_type=don_doc", tracker, f"/van-ban-di/?doc_type=don_doc&year={year}&trang=1"),
        ("/ (lãnh đạo)", leader, "/"),
        ("/danh-gia/", leader, "/danh-gia/"),
        ("/danh-gia/?bộ lọc", leader, "/danh-gia/?loai_ky=quy&ky="),
    ]
    print(f"N={n}; {os.getloadavg()[0]:.1f} load average", flush=True)
    per_statement: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])  # weighted ms, count, ms
    total_cpu = total_weight = 0.0
    for label, person, url in cases:
        if only and only not in label:
            continue
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(person.user)
        # A new backend's first page, then the same page warm.
        connection.close()
        connection.ensure_connection()
        pid = connection.connection.info.backend_pid
        start = backend_cpu(pid)
        read(client, url)
        cold = backend_cpu(pid) - start
        start = backend_cpu(pid)
        for _ in range(n):
            response = read(client, url)
        assert response.status_code == 200, (url, response.status_code)
        warm = (backend_cpu(pid) - start) / n
        with CaptureQueriesContext(connection) as ctx:
            read(client, url)
        captured = ctx.captured_queries
        weight = MIX[label]
        page_ms, workers = 0.0, 0
        with connection.cursor() as cursor:
            for q in captured:
                ms, launched = explained(cursor, q["sql"])
                page_ms += ms
                workers += launched
                if verbose:
                    print(f"    {ms:7.2f} ms {launched} workers  {' '.join(q['sql'].split())[:verbose]}")
                entry = per_statement[shape(q["sql"])]
                entry[0] += ms * weight
                entry[1] += weight
                entry[2] = max(entry[2], ms)
        total_cpu += warm * weight
        total_weight += weight
        print(
            f"{label:38} pg cpu {warm * 1000:5.1f} ms/request ({len(captured):3} statements, "
            f"EXPLAIN ANALYZE {page_ms:6.1f} ms, {workers} parallel workers), new backend's first request {cold * 1000:5.0f} ms",
            flush=True,
        )
    fresh = int(os.environ.get("FRESH", "20"))
    if fresh:
        new_backends(fresh, officer, "/")
    if total_weight:
        print(f"the mix: pg cpu {total_cpu / total_weight * 1000:.1f} ms per request (reads, warm backends)")
    ranked = sorted(per_statement.items(), key=lambda kv: -kv[1][0])
    print(f"\nstatements by EXPLAIN ANALYZE time per request of the mix (of {len(ranked)} shapes):")
    for sql, (ms, count, worst) in ranked[:top]:
        print(
            f"{ms / total_weight:6.2f} ms/req  {count / total_weight:5.2f} per req  max {worst:6.1f} ms  "
            f"{sql[:230]}"
        )


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(__file__))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings")
    django.setup()
    main()
