"""Late reports (issue 14, point 7): report cycles due in a period, counted as of a date by how they were kept."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from dondoc.evaluation import periods
from dondoc.evaluation.report_obligations import ReportCounts, late_reports
from dondoc.tracking import actions
from tests.followup.helpers import at

pytestmark = pytest.mark.django_db

Q1 = periods.custom(date(2026, 1, 1), date(2026, 3, 31))


def report(task, person, on: date, cycle: date) -> None:
    with time_machine.travel(at(on, "15:00"), tick=False):
        actions.report_progress(
            task, person.user, text=f"Báo cáo kỳ {cycle:%m/%Y}", percent=10, report_cycle=cycle
        )


@pytest.fixture
def monthly(make_task, personas, registry):
    """Two tasks reporting "trước ngày 25 hằng tháng" from January 2026. 25/01/2026 is a Sunday: reporting on Monday
    26/01 is on time.

    Sở Xây dựng: January on 26/01 (on time), February on 02/03 (late), March never.
    Sở Y tế: January never, February on 20/02 (on time), March on 24/03 (on time)."""
    from dondoc.org.models import Person
    from tests.helpers import make_person

    syt = make_person("syt.cv2", registry["SYT"], Person.Role.UNIT_OFFICER)
    tasks = {}
    for lead, person in (("SXD", personas["lead_officer"]), ("SYT", syt)):
        with time_machine.travel(at(date(2026, 1, 5), "08:30"), tick=False):
            task = make_task(
                lead=lead, coordinators=(), assign=False, report_day_of_month=25, must_report=True
            )
            task = actions.assign(task, personas["tracker"].user, on=date(2026, 1, 5))
            actions.acknowledge(task, person.user)
        tasks[lead] = (task, person)
    (sxd, a), (syt_task, b) = tasks["SXD"], tasks["SYT"]
    report(sxd, a, date(2026, 1, 26), date(2026, 1, 25))
    report(sxd, a, date(2026, 3, 2), date(2026, 2, 25))
    report(syt_task, b, date(2026, 2, 20), date(2026, 2, 25))
    report(syt_task, b, date(2026, 3, 24), date(2026, 3, 25))
    return registry["SXD"].pk, registry["SYT"].pk


def test_late_reports_per_unit_as_of_20_march(monthly):
    sxd, syt = monthly
    counts = late_reports(Q1, date(2026, 3, 20))  # March's cycle (25/03) is not due yet
    assert counts[sxd] == ReportCounts(due=2, on_time=1, late=1, overdue=0)
    assert counts[syt] == ReportCounts(due=2, on_time=1, late=0, overdue=1)
    assert counts[None] == ReportCounts(due=4, on_time=2, late=1, overdue=1)
    assert counts[None].not_on_time == 2


def test_late_reports_at_the_end_of_the_quarter(monthly):
    sxd, syt = monthly
    counts = late_reports(Q1, date(2026, 3, 31))
    assert counts[sxd] == ReportCounts(due=3, on_time=1, late=1, overdue=1)
    assert counts[syt] == ReportCounts(due=3, on_time=2, late=0, overdue=1)
    assert late_reports(Q1, date(2026, 3, 31), unit_ids=[syt]) == {syt: counts[syt], None: counts[syt]}


def test_a_report_filed_after_the_reference_date_does_not_count_yet(monthly):
    """On 01/03 Sở Xây dựng's February report (filed 02/03) was still missing: overdue then, late since."""
    sxd, _ = monthly
    assert late_reports(Q1, date(2026, 3, 1))[sxd] == ReportCounts(due=2, on_time=1, late=0, overdue=1)
