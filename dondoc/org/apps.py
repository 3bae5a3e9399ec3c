from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "dondoc.org"
    label = "org"
    verbose_name = "Tổ chức"
    default_auto_field = "django.db.models.BigAutoField"
