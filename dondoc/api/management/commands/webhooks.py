"""``dondoc webhooks [--loop] [--interval N]``: send the webhook deliveries that are due.

With --loop, a pass that fails (the database locked or down) is logged and retried after a growing pause
(`dondoc.core.worker`): the sender never dies and leaves deliveries waiting forever.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dondoc.api.webhooks import deliver_due
from dondoc.core import worker

log = logging.getLogger("dondoc.api")


class Command(BaseCommand):
    help = "Gửi các sự kiện webhook đến hạn (ký HMAC-SHA256, thử lại theo thời gian chờ tăng dần)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Chạy liên tục.")
        parser.add_argument("--interval", type=float, default=30, help="Số giây giữa hai lượt (mặc định 30).")

    def handle(self, *args: Any, **options: Any) -> None:
        def one_pass() -> bool:
            counts = deliver_due()
            self.stdout.write(
                f"Đã gửi {counts['delivered']}, chờ thử lại {counts['retry']}, thất bại {counts['failed']}."
            )
            return False

        if options["interval"] <= 0:
            self.stderr.write("--interval phải > 0.")
            raise SystemExit(2)
        worker.run(
            one_pass, name="webhook sender", interval=options["interval"], once=not options["loop"], log=log
        )
