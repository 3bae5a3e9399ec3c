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
