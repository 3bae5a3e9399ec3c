"""Reading a deadline as people write it in a directive form: "30/09/2026", "10 ngày làm việc", "15 ngày"."""

from __future__ import annotations

import re
from datetime import date, datetime

from dondoc.core.dates import out_of_range
from dondoc.core.text import fold
from dondoc.workdays.arith import WorkCalendar

_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_WORKING = re.compile(r"^(?:trong\s+)?(\d{1,3})\s+ngay\s+lam\s+viec$")
_DAYS = re.compile(r"^(?:trong\s+)?(\d{1,3})\s+ngay$")
_MONTHLY = re.compile(r"^(?:truoc\s+)?(?:ngay\s+)?(\d{1,2})\s+(?:hang|hung|moi)\s+thang$")


class DeadlineError(ValueError):
    """A deadline that cannot be read; the message is Vietnamese and says which forms are accepted."""


def resolve_deadline(text: str, issued_on: date, calendar: WorkCalendar) -> date | None:
    """The completion deadline written as `text`, counted from the directive's date.

    - "dd/mm/yyyy": that date (a calendar deadline);
    - "N ngày làm việc": the N-th working day after the directive's date (weekends, holidays skipped, make-up
      Saturdays counted);
    - "N ngày": a period in days under Civil Code 2015 Arts. 147–148 — it starts the day after, and a last day
      that is not a working day rolls to the next working day.
    Empty text means no deadline.
    """
    raw = text.strip()
    if not raw:
        return None
    if m := _DATE.match(raw):
        try:
            day = datetime.strptime(raw, "%d/%m/%Y").date()
        except ValueError:
            raise DeadlineError(f"Ngày «{raw}» không tồn tại.") from None
        if message := out_of_range(day, raw):
            raise DeadlineError(message)
        return day
    folded = fold(raw)
    if m := _WORKING.match(folded):
        n = int(m.group(1))
        if n < 1:
            raise DeadlineError("Số ngày làm việc phải lớn hơn 0.")
        return calendar.working_period_end(issued_on, n)
    if m := _DAYS.match(folded):
        n = int(m.group(1))
        if n < 1:
            raise DeadlineError("Số ngày phải lớn hơn 0.")
        return calendar.period_end(issued_on, n)
    raise DeadlineError(
        f"Không đọc được thời hạn «{raw}»: nhập ngày dd/mm/yyyy, «N ngày làm việc» hoặc «N ngày»."
    )


def resolve_report_deadline(
    text: str, issued_on: date, calendar: WorkCalendar
) -> tuple[date | None, int | None]:
    """A report deadline: one date (same forms as the completion deadline) or a day of every month
    ("trước ngày 25 hằng tháng" → day 25 of each month)."""
    raw = text.strip()
    if not raw:
        return None, None
    if m := _MONTHLY.match(fold(raw)):
        day = int(m.group(1))
        if not 1 <= day <= 31:
            raise DeadlineError("Ngày báo cáo hằng tháng phải từ 1 đến 31.")
        return None, day
    return resolve_deadline(raw, issued_on, calendar), None
