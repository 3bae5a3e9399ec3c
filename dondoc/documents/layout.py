"""The layout of an official document (*văn bản hành chính*) of Decree 30/2020, Appendix I, as plain data.

Pure: no Django import. A caller (urging letters, the monthly report, the inspection notice) builds one
`OfficialDocument` and hands it to `dondoc.documents.render.render_docx` or `render_pdf`; both draw the same
layout (DOMAIN.md §9):

- A4, margins top/bottom 20 mm, left 30 mm, right 20 mm; Times New Roman 13 pt (Liberation Serif in the PDF).
- Header, two columns without borders. Left: the parent body (caps, regular) over the issuing body (caps, bold)
  with a short rule under it, then "Số: 12/BC-SNV" and, for a letter, the subject "V/v ..." under the number.
  Right: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" (caps, bold) over "Độc lập - Tự do - Hạnh phúc" (bold,
  underlined), then the place and date line in italics ("Hà Nội, ngày 05 tháng 01 năm 2026").
- For a named type (report, notice...): the kind name in caps bold centred ("BÁO CÁO") and the title under it.
- For a letter: "Kính gửi: ..." centred under the header.
- The body blocks: headings, paragraphs (justified, first-line indent), tables, page breaks.
- Bottom: "Nơi nhận:" (bold italic) with the recipients, each "- ...;", the last one "- Lưu: VT, <unit>.", and
  beside it the signature block: authority prefix ("KT. CHỦ TỊCH", "TL. ...") and position in caps bold, a blank
  space for the signature, and the signer's name in bold.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

Align = Literal["left", "center", "right", "justify"]

#: A4 page and Decree 30/2020 margins, in millimetres.
PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
MARGIN_TOP_MM = 20.0
MARGIN_BOTTOM_MM = 20.0
MARGIN_LEFT_MM = 30.0
MARGIN_RIGHT_MM = 20.0
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 160 mm
BODY_PT = 13
TABLE_PT = 11
FIRST_LINE_INDENT_MM = 10.0
#: The narrowest column that holds a date "30/12/2026" on one line in TABLE_PT with the cells' 3 pt padding (the
#: date is 17.6 mm wide in Times New Roman / Liberation Serif 11 pt): a narrower one breaks it as "30/12/20 / 26".
DATE_COLUMN_MM = 21.0

REPUBLIC = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Heading:
    """A heading in the body: level 1 is bold caps-as-given ("I. KẾT QUẢ..."), level 2 bold, level 3 bold italic."""

    text: str
    level: int = 1
    align: Align = "left"


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph: justified with a first-line indent unless told otherwise."""

    text: str
    bold: bool = False
    italic: bool = False
    align: Align = "justify"
    indent: bool = True


@dataclass(frozen=True)
class Table:
    """A table with a bold header row. `widths_mm` (one per column, summing to at most 160 mm) or equal widths.

    `align` gives each column's alignment ("center" suits numbers and dates); the default is left for every column.
    The header row repeats on every page.
    """

    header: list[str]
    rows: list[list[str]]
    widths_mm: list[float] | None = None
    align: list[Align] | None = None


@dataclass(frozen=True)
class PageBreak:
    """Start a new page."""


Block = Heading | Paragraph | Table | PageBreak


@dataclass(frozen=True)
class Signature:
    """The signature block (*thể thức ký*): authority prefix, position, name.

    `authority` is the prefix line when the signer signs on someone's behalf ("KT. CHỦ TỊCH", "TL. GIÁM ĐỐC",
    "TM. ỦY BAN NHÂN DÂN"); empty when the head signs in their own name. `position` is the signer's title
    ("PHÓ CHỦ TỊCH", "CHÁNH VĂN PHÒNG"). Both are printed in caps bold; `name` in bold under a blank space.
    """

    position: str
    name: str
    authority: str = ""


@dataclass
class OfficialDocument:
    """Everything needed to draw one official document; the renderers add nothing but layout.

    - `parent_body`: the governing body above the issuer ("UBND THÀNH PHỐ HÀ NỘI"); "" for a top-level issuer.
    - `issuing_body`: the issuer ("VĂN PHÒNG", "SỞ NỘI VỤ").
    - `symbol`: the symbol without the number ("BC-SNV", "VP-TKBT"); `number`: None before numbering (the
      number is then left blank, "Số:      /BC-SNV", as on a draft).
    - `place` and `day`: the place and date line (`date_line`); `day` None prints "ngày ... tháng ... năm ...".
    - `kind`: the document kind in caps for named types ("BÁO CÁO", "THÔNG BÁO"); "" for an official letter
      (*công văn*), which instead carries `subject` under the number ("V/v đôn đốc ..."; give it without "V/v").
    - `title`: for a named type, the line(s) under the kind ("Kết quả ... tháng 3 năm 2026"); `subject` is kept
      for the register either way.
    - `addressees`: for a letter, the "Kính gửi:" list (one → on the same line; several → one per line, "- ...;").
    - `blocks`: the body.
    - `signature`: the signature block.
    - `recipients`: "Nơi nhận:" lines without the leading dash or trailing punctuation; `archive` the unit code
      after "Lưu: VT, " (e.g. "TKBT"), always printed last.
    """

    parent_body: str
    issuing_body: str
    symbol: str
    place: str
    day: date | None
    subject: str
    signature: Signature
    number: int | None = None
    kind: str = ""
    title: str = ""
    addressees: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    archive: str = ""

    @property
    def is_letter(self) -> bool:
        """An official letter (*công văn*) has no kind name and shows "V/v ..." under its number."""
        return not self.kind

    @property
    def notation(self) -> str | None:
        """Number and symbol, numbers below 10 with a leading zero (Decree 30/2020): "05/BC-SNV"; None if unnumbered."""
        if self.number is None:
            return None
        return f"{self.number:02d}/{self.symbol}"

    @property
    def number_line(self) -> str:
        """ "Số: 12/BC-SNV", or "Số:      /BC-SNV" before numbering."""
        if self.number is None:
            return f"Số:      /{self.symbol}"
        return f"Số: {self.notation}"

    @property
    def date_line(self) -> str:
        """The place and date line, see `date_line`."""
        return date_line(self.place, self.day)

    def recipient_lines(self) -> list[str]:
        """The "Nơi nhận:" list as printed: "- X;" for each recipient, the last "- Lưu: VT, <archive>."."""
        lines = [f"- {r.rstrip(';.').strip()};" for r in self.recipients]
        lines.append(f"- Lưu: VT, {self.archive}." if self.archive else "- Lưu: VT.")
        return lines


def date_line(place: str, day: date | None) -> str:
    """The place and date line of Decree 30/2020, Appendix I: "Hà Nội, ngày 05 tháng 01 năm 2026".

    A day below 10 and the months January and February take a leading zero (so that nobody can add a digit
    later); months 3–12 are written without one: "ngày 25 tháng 3 năm 2026", "ngày 05 tháng 12 năm 2026".
    Without a date (a draft) the blanks are left: "Hà Nội, ngày    tháng    năm 20..".
    """
    if day is None:
        return f"{place}, ngày      tháng      năm 20.."
    dd = f"{day.day:02d}" if day.day < 10 else str(day.day)
    mm = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {dd} tháng {mm} năm {day.year}"


# --------------------------------------------------------------------------------------------- JSON round trip

_BLOCKS: dict[str, type] = {
    "Heading": Heading,
    "Paragraph": Paragraph,
    "Table": Table,
    "PageBreak": PageBreak,
}


def document_to_json(doc: OfficialDocument) -> dict[str, Any]:
    """The document as JSON: a drafted report kept for review, an issued document's content frozen at issue
    (`documents.register`). `document_from_json` gives back an equal document, so both render the same bytes."""
    data = dataclasses.asdict(doc)
    data["day"] = doc.day.isoformat() if doc.day else None
    data["blocks"] = [{"type": type(b).__name__, **dataclasses.asdict(b)} for b in doc.blocks]
    return data


def document_from_json(data: dict[str, Any]) -> OfficialDocument:
    data = dict(data)
    data["day"] = date.fromisoformat(data["day"]) if data.get("day") else None
    data["signature"] = Signature(**data["signature"])
    blocks = []
    for raw in data["blocks"]:
        raw = dict(raw)
        blocks.append(_BLOCKS[raw.pop("type")](**raw))
    data["blocks"] = blocks
    return OfficialDocument(**data)
