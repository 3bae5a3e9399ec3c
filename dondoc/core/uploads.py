"""Checking uploaded files by their content, not only their name.

Accepted: PDF, DOCX, XLSX, PNG and JPEG, up to UPLOAD_MAX_MB. A file whose bytes do not match its extension (an
executable renamed to .pdf, say) is refused with a Vietnamese message naming the field.
"""

from __future__ import annotations

import zipfile
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

ALLOWED = {
    ".pdf": "PDF",
    ".docx": "DOCX",
    ".xlsx": "XLSX",
    ".png": "PNG",
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
}


def sniff(head: bytes, file: Any) -> str | None:
    """The type the content says it is, or None."""
    if head.startswith(b"%PDF-"):
        return "PDF"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"PK\x03\x04"):
        try:
            file.seek(0)
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            file.seek(0)
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return "DOCX"
            if any(n.startswith("xl/") for n in names):
                return "XLSX"
    return None


def check_upload(file: Any, field: str) -> None:
    """Refuse a file that is too large, of a type not accepted, or whose content does not match its extension."""
    if file is None:
        return
    limit = settings.UPLOAD_MAX_MB * 1024 * 1024
    if file.size > limit:
        raise ValidationError({field: f"Tệp «{file.name}» quá lớn: tối đa {settings.UPLOAD_MAX_MB} MB."})
    ext = PurePath(file.name).suffix.lower()
    expected = ALLOWED.get(ext)
    if expected is None:
        raise ValidationError({field: f"Tệp «{file.name}»: chỉ nhận PDF, DOCX, XLSX, PNG hoặc JPEG."})
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    actual = sniff(head, file)
    if actual != expected:
        raise ValidationError(
            {field: f"Tệp «{file.name}» có đuôi {ext} nhưng nội dung không phải tệp {expected} hợp lệ."}
        )
