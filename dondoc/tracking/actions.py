"""The domain functions: one per action on a task (DOMAIN.md §5). Nothing else writes a task.

Each function checks that the user may act (`permissions.may`), locks the row, refuses a stale edit (the version
the user saw must still be current), writes the task and exactly one history row, in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import BooleanField, DateTimeField, Field, QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_save
from django.utils import timezone

from dondoc.audit.bulk import record_bulk_create
from dondoc.audit.signals import remember
from dondoc.core.dates import out_of_range
from dondoc.core.uploads import check_upload
from dondoc.directives.models import HIGHER_AUTHORITIES, Directive
from dondoc.directives.notation import NotationError, parse_notation
from dondoc.org.access import person_of
from dondoc.org.models import Person, Unit
from dondoc.tracking import held, permissions, reporting
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import (
    Contribution,
    Coordination,
    DeadlineChange,
    LeadChange,
    ProgressReport,
    Result,
    Task,
    TaskEvent,
    TaskSchedule,
)
from dondoc.tracking.signals import progress_reported, task_changed

Action = TaskEvent.Action
_F = TypeVar("_F", bound=Callable[..., Any])
_ONE_ACTION = "dondoc_one_action"  # set on the connection inside `one_action`


@contextmanager
def one_action() -> Iterator[None]:
    """The transaction of one action asked by a caller that lets any error of it end the transaction (the API):
    the caller reads the task in it under the row lock, with what `_lock` reads (`lock_columns`, marked by
    `mark_locked`), and `_lock` takes that row instead of reading it again; the action's own transaction adds no
    savepoint (two statements, SAVEPOINT and RELEASE, for nothing: an error rolls the whole transaction back)."""
    with transaction.atomic():
        setattr(connection, _ONE_ACTION, True)
        try:
            yield
        finally:
            setattr(connection, _ONE_ACTION, False)


def _atomic(func: _F) -> _F:
    """`transaction.atomic` for an action: without a savepoint inside `one_action`."""

    @wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        with transaction.atomic(savepoint=not getattr(connection, _ONE_ACTION, False)):
            return func(*args, **kwargs)

    return run  # type: ignore[return-value]


class StaleEdit(ValidationError):
    """Someone else changed the task since the user loaded it (no lost update)."""


def _fmt(value: object) -> object:
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Unit | Person):
        return str(value)
    return value


def _event(
    task: Task,
    user: Any,
    action: str,
    changes: dict[str, tuple[object, object]],
    note: str = "",
    at: Any = None,
) -> TaskEvent:
    """The timeline row of `action` on `task` by `user` (not saved)."""
    return TaskEvent(
        task=task,
        at=at or timezone.now(),
        actor=user if getattr(user, "pk", None) else None,
        action=action,
        changes={k: [_fmt(a), _fmt(b)] for k, (a, b) in changes.items()},
        note=note,
    )


def _record(
    task: Task, user: Any, action: str, changes: dict[str, tuple[object, object]], note: str = ""
) -> TaskEvent:
    event = _event(task, user, action, changes, note)
    insert_events([event])
    history = getattr(task, "_history", None)
    if history is not None:  # the task holds its history (`_lock`): the answer shows this row without asking
        history.append(event)
    return event


_EVENT_FIELDS = ("task", "at", "actor", "action", "changes", "note")
_EVENT_BATCH = 500


def insert_events(events: list[TaskEvent]) -> None:
    """Write the history rows `events` (not saved yet) in one INSERT per 500, each read back with its id and with
    what `TaskEvent.returned` asks for (the webhooks' active subscribers: no statement of their own), then announce
    each as saved (`post_save`), as `TaskEvent.objects.create` does, for those who follow the timeline. Written as
    SQL: every action writes one row, and the ORM's INSERT cost more CPU to build than the database to run
    (issue 19)."""
    fields: list[Any] = [TaskEvent._meta.get_field(name) for name in _EVENT_FIELDS]
    quote = connection.ops.quote_name
    extras = [(name, sql(connection.vendor)) for name, sql in TaskEvent.returned.items()]
    head = f"INSERT INTO {quote(TaskEvent._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "
    tail = " RETURNING " + ", ".join([quote("id"), *(sql for _name, sql in extras)])
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    for start in range(0, len(events), _EVENT_BATCH):
        batch = events[start : start + _EVENT_BATCH]
        params = [f.get_db_prep_save(getattr(e, f.attname), connection) for e in batch for f in fields]  # type: ignore[union-attr]
        with connection.cursor() as cursor:
            cursor.execute(head + ", ".join([one] * len(batch)) + tail, params)
            rows = cursor.fetchall()
        for event, (pk, *values) in zip(batch, rows, strict=True):
            event.pk = pk
            event._state.adding = False
            event._state.db = connection.alias
            for (name, _sql), value in zip(extras, values, strict=True):
                setattr(event, name, value)
    for event in events:
        post_save.send(
            sender=TaskEvent,
            instance=event,
            created=True,
            update_fields=None,
            raw=False,
            using=connection.alias,
        )


def stale_edit(task: Task) -> StaleEdit:
    """The refusal of an edit made on an old version of `task`, naming who changed it last, how and when."""
    last = task.events.select_related("actor").order_by("-at", "-id").first()
    who = (last.actor.get_full_name() or last.actor.username) if last and last.actor else "hệ thống"
    what = last.get_action_display().lower() if last else "cập nhật"
    when = timezone.localtime(last.at).strftime("%H:%M %d/%m/%Y") if last else ""
    return StaleEdit(
        f"Nhiệm vụ vừa được {who} {what} lúc {when}. Vui lòng tải lại trang, xem thay đổi rồi thực hiện lại."
    )


# The task's relations a caller may have loaded already (the API and the task page load them with the task).
_CARRIED = ("directive", "lead_unit", "accountable_head", "officer", "parent")


def _lock_columns(task: str) -> list[tuple[str, str, list[Any]]]:
    """What `_lock` reads with the task, as (name, SQL, parameters) each; `task` is the SQL of the task's table: its
    next follow-up time, whether a deadline request is pending, whether it has children, and on PostgreSQL its
    history and its coordinations with their units (`held`)."""
    quote = connection.ops.quote_name
    change, schedule = quote(DeadlineChange._meta.db_table), quote(TaskSchedule._meta.db_table)
    tasks = quote(Task._meta.db_table)
    columns: list[tuple[str, str, list[Any]]] = [
        # the task's next follow-up time (`Task.next_followup_at`)
        ("stored_next_followup_at", f"(SELECT s.next_at FROM {schedule} s WHERE s.task_id = {task}.id)", []),
        (
            "pending_now",
            f"EXISTS(SELECT 1 FROM {change} d WHERE d.task_id = {task}.id AND d.status = %s)",
            [DeadlineChange.Status.PENDING],
        ),
        ("children_now", f"EXISTS(SELECT 1 FROM {tasks} c WHERE c.parent_id = {task}.id)", []),
    ]
    if connection.vendor == "postgresql":  # what the answer shows, read with it (`held`)
        columns += [
            ("history_now", f"({held.history_sql(f'{task}.id')})::text", []),
            ("coordinations_now", f"({held.coordinations_sql(f'{task}.id')})::text", []),
            # the lead unit's head now, for `assign` (`_current_head`)
            ("head_now", f"({held.head_sql(f'{task}.lead_unit_id')})::text", []),
            *((name, f"({sql()})::text", []) for name, sql in LOCKED_WITH.items()),
        ]
    return columns


# What other apps read with a task under its lock on PostgreSQL, as {attribute: its SQL of one value, made when
# asked}: the follow-up engine's rules in force (`followup.engine.refresh`), which every action that changes a
# followed task asks for.
LOCKED_WITH: dict[str, Callable[[], str]] = {}


def _current_head(task: Task) -> Person | None:
    """The head of the task's lead unit now (`Unit.current_head`), as read with the task under its lock on
    PostgreSQL (`_lock_columns`: one statement fewer for `assign`), else asked."""
    if "head_now" not in task.__dict__:
        return task.lead_unit.current_head()
    head = held.person(task.__dict__.pop("head_now"))
    if head is not None:
        head.unit = task.lead_unit  # known, as `current_head` sets it (its name is in the head's `str`)
    return head


def _lock_sql() -> str:
    """`_lock`'s read, written as SQL: every action runs it, and the ORM takes longer to build this statement than
    the database takes to answer it (issue 19). Parameters: those of `_lock_columns`, the task's id."""
    task = connection.ops.quote_name(Task._meta.db_table)
    both = ", ".join(f"{sql} AS {name}" for name, sql, _params in _lock_columns(task))
    return f"SELECT {task}.*, {both} FROM {task} WHERE {task}.id = %s" + (
        " FOR UPDATE" if connection.features.has_select_for_update else ""
    )


def lock_columns() -> dict[str, RawSQL]:
    """`_lock`'s columns as annotations of a queryset of tasks (`lock_read`)."""
    kinds: dict[str, Field[Any, Any]] = {"stored_next_followup_at": DateTimeField()}
    kinds["pending_now"] = kinds["children_now"] = BooleanField()
    task = connection.ops.quote_name(Task._meta.db_table)
    return {
        name: RawSQL(sql, params, output_field=kinds.get(name) or TextField())
        for name, sql, params in _lock_columns(task)
    }


def lock_read(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """`tasks` read as `_lock` reads a task: under the row lock (PostgreSQL), with its columns (`lock_columns`).
    A task read so inside `one_action`, and marked (`mark_locked`), is the row its action acts on."""
    return tasks.annotate(**lock_columns()).select_for_update(of=("self",))


def mark_locked(task: Task) -> Task:
    """`task`, read by `lock_read` in this transaction, is the locked row of the action that follows (`_lock`); it
    holds what was read with it (`_hold`), for the caller's checks too."""
    _hold(task)
    task._locked_in = _transaction()  # type: ignore[attr-defined]
    return task


def _transaction() -> object:
    return connection.atomic_blocks[0] if connection.in_atomic_block and connection.atomic_blocks else None


def _hold(fresh: Task) -> None:
    """What `_lock_columns` read with the task, held by it (`_lock`)."""
    fresh._pending_request = bool(fresh.pending_now)  # type: ignore[attr-defined]
    fresh._has_children = bool(fresh.children_now)  # type: ignore[attr-defined]
    if hasattr(fresh, "history_now"):  # PostgreSQL: its history and coordinations came with it
        fresh._history = held.history_rows(fresh.history_now)  # type: ignore[attr-defined]
        held.hold_coordinations(fresh, fresh.coordinations_now)  # type: ignore[attr-defined]


def _lock(task: Task, user: Any, action: str, expected_version: int | None) -> Task:
    """Reload the task under a row lock, check the version the user saw and the user's right to act.

    The related rows the caller's instance holds are kept when the locked row still points at them (not read
    again), and the locked row is the audit trail's *before* of the action's save (`audit.signals.remember`).
    Read with it, under the lock that every action takes: whether a deadline request is pending
    (`task._pending_request`, kept by the two actions that change it) and whether the task has children
    (`task._has_children`), for the rights and for the answer of the API without asking again; on PostgreSQL
    also its history and its coordinations with their units (`held`): the task holds them (`task._history`, to
    which `_record` adds the row the action writes; `task.coordinations.all()`) for the answer.

    A task its caller read so in this transaction (`lock_read`, `mark_locked`: the API) is that row, not read
    again (once: the mark is taken off)."""
    if task.__dict__.pop("_locked_in", None) is _transaction() is not None:
        fresh = task  # holding what was read with it (`mark_locked`)
    else:
        params = [p for _name, _sql, ps in _lock_columns("t") for p in ps]
        found = list(Task.objects.raw(_lock_sql(), [*params, task.pk]))
        if not found:
            raise Task.DoesNotExist(f"Task {task.pk} does not exist.")
        fresh = found[0]
        for name in _CARRIED:
            field: Any = Task._meta.get_field(name)  # a ForeignKey: its cache is the related row
            if field.is_cached(task) and getattr(task, field.attname) == getattr(fresh, field.attname):
                field.set_cached_value(fresh, field.get_cached_value(task))
        _hold(fresh)
    remember(fresh)
    if expected_version is not None and fresh.version != expected_version:
        raise stale_edit(fresh)
    if not permissions.may(person_of(user), action, fresh):
        raise PermissionDenied(permissions.DENIED[action])
    return fresh


def _save(task: Task, fields: Iterable[str]) -> None:
    task.version += 1
    task_changed.send(sender=Task, task=task)  # the next follow-up step follows every change (issue 4)
    task.save(update_fields={*fields, "version"})  # and the next follow-up time the signal set (`Task.save`)


def _check_coordinators(lead: Unit, coordinators: Iterable[Unit]) -> list[Unit]:
    units = list(dict.fromkeys(coordinators))
    if any(u.pk == lead.pk for u in units):
        raise ValidationError(
            {"coordinating_units": f"Đơn vị chủ trì «{lead}» không thể đồng thời là đơn vị phối hợp."}
        )
    return units


@_atomic
def create_task(
    directive: Directive,
    *,
    lead_unit: Unit,
    content: str,
    user: Any = None,
    coordinating_units: Iterable[Unit] = (),
    input_due: date | None = None,
    **fields: Any,
) -> Task:
    """Create a draft task of a directive with exactly one lead unit; coordinators never include the lead. With
    `input_due`, every coordinator is to send its input by that day (the follow-up engine reminds them). With
    `parent`, a child task under the rules of the task tree (`parent_errors`), secret when its parent is.

    The task returned holds what it was created with, for an answer without asking again: its coordinations
    (`task.coordinations.all()`, each with its unit) and its history, the one row written (`task._history`)."""
    if not content or not content.strip():
        raise ValidationError({"content": "Nội dung nhiệm vụ không được để trống."})
    coordinators = _check_coordinators(lead_unit, coordinating_units)
    parent = fields.get("parent")
    if parent is not None:
        if errors := parent_errors(parent, directive.pk, fields.get("due_date")):
            raise ValidationError(errors)
        fields["secret"] = fields.get("secret", False) or parent.secret
    task = Task(directive=directive, lead_unit=lead_unit, content=content.strip(), **fields)
    if task.due_date and not task.original_due_date:
        task.original_due_date = task.due_date
    task.save()
    coordinations = [Coordination(task=task, unit=u, input_due=input_due) for u in coordinators]
    record_bulk_create(Coordination.objects.bulk_create(coordinations))  # their ids set in place
    task.hold_coordinations(coordinations)
    task._history = [_record(task, user, Action.CREATE, {"lead_unit": (None, lead_unit)})]  # type: ignore[attr-defined]
    return task


def parent_errors(parent: Task, directive_id: int | None, due_date: date | None) -> dict[str, str]:
    """The rules of the task tree (*nhiệm vụ cha, nhiệm vụ con*, DOMAIN.md §3–5), as {field: message}:

    1. A child belongs to its parent's directive: it carries out the same assigning authority's task, so it is
       counted under that authority and that authority decides its extensions (the city's own plan, if any, is the
       document of assignment it names in its clause, not a second directive that would count the task again).
    2. One level: a child is not split again (a unit splits its work among its officers, `delegate`).
    3. Only a task still tracked (draft or open) takes new children.
    4. A child's deadline is no later than its parent's; under a parent with a deadline a child has one too.
    """
    errors = {}
    if parent.directive_id != directive_id:
        errors["parent"] = (
            f"Nhiệm vụ cha số {parent.pk} không thuộc văn bản này: nhiệm vụ con thuộc cùng văn bản với nhiệm vụ cha."
        )
    elif parent.parent_id is not None:
        errors["parent"] = (
            f"Nhiệm vụ số {parent.pk} đã là nhiệm vụ con; chỉ giao nhiệm vụ con từ nhiệm vụ gốc."
        )
    elif parent.state in (tl.COMPLETED, tl.CANCELLED):
        errors["parent"] = (
            f"Nhiệm vụ cha số {parent.pk} đã hoàn thành hoặc đã hủy, rút: không giao thêm nhiệm vụ con."
        )
    late = child_deadline_error(parent.due_date, due_date)
    if late:
        errors["due_date"] = late
    return errors


def child_deadline_error(parent_due: date | None, due_date: date | None) -> str:
    """Rule 4 of `parent_errors` alone (the spreadsheet import checks it between rows of one file): a child's
    deadline is no later than its parent's, and under a parent with a deadline a child has one; "" when it holds."""
    if parent_due is not None and due_date is None:
        return (
            f"Nhiệm vụ cha có thời hạn {parent_due:%d/%m/%Y}: nhiệm vụ con phải có thời hạn hoàn thành, "
            "không sau ngày đó."
        )
    if parent_due is not None and due_date is not None and due_date > parent_due:
        return (
            f"Thời hạn hoàn thành của nhiệm vụ con ({due_date:%d/%m/%Y}) không được sau thời hạn của nhiệm vụ cha "
            f"({parent_due:%d/%m/%Y})."
        )
    return ""


@_atomic
def derive(
    parent: Task,
    user: Any,
    *,
    lead_unit: Unit,
    content: str,
    expected_version: int | None = None,
    coordinating_units: Iterable[Unit] = (),
    input_due: date | None = None,
    **fields: Any,
) -> Task:
    """The City Office gives part of a task to one of the city's units (*giao nhiệm vụ con*, DOMAIN.md §3): a child
    of the same directive with its own single lead unit, coordinators and a deadline no later than the parent's
    (`parent_errors`). Under a parent already issued the child is issued at once (its unit's head accountable from
    today); under a draft parent it is a draft, issued with the directive's other drafts. The parent's history
    gains one row naming the child; once a child is issued the evaluation counts the children, not the parent."""
    parent = _lock(parent, user, "derive", expected_version)
    child = create_task(
        parent.directive,
        lead_unit=lead_unit,
        content=content,
        user=user,
        coordinating_units=coordinating_units,
        input_due=input_due,
        parent=parent,
        **fields,
    )
    if parent.state != tl.DRAFT:
        child = assign(child, user)
    parent.refresh_from_db(fields=["has_issued_children"])  # set by the trigger (tracking 0008) once issued
    remember(parent)  # the row as it now is in the database, the trigger's change included
    _save(parent, [])
    _record(
        parent,
        user,
        Action.DERIVE,
        {
            "child": (None, f"số {child.pk}"),
            "lead_unit": (None, lead_unit),
            "due_date": (None, child.due_date),
        },
    )
    return child


@_atomic
def assign(task: Task, user: Any, *, on: date | None = None, expected_version: int | None = None) -> Task:
    """Issue a draft task (→ assigned); the head of the lead unit at this moment becomes accountable."""
    task = _lock(task, user, "assign", expected_version)
    task.state = tl.ASSIGNED
    task.assigned_on = on or timezone.localdate()
    task.accountable_head = _current_head(task)
    _save(task, ["state", "assigned_on", "accountable_head"])
    _record(
        task,
        user,
        Action.ASSIGN,
        {"state": (tl.DRAFT, tl.ASSIGNED), "accountable_head": (None, task.accountable_head)},
    )
    return task


@_atomic
def acknowledge(task: Task, user: Any, *, expected_version: int | None = None) -> Task:
    """The lead unit receives the task (→ in progress)."""
    task = _lock(task, user, "acknowledge", expected_version)
    task.state = tl.IN_PROGRESS
    _save(task, ["state"])
    _record(task, user, Action.ACKNOWLEDGE, {"state": (tl.ASSIGNED, tl.IN_PROGRESS)})
    return task


@_atomic
def delegate(
    task: Task,
    user: Any,
    *,
    officer: Person,
    internal_due_date: date | None = None,
    expected_version: int | None = None,
) -> Task:
    """The head of the lead unit names the officer and an internal deadline no later than the task's.

    Clear person, clear time (*rõ người, rõ thời gian*).
    """
    task = _lock(task, user, "delegate", expected_version)
    if officer.unit_id != task.lead_unit_id or not officer.active:
        raise ValidationError({"officer": "Cán bộ được phân công phải đang công tác tại đơn vị chủ trì."})
    if internal_due_date and task.due_date and internal_due_date > task.due_date:
        raise ValidationError(
            {
                "internal_due_date": f"Hạn nội bộ không được sau thời hạn của nhiệm vụ ({task.due_date:%d/%m/%Y})."
            }
        )
    old_officer, old_due = task.officer, task.internal_due_date
    task.officer = officer
    task.internal_due_date = internal_due_date
    _save(task, ["officer", "internal_due_date"])
    _record(
        task,
        user,
        Action.DELEGATE,
        {"officer": (old_officer, officer), "internal_due_date": (old_due, internal_due_date)},
    )
    return task


@_atomic
def contribute(
    task: Task, user: Any, *, text: str, file: Any = None, expected_version: int | None = None
) -> Contribution:
    """A coordinating unit posts its input (text, files), visible to the lead unit."""
    task = _lock(task, user, "contribute", expected_version)
    check_upload(file, "file")
    if not text.strip():
        raise ValidationError({"text": "Nội dung ý kiến phối hợp không được để trống."})
    person = person_of(user)
    assert person is not None  # `_lock` checked the permission
    contribution = Contribution.objects.create(
        task=task, unit=person.unit, author=user, at=timezone.now(), text=text, file=file or ""
    )
    _save(task, [])
    _record(task, user, Action.CONTRIBUTE, {"unit": (None, person.unit)}, note=text)
    return contribution


@_atomic
def report_progress(
    task: Task,
    user: Any,
    *,
    text: str,
    percent: int,
    file: Any = None,
    expected_version: int | None = None,
    report_cycle: date | None = None,
) -> ProgressReport:
    """A progress report: text, a percentage between 0 and 100, and optionally a file. `report_cycle`: the report
    obligation's cycle (its deadline, one of `reporting.report_cycles` up to the next one to come) this report is
    filed as — it meets that occurrence (issue 14)."""
    task = _lock(task, user, "report_progress", expected_version)
    check_upload(file, "file")
    errors = {}
    if not text.strip():
        errors["text"] = "Nội dung báo cáo tiến độ không được để trống."
    if not 0 <= percent <= 100:
        errors["percent"] = "Tiến độ phải từ 0 đến 100%."
    cycles = reporting.open_cycles(
        task.report_due, task.report_day_of_month, task.assigned_on, timezone.localdate()
    )
    if report_cycle is not None and report_cycle not in cycles:
        errors["report_cycle"] = (
            f"Kỳ báo cáo có hạn {report_cycle:%d/%m/%Y} không phải là kỳ báo cáo của nhiệm vụ này."
        )
    if errors:
        raise ValidationError(errors)
    report = ProgressReport.objects.create(
        task=task, author=user, at=timezone.now(), text=text, percent=percent, file=file or ""
    )
    progress_reported.send(Task, task=task, report=report, report_cycle=report_cycle)
    old = task.progress
    task.progress = percent
    _save(task, ["progress"])
    if report_cycle is not None:
        text = (
            f"{text}\n(Báo cáo định kỳ {reporting.cycle_label(report_cycle, bool(task.report_day_of_month))})"
        )
    _record(task, user, Action.PROGRESS, {"progress": (old, percent)}, note=text)
    return report


@_atomic
def submit_result(
    task: Task,
    user: Any,
    *,
    document_number: str,
    document_date: date,
    summary: str = "",
    file: Any = None,
    expected_version: int | None = None,
) -> Result:
    """Submit the result document; its date is the completion date, already while the City Office has not
    confirmed it (the task is then counted on time or late by that date, shown *chờ xác nhận*, never urged)."""
    task = _lock(task, user, "submit_result", expected_version)
    check_upload(file, "file")
    errors = {}
    if not document_number.strip():
        errors["document_number"] = "Phải nhập số, ký hiệu văn bản kết quả."
    if document_date > timezone.localdate():
        errors["document_date"] = "Ngày văn bản kết quả không được sau ngày hôm nay."
    if task.assigned_on and document_date < task.assigned_on:
        errors["document_date"] = "Ngày văn bản kết quả không được trước ngày giao nhiệm vụ."
    if (task.must_submit or task.must_report) and not file and not summary.strip():
        errors["file"] = (
            "Nhiệm vụ phải trình hoặc báo cáo: cần đính kèm văn bản kết quả hoặc tóm tắt kết quả."
        )
    if errors:
        raise ValidationError(errors)
    result = Result.objects.create(
        task=task,
        submitted_by=user,
        submitted_at=timezone.now(),
        document_number=document_number.strip(),
        document_date=document_date,
        summary=summary,
        file=file or "",
    )
    # Awaiting confirmation (*chờ xác nhận*) the task is judged by its result document's date (issue 14).
    task.state = tl.RESULT_SUBMITTED
    task.completed_on = document_date
    _save(task, ["state", "completed_on"])
    _record(task, user, Action.SUBMIT, {"state": (tl.IN_PROGRESS, tl.RESULT_SUBMITTED)}, note=document_number)
    return result


@_atomic
def confirm_completion(task: Task, user: Any, *, expected_version: int | None = None) -> Task:
    """The City Office confirms: completed, on the date of the latest result document."""
    task = _lock(task, user, "confirm_completion", expected_version)
    result = task.results.order_by("-submitted_at", "-id").first()
    assert result is not None  # RESULT_SUBMITTED implies a result
    task.state = tl.COMPLETED
    task.completed_on = result.document_date
    task.progress = 100
    _save(task, ["state", "completed_on", "progress"])
    _record(
        task,
        user,
        Action.CONFIRM,
        {"state": (tl.RESULT_SUBMITTED, tl.COMPLETED), "completed_on": (None, task.completed_on)},
    )
    return task


@_atomic
def return_result(task: Task, user: Any, *, reason: str, expected_version: int | None = None) -> Task:
    """The City Office returns the result with a reason (→ in progress, judged by its deadline again)."""
    task = _lock(task, user, "return_result", expected_version)
    if not reason.strip():
        raise ValidationError({"reason": "Phải nêu lý do trả lại kết quả."})
    result = task.results.order_by("-submitted_at", "-id").first()
    if result:
        result.returned_reason = reason
        result.returned_at = timezone.now()
        result.save(update_fields=["returned_reason", "returned_at"])
    task.state = tl.IN_PROGRESS
    task.completed_on = None
    _save(task, ["state", "completed_on"])
    _record(task, user, Action.RETURN, {"state": (tl.RESULT_SUBMITTED, tl.IN_PROGRESS)}, note=reason)
    return task


@_atomic
def request_change(
    task: Task,
    user: Any,
    *,
    reason: str,
    proposed_due_date: date | None = None,
    withdraw: bool = False,
    expected_version: int | None = None,
) -> DeadlineChange:
    """The lead unit asks, in writing with a reason, for a new deadline or a withdrawal. The old deadline stands."""
    task = _lock(task, user, "request_change", expected_version)
    errors = {}
    if not reason.strip():
        errors["reason"] = "Phải nêu lý do đề nghị."
    if not withdraw:
        if proposed_due_date is None:
            errors["proposed_due_date"] = "Phải nhập thời hạn đề nghị (dd/mm/yyyy)."
        elif task.due_date and proposed_due_date <= task.due_date:
            errors["proposed_due_date"] = "Thời hạn đề nghị phải sau thời hạn hiện tại."
        elif far := out_of_range(proposed_due_date):
            errors["proposed_due_date"] = far
    if task._pending_request:  # type: ignore[attr-defined]  # read under the lock
        errors["reason"] = "Nhiệm vụ đã có một đề nghị đang chờ quyết định."
    if errors:
        raise ValidationError(errors)
    change = DeadlineChange.objects.create(
        task=task,
        kind=DeadlineChange.Kind.WITHDRAW if withdraw else DeadlineChange.Kind.EXTEND,
        requested_by=user,
        requested_at=timezone.now(),
        reason=reason,
        old_due_date=task.due_date,
        proposed_due_date=None if withdraw else proposed_due_date,
    )
    task._pending_request = True  # type: ignore[attr-defined]
    _save(task, [])
    _record(
        task,
        user,
        Action.REQUEST_CHANGE,
        {"proposed_due_date": (task.due_date, proposed_due_date)},
        note=reason,
    )
    return change


@_atomic
def decide_change(
    task: Task,
    user: Any,
    *,
    approve: bool,
    new_due_date: date | None = None,
    decision_document: str = "",
    decision_date: date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> DeadlineChange:
    """The assigning authority approves (new date, decision document) or rejects a pending request.

    Who decides follows the assigning authority (`permissions.decides_for_authority`). For a higher authority's
    task the City Office records that authority's written decision: its number/symbol, checked as a document
    notation, and its date are required, and are kept as "<notation> ngày dd/mm/yyyy".
    The original deadline is kept on the task and every approved one stays in the history.
    """
    task = _lock(task, user, "decide_change", expected_version)
    change = task.deadline_requests.get(status=DeadlineChange.Status.PENDING)
    withdraw = change.kind == DeadlineChange.Kind.WITHDRAW
    if task.directive.authority in HIGHER_AUTHORITIES:
        decision_document = _higher_authority_decision(task, decision_document, decision_date)
    if approve and not withdraw:
        new_due_date = new_due_date or change.proposed_due_date
        if new_due_date is None:
            raise ValidationError({"new_due_date": "Phải nhập thời hạn mới."})
        if far := out_of_range(new_due_date):
            raise ValidationError({"new_due_date": far})
        if not decision_document.strip():
            raise ValidationError({"decision_document": "Phải nhập văn bản quyết định điều chỉnh thời hạn."})
    if not approve and not note.strip():
        raise ValidationError({"note": "Phải nêu lý do không chấp thuận."})
    change.status = DeadlineChange.Status.APPROVED if approve else DeadlineChange.Status.REJECTED
    change.decided_by = user
    change.decided_at = timezone.now()
    change.decided_on = timezone.localdate(change.decided_at)
    change.decision_document = decision_document
    change.decision_note = note
    changes: dict[str, tuple[object, object]] = {"request": ("pending", change.status)}
    task._pending_request = False  # type: ignore[attr-defined]
    fields = []
    if approve and withdraw:
        changes["state"] = (task.state, tl.CANCELLED)
        task.state = tl.CANCELLED
        task.cancelled_on = change.decided_on
        fields += ["state", "cancelled_on"]
    elif approve:
        change.approved_due_date = new_due_date
        changes["due_date"] = (task.due_date, new_due_date)
        if task.original_due_date is None:
            task.original_due_date = task.due_date
        task.due_date = new_due_date
        task.deadline_changes += 1
        fields += ["due_date", "original_due_date", "deadline_changes"]
    change.save()
    _save(task, fields)
    _record(task, user, Action.DECIDE_CHANGE, changes, note=note or decision_document)
    return change


def _higher_authority_decision(task: Task, document: str, on: date | None) -> str:
    """The decision document of a higher authority, "<number/symbol> ngày dd/mm/yyyy", or a ValidationError naming
    the field: the number/symbol must read as a document notation and the date must be given, not in the future."""
    authority = task.directive.get_authority_display()
    if not document.strip():
        raise ValidationError(
            {
                "decision_document": f"Phải nhập số, ký hiệu văn bản quyết định của {authority} (ví dụ 125/TTg-KGVX)."
            }
        )
    try:
        notation = parse_notation(document)
    except NotationError as exc:
        raise ValidationError({"decision_document": f"Văn bản quyết định: {exc}"}) from None
    if on is None:
        raise ValidationError({"decision_date": f"Phải nhập ngày của văn bản quyết định của {authority}."})
    if on > timezone.localdate():
        raise ValidationError({"decision_date": "Ngày của văn bản quyết định không được sau hôm nay."})
    return f"{notation.text} ngày {on:%d/%m/%Y}"


@_atomic
def change_lead(
    task: Task,
    user: Any,
    *,
    new_lead: Unit,
    reason: str,
    effective_on: date | None = None,
    expected_version: int | None = None,
) -> Task:
    """The City Office moves the task to another lead unit (e.g. its unit merged away), keeping the history.

    The change is an event effective from `effective_on` (default today; never in the future, never before a
    change already recorded): one `LeadChange` row keeps the unit and the accountable head before and after it, so
    counts and accountability for the time before the date stay with the former unit and its head."""
    task = _lock(task, user, "change_lead", expected_version)
    if not reason.strip():
        raise ValidationError({"reason": "Phải nêu lý do thay đổi đơn vị chủ trì."})
    if new_lead.pk == task.lead_unit_id:
        raise ValidationError({"new_lead": "Đơn vị mới trùng đơn vị chủ trì hiện tại."})
    effective_on = effective_on or timezone.localdate()
    if effective_on > timezone.localdate():
        raise ValidationError({"effective_on": "Ngày hiệu lực không được sau hôm nay."})
    last = task.lead_changes.order_by("-effective_on").values_list("effective_on", flat=True).first()
    if last is not None and effective_on < last:
        raise ValidationError(
            {
                "effective_on": f"Ngày hiệu lực không được trước lần thay đổi đơn vị chủ trì trước ({last:%d/%m/%Y})."
            }
        )
    old, old_head = task.lead_unit, task.accountable_head
    # The new lead cannot remain a coordinator of the same task.
    task.coordinations.filter(unit=new_lead).delete()
    loaded = getattr(task, "_prefetched_objects_cache", {}).get("coordinations")
    if loaded is not None:  # what the task holds (`_lock`) follows: the follow-up facts of `_save` read it
        task.hold_coordinations([c for c in loaded if c.unit_id != new_lead.pk])
    task.lead_unit = new_lead
    task.accountable_head = new_lead.current_head()
    task.officer = None
    _save(task, ["lead_unit", "accountable_head", "officer"])
    LeadChange.objects.create(
        task=task,
        from_unit=old,
        to_unit=new_lead,
        from_head=old_head,
        to_head=task.accountable_head,
        effective_on=effective_on,
        reason=reason.strip(),
        decided_by=user if getattr(user, "pk", None) else None,
        decided_at=timezone.now(),
    )
    _record(
        task,
        user,
        Action.CHANGE_LEAD,
        {"lead_unit": (old, new_lead), "effective_on": (None, effective_on)},
        note=reason,
    )
    return task


@_atomic
def cancel(task: Task, user: Any, *, reason: str, expected_version: int | None = None) -> Task:
    """The assigning authority cancels or withdraws an open task."""
    task = _lock(task, user, "cancel", expected_version)
    if not reason.strip():
        raise ValidationError({"reason": "Phải nêu lý do hủy, rút nhiệm vụ."})
    old = task.state
    task.state = tl.CANCELLED
    task.cancelled_on = timezone.localdate()
    _save(task, ["state", "cancelled_on"])
    _record(task, user, Action.CANCEL, {"state": (old, tl.CANCELLED)}, note=reason)
    return task


@_atomic
def rehome_unit_tasks(old: Unit, user: Any, *, reason: str, effective_on: date | None = None) -> int:
    """Move every open task of a unit merged into ONE successor to it, one history row per task (a split among
    several successors goes through `unit_history.record_change`, which lets the City Office choose per task)."""
    successors = list(old.successors.all()[:2])
    if len(successors) != 1:
        raise ValidationError({"successor": f"Đơn vị «{old}» không có một đơn vị kế thừa duy nhất."})
    count = 0
    for task in Task.objects.filter(lead_unit=old).exclude(state__in=[tl.COMPLETED, tl.CANCELLED]):
        change_lead(
            task, user, new_lead=successors[0], reason=reason, effective_on=effective_on or old.valid_to
        )
        count += 1
    return count


@_atomic
def urge(task: Task, user: Any, *, letter_notation: str, note: str = "") -> Task:
    """The City Office urges the lead unit (*đôn đốc*, DOMAIN.md §7), here by an official urging letter.

    The task itself does not change (no version bump: an urging never makes someone else's edit stale); the
    timeline gains one URGE row naming the letter, so an inspector can see the unit was told.
    """
    return urge_many([(task, note)], user, letter_notation=letter_notation)[0]


def urge_many(
    lines: list[tuple[Task, str]], user: Any, *, letter_notation: str, locked: bool = False
) -> list[Task]:
    """`urge` each task of `lines` (task, its note) by the one letter `letter_notation`, all or none: the tasks
    locked in one statement (in id order, as two letters lock them), the right checked for each, their URGE rows
    written in one statement (`insert_events`) — a letter lists up to a few hundred tasks, one `urge` each was
    three statements a task (issue 19). `locked`: the caller read the tasks of `lines` locked, in its transaction
    (`urging.urging_lines`): they are not read again, and the caller's transaction is the one of all or none."""
    if locked:
        assert transaction.get_connection().in_atomic_block, "locked tasks are locked in a transaction"
        return _urge(lines, user, letter_notation, {task.pk: task for task, _note in lines})
    with transaction.atomic():
        ids = [task.pk for task, _note in lines]
        fresh = Task.objects.select_for_update().filter(pk__in=ids).order_by("pk").in_bulk()
        return _urge(lines, user, letter_notation, fresh)


def _urge(
    lines: list[tuple[Task, str]], user: Any, letter_notation: str, fresh: dict[Any, Task]
) -> list[Task]:
    ids = [task.pk for task, _note in lines]
    person = person_of(user)
    for pk in ids:
        if pk not in fresh:
            raise Task.DoesNotExist("Không tìm thấy nhiệm vụ.")
        if not permissions.may(person, "urge", fresh[pk]):
            raise PermissionDenied(permissions.DENIED["urge"])
    if not letter_notation.strip():
        raise ValidationError({"letter_notation": "Phải ghi số, ký hiệu công văn đôn đốc."})
    at = timezone.now()
    insert_events(
        [
            _event(fresh[task.pk], user, Action.URGE, {"letter": (None, letter_notation)}, note, at)
            for task, note in lines
        ]
    )
    return [fresh[pk] for pk in ids]
