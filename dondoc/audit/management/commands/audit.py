"""`dondoc audit verify [--anchor ID:HASH]`: walk the hash chain of the audit trail and name the first row that was
edited or deleted in the database. Exit status 0 when the chain holds, 1 when it is broken."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dondoc.audit import chain
from dondoc.audit.models import AuditEntry


class Command(BaseCommand):
    help = "Nhật ký kiểm toán: verify — kiểm tra chuỗi băm, chỉ ra bản ghi bị sửa hoặc bị xóa."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="kiểm tra chuỗi băm của nhật ký")
        verify.add_argument(
            "--anchor",
            help="ID:HASH của bản ghi cuối đã ghi lại bên ngoài (vd. trong manifest sao lưu): phát hiện cả việc "
            "xóa các bản ghi cuối chuỗi",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self.verify(options.get("anchor"))

    def verify(self, anchor: str | None) -> None:
        breaks = list(chain.verify())
        if anchor:
            try:
                anchor_id, anchor_hash = anchor.split(":", 1)
                anchored = AuditEntry.objects.filter(pk=int(anchor_id)).values_list("hash", flat=True).first()
            except ValueError as exc:
                raise CommandError(f"--anchor: cần dạng ID:HASH, nhận được «{anchor}».") from exc
            if anchored != anchor_hash:
                breaks.append(chain.Break("tail" if anchored is None else "edited", int(anchor_id)))
        count = AuditEntry.objects.count()
        if not breaks:
            last_id, last_hash = chain.head()
            self.stdout.write(f"Nhật ký nguyên vẹn: {count} bản ghi; bản ghi cuối #{last_id} {last_hash}.")
            return
        for item in breaks:
            self.stderr.write(item.message())
        raise CommandError(
            f"Nhật ký kiểm toán đã bị can thiệp: {len(breaks)} chỗ hỏng trong {count} bản ghi.", returncode=1
        )
