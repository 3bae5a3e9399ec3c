"""``dondoc webhooks [--loop] [--interval N]``: send the webhook deliveries that are due."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dondoc.api.webhooks import deliver_due


class Command(BaseCommand):
    help = "Gửi các sự kiện webhook đến hạn (ký HMAC-SHA256, thử lại theo thời gian chờ tăng dần)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Chạy liên tục.")
        parser.add_argument("--interval", type=int, default=30, help="Số giây giữa hai lượt (mặc định 30).")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            counts = deliver_due()
            self.stdout.write(
                f"Đã gửi {counts['delivered']}, chờ thử lại {counts['retry']}, thất bại {counts['failed']}."
            )
            if not options["loop"]:
                return
            time.sleep(max(1, options["interval"]))
