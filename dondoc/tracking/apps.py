from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "dondoc.tracking"
    label = "tracking"
    verbose_name = "Nhiệm vụ"
    default_auto_field = "django.db.models.BigAutoField"
