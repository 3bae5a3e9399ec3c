"""Uploads bounded by what they unpack to (issue 16 findings 4, 5, 6): XLSX decompression bombs, edXML packages
whose zips together unpack to too much, zips whose headers lie; each refused with a Vietnamese message, nothing
saved, no 5xx, and the memory of the process that reads them stays bounded (measured with `resource`)."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from dondoc.api import spreadsheet
from dondoc.api.models import EdxmlPackage
from dondoc.directives.models import Attachment, Directive
from dondoc.tracking.models import Task
from tests.api.helpers import package, upload_package
from tests.helpers import login, zip_bytes

MB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"


def _xlsx_with_sheet(write_rows) -> bytes:
    """The import template with its sheet replaced by a header row plus what `write_rows(stream)` writes."""
    template = zipfile.ZipFile(io.BytesIO(spreadsheet.template()))
    header = "".join(
        f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in [h for _, h, _ in spreadsheet.COLUMNS]
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in template.infolist():
            if info.filename != SHEET:
                out.writestr(info, template.read(info))
        with out.open(SHEET, "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main"><sheetData><row r="1">' + header.encode() + b"</row>"
            )
            write_rows(sheet)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def bomb(cell_mb: int) -> bytes:
    """A valid XLSX of a few hundred KB whose second row holds one cell of `cell_mb` MB."""

    def rows(sheet):
        sheet.write(b'<row r="2"><c r="A2" t="inlineStr"><is><t>')
        chunk = b"A" * MB
        for _ in range(cell_mb):
            sheet.write(chunk)
        sheet.write(b"</t></is></c></row>")

    return _xlsx_with_sheet(rows)


def many_rows(n: int) -> bytes:
    def rows(sheet):
        for r in range(2, n + 2):
            sheet.write(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t> </t></is></c></row>' % (r, r))

    return _xlsx_with_sheet(rows)


def test_xlsx_bomb_is_refused_before_parsing_with_a_message_and_nothing_saved(personas, frozen):
    data = bomb(120)
    assert len(data) < 1 * MB
    response = login(personas["tracker"]).post("/api/nhap/", {"file": io.BytesIO(data)}, format="multipart")
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["file"])
    assert "khi giải nén lớn quá 50 MB" in errors, errors
    assert not Task.objects.exists() and not Directive.objects.exists()


def test_xlsx_with_too_many_rows_is_refused_while_streaming(personas, frozen):
    response = login(personas["tracker"]).post(
        "/api/nhap/", {"file": io.BytesIO(many_rows(30_000))}, format="multipart"
    )
    assert response.status_code == 400
    assert f"quá {spreadsheet.MAX_ROWS} dòng" in " ".join(response.context["form"].errors["file"])


READER = """
import os, resource, sys
import django
django.setup()
from dondoc.api import spreadsheet
content = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    spreadsheet.read(content)
except spreadsheet.ImportFileError as exc:
    print("REFUSED", exc)
print("GROWTH_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
"""


def test_reading_a_bomb_keeps_the_worker_memory_bounded(tmp_path: Path):
    """The issue's 300 MB cell grew a worker by 2.6 GB; refused from the zip directory, reading it costs next to
    nothing beyond the file itself (peak resident memory of a fresh process, `resource.getrusage`)."""
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb(300))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dondoc.settings",
        "DEBUG": "1",
        "SECRET_KEY": "test-only",
    }
    done = subprocess.run(
        [sys.executable, "-c", READER, str(path)], capture_output=True, env=env, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    text = done.stdout.decode()
    assert "REFUSED" in text and "giải nén lớn quá" in text, text
    growth_kb = int(text.split("GROWTH_KB")[1])
    assert growth_kb < 50 * 1024, growth_kb  # the 300 MB never unpacked


# ---------------------------------------------------------------------------------------------------- edXML


def test_edxml_package_capped_by_what_all_its_zips_unpack_to(personas, frozen):
    """Three zips of 12 MB of text each: each under the 30 MB cap, together over it (the issue's 264 KB package
    that stored 190 MB)."""
    text = b" " * (12 * MB)
    zips = [(f"phu-luc-{i}.zip", zip_bytes({f"phu-luc-{i}.txt": text})) for i in range(3)]
    response = upload_package(login(personas["tracker"]), package(attachments=zips))
    assert response.status_code == 400
    errors = " ".join(str(e) for e in response.context["form"].errors["file"])
    assert "khi giải nén lớn quá 30 MB" in errors, errors
    assert not Directive.objects.exists() and not Attachment.objects.exists()
    assert not EdxmlPackage.objects.exists()


def lying_zip() -> bytes:
    """A zip whose headers declare 10 bytes for a member of 100 KB."""
    data = zip_bytes({"phu-luc.txt": b"noi dung " * 12_000})
    patched = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = patched.index(signature)
        patched[at + offset : at + offset + 4] = struct.pack("<I", 10)
    return bytes(patched)


def test_edxml_zip_with_a_lying_header_gets_a_message_not_a_500(personas, frozen):
    response = upload_package(login(personas["tracker"]), package(attachments=[("ho-so.zip", lying_zip())]))
    assert response.status_code == 400
    errors = " ".join(str(e) for e in response.context["form"].errors["file"])
    assert "«ho-so.zip»: tệp nén zip bị hỏng" in errors, errors
    assert not Directive.objects.exists() and not EdxmlPackage.objects.exists()


@pytest.mark.parametrize("name", ["bang.xlsx", "van-ban.docx"])
def test_an_office_file_attachment_counts_what_it_unpacks_to(personas, frozen, name):
    part = "xl/x.xml" if name.endswith("xlsx") else "word/document.xml"
    office_file = zip_bytes({"[Content_Types].xml": b"<Types/>", part: b" " * (31 * MB)})
    response = upload_package(login(personas["tracker"]), package(attachments=[(name, office_file)]))
    assert response.status_code == 400
    assert "giải nén lớn quá" in " ".join(str(e) for e in response.context["form"].errors["file"])
    assert not EdxmlPackage.objects.exists()
