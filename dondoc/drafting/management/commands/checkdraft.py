"""`dondoc check FILE`: check a draft directive and list its findings (exit 1 when a rule is broken).

FILE is a TXT, DOCX or PDF (with a text layer) file, or "-" for standard input. `--format json` prints the metadata
and the tasks in the shape of the corpus labels. Exit codes: 0 no rule broken, 1 a rule broken, 2 the file cannot
be read. The console command `dondoc check FILE` runs the same check without Django's command machinery
(`dondoc.drafting.checkcli`, for a fast start); this command is the same check under `manage.py`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dondoc.drafting.checkcli import check_file
from dondoc.drafting.recorded import recorded_heirs
from dondoc.workdays import calendar


class Command(BaseCommand):
    help = (
        "Kiểm tra dự thảo văn bản chỉ đạo: mỗi nhiệm vụ phải rõ cơ quan chủ trì, thời hạn, thời hạn báo cáo."
    )
    requires_system_checks: list[str] = []  # reading a file needs no system check (the URL conf is heavy)

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="tệp TXT, DOCX hoặc PDF có lớp chữ, hoặc - để đọc từ đầu vào chuẩn")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--min-working-days", type=int, default=2, dest="min_working_days")

    def handle(self, *args: Any, **options: Any) -> None:
        code = check_file(
            options["file"],
            fmt=options["format"],
            min_working_days=options["min_working_days"],
            calendar=calendar.in_database(),  # the calendar in force on this server, else the shipped CSV
            heirs=recorded_heirs(),
            out=self.stdout,
            err=self.stderr,
        )
        if code:
            raise SystemExit(code)
