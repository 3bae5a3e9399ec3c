"""Number and symbol (*số, ký hiệu*) of a document: parsing, validation and the canonical spelling.

Pure: no Django import. The forms (Decree 30/2020 on clerical work, Appendix I; Law on Promulgation of Legal
Documents for normative documents; Guidance 36-HD/VPTW for Party documents):

=========================================  ============================  ============================================
Form                                       Example                       Parts
=========================================  ============================  ============================================
named type                                 ``15/QĐ-UBND``                number / type - issuer [- drafting unit]
official letter (*công văn*)               ``3031/UBND-TKBT``            number / issuer [- drafting unit]
normative document (carries the year)      ``19/2022/QĐ-UBND``           number / year / type - issuer [- unit]
law, ordinance of the National Assembly    ``59/2020/QH14``              number / year / issuer (QH.., UBTVQH..)
Party document                             ``2740-TB/TU``                number - type / issuer [- drafting unit]
=========================================  ============================  ============================================

An official letter has no type abbreviation, so ``<a>-<b>`` after the slash is read as a named type when ``a`` is a
type abbreviation and as issuer-drafting unit otherwise. An issuer whose abbreviation happens to be a type code (the
tax department's ``1234/CT-TTHT``) therefore reads as a named type: the symbol alone cannot tell them apart.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

CONG_VAN = "Công văn"

#: Type abbreviations of administrative documents (Decree 30/2020, Appendix III) and of normative documents.
TYPE_NAMES: dict[str, str] = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "TC": "Thông cáo",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "DA": "Dự án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "HĐ": "Hợp đồng",
    "CĐ": "Công điện",
    "BGN": "Bản ghi nhớ",
    "BTT": "Bản thỏa thuận",
    "GUQ": "Giấy ủy quyền",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "GNP": "Giấy nghỉ phép",
    "PG": "Phiếu gửi",
    "PC": "Phiếu chuyển",
    "PB": "Phiếu báo",
    # Normative documents (Law on Promulgation of Legal Documents).
    "L": "Luật",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
}

#: Type abbreviations of Party documents (Guidance 36-HD/VPTW, 2018). Note TT is *Thông tri* here, QĐi a *Quy định*,
#: and a Party official letter does carry a type, CV.
PARTY_TYPE_NAMES: dict[str, str] = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "QĐi": "Quy định",
    "CT": "Chỉ thị",
    "KL": "Kết luận",
    "QC": "Quy chế",
    "HD": "Hướng dẫn",
    "TT": "Thông tri",
    "TB": "Thông báo",
    "BC": "Báo cáo",
    "KH": "Kế hoạch",
    "CTr": "Chương trình",
    "TTr": "Tờ trình",
    "ĐA": "Đề án",
    "PA": "Phương án",
    "BB": "Biên bản",
    "GM": "Giấy mời",
    "CV": "Công văn",
}

#: Joint documents name several issuers, so every part after the type is an issuer and there is no drafting unit.
JOINT_TYPES = frozenset({"TTLT"})

YEAR_MIN, YEAR_MAX = 1945, 2100

# The National Assembly and its Standing Committee write laws and ordinances without a type: 59/2020/QH14.
_NATIONAL_ASSEMBLY = re.compile(r"(?:UBTV)?QH\d*")
_DIGITS = re.compile(r"[0-9]+")
_CODE = re.compile(r"[^\W_]+")  # letters and digits of any script, nothing else
_SPACED_SEPARATOR = re.compile(r"\s*([/-])\s*")
# Hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar, minus sign, small and fullwidth
# hyphen-minus: word processors and PDF text layers turn the "-" of a symbol into any of these.
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d]")
_SPACES = re.compile(r"\s+")


def normalise_dashes(raw: str) -> str:
    """Unicode NFC with every kind of dash written as the ASCII hyphen-minus of the symbol rules."""
    return _DASHES.sub("-", unicodedata.normalize("NFC", raw))


def symbol_key(symbol: str) -> str:
    """The form under which two spellings of one symbol are the same document: case folded, dashes made "-",
    spaces dropped (``UBND-TKBT``, ``ubnd-tkbt``, ``UBND–TKBT``, ``UBND - TKBT`` → ``ubnd-tkbt``).

    The register refuses a second directive with the same number, symbol key, issuer and year (DOMAIN.md §4)."""
    return _SPACES.sub("", normalise_dashes(symbol)).casefold()


class NotationError(ValueError):
    """A number/symbol that does not follow the rules; its message is a Vietnamese sentence for the user."""

    def __init__(self, raw: str, problem: str) -> None:
        self.raw = raw
        self.problem = problem
        if raw:
            super().__init__(f"Số, ký hiệu «{raw}» không đúng dạng: {problem}.")
        else:
            super().__init__(f"Số, ký hiệu văn bản {problem}.")


@dataclass(frozen=True)
class Notation:
    """A parsed number and symbol. `doc_type` is None for an official letter (*công văn*) of the State."""

    number: int
    year: int | None
    doc_type: str | None
    issuer: str
    drafting_unit: str | None
    party: bool

    @property
    def symbol(self) -> str:
        """The symbol (*ký hiệu*): everything after the number, e.g. ``QĐ-UBND``, ``2022/QĐ-UBND``, ``TB/TU``."""
        tail = "-".join(part for part in (self.issuer, self.drafting_unit) if part)
        if self.party:
            return f"{self.doc_type}/{tail}"
        if self.doc_type:
            tail = f"{self.doc_type}-{tail}"
        return f"{self.year}/{tail}" if self.year is not None else tail

    @property
    def text(self) -> str:
        """The canonical spelling. Numbers below 10 take a leading zero (Decree 30/2020, Appendix I): ``01/QĐ-UBND``."""
        separator = "-" if self.party else "/"
        return f"{self.number:02d}{separator}{self.symbol}"

    @property
    def type_name(self) -> str:
        """The Vietnamese name of the document type: *Quyết định*, *Công văn*, *Thông tri*..."""
        if self.doc_type is None:
            return "Luật, pháp lệnh" if self.year is not None else CONG_VAN
        names = PARTY_TYPE_NAMES if self.party else TYPE_NAMES
        return names[self.doc_type]

    def __str__(self) -> str:
        return self.text


def parse_notation(raw: str) -> Notation:
    """Parse a number/symbol into its parts, or raise NotationError naming what is wrong.

    1. Normalise: Unicode NFC, every dash (en dash, em dash, minus...) as "-", strip, drop spaces around "/" and
       "-". Nothing else is forgiven: type
       abbreviations match exactly (QĐ is not Qđ nor QD, CTr is not CT), and a near miss is refused with a hint.
    2. A "-" before the first "/" makes a Party document (``2740-TB/TU``).
    3. Otherwise a 4-digit part after the number is the year of a normative document (``19/2022/QĐ-UBND``).
    4. The rest is ``type-issuer[-drafting unit]`` when it starts with a type, else ``issuer[-drafting unit]``.
    """
    text = _SPACED_SEPARATOR.sub(r"\1", normalise_dashes(raw).strip())
    if not text:
        raise NotationError(text, "chưa được nhập")
    if "/" not in text:
        raise NotationError(text, "thiếu dấu «/» giữa số và ký hiệu (ví dụ 15/QĐ-UBND)")
    head, _, rest = text.partition("/")
    if "-" in head:
        return _parse_party(text, head, rest)

    number = _number(text, head)
    parts = rest.split("/")
    if len(parts) > 2:
        raise NotationError(text, "có quá nhiều dấu «/»")
    year = None
    if len(parts) == 2:
        year = _year(text, parts[0])
        rest = parts[1]
    codes = _codes(text, rest)

    doc_type: str | None = None
    if codes[0] in TYPE_NAMES:
        doc_type = codes.pop(0)
        if not codes:
            raise NotationError(text, f"thiếu cơ quan ban hành sau loại văn bản «{doc_type}»")
    else:
        _refuse_near_miss(text, codes[0], TYPE_NAMES, "Nghị định 30/2020")
        if year is not None and len(codes) == 1 and not _NATIONAL_ASSEMBLY.fullmatch(codes[0]):
            raise NotationError(
                text,
                f"thiếu loại văn bản trước cơ quan ban hành «{codes[0]}»"
                " (văn bản quy phạm pháp luật ghi năm, loại văn bản rồi cơ quan ban hành, ví dụ 19/2022/QĐ-UBND)",
            )
        if year is not None and len(codes) > 1:
            raise NotationError(
                text,
                f"loại văn bản «{codes[0]}» không có trong danh mục Nghị định 30/2020"
                " (văn bản quy phạm pháp luật ghi loại văn bản trước cơ quan ban hành, ví dụ 19/2022/QĐ-UBND)",
            )
    issuer, drafting_unit = _issuer_and_unit(codes, doc_type)
    return Notation(number, year, doc_type, issuer, drafting_unit, party=False)


def _parse_party(text: str, head: str, rest: str) -> Notation:
    number_part, _, doc_type = head.partition("-")
    number = _number(text, number_part, separator="-")
    if not doc_type:
        raise NotationError(text, "thiếu loại văn bản giữa dấu «-» và dấu «/» (ví dụ 2740-TB/TU)")
    if "-" in doc_type:
        raise NotationError(text, "có quá nhiều dấu «-» trước dấu «/»")
    if doc_type not in PARTY_TYPE_NAMES:
        _refuse_near_miss(text, doc_type, PARTY_TYPE_NAMES, "văn bản của Đảng (Hướng dẫn 36-HD/VPTW)")
        raise NotationError(
            text, f"loại văn bản «{doc_type}» không có trong danh mục văn bản của Đảng (Hướng dẫn 36-HD/VPTW)"
        )
    if "/" in rest:
        raise NotationError(text, "có quá nhiều dấu «/»")
    issuer, drafting_unit = _issuer_and_unit(_codes(text, rest), doc_type)
    return Notation(number, None, doc_type, issuer, drafting_unit, party=True)


def _number(text: str, part: str, separator: str = "/") -> int:
    if not part:
        raise NotationError(text, f"thiếu số văn bản trước dấu «{separator}»")
    if not _DIGITS.fullmatch(part) or int(part) == 0:
        raise NotationError(text, f"số văn bản «{part}» phải là số nguyên dương")
    return int(part)


def _year(text: str, part: str) -> int:
    if not _DIGITS.fullmatch(part):
        raise NotationError(text, f"«{part}» giữa hai dấu «/» phải là năm ban hành gồm 4 chữ số")
    if len(part) != 4:
        raise NotationError(text, f"năm «{part}» phải gồm 4 chữ số")
    year = int(part)
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise NotationError(text, f"năm «{part}» không hợp lệ (phải từ {YEAR_MIN} đến {YEAR_MAX})")
    return year


def _codes(text: str, rest: str) -> list[str]:
    """The "-"-separated abbreviations after the slash, each letters and digits only."""
    if not rest:
        raise NotationError(text, "thiếu ký hiệu sau dấu «/»")
    codes = rest.split("-")
    for code in codes:
        if not code:
            raise NotationError(text, "ký hiệu có phần trống cạnh dấu «-»")
        if not _CODE.fullmatch(code):
            raise NotationError(text, f"«{code}» chỉ được gồm chữ và số")
        if code.isdigit():
            raise NotationError(text, f"«{code}» phải là chữ viết tắt, không phải số")
    return codes


def _issuer_and_unit(codes: list[str], doc_type: str | None) -> tuple[str, str | None]:
    if doc_type in JOINT_TYPES:
        return "-".join(codes), None
    return codes[0], "-".join(codes[1:]) or None


def _fold(code: str) -> str:
    return code.replace("Đ", "D").replace("đ", "d").casefold()


def _refuse_near_miss(text: str, code: str, names: dict[str, str], catalogue: str) -> None:
    """Refuse a code that is a known type but for case or Đ/D (QD, Qđ, KH typed kh): a slip, not an issuer."""
    matches = [abbr for abbr in names if _fold(abbr) == _fold(code)]
    if matches:
        hint = " hoặc ".join(f"«{abbr}»" for abbr in matches)
        raise NotationError(
            text, f"loại văn bản «{code}» không có trong danh mục {catalogue} (có phải {hint}?)"
        )
