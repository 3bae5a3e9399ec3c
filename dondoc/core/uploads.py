"""Checking uploaded files by their content, not only their name.

Accepted: PDF, DOCX, XLSX, PNG and JPEG, up to UPLOAD_MAX_MB. A file whose bytes do not match its extension (an
executable renamed to .pdf, say) is refused with a Vietnamese message naming the field. A zip-based file (DOCX,
XLSX, a zip) is refused before anything parses it when its parts would unpack to more than UPLOAD_UNPACKED_MAX_MB
or number more than MAX_PARTS (a 300 KB XLSX can hold a 300 MB cell: a decompression bomb).
"""

from __future__ import annotations

import io
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


MAX_PARTS = 1000  # parts of a DOCX/XLSX or files of a zip; Office files have a few dozen


class UnpackError(ValueError):
    """A zip-based file refused before it is unpacked; the message is Vietnamese and names the file."""


class BrokenZip(UnpackError):
    """Not a readable zip at all."""


def unpacked_size(file: Any, name: str, limit: int | None = None) -> int:
    """The bytes the parts of zip `file` (bytes or a binary file) unpack to, read from its directory without
    unpacking anything; UnpackError when that passes `limit` (default UPLOAD_UNPACKED_MAX_MB), when it has more
    than MAX_PARTS parts, or when it is no readable zip. Reading a part never yields more than the size its
    directory declares (Python's zipfile stops there and a lying header then fails its CRC check), so the
    declared total bounds memory and time of whatever parses it next."""
    limit = settings.UPLOAD_UNPACKED_MAX_MB * 1024 * 1024 if limit is None else limit
    source = io.BytesIO(file) if isinstance(file, bytes | bytearray) else file
    try:
        source.seek(0)
        with zipfile.ZipFile(source) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise BrokenZip(f"Tệp «{name}»: tệp nén (zip) bị hỏng, không đọc được.") from None
    finally:
        source.seek(0)
    if len(infos) > MAX_PARTS:
        raise UnpackError(f"Tệp «{name}» có quá {MAX_PARTS} phần nén bên trong.")
    total = sum(i.file_size for i in infos)
    if total > limit:
        raise UnpackError(
            f"Tệp «{name}» khi giải nén lớn quá {limit // (1024 * 1024)} MB "
            f"({total // (1024 * 1024)} MB): hãy chia nhỏ hoặc lưu lại tệp."
        )
    return total


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
    if actual in ("DOCX", "XLSX"):
        try:
            unpacked_size(file, file.name)
        except UnpackError as exc:
            raise ValidationError({field: str(exc)}) from None
