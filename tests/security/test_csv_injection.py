"""CSV formula injection (issue 16 finding 3): task content comes from imports and edXML packages, i.e. from
outside; a cell a spreadsheet would run as a formula is written as text (OWASP: prefix an apostrophe)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dondoc.evaluation.exports import csv_value
from tests.helpers import PASSWORD

FORMULAS = [
    "=1+1*cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_cell_starting_like_a_formula_is_written_as_text(text):
    assert csv_value(text) == "'" + text


def test_ordinary_cells_and_numbers_are_left_alone():
    assert csv_value("Rà soát = đánh giá") == "Rà soát = đánh giá"
    assert csv_value(-3) == -3 and csv_value(None) == "" and csv_value(date(2026, 3, 2)) == "02/03/2026"


def test_task_list_csv_export_neutralises_formulas(client, make_task, personas, frozen):
    stored = FORMULAS[:4]  # a task's content is stripped when saved: the tab and CR cases are the cells' own
    for text in stored:
        make_task(content=text)
    assert client.login(username=personas["tracker"].user.username, password=PASSWORD)
    response = client.get(reverse("evaluation:export_tasks_csv"))
    raw = b"".join(response.streaming_content).decode("utf-8-sig")
    cells = [row[4] for row in csv.reader(io.StringIO(raw))][1:]
    assert sorted(cells) == sorted("'" + t for t in stored)
    # The XLSX export writes every text as an inline string: never a formula.
    xlsx = client.get(reverse("evaluation:export_tasks_xlsx"))
    ws = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
