from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "dondoc.evaluation"
    label = "evaluation"
    verbose_name = "Thống kê, đánh giá"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dondoc.evaluation import cache, workdays  # noqa: F401 — connect the calendar-change and cache signals

        cache.seconds()  # a bad EVAL_CACHE_SECONDS stops the start, naming the variable
