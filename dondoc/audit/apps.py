from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "dondoc.audit"
    label = "audit"
    verbose_name = "Nhật ký kiểm toán"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dondoc.audit import bulk, signals

        signals.connect()
        signals.connect_accounts()
        bulk.connect_m2m()
