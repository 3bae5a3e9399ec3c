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
