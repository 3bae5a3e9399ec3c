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


def test_api_task_list_csv_neutralises_formulas(make_task, personas, frozen):
    """`GET /api/v1/tasks?format=csv` is a spreadsheet's file too (UTF-8 with a byte-order mark): its text cells —
    content, clause, the directive's notation, the unit's name — are written as the page's export writes them;
    its dates stay ISO (the API's)."""
    from dondoc.api.models import ApiToken
    from tests.api.helpers import ApiClient

    stored = FORMULAS[:4]
    for n, text in enumerate(stored):
        make_task(content=text, clause=f"=A{n}")
    _, raw = ApiToken.issue(personas["tracker"].user, "thử")
    response = ApiClient(raw).get("/tasks", format="csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert sorted(r["noi_dung"] for r in rows) == sorted("'" + t for t in stored)
    assert all(r["muc"].startswith("'=") for r in rows)
    assert all(r["han"] == "" or r["han"][4] == "-" for r in rows)
