from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "dondoc.followup"
    label = "followup"
    verbose_name = "Đôn đốc, nhắc việc"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dondoc.followup import (
            engine,  # noqa: F401 — reschedules on `workdays.calendar.calendar_changed`
            occurrences,
        )

        occurrences.connect()  # report occurrences met by marked progress reports and issued monthly reports
