"""A small city with a known risk ranking on 10/03/2026 (stale = no progress for 10 working days, cutoff 24/02).

Sở Xây dựng (SXD): t_a overdue (kind a, one ignored reminder), t_b overdue (kind b), t_c open no deadline (kind c),
    t_d open no deadline with progress today (kind d). Overdue 2, stale 3, ignored 1, late rate 100 % → score 18.
Sở Tài chính (STC): s_over overdue but reported on today, a reminder it acted on and two deadline requests
    (one repeated); s_late completed late. Overdue 1, late 1, repeated 1, late rate 100 % → score 9.
Sở Y tế (SYT): y_open in deadline with progress; y_done completed on time. Score 0.
"""

from __future__ import annotations

from datetime import date

import pytest

from dondoc.tracking import actions
from tests.helpers import notify


@pytest.fixture
def city(frozen, make_task, personas):
    p = personas
    tracker = p["tracker"].user

    def progress(task, person):
        task = actions.acknowledge(task, person.user)
        actions.report_progress(task, person.user, text="Đang triển khai", percent=40)
        task.refresh_from_db()
        return task

    def complete(task, person, on: date):
        task = actions.acknowledge(task, person.user)
        actions.submit_result(task, person.user, document_number="01/BC", document_date=on)
        actions.confirm_completion(task, tracker)
        task.refresh_from_db()
        return task

    t = {}
    t["t_a"] = make_task(content="SXD loại a quá hạn", due_date=date(2026, 2, 20), must_report=True)
    notify(t["t_a"], p["lead_officer"], date(2026, 3, 5))
    t["t_b"] = make_task(content="SXD loại b quá hạn", due_date=date(2026, 3, 2))
    t["t_c"] = make_task(content="SXD loại c", must_submit=True)
    t["t_d"] = make_task(content="SXD loại d")
    progress(t["t_d"], p["lead_officer"])

    s_over = make_task(lead="STC", coordinators=(), content="STC quá hạn", due_date=date(2026, 2, 20))
    notify(s_over, p["coord_officer"], date(2026, 3, 1))
    s_over = progress(s_over, p["coord_officer"])
    for _ in range(2):
        actions.request_change(
            s_over, p["coord_officer"].user, reason="Vướng mặt bằng", proposed_due_date=date(2026, 4, 30)
        )
        actions.decide_change(s_over, p["leader"].user, approve=False, note="Không chấp thuận")
        s_over.refresh_from_db()
    t["s_over"] = s_over
    t["s_late"] = complete(
        make_task(lead="STC", coordinators=(), content="STC hoàn thành muộn", due_date=date(2026, 3, 1)),
        p["coord_officer"],
        date(2026, 3, 5),
    )
    t["y_open"] = progress(
        make_task(lead="SYT", coordinators=(), content="SYT trong hạn", due_date=date(2026, 3, 30)),
        p["other_officer"],
    )
    t["y_done"] = complete(
        make_task(lead="SYT", coordinators=(), content="SYT đúng hạn", due_date=date(2026, 3, 20)),
        p["other_officer"],
        date(2026, 3, 9),
    )
    return t
