from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "dondoc.evaluation"
    label = "evaluation"
    verbose_name = "Thống kê, đánh giá"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dondoc.evaluation import workdays  # noqa: F401 — connects the calendar-change signal
