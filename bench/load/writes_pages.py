"""What the busy hour's heaviest write costs with nothing queued: issuing an urging letter (the confirmed POST of
/van-ban-di/don-doc/ban-hanh/, after the pages of the journey that lead to it: the urging page, the unit's preview,
the confirmation step) and — when the letters' files are drawn by the worker — the worker's job per letter
(the exports: bench/load/leader_pages.py). The same measures as bench/load/pages.py (server time in the process,
Django's test client signed in with force_login): wall-clock, the process's CPU (`time.process_time`), the
statements' time and count, the median of N.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dondoc_copy SECRET_KEY=x ALLOWED_HOSTS=127.0.0.1 \\
        .venv/bin/python bench/load/writes_pages.py

Each letter is issued to another unit with overdue tasks (the first N+1 of the urging page's overview, the first as
warm-up) inside a transaction rolled back at the end, so the database is left as it was and a run can be repeated
(the audit trail's linking after the commit is left out with it). N (default 3).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import django

sys.path.insert(0, str(Path(__file__).resolve().parent))


class Rollback(Exception):
    pass


def measure(label: str, runs: list[tuple[float, float, float, int, int]]) -> None:
    warm = runs[1:] or runs
    print(
        f"{label:42} median {statistics.median(r[0] for r in warm) * 1000:6.0f} ms, "
        f"cpu {statistics.median(r[1] for r in warm) * 1000:6.1f} ms, "
        f"db {statistics.median(r[2] for r in warm) * 1000:6.1f} ms, "
        f"{statistics.median(r[3] for r in warm):.0f} queries, {statistics.median(r[4] for r in warm):.0f} rows/bytes",
        flush=True,
    )


def timed(call: Any) -> tuple[Any, tuple[float, float, float, int]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        started, cpu = time.perf_counter(), time.process_time()
        result = call()
        took, cpu = time.perf_counter() - started, time.process_time() - cpu
    return result, (took, cpu, sum(float(q["time"]) for q in ctx.captured_queries), len(ctx.captured_queries))


def main() -> None:
    from django.db import transaction
    from django.test import Client
    from pages import readers

    from dondoc.documents import urging
    from dondoc.documents.models import OutgoingDocument

    n = int(os.environ.get("N", "3"))
    tracker, _leader, _officer = readers()
    office = Client(HTTP_HOST="127.0.0.1")
    office.force_login(tracker.user)
    units = [unit for unit, _overdue, _soon in urging.overview(tracker.user)][: n + 1]
    # The pages of the urging journey before the write: the urging page, a unit's preview (the letter's lines),
    # the confirmation step (the POST without `confirm`).
    steps: dict[str, list[tuple[float, float, float, int, int]]] = {}
    for unit in units:
        for label, call in (
            ("GET /van-ban-di/don-doc/", lambda: office.get("/van-ban-di/don-doc/")),
            (
                "GET /van-ban-di/don-doc/?unit=… (bytes)",
                lambda unit=unit: office.get(f"/van-ban-di/don-doc/?unit={unit.pk}"),
            ),
            (
                "POST /van-ban-di/don-doc/ban-hanh/ (hỏi lại)",
                lambda unit=unit: office.post("/van-ban-di/don-doc/ban-hanh/", {"unit": unit.pk}),
            ),
        ):
            response, cost = timed(call)
            assert response.status_code == 200, (label, response.status_code)
            steps.setdefault(label, []).append((*cost, len(response.content)))
    for label, runs in steps.items():
        measure(label, runs)
    issued, drawn = [], []
    draw = getattr(__import__("dondoc.documents.register", fromlist=["x"]), "draw_files", None)
    for unit in units:
        try:
            with transaction.atomic():
                response, cost = timed(
                    lambda unit=unit: office.post(
                        "/van-ban-di/don-doc/ban-hanh/", {"unit": unit.pk, "confirm": "1"}
                    )
                )
                assert response.status_code == 302, (unit.name, response.status_code)
                record = OutgoingDocument.objects.filter(recipient_unit=unit).order_by("-id").first()
                issued.append((*cost, record.tasks.count()))
                if (
                    draw is not None and not record.pdf
                ):  # the worker's job, in the same rolled-back transaction
                    _none, job = timed(lambda record=record: draw.func(record.pk))
                    record.refresh_from_db()
                    drawn.append((*job, record.pdf.size + record.docx.size))
                    for stored in (record.docx, record.pdf):
                        stored.storage.delete(stored.name)
                else:
                    for stored in (record.docx, record.pdf):
                        stored.storage.delete(stored.name)
                raise Rollback
        except Rollback:
            pass
    measure("POST /van-ban-di/don-doc/ban-hanh/ (tasks)", issued)
    if drawn:
        measure("  worker: draw_files (bytes)", drawn)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings")
    django.setup()
    main()
