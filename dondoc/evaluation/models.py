"""Data of the evaluation app: the working-day ordinals that let the database count working days."""

from __future__ import annotations

from django.db import models


class WorkdayOrdinal(models.Model):
    """For each calendar date, how many working days there are from the table's first date up to it (inclusive).

    So the working days in (a, b] are ordinal(b) − ordinal(a), in SQL. Derived from the calendar in force
    (`dondoc.workdays.calendar.current()`): rebuilt when a CalendarDay changes and extended on demand
    (`dondoc.evaluation.workdays.ensure_ordinals`).
    """

    day = models.DateField(primary_key=True)
    ordinal = models.IntegerField()

    class Meta:
        verbose_name = "số thứ tự ngày làm việc"
        verbose_name_plural = "số thứ tự ngày làm việc"

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}: {self.ordinal}"


from dondoc.evaluation.report_models import ReportRun  # noqa: E402,F401 — the report helper's model (registered here)
