from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "dondoc.documents"
    label = "documents"
    verbose_name = "Văn bản đi"
    default_auto_field = "django.db.models.BigAutoField"
