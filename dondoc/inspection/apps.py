from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "dondoc.inspection"
    label = "inspection"
    verbose_name = "Thanh tra, kiểm tra công vụ"
    default_auto_field = "django.db.models.BigAutoField"
