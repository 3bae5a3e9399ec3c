from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "dondoc.api"
    label = "api"
    verbose_name = "API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dondoc.api import webhooks  # noqa: F401 - connects the TaskEvent signal that queues deliveries
