from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "dondoc.api"
    label = "api"
    verbose_name = "API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dondoc.api import (  # noqa: F401 - connect their signals
            tokens,  # two-factor enrolment revokes the person's tokens
            webhooks,  # a TaskEvent queues deliveries
        )
