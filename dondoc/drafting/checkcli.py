"""`dondoc check FILE` without Django's command machinery, so that the command starts in well under a second.

Checking a file needs the extractor (pure modules) and, only when this machine has the product's database, the
calendar and the former units' successors recorded there (the registry "comes from the database when there is
one"). So Django is set up only then, and with only the apps whose tables the checker reads (`org`, `workdays`
and what their models point to), not the twenty-odd apps, URL conf and system checks of a full
`manage.py` start. The `checkdraft` management command runs the same `check_file`.

Exit codes: 0 no rule broken, 1 a rule broken, 2 the file cannot be read.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path
from typing import Any, Protocol

#: The apps a check reads from the database: the calendar (workdays) and the units' successors (org, whose
#: people point to auth's users).
CHECK_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "dondoc.org", "dondoc.workdays"]


class Writer(Protocol):
    """Where the result goes: a text stream, or a management command's output wrapper."""

    def write(self, msg: str) -> Any: ...


_KINDS_VI = {"date": "ngày", "period": "trong kỳ", "recurring": "định kỳ", "none": "không"}


def deadline_vi(deadline: object) -> str:
    """The deadline as an office reads it: ISO dates shown dd/mm/yyyy, the kind in Vietnamese."""
    kind = getattr(deadline, "kind", "none")
    value = getattr(deadline, "value", None)
    if not value:
        return _KINDS_VI.get(kind, "không")
    text = re.sub(r"\b(\d{4})-(\d{2})-(\d{2})\b", r"\3/\2/\1", str(value))
    text = text.replace("monthly; day ", "hằng tháng, trước ngày ")
    return f"{_KINDS_VI.get(kind, kind)} {text}"


def check_file(
    path: str,
    *,
    fmt: str,
    min_working_days: int,
    calendar: Any,
    heirs: dict[str, tuple[str, ...]],
    out: Writer,
    err: Writer,
) -> int:
    """Check one draft and write the result; returns the exit code."""
    from dondoc.drafting.checks import broken, check_document
    from dondoc.drafting.extract import CONFIDENCE_LABELS, extract
    from dondoc.drafting.reader import UnreadableFile, read_text

    try:
        text = sys.stdin.read() if path == "-" else read_text(path)
    except (UnreadableFile, OSError, UnicodeError) as exc:
        err.write(f"Lỗi: không đọc được tệp: {exc}\n")
        return 2
    doc = extract(text, calendar=calendar)
    findings = check_document(doc, min_working_days=min_working_days, calendar=calendar, heirs=heirs)
    if fmt == "json":
        out.write(json.dumps(doc.as_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        meta = doc.meta
        day = meta.date.strftime("%d/%m/%Y") if meta.date else "(không rõ)"
        errors = sum(f.severity == "error" for f in findings)
        out.write(
            f"Văn bản {meta.number or '(không rõ số)'}, ngày {day}: {len(doc.tasks)} nhiệm vụ, {errors} lỗi.\n"
        )
        for i, task in enumerate(doc.tasks, start=1):
            lead = ", ".join(r.name for r in task.resolutions) or "(không có)"
            out.write(
                f"[{i}] chủ trì: {lead} | thời hạn: {deadline_vi(task.deadline)} | {' '.join(task.text.split())}\n"
            )
            if task.low_confidence:
                unsure = ", ".join(CONFIDENCE_LABELS[f] for f in task.low_confidence)
                out.write(f"[{i}] cần kiểm tra (máy đọc chưa chắc): {unsure}\n")
        for f in findings:
            level = "LỖI" if f.severity == "error" else "TT"
            out.write(f"[{f.task}] {level} {f.code}: {f.message} — {f.clause}\n")
    return 1 if broken(findings) else 0


def has_database() -> bool:
    """Whether this machine has the product's database: a DATABASE_URL, or the default SQLite file present (a
    desk with neither checks with the shipped lists, and must not get an empty database file made for it)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        name = str(db.get("NAME") or "")
        return name not in ("", ":memory:") and Path(name).exists()
    return True


def from_database() -> tuple[Any, dict[str, tuple[str, ...]]]:
    """(the calendar in force, the recorded successors of former units) from the database, or (None, {}) when
    there is none, so that the shipped CSV lists answer."""
    if not has_database():
        return None, {}
    from django.apps import apps
    from django.conf import settings

    if not apps.ready:
        # django.setup() without its logging set-up and URL prefix (which imports the URL machinery): nothing here
        # logs through Django or reverses a URL.
        settings.INSTALLED_APPS = CHECK_APPS
        apps.populate(CHECK_APPS)
    from dondoc.drafting.recorded import recorded_heirs
    from dondoc.workdays import calendar

    return calendar.in_database(), recorded_heirs()


def main(argv: list[str]) -> int:
    """`dondoc check [--format json] [--min-working-days N] FILE`."""
    parser = argparse.ArgumentParser(
        prog="dondoc check",
        description="Kiểm tra dự thảo văn bản chỉ đạo: mỗi nhiệm vụ phải rõ cơ quan chủ trì, thời hạn, "
        "thời hạn báo cáo.",
    )
    parser.add_argument("file", help="tệp TXT, DOCX hoặc PDF có lớp chữ, hoặc - để đọc từ đầu vào chuẩn")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument("--min-working-days", type=int, default=2, dest="min_working_days")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings")
    cal, heirs = from_database()
    return check_file(
        args.file,
        fmt=args.format,
        min_working_days=args.min_working_days,
        calendar=cal,
        heirs=heirs,
        out=sys.stdout,
        err=sys.stderr,
    )
