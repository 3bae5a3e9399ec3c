"""Reading a directive: pasted text, a TXT, DOCX or PDF (text layer) file, and its metadata.

Pure module. DOCX needs python-docx and PDF pypdf, each imported only when such a file is read. Metadata
(GUIDE §3, Decree 30/2020 Appendix VI) is read from the formal header when there is one ("Số: 3031/UBND-TKBT", "Hà Nội, ngày 10 tháng 7
năm 2020", the issuing body in capitals, the document type, "V/v ..."), otherwise from the way portals and news
sites quote a document ("Công văn số 846/UBND-TH", "Ngày 21/5, UBND tỉnh ban hành ...", a posting date).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path

from dondoc.core.text import nfc
from dondoc.drafting.deadlines import DAY_MONTH_YEAR, fold_keep


class UnreadableFile(Exception):
    """The file cannot be read as a directive (missing, damaged, a scan without text, not UTF-8 text)."""


def read_text(path: str | Path) -> str:
    """The text of a TXT, DOCX or PDF file (paragraphs and table cells, one per line), NFC-normalised."""
    p = Path(path)
    if not p.is_file():
        raise UnreadableFile(f"Không tìm thấy tệp {p}.")
    return read_bytes(p.read_bytes(), p.name)


def read_bytes(data: bytes, name: str) -> str:
    """The text of a file's content: DOCX (a zip package), PDF with a text layer, else UTF-8/UTF-16 text."""
    if data[:2] == b"PK" or name.lower().endswith(".docx"):
        return nfc(_read_docx(data, name))
    if data[:5] == b"%PDF-":
        return read_pdf(data, name)
    return decode_text(data, name)


def decode_text(data: bytes, name: str) -> str:
    """Plain text in UTF-8 (with or without BOM) or UTF-16; a file with NUL characters is not text."""
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
        except UnicodeError:
            continue
        if "\x00" not in text:
            return nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
    raise UnreadableFile(f"Tệp {name} không phải văn bản UTF-8 hoặc DOCX đọc được.")


def _read_docx(data: bytes, name: str) -> str:
    try:
        import docx  # python-docx
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise UnreadableFile("Chưa cài python-docx nên không đọc được tệp DOCX.") from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a damaged package
        raise UnreadableFile(f"Tệp {name} không phải tệp DOCX hợp lệ.") from exc
    lines: list[str] = []
    for table in document.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells if c.text.strip()]
            if cells:
                lines.append(" | ".join(dict.fromkeys(cells)))
    lines.extend(par.text for par in document.paragraphs)
    return "\n".join(lines)


# A page of a text PDF gives hundreds of characters; a scan gives none (or a few stray ones from a stamp).
MIN_PDF_CHARS_PER_PAGE = 40


_ITEM_START = re.compile(r"^(?:[-+•–]\s|\(?[0-9]{1,2}[.)]\s|\(?[a-zđ][)]\s|[IVX]{1,4}\.\s|Điều\s+\d)")


def reflow_lines(lines: list[str]) -> str:
    """Rebuild paragraphs from the lines of a PDF's text layer, where every printed line ends in a newline.

    A line ends its paragraph when it is short (the last line of a justified paragraph) and either ends a
    sentence or is followed by a line that starts like a new one (a capital, a number, a bullet); a full line ends
    it only when the next line is a list item ("1.", "a)", "-", "Điều 2"). Other lines are soft wraps: joined
    with a space, so that "... kết quả thực hiện / trước ngày 25 hằng tháng." stays one clause.
    """
    rows = [" ".join(line.split()) for line in lines]
    lengths = sorted(len(r) for r in rows if r)
    if not lengths:
        return ""
    full = lengths[max(0, int(len(lengths) * 0.9) - 1)]
    paragraphs: list[str] = []
    current: list[str] = []
    for i, row in enumerate(rows):
        if not row:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        current.append(row)
        nxt = next((r for r in rows[i + 1 :] if r), "")
        starts_new = bool(nxt) and (nxt[0].isupper() or nxt[0].isdigit() or bool(_ITEM_START.match(nxt)))
        short = len(row) < 0.8 * full
        if (
            not nxt
            or _ITEM_START.match(nxt)
            or row.isupper()
            or short
            and (row.endswith((".", ":", ";", "!", "?", ")", "”", '"')) or starts_new)
        ):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)


def read_pdf(data: bytes, name: str) -> str:
    """The text layer of a PDF (pypdf), pages joined by blank lines, NFC-normalised.

    A scanned PDF has no text layer: it is refused (no OCR here) rather than read as an empty draft.
    """
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise UnreadableFile("Chưa cài pypdf nên không đọc được tệp PDF.") from exc
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UnreadableFile(f"Tệp {name} được đặt mật khẩu: hãy gửi bản không mật khẩu.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableFile:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UnreadableFile(f"Tệp {name} không phải tệp PDF hợp lệ.") from exc
    text = reflow_lines(nfc("\n".join(p.strip("\n") for p in pages)).split("\n"))
    if len(text.strip()) < MIN_PDF_CHARS_PER_PAGE * max(1, len(pages)) // 2:
        raise UnreadableFile(
            f"Tệp {name} là PDF không có lớp chữ (bản quét): hãy tải tệp DOCX, TXT hoặc dán nội dung văn bản."
        )
    return text


DOC_TYPES = {
    "CT": "chỉ thị",
    "QĐ": "quyết định",
    "KH": "kế hoạch",
    "TB": "thông báo",
    "NQ": "nghị quyết",
    "BC": "báo cáo",
    "HD": "hướng dẫn",
    "CTr": "chương trình",
    "TTr": "tờ trình",
    "GM": "giấy mời",
}
_TYPE_WORDS = ("chỉ thị", "quyết định", "kế hoạch", "thông báo", "nghị quyết", "công văn", "hướng dẫn")


@dataclass
class Metadata:
    number: str | None = None
    date: Date | None = None
    date_source: str | None = None  # header | cited | posted
    issuer: str | None = None
    doc_type: str | None = None
    subject: str | None = None
    place: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def reliable_date(self) -> Date | None:
        """The issue date when it was read from the document itself rather than from a news posting date."""
        return self.date if self.date_source in ("header", "cited") else None

    def as_json(self) -> dict[str, object]:
        return {
            "number": self.number,
            "issue_date": self.date.isoformat() if self.date else None,
            "issue_date_source": self.date_source,
            "issuer": self.issuer,
            "doc_type": self.doc_type,
            "subject": self.subject,
            "place": self.place,
        }


def _d(y: int, m: int, d: int) -> Date | None:
    try:
        return Date(y, m, d)
    except ValueError:
        return None


_HEADER_DATE = re.compile(
    r"([^\W\d_][^\n,|]{1,40}),\s*ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})", re.IGNORECASE
)
_NUMBER = re.compile(r"\bso\s*:\s*(\d+[^\s|,;)]*/[^\s|,;)]+)")
_CITED = re.compile(
    r"(?:cong van|van ban|thong bao|chi thi|quyet dinh|ke hoach)\s*so\s*:?\s*(\d+\s*/\s*[\w\-.&]+)"
    r"(?:[^.\n]{0,40}?ngay\s*(\d{1,2})\s*(?:/|thang)\s*(\d{1,2})\s*(?:/|nam)\s*(\d{4}))?"
)
_LEAD_DATE = re.compile(r"\bngay\s*" + DAY_MONTH_YEAR + r"\s*,")
_ANY_DATE = re.compile(r"(?<![\d/])(\d{1,2})\s*[/\-]\s*(\d{1,2})\s*[/\-]\s*(\d{4})(?!\d)")
_ISSUERS = re.compile(
    r"(van phong chinh phu|thu tuong chinh phu|uy ban nhan dan[^\n|]{0,40}|ubnd [^\n|,]{0,30}|"
    r"van phong ubnd [^\n|,]{0,30}|bo [^\n|,]{3,40})"
)


def read_metadata(text: str) -> Metadata:
    """Number/symbol, date, issuing body, type and subject, from the header or from a quoting news item."""
    meta = Metadata()
    folded = fold_keep(text)
    head = folded[:1500]
    m = _HEADER_DATE.search(head)
    if m and not re.search(r"(cong van|so)\s*[^,]{0,20}$", m.group(1)):
        meta.date = _d(int(m.group(4)), int(m.group(3)), int(m.group(2)))
        meta.date_source = "header" if meta.date else None
        meta.place = text[m.start(1) : m.end(1)].strip(" |-\n").split("\n")[-1].split("|")[-1].strip()
    m = _NUMBER.search(head)
    if m:
        meta.number = text[m.start(1) : m.end(1)].replace(" ", "")
    own = re.search(
        r"\((?:theo\s+)?(?:cong van\s+so\s*:?\s*)?(\d+\s*/\s*[\w\-.&]+)\s*,\s*ngay\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})\)",
        folded,
    )
    if own and meta.date is None:
        meta.date = _d(int(own.group(4)), int(own.group(3)), int(own.group(2)))
        meta.date_source = "cited" if meta.date else None
        meta.number = meta.number or text[own.start(1) : own.end(1)].replace(" ", "")
    cited = None
    for c in _CITED.finditer(folded[:2500]):
        if re.match(r"[^.\n]{0,40}?\d{4}\s*(?:cua|ve viec)", folded[c.end() - 4 : c.end() + 40]) and c.group(
            2
        ):
            continue
        before = folded[max(0, c.start() - 60) : c.start()]
        if (
            re.search(r"(thuc hien|xet|nhan duoc|cua bo|theo|can cu|tai)\s*$", before)
            or "nhan duoc" in before
        ):
            continue
        cited = c
        break
    if cited:
        if meta.number is None:
            meta.number = text[cited.start(1) : cited.end(1)].replace(" ", "")
        if meta.date is None and cited.group(2):
            meta.date = _d(int(cited.group(4)), int(cited.group(3)), int(cited.group(2)))
            meta.date_source = "cited" if meta.date else None
    if meta.date is None:
        # "Ngày 21/ 5, UBND tỉnh ban hành ...": day and month of issue; the year from the posting date.
        years = [int(y) for y in re.findall(r"(?<!\d)(20\d\d|19\d\d)(?!\d)", text)]
        m = _LEAD_DATE.search(folded[:600])
        if m and re.search(r"ban hanh|co cong van|co van ban|ky", folded[m.end() : m.end() + 120]):
            year = int(m.group(3)) if m.group(3) else (max(years) if years else None)
            span = re.search(r"(?<!\d)((?:20|19)\d\d)\s*[-–]\s*((?:20|19)\d\d)(?!\d)", text)
            if (
                not m.group(3)
                and span
                and int(span.group(2)) == int(span.group(1)) + 1
                and set(years)
                <= {
                    int(span.group(1)),
                    int(span.group(2)),
                }
            ):
                # Only a school or crop year is named ("năm học 2010-2011"): it starts in the autumn.
                year = int(span.group(1)) if int(m.group(2)) >= 8 else int(span.group(2))
            if year:
                meta.date = _d(year, int(m.group(2)), int(m.group(1)))
                meta.date_source = "cited" if meta.date else None
    if meta.date is None:
        m = _ANY_DATE.search(folded[:400])
        if m:
            meta.date = _d(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            meta.date_source = "posted" if meta.date else None
    if meta.number:
        symbol = meta.number.split("/", 1)[-1]
        kind = symbol.split("-", 1)[0]
        meta.doc_type = DOC_TYPES.get(kind, "công văn" if "-" in symbol else None)
    if meta.doc_type is None:
        for word in _TYPE_WORDS:
            if word.upper() in text[:1500] or word.capitalize() + " số" in text[:1500]:
                meta.doc_type = word
                break
    m = re.search(
        r"(?:V/v|Về việc)\s*:?\s*([^\n]+(?:\n(?![A-ZĐ]{2}|Kính|Hà Nội|\s*\n)[^\n]+){0,3})", text[:2000]
    )
    if m:
        meta.subject = " ".join(m.group(1).split())
    m = _ISSUERS.search(folded[:300])
    if m:
        issuer = " ".join(text[m.start() : m.end()].split()).strip(" |-")
        issuer = re.split(r"\s+(?:CỘNG HÒA|Số|-{2,})", issuer)[0]
        meta.issuer = issuer.strip()
    return meta
