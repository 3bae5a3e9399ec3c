"""The streaming XLSX writer (`dondoc.evaluation.xlsx`) read back with openpyxl: every kind of value, the header's
style, the frozen header row, column widths, sheet names, and text XML cannot carry."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from dondoc.evaluation import xlsx
from dondoc.evaluation.exports import Sheet, write_workbook


def _book(sheets):
    out = io.BytesIO()
    write_workbook(out, sheets)
    return out.getvalue(), load_workbook(io.BytesIO(out.getvalue()))


def test_values_come_back_as_the_same_values_with_their_formats():
    sheet = Sheet(
        "Bảng",
        ["STT", "Nội dung", "Thời hạn", "Tỷ lệ (%)", "Ghi chú"],
        [
            [1, 'Nhiệm vụ <a> & "b" > c', date(2026, 3, 2), 85.7, None],
            [2, "  lề hai bên  ", date(1900, 1, 15), None, True],
            [3, gettext_lazy("Quá hạn"), datetime(2026, 3, 2, 8, 30), Decimal("12.5"), "Dòng\nhai"],
        ],
        kinds=["int", "text", "date", "rate", "text"],
        widths=[7, 70, 12, 13, 20],
    )
    _raw, wb = _book([sheet])
    assert sheet.count == 3
    ws = wb["Bảng"]
    rows = list(ws.iter_rows())
    assert [c.value for c in rows[0]] == ["STT", "Nội dung", "Thời hạn", "Tỷ lệ (%)", "Ghi chú"]
    assert all(c.font.bold and c.fill.fgColor.rgb == "00DDEBF7" for c in rows[0])
    assert rows[0][0].alignment.wrap_text and rows[0][0].alignment.horizontal == "center"
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["B"].width == 70 and ws.column_dimensions["C"].width == 12
    first, second, third = ([c.value for c in r] for r in rows[1:])
    assert first == [1, 'Nhiệm vụ <a> & "b" > c', datetime(2026, 3, 2), 85.7, None]
    assert second[1] == "  lề hai bên  "  # spaces kept (xml:space="preserve")
    assert second[2] == datetime(1900, 1, 15)  # before Excel's phantom 29/02/1900
    assert second[4] is True
    assert third[1] == "Quá hạn" and third[2] == datetime(2026, 3, 2, 8, 30) and third[3] == 12.5
    assert third[4] == "Dòng\nhai"
    assert rows[1][2].number_format == "DD/MM/YYYY" and rows[3][2].number_format == "DD/MM/YYYY"
    assert rows[1][3].number_format == "0.0"
    assert rows[1][0].number_format == "General"  # an int column is a plain number, not a date


def test_a_date_in_a_text_column_is_still_a_date():
    _raw, wb = _book([Sheet("A", ["Ngày"], [[date(2026, 3, 14)]], kinds=["text"], widths=[12])])
    cell = wb["A"]["A2"]
    assert cell.value == datetime(2026, 3, 14) and cell.number_format == "DD/MM/YYYY"


def test_control_characters_are_dropped_not_a_broken_file():
    _raw, wb = _book([Sheet("A", ["Nội dung"], [["Trước\x00\x07\x1bsau\tthẻ"]], kinds=["text"], widths=[20])])
    assert wb["A"]["A2"].value == "Trướcsau\tthẻ"


def test_sheet_names_are_valid_and_unique_and_every_sheet_is_written():
    long = "Nhiệm vụ quá hạn chưa hoàn thành trong kỳ"
    sheets = [
        Sheet(long, ["A"], [[1]]),
        Sheet(long, ["A"], [[2], [3]]),
        Sheet("Kỳ 03/2026: [đánh giá]?", ["A"], []),
    ]
    raw, wb = _book(sheets)
    assert [len(n) <= 31 for n in wb.sheetnames] == [True] * 3
    assert wb.sheetnames[0] == long[:31] and wb.sheetnames[1] != wb.sheetnames[0]
    assert wb.sheetnames[2] == "Kỳ 03-2026- -đánh giá--"
    assert [s.count for s in sheets] == [1, 2, 0]
    assert [wb[n].max_row for n in wb.sheetnames] == [2, 3, 1]
    assert wb.active.title == wb.sheetnames[0]
    names = zipfile.ZipFile(io.BytesIO(raw)).namelist()
    assert {"[Content_Types].xml", "xl/workbook.xml", "xl/styles.xml"} <= set(names)


def test_rows_are_consumed_lazily_in_one_pass():
    """A generator of rows is read once, row by row (the 10^6-row export never sits in memory)."""
    seen = []

    def rows():
        for i in range(1, 2 * xlsx.BATCH + 3):
            seen.append(i)
            yield [i, f"Nhiệm vụ {i}"]

    sheet = Sheet("A", ["STT", "Nội dung"], rows(), kinds=["int", "text"], widths=[7, 30])
    _raw, wb = _book([sheet])
    assert sheet.count == len(seen) == 2 * xlsx.BATCH + 2
    values = list(wb["A"].iter_rows(min_row=2, values_only=True))
    assert values[0] == (1, "Nhiệm vụ 1") and values[-1] == (len(seen), f"Nhiệm vụ {len(seen)}")
