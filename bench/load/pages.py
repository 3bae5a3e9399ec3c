"""What one request of each busy-hour page costs with nothing queued: the server time in the process (Django's
test client, signed in with force_login: middleware, view, queries, template; no network, no gunicorn), the
median of N requests after one warm-up, with the number of queries and the two slowest statements. Beside the
wall-clock time, the two CPU costs a busy machine divides (a wall-clock time on a loaded machine is mostly waiting):
the application's (`cpu`: the process's CPU time, `time.process_time`) and the database's (`db`: the statements'
time as the client saw it, an upper bound of the server's CPU for them).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dondoc_load SECRET_KEY=x ALLOWED_HOSTS=127.0.0.1 \\
        .venv/bin/python bench/load/pages.py

N (default 3) requests per page; UNIT: the code of the unit whose officer is asked (default: the sixth unit
officer); ONLY: the pages whose address contains it; TASK: the id of the task whose page is asked (default: the
101st of the unit's by id — at 10^6 a completed one, without the action forms of an open task's page). The readers: the first tracking officer, the first leader.
PROFILE=K: each page's N requests also under cProfile, printed as the K functions of most own time (and the K of
most cumulative time), to see where a page's CPU goes.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import statistics
import time
from typing import Any

import django


def readers() -> tuple[Any, Any, Any]:
    """The people who ask: the first tracking officer, the first leader, the unit officer of UNIT (default: the
    sixth unit officer). bench/load/leader_pages.py asks as them too."""
    from dondoc.org.models import Person

    people = Person.objects.select_related("user", "unit")
    tracker = people.filter(role="tracking_officer").first()
    leader = people.filter(role="leader").first()
    officer = people.filter(role="unit_officer", unit__code=os.environ.get("UNIT", "")).first()
    return tracker, leader, officer or people.filter(role="unit_officer").order_by("id")[5]


def slowest(captured: list[dict[str, Any]], width: int) -> str:
    """The two slowest statements of a request, each its time and the start of its SQL."""
    slow = sorted(captured, key=lambda q: -float(q["time"]))[:2]
    return "; ".join(f"{q['time']} s {q['sql'][:width]}" for q in slow)


def main() -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from dondoc.core.dates import today
    from dondoc.tracking.models import Task

    n = int(os.environ.get("N", "3"))
    tracker, leader, officer = readers()
    tasks = Task.objects.filter(lead_unit=officer.unit).exclude(state="draft").order_by("id")
    task_id = int(os.environ.get("TASK") or tasks.values_list("id", flat=True)[100])
    directive_id = Task.objects.filter(pk=task_id).values_list("directive_id", flat=True)[0]
    year = today().year
    print(
        f"unit officer {officer.user.username} ({officer.unit.name}), task {task_id}, directive {directive_id}",
        flush=True,
    )
    cases = [
        (tracker, "/nhiem-vu/"),
        (tracker, "/nhiem-vu/?trang=3"),
        (tracker, "/van-ban/"),
        (tracker, f"/van-ban/{directive_id}/"),
        (tracker, "/van-ban-di/don-doc/"),
        (tracker, f"/van-ban-di/?doc_type=don_doc&year={year}&trang=1"),
        (tracker, "/"),
        (leader, "/"),
        (officer, "/"),
        (officer, "/nhiem-vu/?bucket=overdue"),
        (officer, f"/nhiem-vu/{task_id}/"),
        (tracker, f"/nhiem-vu/{task_id}/"),
    ]
    only = os.environ.get("ONLY")
    top = int(os.environ.get("PROFILE", "0"))
    for person, url in cases:
        if only and only not in url:
            continue
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(person.user)
        times, cpus, dbs = [], [], []
        profile = cProfile.Profile(time.process_time) if top else None  # CPU, not waiting
        for i in range(n + 1):
            if profile and i == 1:  # the first one warms up
                profile.enable()
            with CaptureQueriesContext(connection) as ctx:
                started, cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                took, cpu = time.perf_counter() - started, time.process_time() - cpu
            assert response.status_code == 200, (url, response.status_code)
            if i:  # the first one warms up
                times.append(took)
                cpus.append(cpu)
                dbs.append(sum(float(q["time"]) for q in ctx.captured_queries))
        if profile:
            profile.disable()
        statements = slowest(ctx.captured_queries, 70)
        print(
            f"{person.role:18} {url:28} median {statistics.median(times) * 1000:6.0f} ms, "
            f"min {min(times) * 1000:6.0f} ms, cpu {statistics.median(cpus) * 1000:5.1f} ms (min {min(cpus) * 1000:.1f}), "
            f"db {statistics.median(dbs) * 1000:5.1f} ms, {len(ctx.captured_queries)} queries; slowest: {statements}",
            flush=True,
        )
        if profile:
            stats = pstats.Stats(profile)
            for order in ("tottime", "cumulative"):
                stats.sort_stats(order).print_stats(top)
            by_part: dict[str, float] = {}
            for (filename, _line, _name), row in stats.stats.items():  # type: ignore[attr-defined]
                part = (
                    "/".join(filename.split("site-packages/")[-1].split("/")[:2])
                    if "/" in filename
                    else filename
                )
                by_part[part] = by_part.get(part, 0.0) + row[2]
            total = sum(by_part.values())
            print(
                "own CPU by package:",
                ", ".join(
                    f"{k} {v / total:.0%}" for k, v in sorted(by_part.items(), key=lambda kv: -kv[1])[:14]
                ),
            )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings")
    django.setup()
    main()
