"""`dondoc check FILE`: check a draft directive and list its findings (exit 1 when a rule is broken).

FILE is a TXT, DOCX or PDF (with a text layer) file, or "-" for standard input. `--format json` prints the metadata and the tasks in the
shape of the corpus labels. Exit codes: 0 no rule broken, 1 a rule broken, 2 the file cannot be read.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dondoc.drafting.checks import broken, check_document
from dondoc.drafting.extract import extract
from dondoc.drafting.present import CONFIDENCE_LABELS
from dondoc.drafting.reader import UnreadableFile, read_text
from dondoc.drafting.registration import recorded_heirs
from dondoc.workdays import calendar


class Command(BaseCommand):
    help = (
        "Kiểm tra dự thảo văn bản chỉ đạo: mỗi nhiệm vụ phải rõ cơ quan chủ trì, thời hạn, thời hạn báo cáo."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="tệp TXT, DOCX hoặc PDF có lớp chữ, hoặc - để đọc từ đầu vào chuẩn")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--min-working-days", type=int, default=2, dest="min_working_days")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        try:
            text = sys.stdin.read() if path == "-" else read_text(path)
        except (UnreadableFile, OSError, UnicodeError) as exc:
            self.stderr.write(f"Lỗi: không đọc được tệp: {exc}")
            raise SystemExit(2) from None
        cal = calendar.in_database()  # the calendar in force on this server, else the shipped CSV
        doc = extract(text, calendar=cal)
        findings = check_document(
            doc, min_working_days=options["min_working_days"], calendar=cal, heirs=recorded_heirs()
        )
        if options["format"] == "json":
            self.stdout.write(json.dumps(doc.as_json(), ensure_ascii=False, indent=2))
        else:
            meta = doc.meta
            self.stdout.write(
                f"Văn bản {meta.number or '(không rõ số)'}, ngày {meta.date.strftime('%d/%m/%Y') if meta.date else '(không rõ)'}: "
                f"{len(doc.tasks)} nhiệm vụ, {sum(f.severity == 'error' for f in findings)} lỗi."
            )
            for i, task in enumerate(doc.tasks, start=1):
                lead = ", ".join(r.name for r in task.resolutions) or "(không có)"
                self.stdout.write(
                    f"[{i}] chủ trì: {lead} | thời hạn: {_deadline_vi(task.deadline)} | {' '.join(task.text.split())}"
                )
                if task.low_confidence:
                    unsure = ", ".join(CONFIDENCE_LABELS[f] for f in task.low_confidence)
                    self.stdout.write(f"[{i}] cần kiểm tra (máy đọc chưa chắc): {unsure}")
            for f in findings:
                level = "LỖI" if f.severity == "error" else "TT"
                self.stdout.write(f"[{f.task}] {level} {f.code}: {f.message} — {f.clause}")
        if broken(findings):
            raise SystemExit(1)
        if False:  # pragma: no cover - keeps CommandError imported for callers that expect it
            raise CommandError("")


_KINDS_VI = {"date": "ngày", "period": "trong kỳ", "recurring": "định kỳ", "none": "không"}


def _deadline_vi(deadline: object) -> str:
    """The deadline as an office reads it: ISO dates shown dd/mm/yyyy, the kind in Vietnamese."""
    import re

    kind = getattr(deadline, "kind", "none")
    value = getattr(deadline, "value", None)
    if not value:
        return _KINDS_VI.get(kind, "không")
    text = re.sub(r"\b(\d{4})-(\d{2})-(\d{2})\b", r"\3/\2/\1", str(value))
    text = text.replace("monthly; day ", "hằng tháng, trước ngày ")
    return f"{_KINDS_VI.get(kind, kind)} {text}"
