from django.contrib import admin

from dondoc.followup.models import (
    DailyJobRun,
    DeliveryAttempt,
    FollowupRule,
    Notification,
    Preference,
    ReportOccurrence,
    TrackingContact,
)


@admin.register(FollowupRule)
class FollowupRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "offset", "repeat", "audience", "active"]
    list_filter = ["kind", "audience", "active"]
    list_editable = ["active"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        super().save_model(request, obj, form, change)
        self.message_user(
            request,
            "Quy tắc đã lưu. Chạy «dondoc followup --reschedule» để tính lại lịch đôn đốc của các nhiệm vụ.",
        )


@admin.register(TrackingContact)
class TrackingContactAdmin(admin.ModelAdmin):
    list_display = ["unit", "person"]
    autocomplete_fields = ["unit", "person"]


@admin.register(ReportOccurrence)
class ReportOccurrenceAdmin(admin.ModelAdmin):
    """Read only: a cycle is met through the progress form or by issuing the monthly report, never by hand."""

    list_display = ["task", "cycle", "met_on", "evidence", "recorded_at"]
    date_hierarchy = "cycle"

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "task",
        "recipient",
        "rule_code",
        "step_day",
        "email_state",
        "email_attempts",
    ]
    list_filter = ["email_state", "kind", "audience", "rule_code"]
    search_fields = ["title", "recipient__full_name"]
    raw_id_fields = ["task", "recipient"]
    date_hierarchy = "created_at"


@admin.register(DeliveryAttempt)
class DeliveryAttemptAdmin(admin.ModelAdmin):
    """Every delivery attempt; filter on «thành công: Không» for the failures."""

    list_display = ["at", "notification", "channel", "digest", "ok", "error"]
    list_filter = ["ok", "digest", "channel"]
    raw_id_fields = ["notification"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["person", "email_mode"]
    raw_id_fields = ["person"]


@admin.register(DailyJobRun)
class DailyJobRunAdmin(admin.ModelAdmin):
    list_display = ["day", "job", "state", "attempts", "finished_at", "error"]
    list_filter = ["state", "job"]
