from django.core.management.base import BaseCommand, CommandError

from dondoc.demo import history
from dondoc.demo import loader as demo
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: danh mục đơn vị, cán bộ, Công văn 3031/UBND-TKBT và khoảng 3.000 nhiệm vụ."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--if-empty", action="store_true", help="không làm gì nếu đã có nhiệm vụ")
        parser.add_argument("--tasks", type=int, default=3000, help="số nhiệm vụ sinh thêm (mặc định 3000)")
        parser.add_argument("--seed", type=int, default=3031)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if Task.objects.exists():
            if options["if_empty"]:
                self.stdout.write("Cơ sở dữ liệu đã có dữ liệu: bỏ qua nạp dữ liệu mẫu.")
                self._print_logins()
                return
            raise CommandError("Cơ sở dữ liệu đã có nhiệm vụ; dữ liệu mẫu chỉ nạp vào cơ sở dữ liệu trống.")
        if options["tasks"] < 0:
            raise CommandError("--tasks phải là số không âm.")
        created = demo.load(n_tasks=options["tasks"], seed=options["seed"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp: {created['units']} đơn vị, {created['people']} cán bộ, "
                f"{created['directives']} văn bản, {created['tasks']} nhiệm vụ, "
                f"{created['reminders']} lần nhắc đã gửi trong {history.DAYS} ngày qua."
            )
        )
        for c in demo.summary_counters():  # due soon as a part of within deadline (tl.PARTS)
            part = f" (trong đó {tl.BUCKET_LABELS[c.part.key].lower()}: {c.part.n})" if c.part else ""
            self.stdout.write(f"  {c.label}: {c.n}{part}")
        self._print_logins()

    def _print_logins(self) -> None:
        logins = demo.demo_logins()
        self.stdout.write(f"Tài khoản dùng thử (mật khẩu chung: {logins['password']}):")
        for account in logins["accounts"]:  # type: ignore[attr-defined]
            self.stdout.write(f"  {account['username']:<22} {account['description']}")
