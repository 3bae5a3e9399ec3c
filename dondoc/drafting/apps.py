from django.apps import AppConfig


class DraftingConfig(AppConfig):
    name = "dondoc.drafting"
    label = "drafting"
    verbose_name = "Kiểm tra dự thảo"
    default_auto_field = "django.db.models.BigAutoField"
