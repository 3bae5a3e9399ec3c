from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "dondoc.followup"
    label = "followup"
    verbose_name = "Đôn đốc, nhắc việc"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dondoc.followup import occurrences

        occurrences.connect()  # report occurrences met by marked progress reports and issued monthly reports
