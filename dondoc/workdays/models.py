"""Calendar days that depart from the Monday–Friday week, each with the notice that set it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """A holiday, compensatory day, swapped day off or make-up working day (*ngày làm bù*)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Ngày lễ, Tết")
        COMPENSATORY = "compensatory", _("Nghỉ bù")
        SWAPPED_OFF = "swapped_off", _("Nghỉ hoán đổi")
        MAKEUP_WORKDAY = "makeup_workday", _("Ngày làm bù")
        WORKDAY = "workday", _("Ngày làm việc (sửa lịch thư viện)")

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("tên"), max_length=200)
    notice = models.CharField(_("văn bản quy định"), max_length=300, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày đặc biệt")
        verbose_name_plural = _("lịch nghỉ lễ, làm bù")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.name}"


class CalendarVersion(models.Model):
    """One row (id 1): the calendar's generation, raised by the database's triggers in the transaction of every
    change to `CalendarDay` (any path: the pages, the admin, a bulk load, raw SQL). Every process compares it with
    the generation its cached calendar was built from at the start of each request, follow-up pass and job
    (`calendar.check_generation`)."""

    version = models.BigIntegerField(default=0)
    # The generation the follow-up engine last computed every task's next follow-up time from (written by the
    # engine, `followup.engine.follow_the_calendar`; never by the triggers, except on an emptied table).
    scheduled = models.BigIntegerField(null=True)

    class Meta:
        verbose_name = _("phiên bản lịch")

    def __str__(self) -> str:
        return str(self.version)
