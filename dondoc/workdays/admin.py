from django.contrib import admin

from dondoc.workdays.models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name", "notice"]
    list_filter = ["kind"]
    search_fields = ["name", "notice"]
    date_hierarchy = "date"
