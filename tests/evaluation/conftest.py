"""The evaluation's hand-computed world of tasks, shared by the count, dashboard and cache tests."""

from __future__ import annotations

from datetime import date

import pytest

from dondoc.directives.models import Authority
from dondoc.tracking import actions
from dondoc.tracking.models import Task
from tests.evaluation.lifecycle import complete_by_lead, extend
from tests.helpers import make_directive


@pytest.fixture
def world(db, frozen, registry, personas, directive, make_task):
    """The tasks of the period, each with the bucket it must land in."""
    gov = make_directive(
        "12/CT-TTg",
        issuer=registry["CP"],
        authority=Authority.GOVERNMENT,
        issued_on=date(2026, 1, 20),
        subject="Chỉ thị của Thủ tướng",
    )
    t = {}
    # Due on the 14th (the period's last day), open: in P, within the deadline on 10/03.
    t["last_day"] = make_task(due_date=date(2026, 3, 14), must_report=True)
    # Due on the 15th: the next period (Tháng 4), not P.
    t["next_period"] = make_task(due_date=date(2026, 3, 15))
    # Due 14/02: the previous period.
    t["prev_period"] = make_task(due_date=date(2026, 2, 14))
    # Due 15/02 (the first day; a Sunday in Tết), completed 24/02: the deadline on a day off counts until Mon 23/02
    # (the next working day), so late by 1 working day (Tue 24), though 9 calendar days after 15/02.
    t["tet_late"] = complete_by_lead(make_task(due_date=date(2026, 2, 15)), date(2026, 2, 24), personas)
    # Due 05/03, completed 04/03: on time.
    t["on_time"] = complete_by_lead(
        make_task(due_date=date(2026, 3, 5), must_submit=True), date(2026, 3, 4), personas
    )
    # Due 09/03, completed 06/03: on time on 10/03; still open (within deadline) seen on 05/03.
    t["done_0603"] = complete_by_lead(make_task(due_date=date(2026, 3, 9)), date(2026, 3, 6), personas)
    # Due 02/03, open: overdue on 10/03 by 6 working days (03, 04, 05, 06, 09, 10/03).
    t["overdue"] = make_task(due_date=date(2026, 3, 2))
    # Due 20/02 extended (approved) to 20/03: its current deadline is in Tháng 4, so not in P.
    t["extended_out"] = make_task(due_date=date(2026, 2, 20))
    extend(t["extended_out"], date(2026, 3, 20), personas)
    # Due 01/02 extended (approved) to 12/03: in P, within the deadline, "needed a deadline change".
    t["extended_in"] = make_task(due_date=date(2026, 2, 1))
    extend(t["extended_in"], date(2026, 3, 12), personas)
    # Due 03/03 with a pending request for 25/03: the old deadline stands, overdue; not "extended".
    t["pending"] = make_task(due_date=date(2026, 3, 3))
    extend(t["pending"], date(2026, 3, 25), personas, approve=False)
    # No deadline, assigned 02/02: open with no deadline. Assigned 16/03 (after P): not counted for P.
    t["no_deadline"] = make_task()
    t["no_deadline_later"] = actions.assign(
        make_task(assign=False), personas["tracker"].user, on=date(2026, 3, 16)
    )
    # Secret, due 04/03, open: overdue by 4 working days (05, 06, 09, 10/03), only for the cleared.
    t["secret"] = make_task(due_date=date(2026, 3, 4), secret=True)
    # Draft and cancelled tasks due in P: never counted.
    t["draft"] = make_task(due_date=date(2026, 3, 5), assign=False)
    t["cancelled"] = make_task(due_date=date(2026, 3, 5))
    actions.cancel(t["cancelled"], personas["leader"].user, reason="Không còn cần thiết")
    # A Government task of Sở Tài chính due 11/03, open: within the deadline; authority "government".
    t["gov"] = actions.assign(
        actions.create_task(gov, lead_unit=registry["STC"], content="Rà soát đầu tư công", user=None),
        personas["tracker"].user,
        on=date(2026, 2, 2),
    )
    Task.objects.filter(pk=t["gov"].pk).update(
        due_date=date(2026, 3, 11), original_due_date=date(2026, 3, 11)
    )
    return t
