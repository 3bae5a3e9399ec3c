"""Time and size of rendering an urging letter as DOCX and PDF, by number of table rows (no database).

    python bench/documents.py [--rows 10,100,1000] [--repeat 3]

Prints one line per (rows, format): median wall seconds, median CPU milliseconds of the process (`process_time`,
what the worker takes from the web workers on a shared machine), pages (PDF) and bytes, then the load average.
Each repetition draws a letter of its own (the task contents numbered apart), so that what the renderers remember
per process (fonts, the widths of words, the lines of a repeated cell) helps as it does the worker's next letter,
not more. The renderers are pure, so this measures python-docx and reportlab alone; issuing adds a few queries and
two file writes.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader  # noqa: E402

from dondoc.documents.layout import OfficialDocument, Paragraph, Signature, Table  # noqa: E402
from dondoc.documents.render import render_docx, render_pdf  # noqa: E402

# The columns of an urging letter (dondoc/documents/urging.py, which needs Django settings to import).
TABLE_HEADER = [
    "STT",
    "Văn bản giao nhiệm vụ",
    "Nội dung nhiệm vụ",
    "Thời hạn hoàn thành",
    "Số ngày làm việc quá hạn",
    "Tình trạng",
]
TABLE_WIDTHS_MM = [11.0, 31.0, 58.0, 21.0, 17.0, 22.0]
TABLE_ALIGN: list = ["center", "left", "left", "center", "center", "left"]


def letter(rows: int, first: int = 1) -> OfficialDocument:
    content = "Hoàn thiện đề án cải tạo, xây dựng lại chung cư cũ trên địa bàn Thành phố theo chỉ đạo"
    return OfficialDocument(
        parent_body="UBND THÀNH PHỐ HÀ NỘI",
        issuing_body="VĂN PHÒNG",
        symbol="VP-TKBT",
        number=12,
        place="Hà Nội",
        day=date(2026, 3, 10),
        subject="đôn đốc thực hiện nhiệm vụ quá hạn của Sở Xây dựng",
        addressees=["Sở Xây dựng"],
        blocks=[
            Paragraph("Văn phòng UBND Thành phố theo dõi, tổng hợp các nhiệm vụ quá hạn như sau:"),
            Table(
                header=TABLE_HEADER,
                rows=[
                    [
                        str(i),
                        "15/CT-UBND ngày 02/02/2026",
                        f"{content} ({first + i})",
                        "27/02/2026",
                        "7",
                        "Quá hạn",
                    ]
                    for i in range(1, rows + 1)
                ],
                widths_mm=TABLE_WIDTHS_MM,
                align=TABLE_ALIGN,
            ),
        ],
        signature=Signature(
            authority="KT. CHÁNH VĂN PHÒNG", position="PHÓ CHÁNH VĂN PHÒNG", name="Nguyễn Văn A"
        ),
        recipients=["Như trên"],
        archive="TKBT",
    )


def render(doc: OfficialDocument) -> None:
    render_docx(doc)
    render_pdf(doc)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", default="10,100,1000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'rows':>6} {'format':>6} {'median s':>9} {'CPU ms':>7} {'pages':>6} {'bytes':>10}")
    render(letter(10, first=-100))  # the fonts registered and the modules loaded, as in a running worker
    for rows in (int(r) for r in args.rows.split(",")):
        for name, draw in (("docx", render_docx), ("pdf", render_pdf)):
            times, cpu, data = [], [], b""
            for rep in range(args.repeat):
                doc = letter(rows, first=(rep + 1) * 100_000)
                start, start_cpu = time.perf_counter(), time.process_time()
                data = draw(doc)
                times.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
            pages = str(len(PdfReader(io.BytesIO(data)).pages)) if name == "pdf" else "-"
            print(
                f"{rows:>6} {name:>6} {statistics.median(times):>9.3f} {statistics.median(cpu) * 1000:>7.1f}"
                f" {pages:>6} {len(data):>10}"
            )
    print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
