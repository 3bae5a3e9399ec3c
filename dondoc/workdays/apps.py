from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "dondoc.workdays"
    label = "workdays"
    verbose_name = "Lịch làm việc"
    default_auto_field = "django.db.models.BigAutoField"
