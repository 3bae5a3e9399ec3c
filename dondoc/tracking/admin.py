"""Administration of tasks: read-mostly. Changes of a task go through the domain functions (actions.py), so the
admin shows tasks and their history but does not edit them."""

from django.contrib import admin

from dondoc.tracking.models import Coordination, DeadlineChange, Task, TaskEvent
from dondoc.tracking.secrecy import readable


class CoordinationInline(admin.TabularInline):
    model = Coordination
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class EventInline(admin.TabularInline):
    model = TaskEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "action", "changes", "note"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["id", "content", "lead_unit", "state", "due_date", "directive"]
    list_filter = ["state", "must_submit", "must_report", "secret"]
    search_fields = ["search", "directive__notation"]
    list_select_related = ["lead_unit", "directive"]
    inlines = [CoordinationInline, EventInline]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        """Secret tasks only for administrators cleared for secrets (`tracking.secrecy`): the list shows content."""
        return readable(super().get_queryset(request), request.user)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(DeadlineChange)
class DeadlineChangeAdmin(admin.ModelAdmin):
    list_display = ["task", "kind", "status", "old_due_date", "proposed_due_date", "approved_due_date"]
    list_filter = ["kind", "status"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        """A secret task's requests (their reasons are about it) only for administrators cleared for secrets."""
        return readable(super().get_queryset(request), request.user, prefix="task__")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
