"""The Decree 30/2020 layout as drawn: the DOCX opened with python-docx, the PDF read back with pypdf."""

from __future__ import annotations

import io
import unicodedata
from datetime import date

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from pypdf import PdfReader

from dondoc.documents.layout import (
    Heading,
    OfficialDocument,
    PageBreak,
    Paragraph,
    Signature,
    Table,
)
from dondoc.documents.render import render_docx, render_pdf


def _letter(**kw) -> OfficialDocument:
    base = dict(
        parent_body="UBND THÀNH PHỐ HÀ NỘI",
        issuing_body="VĂN PHÒNG",
        symbol="VP-TKBT",
        number=7,
        place="Hà Nội",
        day=date(2026, 1, 5),
        subject="đôn đốc thực hiện nhiệm vụ quá hạn",
        addressees=["Sở Xây dựng"],
        blocks=[
            Heading("I. TÌNH HÌNH THỰC HIỆN"),
            Paragraph(
                "Văn phòng UBND Thành phố đề nghị Sở Xây dựng khẩn trương hoàn thành các nhiệm vụ sau:"
            ),
            Table(
                header=["STT", "Nội dung", "Thời hạn"],
                rows=[
                    ["1", "Hoàn thiện đề án cải tạo chung cư cũ", "27/02/2026"],
                    ["2", "Lập kế hoạch", "12/03/2026"],
                ],
                widths_mm=[15, 105, 40],
                align=["center", "left", "center"],
            ),
            PageBreak(),
            Paragraph("Văn phòng UBND Thành phố thông báo để Sở Xây dựng biết, thực hiện./."),
        ],
        signature=Signature(
            authority="KT. CHÁNH VĂN PHÒNG", position="PHÓ CHÁNH VĂN PHÒNG", name="Nguyễn Văn Ánh"
        ),
        recipients=["Như trên", "Chủ tịch UBND Thành phố (để báo cáo)"],
        archive="TKBT",
    )
    base.update(kw)
    return OfficialDocument(**base)


def _texts(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text]


def _para(cell, text):
    return next(p for p in cell.paragraphs if p.text == text)


def test_docx_page_is_a4_with_decree_30_margins_and_times_new_roman_13():
    document = Document(io.BytesIO(render_docx(_letter())))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [
        round(m.mm, 1)
        for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    ]
    top, bottom, left, right = margins
    assert 20 <= top <= 25 and 20 <= bottom <= 25 and 30 <= left <= 35 and 15 <= right <= 20
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(13)


def test_docx_header_issuer_left_and_national_title_right():
    document = Document(io.BytesIO(render_docx(_letter())))
    left, right = document.tables[0].rows[0].cells
    assert _texts(left) == [
        "UBND THÀNH PHỐ HÀ NỘI",
        "VĂN PHÒNG",
        "Số: 07/VP-TKBT",
        "V/v đôn đốc thực hiện nhiệm vụ quá hạn",
    ]
    assert not _para(left, "UBND THÀNH PHỐ HÀ NỘI").runs[0].bold
    assert _para(left, "VĂN PHÒNG").runs[0].bold
    # The short rule under the issuer: an empty paragraph with a bottom border, narrower than the column.
    rule = left.paragraphs[2]
    assert (
        rule.text == ""
        and rule._p.pPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pBdr") is not None
    )
    assert rule.paragraph_format.left_indent.mm > 10
    assert _texts(right) == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Nội, ngày 05 tháng 01 năm 2026",
    ]
    assert _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").runs[0].bold
    motto = _para(right, "Độc lập - Tự do - Hạnh phúc").runs[0]
    assert motto.bold and motto.underline
    assert _para(right, "Hà Nội, ngày 05 tháng 01 năm 2026").runs[0].italic
    # Borderless: every border of the header table is "nil".
    borders = document.tables[0]._tbl.tblPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblBorders"
    )
    assert borders is not None and {
        b.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val") for b in borders
    } == {"nil"}


def test_docx_body_is_justified_with_first_line_indent_and_table_rows_as_given():
    document = Document(io.BytesIO(render_docx(_letter())))
    body = next(p for p in document.paragraphs if p.text.startswith("Văn phòng UBND Thành phố đề nghị"))
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY and body.paragraph_format.first_line_indent > 0
    assert any(p.text == "Kính gửi: Sở Xây dựng" for p in document.paragraphs)
    heading = next(p for p in document.paragraphs if p.text == "I. TÌNH HÌNH THỰC HIỆN")
    assert heading.runs[0].bold
    table = document.tables[1]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["STT", "Nội dung", "Thời hạn"],
        ["1", "Hoàn thiện đề án cải tạo chung cư cũ", "27/02/2026"],
        ["2", "Lập kế hoạch", "12/03/2026"],
    ]
    assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)
    assert round(table.columns[1].width.mm) == 105
    assert any('w:type="page"' in p._p.xml for p in document.paragraphs)


def test_docx_signature_and_recipients():
    document = Document(io.BytesIO(render_docx(_letter())))
    left, right = document.tables[-1].rows[0].cells
    assert _texts(left) == [
        "Nơi nhận:",
        "- Như trên;",
        "- Chủ tịch UBND Thành phố (để báo cáo);",
        "- Lưu: VT, TKBT.",
    ]
    label = _para(left, "Nơi nhận:").runs[0]
    assert label.bold and label.italic
    assert _texts(right) == ["KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "Nguyễn Văn Ánh"]
    assert all(_para(right, t).runs[0].bold for t in _texts(right))


def test_docx_report_shows_kind_and_title_and_no_subject_line():
    report = _letter(
        kind="BÁO CÁO", title="Kết quả thực hiện nhiệm vụ tháng 3 năm 2026", symbol="BC-SNV", addressees=[]
    )
    document = Document(io.BytesIO(render_docx(report)))
    left = document.tables[0].rows[0].cells[0]
    assert not any(t.startswith("V/v") for t in _texts(left))
    texts = [p.text for p in document.paragraphs]
    assert texts.index("BÁO CÁO") < texts.index("Kết quả thực hiện nhiệm vụ tháng 3 năm 2026")


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return unicodedata.normalize("NFC", "\n".join(page.extract_text() for page in reader.pages))


def test_pdf_carries_the_vietnamese_header_number_and_body():
    data = render_pdf(_letter())
    text = _pdf_text(data)
    for expected in (
        "UBND THÀNH PHỐ HÀ NỘI",
        "VĂN PHÒNG",
        "Số: 07/VP-TKBT",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Nội, ngày 05 tháng 01 năm 2026",
        "Kính gửi: Sở Xây dựng",
        "Hoàn thiện đề án cải tạo chung cư cũ",
        "Nơi nhận:",
        "- Lưu: VT, TKBT.",
        "KT. CHÁNH VĂN PHÒNG",
        "Nguyễn Văn Ánh",
    ):
        assert expected in text, expected


def test_pdf_is_a4_with_the_liberation_serif_family_embedded():
    reader = PdfReader(io.BytesIO(render_pdf(_letter())))
    assert len(reader.pages) == 2  # the page break
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
            assert "/ToUnicode" in font  # so the text can be copied and searched
    assert {
        "LiberationSerif",
        "LiberationSerif-Bold",
        "LiberationSerif-Italic",
        "LiberationSerif-BoldItalic",
    } <= fonts


@pytest.mark.parametrize("render", [render_docx, render_pdf])
def test_markup_characters_in_text_are_printed_as_text(render):
    doc = _letter(blocks=[Paragraph('Giá trị <b> & "trích dẫn" > 5')])
    data = render(doc)
    if render is render_pdf:
        assert 'Giá trị <b> & "trích dẫn" > 5' in _pdf_text(data)
    else:
        assert any(p.text == 'Giá trị <b> & "trích dẫn" > 5' for p in Document(io.BytesIO(data)).paragraphs)


def test_a_table_row_longer_than_a_page_breaks_across_pages():
    long = "Nội dung rất dài của nhiệm vụ, " * 300 + "HẾT NỘI DUNG"
    doc = _letter(blocks=[Table(header=["STT", "Nội dung"], rows=[["1", long]], widths_mm=[15, 145])])
    data = render_pdf(doc)
    assert len(PdfReader(io.BytesIO(data)).pages) >= 2
    assert "HẾT NỘI DUNG" in _pdf_text(data)
    table = Document(io.BytesIO(render_docx(doc))).tables[1]
    assert table.rows[1].cells[1].text.endswith("HẾT NỘI DUNG")


def _text_positions(data: bytes) -> list[tuple[int, str, float, float]]:
    """(page, text, x, y) of every text run drawn, in drawing order."""
    out: list[tuple[int, str, float, float]] = []
    for n, page in enumerate(PdfReader(io.BytesIO(data)).pages):

        def visit(text, cm, tm, _font, _size, n=n):
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                out.append((n, unicodedata.normalize("NFC", text.strip()), round(x, 2), round(y, 2)))

        page.extract_text(visitor_text=visit)
    return out


def test_pdf_table_cells_drawn_as_strings_land_where_a_paragraph_would_draw_them():
    """Body cells are plain strings broken into lines as a Paragraph breaks them (fast); a justified column
    always takes Paragraphs, and a justified Paragraph's lines start where a left-aligned one's do. So the same
    text in a left column (strings) and a justified column (Paragraphs) of equal width must land exactly 80 mm
    apart, line for line, on the same baselines."""
    from reportlab.lib.units import mm

    from dondoc.documents.render import _pdf_table, register_fonts

    register_fonts()
    long = ("Nội dung rất dài của nhiệm vụ cần xuống dòng nhiều lần trong một ô bảng, " * 3).strip()
    rows = [
        ["Sở Xây dựng", "Sở Xây dựng"],
        ["15/CT-UBND ngày 02/02/2026", "15/CT-UBND ngày 02/02/2026"],
        [long, long],
        ["Sở Y tế", "Sở Y tế"],
        ["", ""],
        ["Hai  khoảng trắng", "Hai  khoảng trắng"],
    ]
    table = Table(header=["Trái", "Căn đều"], rows=rows, widths_mm=[80, 80], align=["left", "justify"])
    cells = _pdf_table(table)._cellvalues
    # Left: a string; justified: a Paragraph.
    assert [type(c).__name__ for c in cells[1]] == ["str", "Paragraph"]
    assert isinstance(cells[3][0], str) and cells[3][0].count("\n") >= 2  # wrapped into lines
    assert not isinstance(cells[6][0], str)  # runs of spaces: a Paragraph folds them, so it draws them
    drawn = [p for p in _text_positions(render_pdf(_letter(blocks=[table]))) if p[0] == 0]
    first = next(i for i, p in enumerate(drawn) if p[1] == "Trái")
    body = [p for p in drawn[first:] if p[1] not in ("Trái", "Căn đều") and 30 * mm < p[2] < 190 * mm]
    body = [p for p in body if p[3] > min(q[3] for q in body if q[1].startswith("Hai"))]  # the table only
    left = [p for p in body if p[2] < 100 * mm]
    right = [p for p in body if p[2] >= 100 * mm]
    assert len(left) >= 8 and [p[1] for p in left] == [p[1] for p in right]
    for a, b in zip(left, right, strict=True):
        assert (round(b[2] - a[2], 1), b[3]) == (round(80 * mm, 1), a[3]), (a, b)
    flat = " ".join(p[1] for p in drawn)
    assert "Hai khoảng trắng" in flat


def test_pdf_cell_lines_fall_back_to_a_paragraph_where_a_string_would_not_draw_the_same():
    """A line a Paragraph fits only by shrinking its spaces, a word wider than the column (a Paragraph splits
    it), or more lines than MAX_PLAIN_LINES (a row that may have to break across pages): no plain lines."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from dondoc.documents import render

    render.register_fonts()

    def width(text):
        return stringWidth(text, render.PDF_FONT, 11)

    assert render._lines("Sở Xây dựng", width("Sở Xây dựng")) == ["Sở Xây dựng"]
    assert render._lines("Sở Xây dựng", width("Sở Xây dựng") - 0.01) is None  # shrunk spaces
    assert render._lines("Sở Xây dựng", width("Sở Xây") + 1) == ["Sở Xây", "dựng"]
    assert render._lines("Sởxâydựngthànhphố", width("Sởxây")) is None  # split inside a word
    many = " ".join(["nhiệm"] * (render.MAX_PLAIN_LINES + 1))
    assert render._lines(many, width("nhiệm") + 1) is None
    assert render._lines(" ".join(["nhiệm"] * render.MAX_PLAIN_LINES), width("nhiệm") + 1) is not None
    assert render._lines("", 50) == [""]
    assert render._lines(" lề", 50) is None and render._lines("a\nb", 50) is None
