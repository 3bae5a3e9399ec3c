"""`dondoc backup [DIR]`: a consistent snapshot of the database and the uploaded files, with a manifest of
checksums (see dondoc.ops.backup)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dondoc.ops import backup


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và tệp đính kèm, kèm manifest.json (mã sha256 từng tệp)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "target",
            nargs="?",
            help="thư mục đích (mới hoặc rỗng); mặc định $BACKUP_DIR/dondoc-YYYYmmdd-HHMMSS",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["target"]) if options["target"] else None
        if target is None:
            target = Path(settings.BACKUP_DIR) / f"dondoc-{datetime.now():%Y%m%d-%H%M%S}"
        try:
            manifest = backup.backup(target)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = sum(f["size"] for f in manifest["files"].values())
        self.stdout.write(
            f"Đã sao lưu vào {target}: {len(manifest['files'])} tệp, {size / 1e6:.1f} MB; "
            f"nhật ký kiểm toán đến bản ghi #{manifest['audit_head']['id']}."
        )
