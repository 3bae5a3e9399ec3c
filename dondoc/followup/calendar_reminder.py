"""Reminding the City Office to enter next year's official holidays (a daily job, `DONDOC_DAILY_JOBS`).

Every year the Prime Minister fixes the civil-service Tết and National Day breaks (DOMAIN.md §6); until they are
entered, next year's deadlines are counted on the `holidays` package's guess. From 1 November, each week until
they are entered, the City Office's tracking officers and the administrators get a task-less notification naming
what is missing. A decision counts as entered when the calendar table holds any day of next year in its window:
15/01–10/03 for Tết (the lunar new year falls between 21/01 and 20/02), 25/08–08/09 for National Day.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from dondoc.org import roles
from dondoc.org.models import Person
from dondoc.workdays.models import CalendarDay

FROM_MONTH = 11
RULE = "calendar"
WINDOWS = {
    "Tết Nguyên đán": ((1, 15), (3, 10)),
    "Quốc khánh": ((8, 25), (9, 8)),
}


def missing_decisions(year: int) -> list[str]:
    """The occasions of `year` whose official days are not yet entered in the calendar."""
    return [
        occasion
        for occasion, (start, end) in WINDOWS.items()
        if not CalendarDay.objects.filter(date__range=(date(year, *start), date(year, *end))).exists()
    ]


def calendar_decisions_job(day: date) -> None:
    """From 1 November: remind (once a week, keyed on the week's Monday) while next year's Tết or National Day
    decision is not entered."""
    from dondoc.followup.notify import notify_people

    if day.month < FROM_MONTH:
        return
    year = day.year + 1
    missing = missing_decisions(year)
    if not missing:
        return
    people = Person.objects.filter(active=True, role__in=roles.CITY_OFFICE).select_related("user")
    what = " và ".join(missing)
    notify_people(
        people,
        rule_code=f"{RULE}:{year}",
        rule_name="Nhắc nhập lịch nghỉ lễ năm sau",
        step_day=day - timedelta(days=day.weekday()),
        title=f"Chưa nhập lịch nghỉ {what} năm {year}",
        body=(
            f"Lịch làm việc năm {year} chưa có ngày nghỉ {what} theo thông báo chính thức; thời hạn của năm {year} "
            f"đang được tính theo lịch dự kiến của thư viện. Khi có thông báo của Thủ tướng, hãy nhập tại mục "
            f"«Lịch nghỉ lễ» → «Nhập thông báo nghỉ lễ»."
        ),
        link=f"{reverse('workdays:year')}?nam={year}",
    )
