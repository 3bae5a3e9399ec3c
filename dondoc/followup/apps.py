from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "dondoc.followup"
    label = "followup"
    verbose_name = "Đôn đốc, nhắc việc"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dondoc.followup import (  # engine reschedules on `workdays.calendar.calendar_changed`
            engine,
            occurrences,
        )
        from dondoc.tracking.signals import task_changed

        # every action's change recomputes the task's next follow-up time
        task_changed.connect(engine.follow_change, dispatch_uid="followup_task_changed")
        from dondoc.tracking.actions import LOCKED_WITH

        LOCKED_WITH["rules_now"] = engine.rules_sql  # read with the task an action locks (`engine._rules_of`)
        occurrences.connect()  # report occurrences met by marked progress reports and issued monthly reports
