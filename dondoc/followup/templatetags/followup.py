"""`{% followup_history task %}`: the task's report occurrences and the reminders sent about it, for its page's
history column."""

from __future__ import annotations

from django import template
from django.utils import timezone

from dondoc.core.prepared import Prepared
from dondoc.followup.models import Notification
from dondoc.followup.occurrences import occurrences_of
from dondoc.tracking.models import Task

register = template.Library()

# The reminders sent about a task, its statement built once (`core.prepared`, as the task page's other reads).
reminders = Prepared(
    lambda pk: (
        Notification.objects.filter(task_id=pk).select_related("recipient__unit").order_by("created_at", "id")
    ),
    (int,),
)


@register.inclusion_tag("followup/_task_history.html")
def followup_history(task: Task) -> dict[str, object]:
    """Each cycle of the task's report obligation with its status (issue 14), and every reminder sent about the
    task and to whom: an inspector can see that a unit was told (DOMAIN.md §7)."""
    return {
        "notifications": reminders(task.pk),
        "occurrences": occurrences_of(task, timezone.localdate()),
    }
