from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "dondoc.evaluation"
    label = "evaluation"
    verbose_name = "Thống kê, đánh giá"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dondoc.evaluation import cache, workdays  # noqa: F401 — connect the calendar-change and cache signals
        from dondoc.evaluation.forms import MeasureFilter
        from dondoc.tracking.queries import LIST_FILTERS

        LIST_FILTERS["evaluation"] = MeasureFilter()  # the task list behind a number of the dashboard

        cache.seconds()  # a bad EVAL_CACHE_SECONDS stops the start, naming the variable
