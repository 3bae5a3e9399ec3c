"""Vietnamese text helpers shared by search, the registry and the extractor.

`fold` is the accent-folded, lower-cased form used by every search column, so that "ke hoach" finds "Kế hoạch"
and "dong da" finds "ĐỐNG ĐA" on SQLite and PostgreSQL alike. Unicode decomposition does not strip đ/Đ (it is
a letter of its own, not d plus a mark), hence the explicit mapping.
"""

from __future__ import annotations

import re
import unicodedata

_D = str.maketrans({"đ": "d", "Đ": "d"})
_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str | None) -> str:
    """Lower-case, strip Vietnamese diacritics (đ→d included) and collapse whitespace."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_D))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.lower()).strip()


# A text cell starting with one of these is read as a formula by spreadsheet programs (CSV injection, OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(value: str) -> str:
    """A text as a CSV cell carries it: one a spreadsheet would run as a formula is prefixed with an apostrophe, so
    that it is shown as text (OWASP CSV injection rule)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def from_text_cell(value: str) -> str:
    """The text `text_cell` wrote: a CSV made by the product reads back as it was entered."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value
