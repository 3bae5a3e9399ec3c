from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and synthetic data: `loaddemo`, the deterministic generator the benchmarks use (top floor: it writes
    through every app's models)."""

    name = "dondoc.demo"
    label = "demo"
    verbose_name = "Dữ liệu mẫu"
