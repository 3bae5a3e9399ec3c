"""Daily jobs of the evaluation app, run by the follow-up engine (`DONDOC_DAILY_JOBS`, once per working day).

`monthly_report_job`: Sở Nội vụ reports monthly before the 25th (dispatch 3031 §6). On the 20th of each month — or
the next working day when the 20th is not one — a draft of the month's report (the period 15th of the previous
month to the 14th) is prepared, and the people responsible are reminded that it is due before the 25th.
"""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from dondoc.evaluation import periods as pr
from dondoc.evaluation import report
from dondoc.evaluation.report_models import ReportRun
from dondoc.workdays import calendar
from dondoc.workdays.arith import WorkCalendar

log = logging.getLogger("dondoc.evaluation")

PREPARE_DAY = 20  # the draft is prepared on this day of the month (or the next working day)
DUE_DAY = 25  # the report must go out before this day
REMINDER_RULE = "monthly_report"


def preparation_day(year: int, month: int, cal: WorkCalendar) -> date:
    """The day the month's draft is prepared: the 20th, or the first working day after it when it is not one
    (a Saturday 20th gives Monday the 22nd)."""
    return cal.next_working_day(date(year, month, PREPARE_DAY))


def monthly_report_job(day: date) -> None:
    """Prepare the draft of the monthly report on its preparation day, and remind the people responsible.

    Idempotent: one automatic draft per (period, issuer) — a unique constraint in the database — so a second call,
    a second engine or a retry after a failure never makes a second draft nor a second reminder. A day after the
    preparation day (the engine was down on it) still prepares the draft; a day before it does nothing.
    """
    cal = calendar.current()
    if day < preparation_day(day.year, day.month, cal):
        return
    issuer = report.default_issuer()
    if issuer is None:
        log.warning(
            "monthly report: no unit with code %r (REPORT_ISSUER); nothing prepared", settings.REPORT_ISSUER
        )
        return
    period = pr.monthly(day.year, day.month)
    existing = ReportRun.objects.filter(
        automatic=True,
        period_kind=period.kind,
        period_start=period.start,
        period_end=period.end,
        issuer=issuer,
    ).first()
    if existing is None:
        try:
            with transaction.atomic():
                existing = report.new_run(
                    period, issuer, ref=report.reference_for(period, day), automatic=True
                )
        except IntegrityError:  # another engine created it at the same moment: its work, not ours
            return
    if existing.status == ReportRun.Status.QUEUED and (run := report.claim(existing.pk)) is not None:
        report.generate(run)
    # idempotent: a retry after a crash between the draft and the reminder still reminds
    remind(existing, day)


def remind(run: ReportRun, day: date) -> int:
    """Tell the people responsible (`report.responsible_people`) that the draft is ready and the report is due
    before the 25th: a task-less `followup.Notification` per person, linking to the run's page, in the notification
    centre and by e-mail as each person chose (`dondoc.followup.notify`). One reminder per run and person: the rule
    code names the run and the step day is the day the run was made, so calling it again (a retry, the next
    day) writes nothing. Returns the number of people newly reminded."""
    from dondoc.followup.notify import notify_people

    people = report.responsible_people(run.issuer)
    due = date(day.year, day.month, DUE_DAY)
    path = reverse("evaluation:report_detail", args=[run.pk])
    title = f"Dự thảo báo cáo kết quả thực hiện nhiệm vụ tháng {run.period_number}/{run.period_year}"
    body = (
        f"Dự thảo báo cáo tháng {run.period_number}/{run.period_year} (số liệu từ ngày "
        f"{run.period_start:%d/%m/%Y} đến ngày {run.period_end:%d/%m/%Y}) đã được tạo tự động. "
        f"Báo cáo phải gửi UBND Thành phố trước ngày {due:%d/%m/%Y}: xem, bổ sung đề xuất và ban hành tại "
        f"{settings.SITE_URL.rstrip('/')}{path}"
    )
    return notify_people(
        people,
        rule_code=f"{REMINDER_RULE}:{run.pk}",
        rule_name="Nhắc lập báo cáo tháng trước ngày 25",
        step_day=timezone.localdate(run.created_at) if run.created_at else day,
        title=title,
        body=body,
        link=path,
        deadline=due,
    )
