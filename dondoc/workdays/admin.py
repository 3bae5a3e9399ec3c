from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from dondoc.workdays import calendar, notices
from dondoc.workdays.arith import WorkCalendar
from dondoc.workdays.models import CalendarDay


class CalendarDayForm(forms.ModelForm):
    """The admin site's calendar day, held to the rule of the calendar pages: the past is closed
    (`notices.closed_days`)."""

    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name", "notice"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, kind = data.get("date"), data.get("kind")
        if day is None or not kind:
            return data
        closed = notices.closed_days([notices.DayEntry(day, kind, data.get("name", ""), "")])
        old = self.instance.date if self.instance.pk else None
        if old is not None and old != day and not removable(old):
            closed += notices.closed_days(
                [notices.DayEntry(old, "workday" if _library(old) else "holiday", "", "")]
            )
        if closed:
            raise forms.ValidationError(notices.closed_message(closed))
        return data


def _library(day: Any) -> bool:
    """Whether `day` is worked with no row stored for it (the week and the holidays package)."""
    return WorkCalendar().is_working_day(day)


def removable(day: Any) -> bool:
    """A stored day may be removed unless it is past and removing it changes whether it was worked."""
    from dondoc.core.dates import today

    return day >= today() or calendar.current().is_working_day(day) == _library(day)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    form = CalendarDayForm
    list_display = ["date", "kind", "name", "notice"]
    list_filter = ["kind"]
    search_fields = ["name", "notice"]
    date_hierarchy = "date"

    def has_delete_permission(self, request: HttpRequest, obj: CalendarDay | None = None) -> bool:
        if obj is not None and not removable(obj.date):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # Deleting many rows at once would skip the one-row check above: one row at a time.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
