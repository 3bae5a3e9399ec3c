"""Drawing an `OfficialDocument` as DOCX (python-docx) and as PDF (reportlab), in the layout of Decree 30/2020.

Both renderers take the same document and draw the same parts in the same order; `layout.py` holds the
measurements. Pure apart from reading the vendored fonts: no Django import.

The PDF uses Liberation Serif (vendored in `fonts/`, SIL Open Font License), which has the same metrics as Times
New Roman, so lines break where they would in Word, and which carries every Vietnamese letter with its tone mark:
reportlab's built-in Times cannot draw "ệ" or "ố".
"""

from __future__ import annotations

import copy
import functools
import io
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    KeepTogether,
    SimpleDocTemplate,
    Spacer,
)
from reportlab.platypus import PageBreak as PdfPageBreak
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import Table as PdfTable

from dondoc.documents import layout as L
from dondoc.documents.layout import Heading, OfficialDocument, PageBreak, Paragraph, Table

FONT_DIR = Path(__file__).with_name("fonts")
FONT_NAME = "Times New Roman"  # the DOCX names the font; Word and LibreOffice (via Liberation Serif) find it
PDF_FONT = "LiberationSerif"

#: Header columns: the issuer on the left, the national title on the right (text width 160 mm).
HEADER_WIDTHS_MM = (68.0, 92.0)
#: Footer columns: "Nơi nhận" on the left, the signature on the right.
FOOTER_WIDTHS_MM = (80.0, 80.0)
HEADER_PT = (
    12  # parent/issuing body and the national title: 12–13 pt in Decree 30 (Appendix I); 12 fits one line
)
CELL_PADDING_PT = 3  # left/right padding of data table cells, DOCX and PDF alike
RECIPIENTS_PT = 11
SHORT_RULE_MM = 30.0


# --------------------------------------------------------------------------------------------------------- DOCX


def render_docx(doc: OfficialDocument) -> bytes:
    """The document as a .docx file (A4, Decree 30 margins, Times New Roman 13 pt)."""
    document = new_docx()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(L.PAGE_WIDTH_MM), Mm(L.PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(L.MARGIN_TOP_MM), Mm(L.MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(L.MARGIN_LEFT_MM), Mm(L.MARGIN_RIGHT_MM)

    normal = document.styles["Normal"]
    normal.font.name = FONT_NAME
    normal.font.size = Pt(L.BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT_NAME)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    _docx_header(document, doc)
    if not doc.is_letter:
        _para(document, doc.kind, bold=True, align="center", size=14, space_before=12)
        if doc.title:
            _para(document, doc.title, bold=True, align="center", size=14)
    if doc.addressees:
        _docx_addressees(document, doc.addressees)
    _para(document, "", space_before=6)
    for block in doc.blocks:
        if isinstance(block, Heading):
            _para(
                document,
                block.text,
                bold=True,
                italic=block.level >= 3,
                align=block.align,
                space_before=6,
                space_after=3,
                keep_with_next=True,
            )
        elif isinstance(block, Paragraph):
            _para(
                document,
                block.text,
                bold=block.bold,
                italic=block.italic,
                align=block.align,
                indent=block.indent,
                space_after=6,
            )
        elif isinstance(block, Table):
            _docx_table(document, block)
            _para(document, "", space_after=0)
        elif isinstance(block, PageBreak):
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _docx_footer(document, doc)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


_DOCX_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def _format(
    p: DocxParagraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: str = "left",
    size: float | None = None,
    indent: bool = False,
    space_before: float = 0,
    space_after: float = 0,
    keep_with_next: bool = False,
) -> DocxParagraph:
    # Only what differs from the Normal style is written: each property costs an XML insertion, and a
    # 1,000-row table has 6,000 cells.
    if align != "left":
        p.alignment = _DOCX_ALIGN[align]
    fmt = p.paragraph_format
    if space_before or space_after:
        fmt.space_before, fmt.space_after = Pt(space_before), Pt(space_after)
    if indent:
        fmt.first_line_indent = Mm(L.FIRST_LINE_INDENT_MM)
    if keep_with_next:
        fmt.keep_with_next = True
    if text:
        run = p.add_run(text)
        if bold:
            run.bold = True
        if italic:
            run.italic = True
        if underline:
            run.underline = True
        if size is not None:
            run.font.size = Pt(size)
    return p


def _para(document: object, text: str, **kw: object) -> DocxParagraph:
    return _format(document.add_paragraph(), text, **kw)  # type: ignore[attr-defined, arg-type]


def _cell_para(cell: _Cell, text: str, first: bool = False, **kw: object) -> DocxParagraph:
    p = cell.paragraphs[0] if first else cell.add_paragraph()
    return _format(p, text, **kw)  # type: ignore[arg-type]


def _no_borders(table: object) -> None:
    tbl_pr = table._tbl.tblPr  # type: ignore[attr-defined]
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    # Schema order matters to Word: tblBorders comes before shd, tblLayout, tblCellMar and tblLook.
    tbl_pr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption")


def _fixed_widths(table: object, widths_mm: tuple[float, ...] | list[float], padding_pt: float) -> None:
    """Fixed column widths and left/right cell padding, the same as the PDF's (Word's default 1.9 mm padding
    would wrap "20/02/2026" in a 21 mm column)."""
    table.autofit = False  # type: ignore[attr-defined]  # writes <w:tblLayout w:type="fixed"/>
    table.alignment = WD_TABLE_ALIGNMENT.CENTER  # type: ignore[attr-defined]
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(round(padding_pt * 20)))  # twentieths of a point
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")  # type: ignore[attr-defined]
    for i, width in enumerate(widths_mm):
        table.columns[i].width = Mm(width)  # type: ignore[attr-defined]
    # Word reads each cell's own width; walk the XML rows (column.cells rebuilds the grid per column).
    for tr in table._tbl.tr_lst:  # type: ignore[attr-defined]
        for tc, width in zip(tr.tc_lst, widths_mm, strict=True):
            tc.width = Mm(width)


def _short_rule(p: DocxParagraph, cell_width_mm: float) -> None:
    """A short centred rule (*đường kẻ ngang*) under the issuer: a bottom border on an indented empty paragraph."""
    p_pr = p._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    p_pr.append(border)  # first child: python-docx inserts ind/spacing after it in schema order
    side = (cell_width_mm - SHORT_RULE_MM) / 2
    p.paragraph_format.left_indent = Mm(side)
    p.paragraph_format.right_indent = Mm(side)
    p.paragraph_format.space_before = Pt(0)
    p.paragraph_format.space_after = Pt(0)
    # An empty paragraph is as tall as its paragraph mark; a 2 pt mark keeps the rule tight under the name.
    mark_size = OxmlElement("w:sz")
    mark_size.set(qn("w:val"), "4")
    mark = OxmlElement("w:rPr")
    mark.append(mark_size)
    p_pr.append(mark)  # rPr is the last child of pPr in the schema


def _docx_header(document: object, doc: OfficialDocument) -> None:
    table = document.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    _no_borders(table)
    _fixed_widths(table, HEADER_WIDTHS_MM, padding_pt=0)
    left, right = table.rows[0].cells
    first = True
    if doc.parent_body:
        _cell_para(left, doc.parent_body, first=True, align="center", size=HEADER_PT)
        first = False
    _cell_para(left, doc.issuing_body, first=first, bold=True, align="center", size=HEADER_PT)
    _short_rule(left.add_paragraph(), HEADER_WIDTHS_MM[0])
    _cell_para(left, doc.number_line, align="center", space_before=6)
    if doc.is_letter:
        _cell_para(left, f"V/v {doc.subject}", align="center", size=12, space_before=3)

    _cell_para(right, L.REPUBLIC, first=True, bold=True, align="center", size=HEADER_PT)
    _cell_para(right, L.MOTTO, bold=True, underline=True, align="center", size=L.BODY_PT)
    _cell_para(right, doc.date_line, italic=True, align="center", space_before=12)


def _docx_addressees(document: object, addressees: list[str]) -> None:
    if len(addressees) == 1:
        _para(document, f"Kính gửi: {addressees[0]}", align="center", space_before=12)
        return
    _para(document, "Kính gửi:", align="center", space_before=12)
    for name in addressees:
        p = _para(document, f"- {name};", align="left")
        p.paragraph_format.left_indent = Mm(50)


def _docx_table(document: object, block: Table) -> None:
    ncols = len(block.header)
    widths = block.widths_mm or [L.TEXT_WIDTH_MM / ncols] * ncols
    aligns = block.align or ["left"] * ncols
    # The header and one row through python-docx; the body rows are copies of that row with their texts set.
    table = document.add_table(rows=1 + min(1, len(block.rows)), cols=ncols)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    _fixed_widths(table, widths, padding_pt=CELL_PADDING_PT)
    header_row = table.rows[0]
    tr_pr = header_row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for i, text in enumerate(block.header):
        _cell_para(header_row.cells[i], text, first=True, bold=True, align="center", size=L.TABLE_PT)
    if block.rows:
        _docx_body(table, block.rows, aligns)


_PRESERVE = qn("xml:space")


def _docx_body(table: object, rows: list[list[str]], aligns: Sequence[str]) -> None:
    """The body rows of a table, each the same XML python-docx writes for it (`_cell_para` in every cell).

    python-docx costs tens of µs for each element or property it writes: a 200-row letter's DOCX took 97 ms of CPU
    through it, 20 ms this way (issue 19). Every body row has the same elements apart from its texts: the row python-docx made empty
    (widths only) is kept as `blank`, and filled once with a one-letter text in every cell as `filled`. A row is
    then a copy of `filled` with its texts set — a cell's run removed where the text is empty (python-docx adds
    none), `xml:space="preserve"` where the text starts or ends with blanks (as python-docx's `add_t`) — or, when
    a text has a tab or a line break (python-docx writes `w:tab`/`w:br` elements), a copy of `blank` filled by
    python-docx itself."""
    tbl = table._tbl  # type: ignore[attr-defined]
    first = tbl.tr_lst[1]
    blank = copy.deepcopy(first)
    for i, tc in enumerate(first.tc_lst):
        _cell_para(_Cell(tc, table), "x", first=True, align=aligns[i], size=L.TABLE_PT)  # type: ignore[arg-type]
    filled = first
    t_tag = qn("w:t")
    for row in rows:
        texts = [str(text) for text in row]
        if any(c in text for text in texts for c in "\t\r\n"):
            tr = copy.deepcopy(blank)
            for i, (tc, text) in enumerate(zip(tr.tc_lst, texts, strict=True)):
                _cell_para(_Cell(tc, table), text, first=True, align=aligns[i], size=L.TABLE_PT)  # type: ignore[arg-type]
        else:
            tr = copy.deepcopy(filled)
            for tc, text in zip(tr.tc_lst, texts, strict=True):
                t = next(tc.iter(t_tag))
                if not text:
                    run = t.getparent()
                    run.getparent().remove(run)
                    continue
                t.text = text
                if len(text.strip()) < len(text):
                    t.set(_PRESERVE, "preserve")
        filled.addprevious(tr)
    tbl.remove(filled)


def _docx_footer(document: object, doc: OfficialDocument) -> None:
    _para(document, "", space_before=6)
    table = document.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    _no_borders(table)
    _fixed_widths(table, FOOTER_WIDTHS_MM, padding_pt=0)
    left, right = table.rows[0].cells
    _cell_para(left, "Nơi nhận:", first=True, bold=True, italic=True, size=12)
    for line in doc.recipient_lines():
        _cell_para(left, line, size=RECIPIENTS_PT)
    first = True
    if doc.signature.authority:
        _cell_para(right, doc.signature.authority, first=True, bold=True, align="center")
        first = False
    _cell_para(right, doc.signature.position, first=first, bold=True, align="center")
    for _ in range(4):
        _cell_para(right, "")
    _cell_para(right, doc.signature.name, bold=True, align="center")


# ---------------------------------------------------------------------------------------------------------- PDF

_fonts_registered = False


def register_fonts() -> str:
    """Register the vendored Liberation Serif family with reportlab (once) and return its name."""
    global _fonts_registered
    if not _fonts_registered:
        faces = {
            PDF_FONT: "Regular",
            f"{PDF_FONT}-Bold": "Bold",
            f"{PDF_FONT}-Italic": "Italic",
            f"{PDF_FONT}-BoldItalic": "BoldItalic",
        }
        for name, face in faces.items():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / f"LiberationSerif-{face}.ttf")))
        pdfmetrics.registerFontFamily(
            PDF_FONT,
            normal=PDF_FONT,
            bold=f"{PDF_FONT}-Bold",
            italic=f"{PDF_FONT}-Italic",
            boldItalic=f"{PDF_FONT}-BoldItalic",
        )
        _fonts_registered = True
    return PDF_FONT


_PDF_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}


def _style(
    size: float = L.BODY_PT,
    *,
    bold: bool = False,
    italic: bool = False,
    align: str = "left",
    indent: bool = False,
    before: float = 0,
    after: float = 0,
) -> ParagraphStyle:
    face = PDF_FONT + {(False, False): "", (True, False): "-Bold", (False, True): "-Italic"}.get(
        (bold, italic), "-BoldItalic"
    )
    return ParagraphStyle(
        name=f"s{size}{bold}{italic}{align}{indent}",
        fontName=face,
        fontSize=size,
        leading=size * 1.2,
        alignment=_PDF_ALIGN[align],
        firstLineIndent=L.FIRST_LINE_INDENT_MM * mm if indent else 0,
        spaceBefore=before,
        spaceAfter=after,
    )


def _p(text: str, style: ParagraphStyle, underline: bool = False) -> PdfParagraph:
    markup = escape(text) or "&nbsp;"
    if underline:
        markup = f"<u>{markup}</u>"
    return PdfParagraph(markup, style)


_BORDERLESS = [
    # A table sets its own font even around Paragraph cells; without this it would pull in Helvetica.
    ("FONTNAME", (0, 0), (-1, -1), PDF_FONT),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ("TOPPADDING", (0, 0), (-1, -1), 0),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
]


def render_pdf(doc: OfficialDocument) -> bytes:
    """The document as a PDF (A4, Decree 30 margins, Liberation Serif 13 pt with the fonts embedded)."""
    register_fonts()
    out = io.BytesIO()
    template = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=L.MARGIN_LEFT_MM * mm,
        rightMargin=L.MARGIN_RIGHT_MM * mm,
        topMargin=L.MARGIN_TOP_MM * mm,
        bottomMargin=L.MARGIN_BOTTOM_MM * mm,
        title=doc.notation or doc.subject,
        subject=doc.subject,
        author=doc.issuing_body,
        # The canvas's opening font would otherwise be Helvetica, added to every page without Vietnamese glyphs.
        initialFontName=PDF_FONT,
        initialFontSize=L.BODY_PT,
    )
    story: list[Flowable] = [_pdf_header(doc)]
    if not doc.is_letter:
        story.append(_p(doc.kind, _style(14, bold=True, align="center", before=12)))
        if doc.title:
            story.append(_p(doc.title, _style(14, bold=True, align="center")))
    if doc.addressees:
        if len(doc.addressees) == 1:
            story.append(_p(f"Kính gửi: {doc.addressees[0]}", _style(align="center", before=12)))
        else:
            story.append(_p("Kính gửi:", _style(align="center", before=12)))
            item = ParagraphStyle("addr", parent=_style(), leftIndent=50 * mm)
            story.extend(_p(f"- {name};", item) for name in doc.addressees)
    story.append(Spacer(1, 6))
    for block in doc.blocks:
        if isinstance(block, Heading):
            style = _style(bold=True, italic=block.level >= 3, align=block.align, before=6, after=3)
            style.keepWithNext = True
            story.append(_p(block.text, style))
        elif isinstance(block, Paragraph):
            story.append(
                _p(
                    block.text,
                    _style(
                        bold=block.bold, italic=block.italic, align=block.align, indent=block.indent, after=6
                    ),
                )
            )
        elif isinstance(block, Table):
            story.append(_pdf_table(block))
            story.append(Spacer(1, 6))
        elif isinstance(block, PageBreak):
            story.append(PdfPageBreak())
    story.append(Spacer(1, 6))
    story.append(KeepTogether([_pdf_footer(doc)]))
    template.build(story)
    return out.getvalue()


def _pdf_header(doc: OfficialDocument) -> PdfTable:
    left: list[Flowable] = []
    if doc.parent_body:
        left.append(_p(doc.parent_body, _style(HEADER_PT, align="center")))
    left.append(_p(doc.issuing_body, _style(HEADER_PT, bold=True, align="center")))
    left.append(
        HRFlowable(width=SHORT_RULE_MM * mm, thickness=0.6, color=colors.black, spaceBefore=1, spaceAfter=0)
    )
    left.append(_p(doc.number_line, _style(align="center", before=6)))
    if doc.is_letter:
        left.append(_p(f"V/v {doc.subject}", _style(12, align="center", before=3)))
    right: list[Flowable] = [
        _p(L.REPUBLIC, _style(HEADER_PT, bold=True, align="center")),
        _p(L.MOTTO, _style(L.BODY_PT, bold=True, align="center"), underline=True),
        _p(doc.date_line, _style(italic=True, align="center", before=12)),
    ]
    table = PdfTable([[left, right]], colWidths=[w * mm for w in HEADER_WIDTHS_MM])
    # ALIGN centres the short rule in its column (paragraphs centre themselves); a 2 mm gap between columns.
    table.setStyle(
        [*_BORDERLESS, ("ALIGN", (0, 0), (-1, -1), "CENTER"), ("RIGHTPADDING", (0, 0), (0, 0), 2 * mm)]
    )
    return table


def _pdf_table(block: Table) -> PdfTable:
    ncols = len(block.header)
    widths = block.widths_mm or [L.TEXT_WIDTH_MM / ncols] * ncols
    aligns = block.align or ["left"] * ncols
    head = _style(L.TABLE_PT, bold=True, align="center")
    cells: list[list[PdfParagraph | str]] = [[_p(text, head) for text in block.header]]
    styles = [_style(L.TABLE_PT, align=a) for a in aligns]
    # Body cells are plain strings, broken into lines here as a Paragraph breaks them (`_lines`), and drawn with
    # the table's font, size, leading and the column's alignment: the same lines at the same places, in the same
    # row height. Paragraphs cost most of a long report's PDF (parsed as markup, then measured word by word two
    # or three times); they are kept where a string would not do: a justified column, runs of spaces or line
    # breaks (a Paragraph folds them), a word wider than the column, and text so long that its row may have to
    # break across pages (splitInRow splits Paragraphs).
    room = [w * mm - 2 * CELL_PADDING_PT for w in widths]
    plain = [a in _PLAIN_ALIGN for a in aligns]
    for row in block.rows:
        out: list[PdfParagraph | str] = []
        for i, value in enumerate(row):
            text = str(value)
            plain_text = _plain_cell(text, room[i]) if plain[i] else None
            out.append(plain_text if plain_text is not None else _p(text, styles[i]))
        cells.append(out)
    # splitInRow: a row taller than a page (a very long task content) breaks across pages instead of failing.
    table = PdfTable(cells, colWidths=[w * mm for w in widths], repeatRows=1, splitInRow=1)
    table.setStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), PDF_FONT),
            ("FONTSIZE", (0, 0), (-1, -1), L.TABLE_PT),
            ("LEADING", (0, 0), (-1, -1), L.TABLE_PT * 1.2),  # a Paragraph's leading (`_style`)
            *(("ALIGN", (i, 1), (i, -1), _PLAIN_ALIGN[a]) for i, a in enumerate(aligns) if a in _PLAIN_ALIGN),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING_PT),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING_PT),
        ]
    )
    return table


_PLAIN_ALIGN = {"left": "LEFT", "center": "CENTER", "right": "RIGHT"}  # a justified column keeps Paragraphs
MAX_PLAIN_LINES = 12  # a cell of more lines stays a Paragraph, so that a row taller than a page can split


@functools.lru_cache(maxsize=4096)
def _plain_cell(text: str, width: float) -> str | None:
    """A body cell's text as the plain string `_pdf_table` draws (its `_lines` joined), or None for a Paragraph.
    Remembered per process: a letter's dates, states and notations repeat, and so do the worker's letters."""
    lines = _lines(text, width)
    return "\n".join(lines) if lines is not None else None


@functools.lru_cache(maxsize=8192)
def _word_width(word: str) -> float:
    return pdfmetrics.stringWidth(word, PDF_FONT, L.TABLE_PT)


def _lines(text: str, width: float) -> list[str] | None:
    """`text` broken into lines of at most `width` points as a table Paragraph breaks it (greedy, at spaces), or
    None when a plain string would not draw it as a Paragraph does (see `_pdf_table`)."""
    words = text.split()
    if " ".join(words) != text:
        return None
    if not words:
        return [""]
    size = L.TABLE_PT
    space = pdfmetrics.stringWidth(" ", PDF_FONT, size)
    shrink = rl_config.spaceShrinkage * space  # a Paragraph lets each space of a line shrink this much to fit
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    for word in words:
        w = _word_width(word)
        if w > width:
            return None  # a Paragraph splits an over-long word; keep it one
        if line and used + space + w > width + shrink * len(line):
            if used > width or len(lines) + 1 >= MAX_PLAIN_LINES:
                return None  # drawn with shrunk spaces by a Paragraph; or a tall row
            lines.append(" ".join(line))
            line, used = [word], w
        else:
            used = used + space + w if line else w
            line.append(word)
    if used > width:
        return None
    lines.append(" ".join(line))
    return lines


def _pdf_footer(doc: OfficialDocument) -> PdfTable:
    left: list[Flowable] = [_p("Nơi nhận:", _style(12, bold=True, italic=True))]
    left += [_p(line, _style(RECIPIENTS_PT)) for line in doc.recipient_lines()]
    right: list[Flowable] = []
    if doc.signature.authority:
        right.append(_p(doc.signature.authority, _style(bold=True, align="center")))
    right.append(_p(doc.signature.position, _style(bold=True, align="center")))
    right.append(Spacer(1, 22 * mm))
    right.append(_p(doc.signature.name, _style(bold=True, align="center")))
    table = PdfTable([[left, right]], colWidths=[w * mm for w in FOOTER_WIDTHS_MM])
    table.setStyle(_BORDERLESS)
    return table
