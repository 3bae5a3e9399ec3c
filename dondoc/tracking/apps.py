from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "dondoc.tracking"
    label = "tracking"
    verbose_name = "Nhiệm vụ"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dondoc.tracking import calendar_moves
        from dondoc.workdays.notices import calendar_editing

        # the administrator's calendar page lists (and saving audits) the open tasks whose deadlines an edit moves
        calendar_editing.connect(calendar_moves.on_calendar_editing, dispatch_uid="tracking_calendar_moves")
