"""`dondoc monthlyreport`: generate periodic reports outside the web request (queued ones are jobs of `dondoc worker`).

dondoc monthlyreport --prepare [--day dd/mm/yyyy]   # the 20th's job by hand: draft + reminders (idempotent)
dondoc monthlyreport --kind thang --year 2026 --number 3 [--issuer SNV] [--ref dd/mm/yyyy]   # one report now
"""

from __future__ import annotations

import logging
import time
from datetime import date, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dondoc.evaluation import jobs, report
from dondoc.evaluation import periods as pr
from dondoc.org.models import Unit

log = logging.getLogger("dondoc.evaluation")


def _day(text: str) -> date:
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError as exc:
        raise CommandError(f"Ngày «{text}» không hợp lệ: nhập theo dạng dd/mm/yyyy.") from exc


class Command(BaseCommand):
    help = "Tạo báo cáo kết quả thực hiện nhiệm vụ: dự thảo ngày 20, hoặc một báo cáo theo kỳ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--prepare", action="store_true", help="chạy việc ngày 20 (dự thảo báo cáo tháng)"
        )
        parser.add_argument("--day", help="ngày chạy việc ngày 20, dd/mm/yyyy (mặc định hôm nay)")
        parser.add_argument("--kind", choices=list(pr.KIND_LABELS), help="loại kỳ: thang, quy, nam_nua, nam")
        parser.add_argument("--year", type=int)
        parser.add_argument("--number", type=int, default=1)
        parser.add_argument("--issuer", default="", help="mã đơn vị ban hành: SNV hoặc VPUBND")
        parser.add_argument("--ref", help="số liệu tính đến ngày, dd/mm/yyyy (mặc định ngày cuối kỳ)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["prepare"]:
            day = _day(options["day"]) if options["day"] else timezone.localdate()
            jobs.monthly_report_job(day)
            self.stdout.write(f"Đã chạy việc dự thảo báo cáo tháng cho ngày {day:%d/%m/%Y}.")
            return
        if options["kind"]:
            self._one(options)
            return
        raise CommandError("Chọn --prepare hoặc --kind/--year/--number.")

    def _one(self, options: dict[str, Any]) -> None:
        kind = options["kind"]
        if kind == pr.CUSTOM:
            raise CommandError("Kỳ tùy chọn: dùng trang /danh-gia/bao-cao/tao/.")
        if options["year"] is None:
            raise CommandError("Thiếu --year.")
        try:
            period = pr.regular(kind, options["year"], options["number"])
        except ValueError as exc:
            raise CommandError(f"Kỳ báo cáo không hợp lệ: {exc}") from exc
        code = options["issuer"] or None
        issuer = Unit.objects.filter(code=code).first() if code else report.default_issuer()
        if issuer is None or issuer.code not in report.ISSUERS:
            raise CommandError("Cơ quan ban hành phải là SNV hoặc VPUBND.")
        ref = _day(options["ref"]) if options["ref"] else report.reference_for(period, timezone.localdate())
        run = report.new_run(period, issuer, ref=ref)
        started = time.perf_counter()
        run = report.generate(run)
        if run.status == run.Status.FAILED:
            raise CommandError(f"Không tạo được báo cáo: {run.error}")
        self.stdout.write(
            f"Báo cáo #{run.pk} {period.label}: {run.get_status_display()} trong {time.perf_counter() - started:.1f} s"
            f" — {run.docx.path}"
        )
