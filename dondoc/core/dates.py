"""The reference date of the pages and the limit of "due soon"."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils import timezone

from dondoc.workdays import calendar


def today() -> date:
    return timezone.localdate()


def soon_limit(ref: date) -> date:
    """An open task is due soon when its deadline is within DUE_SOON_WORKING_DAYS working days of `ref`."""
    return calendar.current().add_working_days(ref, settings.DUE_SOON_WORKING_DAYS)
