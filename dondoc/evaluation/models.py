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
    # The first working day on or after `day`: the SQL twin of the effective deadline (a deadline on a day off
    # rolls to it, `tracking.timeliness.effective_deadline`). Equal to `day` on a working day.
    next_working = models.DateField(null=True)

    class Meta:
        verbose_name = "số thứ tự ngày làm việc"
        verbose_name_plural = "số thứ tự ngày làm việc"

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}: {self.ordinal}"


class MonthCount(models.Model):
    """Pre-counted tasks for the evaluation of a period, kept exact by database triggers: see
    `dondoc.evaluation.counts` (what a key means, when the figures may be read). Nothing in Python writes it but
    `counts.rebuild`."""

    day = models.DateField()  # the deadline (open, late), else the reporting month's first day (the 15th)
    done = models.DateField()  # the completion date of a late task, else = day
    lead_unit_id = models.BigIntegerField()
    authority = models.CharField(max_length=20)
    submit = models.BooleanField()  # must submit or report: kind a/c (else b/d)
    secret = models.BooleanField()
    outcome = models.SmallIntegerField()  # counts.OPEN, ON_TIME, LATE, UNDATED, NO_DEADLINE
    extended = models.BooleanField()  # at least one approved deadline change
    n = models.IntegerField(default=0)
    # 0: the key's folded row; else a pending row of a PostgreSQL writer, folded after its commit (`counts`)
    pending = models.BigIntegerField(default=0, db_default=0)

    class Meta:
        verbose_name = "số nhiệm vụ đếm sẵn theo kỳ"
        verbose_name_plural = "số nhiệm vụ đếm sẵn theo kỳ"
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "day",
                    "done",
                    "lead_unit_id",
                    "authority",
                    "submit",
                    "secret",
                    "outcome",
                    "extended",
                    "pending",
                ],
                name="eval_monthcount_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} đơn vị {self.lead_unit_id}: {self.n}"


class TrendCount(models.Model):
    """`MonthCount` without the unit and the completion date: what the 12-period trend reads."""

    day = models.DateField()  # the deadline (open), else the reporting month's first day
    authority = models.CharField(max_length=20)
    submit = models.BooleanField()
    secret = models.BooleanField()
    outcome = models.SmallIntegerField()
    extended = models.BooleanField()
    n = models.IntegerField(default=0)
    pending = models.BigIntegerField(default=0, db_default=0)  # as `MonthCount.pending`

    class Meta:
        verbose_name = "số nhiệm vụ đếm sẵn cho xu hướng"
        verbose_name_plural = "số nhiệm vụ đếm sẵn cho xu hướng"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "authority", "submit", "secret", "outcome", "extended", "pending"],
                name="eval_trendcount_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.authority}: {self.n}"


from dondoc.evaluation.report_models import ReportRun  # noqa: E402,F401 — the report helper's model (registered here)
