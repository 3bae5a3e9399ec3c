"""`{% followup_history task %}`: the task's report occurrences and the reminders sent about it, for its page's
history column."""

from __future__ import annotations

from django import template
from django.utils import timezone

from dondoc.followup.occurrences import occurrences_of
from dondoc.tracking.models import Task

register = template.Library()


@register.inclusion_tag("followup/_task_history.html")
def followup_history(task: Task) -> dict[str, object]:
    """Each cycle of the task's report obligation with its status (issue 14), and every reminder sent about the
    task and to whom: an inspector can see that a unit was told (DOMAIN.md §7)."""
    from dondoc.tracking import task_page

    return {
        "notifications": task_page.reminders(task.pk),
        "occurrences": occurrences_of(task, timezone.localdate()),
    }
