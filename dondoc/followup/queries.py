"""What the City Office's follow-up page asks: sent on a day, failed deliveries, units that ignored reminders."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from dondoc.followup import ladder
from dondoc.followup.models import Notification
from dondoc.tracking.models import Task, TaskEvent
from dondoc.workdays import calendar


def day_range(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def visible(qs: QuerySet[Notification], user: object) -> QuerySet[Notification]:
    """The notifications of `qs` that `user` may see listed: task-less ones, and those about a task in
    `Task.objects.visible_to(user)` (a secret task's reminders only for those cleared for secrets)."""
    return qs.filter(Q(task__isnull=True) | Q(task__in=Task.objects.visible_to(user)))


def sent_on(day: date, unit_id: int | None = None, kind: str = "") -> QuerySet[Notification]:
    """Notifications written on `day` (Hanoi time), optionally about one lead unit's tasks or one deadline kind."""
    start, end = day_range(day)
    qs = Notification.objects.filter(created_at__gte=start, created_at__lt=end)
    if unit_id:
        qs = qs.filter(Q(task__lead_unit_id=unit_id) | Q(recipient__unit_id=unit_id))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("task", "recipient__unit").order_by("-created_at", "id")


def failed_deliveries(unit_id: int | None = None) -> QuerySet[Notification]:
    """E-mails that gave up, and those still being retried after a failure."""
    qs = Notification.objects.filter(
        Q(email_state=Notification.Email.FAILED)
        | Q(email_state=Notification.Email.QUEUED, email_attempts__gt=0)
    )
    if unit_id:
        qs = qs.filter(recipient__unit_id=unit_id)
    return (
        qs.select_related("task", "recipient__unit")
        .prefetch_related("attempts")
        .order_by("-created_at", "id")
    )


def ignored(today: date, days: int, unit_id: int | None = None, kind: str = "") -> QuerySet[Notification]:
    """Reminders to a unit that it ignored: delivered (written in the app) at least `days` working days ago, and
    since then nobody of that unit did anything on the task (no history row by a person of the unit)."""
    cutoff_day = calendar.current().add_working_days(today, -days)
    cutoff = day_range(cutoff_day)[1]
    acted = TaskEvent.objects.filter(
        task_id=OuterRef("task_id"),
        at__gt=OuterRef("created_at"),
        actor__person__unit_id=OuterRef("recipient__unit_id"),
    )
    qs = Notification.objects.filter(
        audience__in=(ladder.OFFICER, ladder.UNIT),
        created_at__lt=cutoff,
        task__state__in=ladder.FOLLOWED_STATES,
    )
    if unit_id:
        qs = qs.filter(recipient__unit_id=unit_id)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.filter(~Exists(acted))


def ignored_by_unit(today: date, days: int, unit_id: int | None = None, kind: str = "") -> list[Any]:
    """Per unit: how many tasks and reminders it ignored, and the oldest such reminder."""
    return list(
        ignored(today, days, unit_id, kind)
        .values("recipient__unit_id", "recipient__unit__name")
        .annotate(tasks=Count("task", distinct=True), reminders=Count("id"), first=Min("created_at"))
        .order_by("-tasks", "recipient__unit__name")
    )
