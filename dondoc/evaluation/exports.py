"""Exports of a filtered task list (*xuất danh sách nhiệm vụ*) to XLSX and CSV.

The export answers exactly the question the task list page answers: the same form (`TaskFilterForm`), the same
visibility (`Task.objects.visible_to`), the same filters (`filter_tasks`) and bucket, the same order (deadline, id).
So the number of rows of an export is the count the page shows.

- XLSX: streamed by `dondoc.evaluation.xlsx` (constant memory however long the list), Vietnamese headers, dates as real
  dates shown dd/mm/yyyy, the header row frozen, column widths set. A sheet holds at most 1,048,576 rows; a longer
  list is refused with a message pointing to the CSV export.
- CSV: UTF-8 with a byte-order mark (Excel then reads the Vietnamese letters), comma-separated by default
  (RFC 4180); `?phan_cach=cham_phay` gives semicolons for computers whose regional format is Vietnamese (where
  Excel expects `;`). Dates are written dd/mm/yyyy. Streamed, so a 10^6-row list never sits in memory.
"""

from __future__ import annotations

import csv
import heapq
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import IO, Any

from dondoc.core.text import text_cell
from dondoc.directives.models import Authority
from dondoc.evaluation import xlsx
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Coordination, State, TaskQuerySet
from dondoc.tracking.queries import list_order
from dondoc.workdays.arith import WorkCalendar

XLSX_MAX_ROWS = 1_048_576 - 1  # one sheet, minus the header row
CHUNK = 2000
DATE_FORMAT = xlsx.DATE_FORMAT
CSV_DELIMITERS = {"": ",", "phay": ",", "cham_phay": ";"}


@dataclass(frozen=True)
class Column:
    header: str
    width: int
    kind: str = "text"  # text | date | int


COLUMNS: tuple[Column, ...] = (
    Column("STT", 7, "int"),
    Column("Số, ký hiệu văn bản", 18),
    Column("Ngày văn bản", 13, "date"),
    Column("Cấp giao", 22),
    Column("Nội dung nhiệm vụ", 70),
    Column("Đơn vị chủ trì", 32),
    Column("Đơn vị phối hợp", 40),
    Column("Thời hạn", 12, "date"),
    Column("Trạng thái", 16),
    Column("Tình trạng", 24),
    Column("Ngày hoàn thành", 15, "date"),
    Column("Số ngày làm việc quá hạn", 12, "int"),
    Column("Thủ trưởng chịu trách nhiệm", 26),
    Column("Cán bộ thực hiện", 26),
)
HEADERS = [c.header for c in COLUMNS]

STATE_LABELS = {k: str(v) for k, v in State.choices}
AUTHORITY_LABELS = {k: str(v) for k, v in Authority.choices}


class WorkingDayCounter:
    """Working days between two dates in O(1) after a one-off scan of the range (a prefix count per day).

    `WorkCalendar.working_days_between` walks day by day; over 10^5 overdue rows a year late each that is 10^7
    steps. Here every day of the range is classified once and `between(a, b) = rank(b) - rank(a)`.
    """

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self.rule = tl.current_rule()
        self.start: date | None = None
        self.ranks: list[int] = []  # ranks[i] = working days in (start, start + i]

    def _extend(self, lo: date, hi: date) -> None:
        if self.start is None or lo < self.start or hi > self.start + timedelta(days=len(self.ranks) - 1):
            start = min(lo, self.start or lo) - timedelta(days=1)
            end = max(hi, self.start + timedelta(days=len(self.ranks) - 1) if self.start else hi)
            ranks, count, day = [0], 0, start
            while day < end:
                day += timedelta(days=1)
                count += self.calendar.is_working_day(day)
                ranks.append(count)
            self.start, self.ranks = start, ranks

    def between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when end is before start (as `working_days_between`)."""
        self._extend(min(start, end), max(start, end))
        assert self.start is not None
        return self.ranks[(end - self.start).days] - self.ranks[(start - self.start).days]


def working_days_late(
    state: str, due: date | None, completed_on: date | None, ref: date, counter: WorkingDayCounter
) -> int | None:
    """How many working days a task is (or was) past its effective deadline; None when it is not late.

    An open task past its deadline is late by the working days from the deadline to the reference date; a task
    completed late by the working days from the deadline to its completion date (the date of its result
    document). A task with no deadline is never late. (The same count as `stats`' average days late.)
    """
    effective = tl.effective_deadline(due, counter.rule)
    if effective is None:
        return None
    if tl.has_result(state, completed_on):
        assert completed_on is not None
        return max(counter.between(effective, completed_on), 0) if completed_on > effective else None
    if state in tl.OPEN_STATES and ref > effective:
        return max(counter.between(effective, ref), 0)
    return None


# The columns read from the database: plain values, no model instances (an export may have 10^6 rows).
FIELDS = (
    "id",
    "directive__notation",
    "directive__issued_on",
    "directive__authority",
    "content",
    "lead_unit__name",
    "due_date",
    "state",
    "completed_on",
    "accountable_head__full_name",
    "officer__full_name",
    "bucket",
)


def rows(
    parts: list[TaskQuerySet],
    ref: date,
    soon: date,
    calendar: WorkCalendar,
    counter: RowCounter | None = None,
) -> Iterator[list[Any]]:
    """One list of cell values per task of the disjoint `parts` of a list (`TaskQuerySet.visible_parts`, each
    filtered), in `COLUMNS` order and the list's order (`tracking.queries.list_order`); dates stay `date` objects
    (None when absent). Each part is read in the list's order off its own index (one condition "leads or
    coordinates" over 10^6 tasks made the database test every overdue task of the city: 240 ms for a unit's 266,
    issue 19) and the parts merged in that order (`list_key`); plain values in chunks of CHUNK tasks, and each
    chunk's coordinating units in one more query. `counter` counts the rows as they are written."""
    day_counter = WorkingDayCounter(calendar)
    streams = [
        list_order(part.with_bucket(ref, soon)).values_list(*FIELDS).iterator(chunk_size=CHUNK)
        for part in parts
    ]
    merged = streams[0] if len(streams) == 1 else heapq.merge(*streams, key=list_key)
    n = 0
    for chunk in _chunks(merged, CHUNK):
        coordinators: dict[int, list[str]] = {}
        for task_id, name in Coordination.objects.filter(task_id__in=[r[0] for r in chunk]).values_list(
            "task_id", "unit__name"
        ):
            coordinators.setdefault(task_id, []).append(name)
        for pk, notation, issued, authority, content, lead, due, state, done, head, officer, bucket in chunk:
            n += 1
            if counter is not None:
                counter.n = n
            yield [
                n,
                notation,
                issued,
                AUTHORITY_LABELS.get(authority, authority),
                content,
                lead,
                ", ".join(sorted(coordinators.get(pk, ()))),
                due,
                STATE_LABELS.get(state, state),
                tl.BUCKET_LABELS[bucket],
                done,
                working_days_late(state, due, done, ref, day_counter),
                head or "",
                officer or "",
            ]


def list_key(row: tuple[Any, ...]) -> tuple[bool, bool, date, int]:
    """The place of a row of `FIELDS` in the list's order (`list_order` without a bucket): open tasks first, then
    by deadline (none last), then id — the database's order of each part, so that the parts merge into it."""
    pk, due, state = row[0], row[6], row[7]
    return (state not in tl.OPEN_STATES, due is None, due or date.min, pk)


@dataclass
class RowCounter:
    """How many rows a writer has taken so far (the export's audit record counts the rows written)."""

    n: int = 0


def _chunks(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass
class Sheet:
    """One table of a workbook: its sheet name, headers, rows and, per column, the kind and width."""

    title: str
    header: list[str]
    rows: Iterable[list[Any]]
    kinds: list[str] = field(default_factory=list)
    widths: list[int] = field(default_factory=list)
    count: int = 0  # data rows written, filled in by write_workbook


def write_workbook(out: IO[bytes], sheets: Iterable[Sheet]) -> None:
    """Write tables as an XLSX workbook, streamed (constant memory whatever the number of rows).

    Every sheet: a bold header row, frozen; dates as real dates formatted dd/mm/yyyy; rates with one decimal; the
    given column widths (`dondoc.evaluation.xlsx`, a few µs a row where openpyxl's write-only mode took ~40 µs a
    cell). Each sheet's `count` is set to its data rows.
    """
    written: list[Sheet] = []

    def tables() -> Iterator[tuple[str, list[str], Iterable[list[Any]], list[str], list[int]]]:
        for sheet in sheets:
            written.append(sheet)
            yield sheet.title, sheet.header, sheet.rows, sheet.kinds, sheet.widths

    for sheet, count in zip(written, xlsx.write_tables(out, tables()), strict=True):
        sheet.count = count


def tasks_xlsx(rows: Iterable[list[Any]]) -> Iterator[bytes]:
    """The task list as an XLSX file, chunk by chunk as it is written (`xlsx.stream_tables`): the first bytes
    leave before the last row is read."""
    return xlsx.stream_tables(
        [
            (
                "Danh sách nhiệm vụ",
                HEADERS,
                rows,
                [c.kind for c in COLUMNS],
                [c.width for c in COLUMNS],
            )
        ]
    )


# --------------------------------------------------------------------------------------------------- CSV


def csv_value(value: Any) -> Any:
    """A cell as the CSV carries it: dates dd/mm/yyyy, None empty, and a text that a spreadsheet would run as a
    formula (`=`, `+`, `-`, `@`, tab, carriage return first: task content comes from imports and edXML packages,
    i.e. from outside) prefixed with an apostrophe so that it is shown as text (OWASP CSV injection rule)."""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str):
        return text_cell(value)
    return "" if value is None else value


def csv_lines(header: list[str], data: Iterable[list[Any]], delimiter: str = ",") -> Iterator[str]:
    """The CSV text, chunk by chunk: a byte-order mark, the header, then the rows (dates dd/mm/yyyy)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    yield "\ufeff" + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for n, values in enumerate(data, start=1):
        writer.writerow([csv_value(v) for v in values])
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()
