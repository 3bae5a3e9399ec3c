"""`dondoc restore DIR --yes`: check a backup's checksums, then bring back its database and files."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dondoc.ops import backup


class Command(BaseCommand):
    help = "Khôi phục từ một bản sao lưu (kiểm tra mã sha256 trước; thay toàn bộ dữ liệu hiện tại)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="thư mục bản sao lưu (có manifest.json)")
        parser.add_argument("--yes", action="store_true", help="xác nhận thay toàn bộ dữ liệu hiện tại")
        parser.add_argument(
            "--check-only", action="store_true", help="chỉ kiểm tra mã sha256, không khôi phục"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["source"])
        try:
            if options["check_only"]:
                _, problems = backup.check(source)
                if problems:
                    raise backup.BackupError(
                        "Bản sao lưu không toàn vẹn:\n" + "\n".join(f"  - {p.message()}" for p in problems)
                    )
                self.stdout.write(f"Bản sao lưu {source} toàn vẹn.")
                return
            if not options["yes"]:
                raise CommandError(
                    "Khôi phục sẽ thay toàn bộ dữ liệu hiện tại: chạy lại với --yes để xác nhận "
                    "(nên sao lưu dữ liệu hiện tại trước)."
                )
            manifest, kept = backup.restore(source)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Đã khôi phục cơ sở dữ liệu và tệp đính kèm từ {source}.")
        if kept is not None:
            self.stdout.write(f"Các tệp đính kèm trước khi khôi phục được giữ ở {kept}.")
        head = manifest["audit_head"]
        out = StringIO()
        try:
            call_command("audit", "verify", f"--anchor={head['id']}:{head['hash']}", stdout=out, stderr=out)
        except CommandError:
            self.stderr.write("CẢNH BÁO: nhật ký kiểm toán sau khôi phục không khớp:\n" + out.getvalue())
            raise
        self.stdout.write(out.getvalue().strip())
