"""Tasks (*nhiệm vụ*) and everything recorded against them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.db import connection, connections, models
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from dondoc.core.compiled import plain_update
from dondoc.core.links import url_by_id
from dondoc.core.text import fold
from dondoc.directives.models import Directive
from dondoc.org.models import Person, Unit
from dondoc.tracking import timeliness as tl


class State(models.TextChoices):
    DRAFT = tl.DRAFT, _("Dự thảo")
    ASSIGNED = tl.ASSIGNED, _("Đã giao")
    IN_PROGRESS = tl.IN_PROGRESS, _("Đang thực hiện")
    RESULT_SUBMITTED = tl.RESULT_SUBMITTED, _("Đã gửi kết quả")
    COMPLETED = tl.COMPLETED, _("Hoàn thành")
    CANCELLED = tl.CANCELLED, _("Đã hủy, rút")


class TaskQuerySet(models.QuerySet["Task"]):
    def visible_to(self, user: object) -> TaskQuerySet:
        """Tasks a user may see (DOMAIN.md §2).

        The City Office, leaders, inspectors and administrators see every task; a unit's people see the tasks
        their unit leads or coordinates. Tasks from secret documents are shown only to those cleared for them.
        """
        from dondoc.org.access import person_of

        person = person_of(user)
        if person is None:
            return self.none()
        return self.visible_by(
            person.unit_id, everything=person.sees_everything, cleared=person.cleared_for_secrets
        )

    def visible_by(self, unit_id: int | None, *, everything: bool, cleared: bool) -> TaskQuerySet:
        """`visible_to` for a person of unit `unit_id` who sees every task (`everything`) or not, cleared for
        secret ones or not."""
        qs = self
        if not everything:
            coordinated = Coordination.objects.filter(unit_id=unit_id).values("task_id")  # type: ignore[misc]
            qs = qs.filter(Q(lead_unit_id=unit_id) | Q(pk__in=coordinated))
        if not cleared:
            qs = qs.filter(secret=False)
        return qs

    def visible_parts(self, user: object) -> list[TaskQuerySet]:
        """`visible_to` as disjoint parts whose union it is, each of which the database reads off an index: for a
        unit's people the tasks their unit leads and, apart, those it coordinates (led by another unit) — one
        condition "leads or coordinates" makes the database test every task; for anyone else one part. A count
        over `visible_to` is the sum of the counts over the parts."""
        from dondoc.org.access import person_of

        person = person_of(user)
        if person is None or person.sees_everything:
            return [self.visible_to(user)]
        coordinated = Coordination.objects.filter(unit_id=person.unit_id).values("task_id")
        own, others = self, self
        if not person.cleared_for_secrets:
            own, others = self.filter(secret=False), self.filter(secret=False)
        return [
            own.filter(lead_unit_id=person.unit_id),
            others.filter(pk__in=coordinated).exclude(lead_unit_id=person.unit_id),
        ]

    def with_deadline_on(self, ref: date, name: str = "due_then") -> TaskQuerySet:
        """Annotate `name` with the deadline in force on `ref` (`Task.deadline_on`): the current deadline, except
        for a task with an approved deadline change decided after `ref` — then the one approved last on or before
        `ref`, else its original deadline."""
        approved = DeadlineChange.objects.filter(
            task_id=OuterRef("pk"), status=DeadlineChange.Status.APPROVED, kind=DeadlineChange.Kind.EXTEND
        )
        then = approved.filter(decided_on__lte=ref).order_by("-decided_on", "-id").values("approved_due_date")
        return self.annotate(
            **{
                name: Case(
                    When(
                        Exists(approved.filter(decided_on__gt=ref)),
                        then=Coalesce(Subquery(then[:1]), F("original_due_date"), F("due_date")),
                    ),
                    default=F("due_date"),
                    output_field=models.DateField(),
                )
            }
        )

    def with_result_on(self, ref: date) -> TaskQuerySet:
        """Annotate `stood_then` (a result stood on `ref` that the City Office returned only later) and `done_then`
        (the completion date as it stood on `ref`: that result's document date, else `completed_on`). The latest
        result submitted by the end of `ref` is the one that stood then; returned after `ref`, the task was judged
        by it on `ref` — delivered on time, it was not overdue then (issue 14: a later decision never changes the
        figures of a past date). The few tasks concerned are one semi-join (the index on `returned_at`); only
        their rows look their result up."""
        end = timezone.make_aware(datetime.combine(ref + timedelta(days=1), time.min))
        returned = Result.objects.filter(returned_at__gte=end, submitted_at__lt=end)
        newer = Result.objects.filter(
            task_id=OuterRef("task_id"), submitted_at__lt=end, submitted_at__gt=OuterRef("submitted_at")
        )
        stood = Q(pk__in=returned.filter(~Exists(newer)).values("task_id"))
        its_date = (
            returned.filter(task_id=OuterRef("pk")).order_by("-submitted_at", "-id").values("document_date")
        )
        return self.annotate(
            stood_then=Case(
                When(stood, then=Value(True)), default=Value(False), output_field=models.BooleanField()
            ),
            done_then=Case(
                When(stood, then=Subquery(its_date[:1])),
                default=F("completed_on"),
                output_field=models.DateField(),
            ),
        )

    def with_lead_on(self, day: date, name: str = "lead_then") -> TaskQuerySet:
        """Annotate `name` with the id of the unit that led the task on `day` (`Task.lead_on`, its twin): the
        unit a change of lead effective after `day` took the task from, else the current lead unit."""
        later = LeadChange.objects.filter(task_id=OuterRef("pk"), effective_on__gt=day).order_by(
            "effective_on", "id"
        )
        return self.annotate(
            **{
                name: Coalesce(
                    Subquery(later.values("from_unit_id")[:1]),
                    F("lead_unit_id"),
                    output_field=models.BigIntegerField(),
                )
            }
        )

    def with_head_name_on(self, day: date, name: str = "head_then") -> TaskQuerySet:
        """Annotate `name` with the name of the head accountable on `day` (`Task.accountable_head_on`): the head
        before the first change of lead effective after `day` (none if there was none), else the current one."""
        later = LeadChange.objects.filter(task_id=OuterRef("pk"), effective_on__gt=day).order_by(
            "effective_on", "id"
        )
        return self.annotate(
            **{
                name: Case(
                    When(Exists(later), then=Subquery(later.values("from_head__full_name")[:1])),
                    default=F("accountable_head__full_name"),
                    output_field=models.CharField(),
                )
            }
        )

    def led_on(self, day: date, unit_ids: list[int]) -> TaskQuerySet:
        """The tasks that one of `unit_ids` led on `day` (`with_lead_on`)."""
        return self.with_lead_on(day, "lead_on_day").filter(lead_on_day__in=unit_ids)  # type: ignore[misc]

    def with_bucket(self, ref: date, soon_limit: date, among: str | None = None) -> TaskQuerySet:
        """Annotate each task's bucket on `ref`. `among`: the bucket every task here is known to be in (a list of
        one bucket, `in_bucket(among, …)`): the annotation is then that name, not the CASE that computes it —
        compiling the CASE was ~2.5 ms of a list page (issue 19) — unless the bucket holds a part (within the
        deadline holds due soon, `tl.PARTS`), whose tasks' buckets differ."""
        if among and among not in tl.PARTS:
            return self.annotate(bucket=models.Value(among, output_field=models.CharField()))
        return self.annotate(bucket=tl.bucket_expression(ref, soon_limit))

    def in_bucket(self, name: str, ref: date, soon_limit: date) -> TaskQuerySet:
        return self.filter(tl.bucket_filter(name, ref, soon_limit))

    def open(self) -> TaskQuerySet:
        return self.filter(state__in=tl.OPEN_STATES)


class Task(models.Model):
    """One assignment of work: one lead unit (*đơn vị chủ trì*), coordinators, a deadline and requirements."""

    # The bucket annotated by `TaskQuerySet.with_bucket`; "" on a task read without it, as a template shows a
    # missing attribute — read as such, not looked up and failed (Django then lists the instance's attributes:
    # ~0.25 ms a row of a task list without buckets).
    bucket = ""

    directive = models.ForeignKey(
        Directive, models.PROTECT, related_name="tasks", verbose_name=_("văn bản giao")
    )
    clause = models.CharField(_("điều, khoản, mục"), max_length=60, blank=True)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("nhiệm vụ cha")
    )
    # Whether a child of this task has been issued (*đã giao nhiệm vụ con cho đơn vị*): kept by a database trigger
    # on every write of a task (tracking 0008), never by hand. Such a task is counted by its children, not itself
    # (`dondoc.evaluation.stats._tracked`, `counts._counted`): the parent is not counted twice. The database
    # default lets a raw insert (bulk COPY) leave it out.
    has_issued_children = models.BooleanField(
        _("đã giao nhiệm vụ con cho đơn vị"), default=False, db_default=False, editable=False
    )
    lead_unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="led_tasks", verbose_name=_("đơn vị chủ trì")
    )
    coordinating_units = models.ManyToManyField(
        Unit,
        through="Coordination",
        related_name="coordinated_tasks",
        blank=True,
        verbose_name=_("đơn vị phối hợp"),
    )
    accountable_head = models.ForeignKey(
        Person,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="accountable_tasks",
        verbose_name=_("thủ trưởng chịu trách nhiệm"),
    )
    officer = models.ForeignKey(
        Person,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="officer_tasks",
        verbose_name=_("cán bộ thực hiện"),
    )
    content = models.TextField(_("nội dung nhiệm vụ"))
    requirements = models.TextField(_("yêu cầu cụ thể, sản phẩm"), blank=True)
    must_submit = models.BooleanField(_("phải trình"), default=False)
    must_report = models.BooleanField(_("phải báo cáo"), default=False)
    due_date = models.DateField(_("thời hạn hoàn thành"), null=True, blank=True)
    original_due_date = models.DateField(_("thời hạn ban đầu"), null=True, blank=True)
    due_text = models.CharField(_("thời hạn theo văn bản"), max_length=200, blank=True)
    internal_due_date = models.DateField(_("hạn nội bộ của đơn vị"), null=True, blank=True)
    report_due = models.DateField(_("thời hạn báo cáo"), null=True, blank=True)
    report_day_of_month = models.PositiveSmallIntegerField(
        _("báo cáo trước ngày hằng tháng"), null=True, blank=True
    )
    report_text = models.CharField(_("thời hạn báo cáo theo văn bản"), max_length=200, blank=True)
    secret = models.BooleanField(_("nhiệm vụ mật"), default=False)
    state = models.CharField(_("trạng thái"), max_length=20, choices=State.choices, default=State.DRAFT)
    assigned_on = models.DateField(_("ngày giao"), null=True, blank=True)
    # The date of the standing result document: set on submission (awaiting confirmation), kept on confirmation,
    # cleared when the result is returned.
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    # The day the cancellation or withdrawal was decided: before it, the task was still tracked (evaluation as of a
    # date, issue 14). NULL for a task cancelled before the column existed with no history to date it.
    cancelled_on = models.DateField(_("ngày hủy, rút"), null=True, blank=True)
    deadline_changes = models.PositiveSmallIntegerField(_("số lần điều chỉnh thời hạn"), default=0)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search = models.TextField(editable=False, default="")

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        indexes = [
            # A unit's tasks with every column their buckets and counters read (`queries.bucket_counts`), secrecy
            # included: a unit's counts are read off the index, not the table.
            models.Index(
                fields=["lead_unit", "state", "due_date", "completed_on", "secret"], name="task_lead_bucket"
            ),
            models.Index(fields=["state", "due_date"], name="task_state_due"),
            # Covers the month counts (due date, unit, state, completion date) without reading the table.
            models.Index(fields=["due_date", "lead_unit", "state", "completed_on"], name="task_due_cover"),
            # A unit's open tasks already in deadline order: the overdue page is read straight off the index.
            models.Index(
                fields=["lead_unit", "due_date", "id"],
                condition=Q(state__in=tl.OPEN_STATES),
                name="task_open_lead_due",
            ),
            # Every open task in deadline order: the city's overdue (due soon, in deadline) page is its first rows,
            # and with the columns of the open buckets (state, completion date, secrecy) their count reads it only;
            # with the lead unit, a unit's people's page of an open bucket (the tasks it leads or coordinates) finds
            # its ids in it alone (`queries.bucket_page`: at 10^6, 157 buffers instead of 2,338 visiting the rows).
            models.Index(
                fields=["due_date", "id", "state", "completed_on", "secret", "lead_unit"],
                condition=Q(state__in=tl.OPEN_STATES),
                name="task_open_due",
            ),
            # The City Office's "results awaiting confirmation" in the order they arrived: read off this index, not
            # sorted from every submitted task (0.34 s at 10^6 tasks, 18k of them submitted).
            models.Index(
                fields=["updated_at"], condition=Q(state=tl.RESULT_SUBMITTED), name="task_results_waiting"
            ),
            # "Was anything assigned or cancelled after the reference date?" (evaluation as of a date): one probe.
            models.Index(fields=["assigned_on"], name="task_assigned_on"),
            models.Index(fields=["cancelled_on"], name="task_cancelled_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=tl.COMPLETED) | Q(completed_on__isnull=False),
                name="task_completed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(report_day_of_month__isnull=True)
                | Q(report_day_of_month__gte=1, report_day_of_month__lte=31),
                name="task_report_day_valid",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="task_progress_max_100"),
        ]

    def __str__(self) -> str:
        """Its name in lists, form choices, messages and the audit trail: a secret task only by its masked number."""
        from dondoc.tracking.secrecy import shown_content

        return shown_content(self.pk, self.content, self.secret, limit=80)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search = fold(f"{self.content} {self.requirements}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search", "updated_at"}
        try:
            super().save(*args, **kwargs)
        finally:
            along = self.__dict__.pop("_schedule_stored", False)
        if "_next_followup_at" in self.__dict__:  # set since it was read: stored where it lives
            at = self.__dict__.pop("_next_followup_at")
            if not along:  # not written with the row's UPDATE (`_do_update`)
                TaskSchedule.store(self.pk, at, self.__dict__.get("stored_next_followup_at", _UNKNOWN))
            self.__dict__["stored_next_followup_at"] = at

    def get_absolute_url(self) -> str:
        return url_by_id("tracking:task_detail", self.pk)

    def _do_update(  # type: ignore[override]  # Django 5.2's signature (the stubs are a later version's)
        self, base_qs: Any, using: Any, pk_val: Any, values: Any, update_fields: Any, forced_update: Any
    ) -> bool:
        """Django's UPDATE of the row, written as SQL (`compiled.plain_update`): every action saves its task."""
        if values and not self._meta.select_on_save and not base_qs.query.where:
            then = self._schedule_along(using)
            updated = plain_update(type(self), using, pk_val, values, then)
            if updated is not None:
                self.__dict__["_schedule_stored"] = then is not None and updated
                return updated
        return bool(super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update))  # type: ignore[call-arg]

    def _schedule_along(self, using: str) -> tuple[str, list[Any]] | None:
        """On PostgreSQL, the upsert of the next follow-up time set since it was read (what `save` would write after
        the UPDATE, `TaskSchedule.store`), as the UPDATE's following statement (`plain_update`'s `then`): one
        statement fewer for an action that changes it (issue 19)."""
        if "_next_followup_at" not in self.__dict__ or connections[using].vendor != "postgresql":
            return None
        at = self.__dict__["_next_followup_at"]
        if at == self.__dict__.get("stored_next_followup_at", _UNKNOWN):
            return None
        return TaskSchedule.upsert("SELECT updated.id, %s FROM updated"), [TaskSchedule.db_value(at)]

    # When the follow-up engine next looks at this task (reminder, escalation or progress request); None = nothing
    # due. Kept in `TaskSchedule`, a narrow table of its own (issue 19: the daily pass moves ~15k of them at 10^6,
    # and a row of this table rewrites its ~17 index entries): read from there once per instance (or with the
    # task, as the actions' locked read does: `stored_next_followup_at`); once set, `save` writes it there when it
    # changed.
    @property
    def next_followup_at(self) -> datetime | None:
        if "_next_followup_at" in self.__dict__:
            return self.__dict__["_next_followup_at"]
        if "stored_next_followup_at" not in self.__dict__:
            self.stored_next_followup_at = (
                TaskSchedule.objects.filter(task_id=self.pk).values_list("next_at", flat=True).first()
                if self.pk
                else None
            )
        stored = self.__dict__["stored_next_followup_at"]
        if isinstance(stored, str):  # SQLite's text of a column read beside the row (`actions._lock`), in UTC
            stored = parse_datetime(stored)
        if stored is not None and stored.tzinfo is None:
            stored = self.__dict__["stored_next_followup_at"] = stored.replace(tzinfo=UTC)
        return stored

    @next_followup_at.setter
    def next_followup_at(self, value: datetime | None) -> None:
        self.__dict__["_next_followup_at"] = value

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        for name in ("_next_followup_at", "stored_next_followup_at"):
            self.__dict__.pop(name, None)
        super().refresh_from_db(*args, **kwargs)

    def hold_coordinations(self, rows: Iterable[Coordination]) -> None:
        """`self.coordinations.all()` answers `rows` from now on without a query (Django's prefetch cache, as
        `prefetch_related` fills it), for a caller that has just read or written them."""
        held = self.coordinations.all()
        held._result_cache, held._prefetch_done = list(rows), True  # type: ignore[attr-defined]
        cache = getattr(self, "_prefetched_objects_cache", {})
        self._prefetched_objects_cache = {**cache, "coordinations": held}  # type: ignore[attr-defined]

    @property
    def is_open(self) -> bool:
        return self.state in tl.OPEN_STATES

    @property
    def kind(self) -> str:
        return tl.kind(self.due_date is not None, self.must_submit or self.must_report)

    @property
    def kind_label(self) -> str:
        return tl.KIND_LABELS[self.kind]

    def bucket_on(self, ref: date, soon_limit: date) -> str:
        return tl.bucket(self.state, self.due_date, self.completed_on, ref, soon_limit)

    def deadline_on(self, day: date) -> date | None:
        """The deadline in force on `day` (*thời hạn có hiệu lực*): approved deadline changes decided on or before
        `day` count, later ones do not (the twin of `TaskQuerySet.with_deadline_on`)."""
        approved = [
            c
            for c in self.deadline_requests.all()
            if c.status == DeadlineChange.Status.APPROVED and c.kind == DeadlineChange.Kind.EXTEND
        ]
        if not any(c.decided_on and c.decided_on > day for c in approved):
            return self.due_date
        before = sorted(
            (c for c in approved if c.decided_on and c.decided_on <= day), key=lambda c: (c.decided_on, c.pk)
        )
        if before:
            return before[-1].approved_due_date
        return self.original_due_date or self.due_date

    def _change_after(self, day: date) -> LeadChange | None:
        later = [c for c in self.lead_changes.all() if c.effective_on > day]
        return min(later, key=lambda c: (c.effective_on, c.pk)) if later else None

    def lead_on(self, day: date) -> int:
        """The id of the unit that led the task on `day` (*đơn vị chủ trì vào ngày*): a change of lead is effective
        from its date, so before it the task stays with the unit it was taken from (twin of
        `TaskQuerySet.with_lead_on`)."""
        change = self._change_after(day)
        return change.from_unit_id if change else self.lead_unit_id

    def accountable_head_on(self, day: date) -> Person | None:
        """The head accountable for the task on `day` (DOMAIN.md §5): the head of the lead unit at assignment until
        a change of lead takes effect, the new lead unit's head (at the change) from then on."""
        change = self._change_after(day)
        return change.from_head if change else self.accountable_head

    @property
    def effective_due(self) -> date | None:
        """The effective deadline (`timeliness.effective_deadline`)."""
        return tl.effective_deadline(self.due_date)

    @property
    def deadline_rule_text(self) -> str:
        """The rule applied to the deadline, in words ("hạn 14/02/2026 (thứ Bảy) → tính đến 23/02/2026 …")."""
        return tl.current_rule().explain(self.due_date)

    @property
    def awaiting_confirmation(self) -> bool:
        """Result submitted, judged by its document's date, not yet confirmed (*chờ xác nhận*)."""
        return tl.awaiting_confirmation(self.state, self.completed_on)


_UNKNOWN = object()


class TaskSchedule(models.Model):
    """When the follow-up engine next looks at a task (`Task.next_followup_at`): one row per task that had a next
    step, `next_at` NULL when it has none now (no row: none either). A table of two columns and two indexes, so
    that the engine's daily pass, which moves the time of every task it processed (~15k at 10^6), writes two
    index entries a task instead of a new version of a wide `tracking_task` row in each of its ~17 indexes (and
    fires none of that table's triggers); the claim reads `next_at`'s index (issue 19)."""

    task = models.OneToOneField(Task, models.CASCADE, primary_key=True, related_name="schedule")
    next_at = models.DateTimeField(_("lần đôn đốc tiếp theo"), null=True, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.task_id}: {self.next_at}"

    @staticmethod
    def db_value(at: datetime | None) -> Any:
        """`at` as a raw statement's parameter (SQLite keeps times as UTC text)."""
        return TaskSchedule._meta.get_field("next_at").get_db_prep_value(at, connection)

    @staticmethod
    def store(task_id: int, at: datetime | None, stored: object = _UNKNOWN) -> None:
        """Set one task's time (one upsert), unless it is `stored` already (a caller that read it)."""
        if at == stored:
            return
        with connection.cursor() as cur:
            cur.execute(TaskSchedule.upsert("VALUES (%s, %s)"), [task_id, TaskSchedule.db_value(at)])

    @staticmethod
    def upsert(rows: str) -> str:
        """The statement that sets the times of the tasks `rows` gives (`VALUES …` or `SELECT …` of task, time)."""
        table = connection.ops.quote_name(TaskSchedule._meta.db_table)
        return (
            f"INSERT INTO {table} (task_id, next_at) {rows} "
            "ON CONFLICT (task_id) DO UPDATE SET next_at = excluded.next_at"
        )


class CountedRow(models.Model):
    """The columns of a counted row (`tracking.counted`): a task's secrecy and its bucket's columns, and how many
    tasks share them."""

    secret = models.BooleanField()
    state = models.CharField(max_length=20)
    due_date = models.DateField(null=True)
    completed_on = models.DateField(null=True)
    n = models.IntegerField(default=0)
    # 0: the key's folded row; else a pending row appended by a PostgreSQL writer (a number from the sequence
    # `counted_pending`), moved into the folded row after its commit (`core.counted_sql`). A key counts the sum
    # of its rows.
    pending = models.BigIntegerField(default=0, db_default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.secret}/{self.state}/{self.due_date}/{self.completed_on}: {self.n}"


class BucketCount(CountedRow):
    """How many tasks share the columns their bucket is read from (`tracking.counted`): the task list's and the
    home pages' counters at 10^6 tasks sum these few rows instead of counting the tasks. Kept by database
    triggers on every write to `tracking_task`; a task's row is its lead unit, secrecy and its bucket's columns
    collapsed to what decides the bucket on any date (`counted.KEY`), so `timeliness.bucket_filter` selects the
    rows of a bucket exactly as it selects the tasks. Never written by the application."""

    lead_unit = models.ForeignKey(
        Unit, models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )

    class Meta:
        # The open rows by deadline, with what their sums read: the overdue tasks by lead unit (the leaders' home
        # page, the urging page's overview) read ~13k rows off this index instead of scanning the ~130k rows of
        # the table at 10^6 tasks (issue 19: PostgreSQL's CPU for the leaders' home page ~15 -> ~5 ms).
        indexes = [
            models.Index(
                fields=["due_date"],
                include=["lead_unit", "state", "completed_on", "n"],
                condition=Q(state__in=("assigned", "in_progress", "result_submitted")),
                name="bucketcount_open_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.lead_unit_id}/{super().__str__()}"


class CityBucketCount(CountedRow):
    """The counted buckets of the whole city (`tracking.counted`): `BucketCount` without the lead unit, ~9k rows
    where the units' are ~130k at 10^6 tasks — what the counters of a reader who sees every unit sum. A row keeps
    the deadline of every task (not only of those whose bucket it decides), so that writers of tasks with
    different deadlines take different rows (no city-wide row that every confirmation would lock); the reads
    decide the bucket from the columns that decide it (`counted.bucket_counts`, `timeliness.bucket_filter`).
    Kept by the same triggers; never written by the application."""


class CoordinatedBucketCount(CountedRow):
    """How many tasks a unit coordinates share the columns their bucket is read from (`tracking.counted`): a unit's
    people see the tasks it leads (`BucketCount`) and those it coordinates (~7,000 at 10^6 tasks, scattered over
    the task table: counted from the tasks, 7,143 probes of it), so the second part of their counters sums these
    rows of their unit instead. A row is the coordinating unit and the task's row without its lead unit
    (`counted.coordinated_key`). Kept by the same triggers on `tracking_task` (a task's coordinations move with
    it) and by triggers on `tracking_coordination` (a coordination added, removed or moved); never written by the
    application."""

    unit = models.ForeignKey(Unit, models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+")

    def __str__(self) -> str:
        return f"{self.unit_id}/{super().__str__()}"


class Coordination(models.Model):
    """A coordinating unit (*đơn vị phối hợp*) of a task; never its lead unit."""

    task = models.ForeignKey(Task, models.CASCADE, related_name="coordinations")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="coordinations", verbose_name=_("đơn vị"))
    input_due = models.DateField(_("hạn gửi ý kiến"), null=True, blank=True)

    class Meta:
        verbose_name = _("đơn vị phối hợp")
        verbose_name_plural = _("đơn vị phối hợp")
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="coordination_unique")]
        # A unit's coordinated tasks read off the index (`visible_to`, the worklist, the counters): their ids
        # without visiting the table's rows (at 10^6 tasks a unit coordinates ~7,000, on ~4,400 pages of it).
        indexes = [
            models.Index(fields=["unit", "task"], name="coordination_unit_task"),
            # The input deadlines of a batch of tasks (the follow-up engine's facts, `followup.facts.facts_for`):
            # few coordinations have one, so this index is small, and the engine's 500 probes a batch stay in it
            # instead of visiting ~500 rows of the table through the task index (~15 ms a batch at 10^6).
            models.Index(
                fields=["task", "unit", "input_due"],
                condition=Q(input_due__isnull=False),
                name="coordination_input_due",
            ),
        ]

    def __str__(self) -> str:
        return str(self.unit)


class AppendOnlyQuerySet(models.QuerySet["TaskEvent"]):
    def update(self, **kwargs: object) -> int:
        raise PermissionError("Lịch sử nhiệm vụ chỉ được ghi thêm, không được sửa.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Lịch sử nhiệm vụ chỉ được ghi thêm, không được xóa.")


class TaskEvent(models.Model):
    """One row of a task's history (*lịch sử*): append-only, written by the domain functions only."""

    class Action(models.TextChoices):
        CREATE = "create", _("Tạo nhiệm vụ")
        ASSIGN = "assign", _("Giao nhiệm vụ")
        ACKNOWLEDGE = "acknowledge", _("Tiếp nhận")
        DELEGATE = "delegate", _("Phân công cán bộ")
        CONTRIBUTE = "contribute", _("Đơn vị phối hợp gửi ý kiến")
        PROGRESS = "progress", _("Báo cáo tiến độ")
        SUBMIT = "submit", _("Gửi kết quả")
        CONFIRM = "confirm", _("Xác nhận hoàn thành")
        RETURN = "return", _("Trả lại kết quả")
        REQUEST_CHANGE = "request_change", _("Đề nghị điều chỉnh thời hạn")
        DECIDE_CHANGE = "decide_change", _("Quyết định về đề nghị điều chỉnh")
        CHANGE_LEAD = "change_lead", _("Thay đổi đơn vị chủ trì")
        CANCEL = "cancel", _("Hủy, rút nhiệm vụ")
        EDIT = "edit", _("Sửa thông tin")
        URGE = "urge", _("Đôn đốc")
        DERIVE = "derive", _("Giao nhiệm vụ con")

    task = models.ForeignKey(Task, models.PROTECT, related_name="events")
    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, verbose_name=_("người thực hiện")
    )
    action = models.CharField(_("hành động"), max_length=20, choices=Action.choices)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    #: What the INSERT of history rows (`actions.insert_events`) reads back with each row besides its id, set on the
    #: row under that name: name → the SQL expression for a database vendor. The webhooks put the active
    #: subscribers there (`api.webhooks`): they come with the row, not by a statement of their own.
    returned: ClassVar[dict[str, Callable[[str], str]]] = {}

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("lịch sử nhiệm vụ")
        verbose_name_plural = _("lịch sử nhiệm vụ")
        indexes = [models.Index(fields=["task", "at"], name="taskevent_task_at")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_action_display()}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise PermissionError("Lịch sử nhiệm vụ chỉ được ghi thêm, không được sửa.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("Lịch sử nhiệm vụ chỉ được ghi thêm, không được xóa.")


class LeadChange(models.Model):
    """A change of the lead unit (*thay đổi đơn vị chủ trì*), effective from `effective_on`: a merger or split of
    units re-homes open tasks, or the City Office moves one task. Before that date the task was led by `from_unit`
    and `from_head` was accountable; from it, `to_unit` and `to_head`. Counts by unit put the task under the unit
    that led it on the period's reference date (`evaluation.stats`). Written only by `actions.change_lead`."""

    task = models.ForeignKey(Task, models.PROTECT, related_name="lead_changes")
    from_unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("đơn vị chủ trì cũ"))
    to_unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("đơn vị chủ trì mới"))
    from_head = models.ForeignKey(
        Person, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("thủ trưởng trước")
    )
    to_head = models.ForeignKey(
        Person, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("thủ trưởng sau")
    )
    effective_on = models.DateField(_("hiệu lực từ ngày"), db_index=True)
    reason = models.TextField(_("lý do"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người ghi nhận"),
    )
    decided_at = models.DateTimeField(_("thời điểm ghi nhận"))

    class Meta:
        ordering = ["effective_on", "id"]
        verbose_name = _("thay đổi đơn vị chủ trì")
        verbose_name_plural = _("thay đổi đơn vị chủ trì")
        indexes = [models.Index(fields=["task", "effective_on"], name="leadchange_task_day")]

    def __str__(self) -> str:
        return f"{self.from_unit} → {self.to_unit} ({self.effective_on:%d/%m/%Y})"


class DeadlineChange(models.Model):
    """A request to change a deadline or withdraw a task (*đề nghị điều chỉnh thời hạn, rút nhiệm vụ*)."""

    class Kind(models.TextChoices):
        EXTEND = "extend", _("Điều chỉnh thời hạn")
        WITHDRAW = "withdraw", _("Rút nhiệm vụ")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ quyết định")
        APPROVED = "approved", _("Đã chấp thuận")
        REJECTED = "rejected", _("Không chấp thuận")

    task = models.ForeignKey(Task, models.PROTECT, related_name="deadline_requests")
    kind = models.CharField(_("loại đề nghị"), max_length=10, choices=Kind.choices, default=Kind.EXTEND)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("ngày đề nghị"))
    reason = models.TextField(_("lý do"))
    old_due_date = models.DateField(_("thời hạn cũ"), null=True, blank=True)
    proposed_due_date = models.DateField(_("thời hạn đề nghị"), null=True, blank=True)
    status = models.CharField(_("kết quả"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True, db_index=True)  # local date
    approved_due_date = models.DateField(_("thời hạn được chấp thuận"), null=True, blank=True)
    decision_document = models.CharField(_("văn bản quyết định"), max_length=120, blank=True)
    decision_note = models.TextField(_("ý kiến"), blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("đề nghị điều chỉnh thời hạn")
        verbose_name_plural = _("đề nghị điều chỉnh thời hạn")
        constraints = [
            models.UniqueConstraint(
                fields=["task"], condition=Q(status="pending"), name="one_pending_deadline_request"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.get_status_display()}"


class Contribution(models.Model):
    """A coordinating unit's input (*ý kiến phối hợp*), visible to the lead unit."""

    task = models.ForeignKey(Task, models.PROTECT, related_name="contributions")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("đơn vị phối hợp"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField()
    text = models.TextField(_("nội dung"))
    file = models.FileField(_("tệp đính kèm"), upload_to="contributions/%Y/", blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("ý kiến phối hợp")
        verbose_name_plural = _("ý kiến phối hợp")

    def __str__(self) -> str:
        return f"{self.unit}: {self.text[:60]}"


class ProgressReport(models.Model):
    """A progress report (*báo cáo tiến độ*) by the lead unit."""

    task = models.ForeignKey(Task, models.PROTECT, related_name="progress_reports")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField()
    text = models.TextField(_("nội dung"))
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"))
    file = models.FileField(_("tệp đính kèm"), upload_to="progress/%Y/", blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="progress_percent_max_100")]

    def __str__(self) -> str:
        return f"{self.percent}% — {self.text[:60]}"


class Result(models.Model):
    """The result document (*văn bản kết quả*): its date is the task's completion date."""

    task = models.ForeignKey(Task, models.PROTECT, related_name="results")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    document_number = models.CharField(_("số, ký hiệu văn bản kết quả"), max_length=60)
    document_date = models.DateField(_("ngày văn bản kết quả"))
    summary = models.TextField(_("tóm tắt kết quả"), blank=True)
    file = models.FileField(_("tệp kết quả"), upload_to="results/%Y/", blank=True)
    returned_reason = models.TextField(_("lý do trả lại"), blank=True)
    # When the City Office returned it (`actions.return_result`): until then the result stood, and the figures as of
    # a date before it count the task as it stood then (`stats.AsOf.returned`).
    returned_at = models.DateTimeField(_("thời điểm trả lại"), null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "id"]
        # The few returned results: `stats.as_of` reads the latest return, `with_result_on` those after a date.
        indexes = [
            models.Index(
                fields=["returned_at"], condition=Q(returned_at__isnull=False), name="result_returned_at"
            )
        ]
        verbose_name = _("kết quả")
        verbose_name_plural = _("kết quả")

    def __str__(self) -> str:
        return f"{self.document_number} ({self.document_date:%d/%m/%Y})"
