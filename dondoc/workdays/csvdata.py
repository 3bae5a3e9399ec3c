"""Reading the civil-service calendar CSV (*lịch nghỉ lễ, làm bù*) into calendar entries, without Django.

The file has the columns date,kind,name,notice: one row per day that differs from an ordinary week (holiday,
compensatory day, swapped day off, make-up working day), each with the notice that set it.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from dondoc.workdays.arith import OFF_KINDS, WORKED_KINDS, CalendarEntry

CSV_PATH = Path(__file__).with_name("vn_civil_service_calendar.csv")
KINDS = OFF_KINDS | WORKED_KINDS


def load_csv_entries(path: Path = CSV_PATH) -> list[CalendarEntry]:
    """The calendar entries of a calendar CSV, in file order.

    A bad date or an unknown kind raises ValueError naming the line, so that a typo in the yearly edit is caught
    when the file is read rather than silently turning a holiday into a working day.
    """
    entries = []
    with path.open(encoding="utf-8", newline="") as fh:
        for line_no, row in enumerate(csv.DictReader(fh), start=2):
            try:
                day = date.fromisoformat(row["date"].strip())
            except ValueError as exc:
                raise ValueError(f"{path.name}, line {line_no}: bad date {row['date']!r}") from exc
            kind = row["kind"].strip()
            if kind not in KINDS:
                raise ValueError(f"{path.name}, line {line_no}: unknown kind {kind!r}")
            entries.append(CalendarEntry(day, kind))
    return entries
