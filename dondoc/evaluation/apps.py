from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "dondoc.evaluation"
    label = "evaluation"
    verbose_name = "Thống kê, đánh giá"
    default_auto_field = "django.db.models.BigAutoField"
