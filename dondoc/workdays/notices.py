"""Entering the calendar: an official notice at once, a CSV file, and what each would change before it is saved.

An official notice (*thông báo nghỉ lễ*, e.g. the Prime Minister's Tết decision relayed by the Ministry of Home
Affairs) sets, for one occasion, a range of days off, pairs of swapped days (a weekday off, a Saturday worked in its
place) and make-up Saturdays, with its number and date. Each becomes one calendar row (`CalendarDay`) naming the
notice; a row already stored for the same date is replaced. Saving goes row by row through `save()`, so the audit
trail records each day and `calendar.calendar_changed` is announced once when the transaction commits.

The calendar's past is closed (*lịch của những ngày đã qua giữ nguyên*): an edit may change whether a day is worked
only from today on (`closed_days`). A task's effective deadline depends only on the days from its deadline as
written to its effective deadline, and a figure as of a date only on the days up to that date; so an edit of days
from today on moves only effective deadlines not yet passed, and never a completed task's judgement, a figure of a
past date, a published ranking or an urging already due. Which open tasks' effective deadlines an edit moves is
told by the app that owns them (tracking), listening to `calendar_editing`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.dispatch import Signal

from dondoc.core.dates import today
from dondoc.core.text import from_text_cell, text_cell
from dondoc.workdays import calendar
from dondoc.workdays.arith import CalendarEntry, WorkCalendar, library_days
from dondoc.workdays.csvdata import KINDS
from dondoc.workdays.models import CalendarDay

WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]
KIND_LABELS = dict(CalendarDay.Kind.choices)
CSV_FIELDS = ["date", "kind", "name", "notice"]


@dataclass(frozen=True)
class DayEntry:
    """One day as a notice or a file sets it."""

    day: date
    kind: str
    name: str
    notice: str


@dataclass(frozen=True)
class Change:
    """What entering `entry` does to its day: worked before and after, and where the old answer came from."""

    entry: DayEntry
    worked_before: bool
    source_before: str  # "entered" (a stored row) | "library" (the holidays package and the week)
    worked_after: bool

    @property
    def weekday(self) -> str:
        return WEEKDAYS[self.entry.day.weekday()]

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.entry.kind, self.entry.kind))


def notice_entries(
    *,
    notice: str,
    name: str,
    off_from: date | None,
    off_to: date | None,
    swaps: Iterable[tuple[date, date]] = (),
    makeup: Iterable[date] = (),
    cal: WorkCalendar | None = None,
) -> list[DayEntry]:
    """The rows an official notice sets: each day of [off_from, off_to] that would otherwise be worked is a
    holiday (the weekends inside stay off by themselves); each swap (weekday off, Saturday worked) gives a swapped
    day off and a make-up working day; each further make-up day is worked."""
    cal = cal or calendar.current()
    entries: dict[date, DayEntry] = {}
    if off_from is not None and off_to is not None:
        day = off_from
        while day <= off_to:
            if day.weekday() < 5 or cal.is_working_day(day):
                entries[day] = DayEntry(day, CalendarDay.Kind.HOLIDAY, name, notice)
            day += timedelta(days=1)
    for off, worked in swaps:
        entries[off] = DayEntry(
            off,
            CalendarDay.Kind.SWAPPED_OFF,
            f"Nghỉ hoán đổi (làm bù {WEEKDAYS[worked.weekday()]} {worked:%d/%m/%Y})",
            notice,
        )
        entries[worked] = DayEntry(
            worked, CalendarDay.Kind.MAKEUP_WORKDAY, f"Làm bù cho ngày {off:%d/%m/%Y}", notice
        )
    for worked in makeup:
        entries.setdefault(
            worked, DayEntry(worked, CalendarDay.Kind.MAKEUP_WORKDAY, f"Làm bù ({name})", notice)
        )
    return [entries[d] for d in sorted(entries)]


def preview(entries: Iterable[DayEntry]) -> list[Change]:
    """What each entry would change, against the calendar in force (stored rows over the library)."""
    cal = calendar.current()
    stored = set(CalendarDay.objects.filter(date__in=[e.day for e in entries]).values_list("date", flat=True))
    return [
        Change(
            entry=e,
            worked_before=cal.is_working_day(e.day),
            source_before="entered" if e.day in stored else "library",
            worked_after=WorkCalendar([CalendarEntry(e.day, e.kind)]).is_working_day(e.day),
        )
        for e in entries
    ]


#: Sent by `consequences` (previewing, `saving=False`) and by `apply` (in its transaction, before the rows are
#: written, `saving=True`) with `before` and `after` (the calendar in force and the one the edit makes), `days` (the
#: edited days, sorted) and `on` (today). A receiver returns what the edit does to its rows (a list of objects with
#: a `task_id`), and records it when saving; workdays imports none of the apps above that listen.
calendar_editing = Signal()


class ClosedPastError(ValueError):
    """An edit that would change whether a day already past was worked; the message names the days."""


def closed_days(entries: Iterable[DayEntry], on: date | None = None) -> list[Change]:
    """The entries that would change whether a day before `on` (today) was worked: refused. The past of the
    calendar is what people actually worked by; changing it would turn a task delivered on its effective deadline
    late, move figures already reported and urge a unit that had time left. Renaming a past day, or attaching its
    notice, changes no answer and is allowed."""
    on = on or today()
    return [c for c in preview([e for e in entries if e.day < on]) if c.worked_before != c.worked_after]


def closed_message(closed: Iterable[Change]) -> str:
    days = ", ".join(f"{c.entry.day:%d/%m/%Y}" for c in closed)
    return (
        f"Không sửa được ngày đã qua: {days} (lịch của những ngày đã qua giữ nguyên để thời hạn đã qua và số liệu "
        "đã báo cáo không đổi). Chỉ sửa được từ hôm nay trở đi."
    )


def after_edit(entries: Iterable[DayEntry]) -> WorkCalendar:
    """The calendar as it would be with `entries` stored (a stored row of the same date replaced)."""
    edited = {e.day: e.kind for e in entries}
    rows = dict(CalendarDay.objects.values_list("date", "kind"))
    rows.update(edited)
    return WorkCalendar([CalendarEntry(d, k) for d, k in rows.items()])


def consequences(entries: Iterable[DayEntry], on: date | None = None, *, saving: bool = False) -> list[Any]:
    """What the edit does beyond the calendar, as the apps listening to `calendar_editing` report it (the open
    tasks whose effective deadlines move), for the preview; with `saving`, they record it too."""
    entries = list(entries)
    if not entries:
        return []
    found: list[Any] = []
    for _receiver, response in calendar_editing.send(
        sender=CalendarDay,
        before=calendar.current(),
        after=after_edit(entries),
        days=sorted(e.day for e in entries),
        on=on or today(),
        saving=saving,
    ):
        found.extend(response or [])
    return found


@transaction.atomic
def apply(entries: Iterable[DayEntry], on: date | None = None) -> int:
    """Store the entries (a stored row of the same date is replaced); returns how many days were written.
    Refused (`ClosedPastError`, nothing written) when an entry would change whether a day before `on` (today) was
    worked (`closed_days`); the open tasks whose effective deadlines move are recorded (`consequences`)."""
    entries = list(entries)
    closed = closed_days(entries, on)
    if closed:
        raise ClosedPastError(closed_message(closed))
    consequences(entries, on, saving=True)
    count = 0
    for e in entries:
        CalendarDay.objects.update_or_create(
            date=e.day, defaults={"kind": e.kind, "name": e.name, "notice": e.notice}
        )
        count += 1
    return count


def parse_csv(text: str) -> list[DayEntry]:
    """The days of a calendar CSV (columns date,kind,name,notice; dates yyyy-mm-dd or dd/mm/yyyy), or ValueError with a
    Vietnamese message naming the line and the column. A date listed twice is refused: which row wins is unclear."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in ("date", "kind", "name") if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"Tệp thiếu cột {', '.join(missing)} (cần các cột date, kind, name, notice).")
    entries: dict[date, DayEntry] = {}
    for line, row in enumerate(reader, start=2):
        raw = (row.get("date") or "").strip()
        day = parse_day(raw)
        if day is None:
            raise ValueError(f"Dòng {line}, cột date: «{raw}» không phải ngày (yyyy-mm-dd hoặc dd/mm/yyyy).")
        kind = (row.get("kind") or "").strip()
        if kind not in KINDS:
            raise ValueError(
                f"Dòng {line}, cột kind: «{kind}» không hợp lệ (một trong: {', '.join(sorted(KINDS))})."
            )
        name = from_text_cell((row.get("name") or "").strip())
        if not name:
            raise ValueError(f"Dòng {line}, cột name: chưa có tên ngày.")
        if day in entries:
            raise ValueError(f"Dòng {line}, cột date: ngày {day:%d/%m/%Y} đã có ở dòng trên.")
        entries[day] = DayEntry(
            day, kind, name[:200], from_text_cell((row.get("notice") or "").strip())[:300]
        )
    if not entries:
        raise ValueError("Tệp không có dòng dữ liệu nào.")
    return [entries[d] for d in sorted(entries)]


def parse_day(raw: str) -> date | None:
    """yyyy-mm-dd (the file's own format) or dd/mm/yyyy (as people type it), else None."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return None


def export_csv(year: int | None = None) -> str:
    """The stored days (of `year`, or all) in the shipped file's format, which `parse_csv` reads back."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    days = CalendarDay.objects.order_by("date")
    if year is not None:
        days = days.filter(date__year=year)
    for d in days:
        # names and notices are typed by administrators: a spreadsheet must not run one as a formula
        writer.writerow([d.date.isoformat(), d.kind, text_cell(d.name), text_cell(d.notice)])
    return out.getvalue()


@dataclass(frozen=True)
class YearDay:
    """A day of a year that departs from the ordinary week, as the calendar page shows it."""

    day: date
    worked: bool
    label: str
    name: str
    notice: str
    source: str  # "entered" | "library"

    @property
    def weekday(self) -> str:
        return WEEKDAYS[self.day.weekday()]


def year_days(year: int) -> list[YearDay]:
    """The stored days of `year` and the library's days nobody overrode, so an administrator can check both."""
    stored = {d.date: d for d in CalendarDay.objects.filter(date__year=year)}
    off, makeup, names = library_days(year)
    rows = [
        YearDay(
            d.date,
            d.kind in ("makeup_workday", "workday"),
            str(d.get_kind_display()),
            d.name,
            d.notice,
            "entered",
        )
        for d in stored.values()
    ]
    rows += [
        YearDay(day, False, "Ngày lễ, Tết", names.get(day, ""), "", "library")
        for day in off
        if day not in stored
    ]
    rows += [YearDay(day, True, "Ngày làm bù", "", "", "library") for day in makeup if day not in stored]
    return sorted(rows, key=lambda r: r.day)
