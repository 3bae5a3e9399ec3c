from django.apps import AppConfig


class DirectivesConfig(AppConfig):
    name = "dondoc.directives"
    label = "directives"
    verbose_name = "Văn bản chỉ đạo"
    default_auto_field = "django.db.models.BigAutoField"
