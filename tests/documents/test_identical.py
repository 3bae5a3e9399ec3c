"""The renderers draw the same documents as before they were made faster (issue 19, the busy hour).

`golden/*.json` hold, for each document below, the SHA-256 of every XML part of its DOCX and of its PDF with the
creation date and file id blanked, written by the renderers of trial d8d4fb4 (before the DOCX table was written by
cloning rows); `golden/report-long.json` the parts of `report_long` as trial's `render_report_docx` drew it
(through its DOCX round trip). A change of these hashes is a change of the documents: look at what changed
before writing them again (`python tests/documents/test_identical.py --write`, only with a reviewed change of
layout or library).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest

from dondoc.documents.layout import Heading, OfficialDocument, PageBreak, Paragraph, Signature, Table
from dondoc.documents.render import render_docx, render_pdf

GOLDEN = Path(__file__).with_name("golden")
HEADER = ["STT", "Văn bản giao nhiệm vụ", "Nội dung nhiệm vụ", "Thời hạn hoàn thành", "Số ngày", "Tình trạng"]
WIDTHS = [11.0, 31.0, 58.0, 21.0, 17.0, 22.0]
ALIGN = ["center", "left", "left", "center", "center", "left"]
CONTENT = "Hoàn thiện đề án cải tạo, xây dựng lại chung cư cũ trên địa bàn Thành phố theo chỉ đạo"


def _letter(rows: list[list[str]], **kw) -> OfficialDocument:
    fields = dict(
        parent_body="UBND THÀNH PHỐ HÀ NỘI",
        issuing_body="VĂN PHÒNG",
        symbol="VP-TKBT",
        number=12,
        place="Hà Nội",
        day=date(2026, 3, 10),
        subject="đôn đốc thực hiện nhiệm vụ quá hạn của Sở Xây dựng",
        addressees=["Sở Xây dựng"],
        blocks=[
            Paragraph(
                "Văn phòng UBND Thành phố theo dõi, tổng hợp các nhiệm vụ quá hạn như sau:", indent=True
            ),
            Table(header=HEADER, rows=rows, widths_mm=WIDTHS, align=ALIGN),
            Paragraph(
                "Đề nghị Sở Xây dựng khẩn trương thực hiện, báo cáo kết quả về Văn phòng.", indent=True
            ),
        ],
        signature=Signature(
            authority="KT. CHÁNH VĂN PHÒNG", position="PHÓ CHÁNH VĂN PHÒNG", name="Nguyễn Văn A"
        ),
        recipients=["Như trên", "Chủ tịch UBND Thành phố (để báo cáo)"],
        archive="TKBT",
    )
    fields.update(kw)
    return OfficialDocument(**fields)


def _row(i: int) -> list[str]:
    return [
        str(i),
        f"15/CT-UBND ngày {i % 28 + 1:02d}/02/2026",
        f"{CONTENT} ({i})",
        "27/02/2026",
        str(i % 9),
        "Quá hạn",
    ]


def documents() -> dict[str, OfficialDocument]:
    """A long letter (200 rows), a short one (2 rows), and one whose cells and blocks take every odd path."""
    odd_rows = [
        ["1", "", "  lề trái và phải  ", "27/02/2026", "0", ""],
        ["2", "dòng một\ndòng hai", "cột\tcó tab", "", "3", "a & b < c > d"],
        ["3", "x" * 80, " ".join(["từ"] * 120), "05/03/2026", "12", "Đang thực hiện"],
        ["4", "Quyết định  hai dấu cách", "\r\nđầu dòng", "x", "y", "z"],
        *(_row(i) for i in range(5, 60)),
    ]
    return {
        "letter-200": _letter([_row(i) for i in range(1, 201)]),
        "letter-2": _letter([_row(1), _row(2)]),
        "odd": _letter(
            odd_rows,
            parent_body="",
            kind="BÁO CÁO",
            title="Kết quả thực hiện nhiệm vụ tháng 3 năm 2026",
            addressees=["Sở Xây dựng", "Sở Y tế"],
            blocks=[
                Heading("I. KẾT QUẢ", level=1),
                Paragraph("Nội dung căn đều hai bên " * 10, align="justify", indent=True),
                Heading("1. Chi tiết", level=3, align="left"),
                Table(header=HEADER, rows=odd_rows, widths_mm=WIDTHS, align=ALIGN),
                PageBreak(),
                Table(header=["A", "B"], rows=[["một", "hai"], ["", "ba bốn"]], align=["justify", "right"]),
                Paragraph("Kết thúc.", bold=True, italic=True, align="right"),
            ],
            recipients=[],
            archive="",
        ),
    }


def docx_parts(data: bytes) -> dict[str, str]:
    """SHA-256 of each part of the DOCX (the zip's own dates left out)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: hashlib.sha256(z.read(name)).hexdigest() for name in sorted(z.namelist())}


def pdf_normalised(data: bytes) -> str:
    """SHA-256 of the PDF with its creation and modification dates and its file id blanked."""
    data = re.sub(rb"/(CreationDate|ModDate) \(D:[^)]*\)", rb"/\1 ()", data)
    data = re.sub(rb"/ID\s*\[<[0-9a-fA-F]*><[0-9a-fA-F]*>\]", b"/ID []", data)
    data = re.sub(rb"% ReportLab generated PDF document -- digest \([^)]*\)", b"", data)
    return hashlib.sha256(data).hexdigest()


def drawn(doc: OfficialDocument) -> dict[str, object]:
    return {"docx": docx_parts(render_docx(doc)), "pdf": pdf_normalised(render_pdf(doc))}


def report_long() -> OfficialDocument:
    """A report whose table is long enough for `render_report_docx`'s own handling (line breaks as spaces)."""
    rows = [[str(i), f"dòng một\ndòng hai {i}", "", f" lề {i} ", "Quá hạn"] for i in range(1, 61)]
    return _letter(
        rows,
        kind="BÁO CÁO",
        title="Kết quả tháng 3 năm 2026",
        blocks=[
            Paragraph("Mở đầu."),
            Table(header=["STT", "A", "B", "C", "D"], rows=rows),
            Table(header=["A", "B"], rows=[["1", "2\n3"]]),
        ],
    )


def test_the_monthly_reports_docx_is_drawn_as_before_without_its_round_trip():
    from dondoc.evaluation.report import render_report_docx

    expected = json.loads((GOLDEN / "report-long.json").read_text())
    assert docx_parts(render_report_docx(report_long())) == expected["docx"]


@pytest.mark.parametrize("name", sorted(documents()))
def test_documents_are_drawn_as_before(name):
    expected = json.loads((GOLDEN / f"{name}.json").read_text())
    assert drawn(documents()[name]) == expected


def test_a_document_drawn_twice_is_the_same():
    doc = documents()["odd"]
    assert drawn(doc) == drawn(doc)


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    for name, doc in documents().items():
        (GOLDEN / f"{name}.json").write_text(json.dumps(drawn(doc), indent=1, sort_keys=True) + "\n")
