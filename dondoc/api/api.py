"""REST API `/api/v1` (django-ninja): the same visibility, rights and domain functions as the pages.

Every read goes through `visible_to`; every change of a task goes through the page's action form and its one
domain function (`dondoc.tracking.actions`), so validation, permissions and history are identical.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from functools import cache
from types import SimpleNamespace
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import BooleanField, Count, F, IntegerField, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL
from django.http import Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import NinjaAPI, Query, Schema, Status
from ninja.params import functions as param
from pydantic import BaseModel, Field, create_model

from dondoc.api import errors
from dondoc.api.auth import SessionAuth, TokenAuth
from dondoc.api.docs import LocalSwagger
from dondoc.api.schemas import (
    CountsOut,
    DirectiveIn,
    DirectiveOut,
    DirectivePage,
    EvaluationOut,
    Id,
    NewTaskIn,
    NotificationOut,
    NotificationPage,
    PersonPage,
    StrictIn,
    TaskOut,
    TaskPage,
    UnitOut,
    UnitPage,
)
from dondoc.audit import record_export
from dondoc.core.dates import today
from dondoc.core.fields import MAX_ID
from dondoc.core.links import url_by_id, url_maker
from dondoc.core.prepared import SHAPE, Prepared
from dondoc.core.text import fold
from dondoc.directives.forms import DirectiveFilterForm, DirectiveForm
from dondoc.directives.models import Authority, Directive
from dondoc.directives.queries import filter_directives
from dondoc.evaluation import periods as pr
from dondoc.evaluation import stats
from dondoc.evaluation.dashboard import counting_user, due_soon, due_soon_span
from dondoc.evaluation.exports import csv_value
from dondoc.evaluation.forms import DashboardForm
from dondoc.followup.models import Notification
from dondoc.org import roles
from dondoc.org.access import has_role, person_of
from dondoc.org.models import Person, Unit
from dondoc.tracking import actions, held, permissions
from dondoc.tracking import timeliness as tl
from dondoc.tracking.forms import (
    ACTION_FORMS,
    ChildTaskForm,
    ReportCycleField,
    TaskFilterForm,
    VietDateField,
)
from dondoc.tracking.models import Coordination, State, Task, TaskEvent
from dondoc.tracking.queries import counted_list_count, directive_task_counts, filter_tasks
from dondoc.tracking.timeliness import soon_limit
from dondoc.workdays import calendar

api = NinjaAPI(
    title="Đôn đốc API",
    version="1",
    description=(
        "API theo dõi, đôn đốc nhiệm vụ. Xác thực bằng khóa API cá nhân (tiêu đề `Authorization: Bearer <khóa>`, "
        "tạo tại trang «Khóa API») hoặc phiên đăng nhập (kèm `X-CSRFToken` cho yêu cầu thay đổi dữ liệu). "
        "Ngày trong JSON theo ISO 8601 (yyyy-mm-dd). Lỗi luôn có dạng `{detail, errors: [{field, message}]}`."
    ),
    urls_namespace="api-v1",
    auth=[TokenAuth(), SessionAuth()],
    docs=LocalSwagger(),
)
errors.install(api)

READ_ERRORS = errors.error_responses(400, 401, 403, 404, 422)
WRITE_ERRORS = errors.error_responses(400, 401, 403, 404, 409, 422)
MAX_LIMIT = 200
MAX_OFFSET = 10**9

OPEN = "open"  # the `state` filter's word for every open state
Limit = Annotated[int, param.Query(50, ge=1, le=MAX_LIMIT, description="Số bản ghi mỗi trang (1–200)")]
Offset = Annotated[int, param.Query(0, ge=0, le=MAX_OFFSET, description="Bỏ qua bao nhiêu bản ghi")]


def _page(qs: QuerySet[Any], limit: int, offset: int, render: Any) -> dict[str, Any]:
    return {
        "count": qs.count(),
        "limit": limit,
        "offset": offset,
        "items": [render(obj) for obj in qs[offset : offset + limit]],
    }


def _checked_json(schema: type[BaseModel], data: dict[str, Any]) -> HttpResponse:
    """`data` checked against the answer's `schema` and written as JSON by pydantic's serializer: what ninja
    answers, for less. Ninja checks the answer too, then walks it again in Python to write it (`json.dumps`, a
    call for every date: 1.7 ms of a page of 200 tasks, against 0.35 ms here). The same JSON values, compact and
    with UTF-8 text unescaped; the OpenAPI document still declares `schema`."""
    return HttpResponse(
        schema.model_validate(data).model_dump_json(), content_type="application/json; charset=utf-8"
    )


def _form_data(values: dict[str, Any], prefix: str = "") -> QueryDict:
    """A form's POST data from JSON values: dates as dd/mm/yyyy, booleans as the checkbox sends them."""
    data = QueryDict(mutable=True)
    for name, value in values.items():
        key = f"{prefix}-{name}" if prefix else name
        if value is None:
            continue
        if isinstance(value, list):
            data.setlist(key, [str(v) for v in value])
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, date):
            data[key] = value.strftime("%d/%m/%Y")
        else:
            data[key] = str(value)
    return data


def _invalid(form: Any, names: dict[str, str] | None = None) -> None:
    raise ValidationError({e["field"]: e["message"] for e in errors.form_errors(form, names)})


# ---------------------------------------------------------------------------------------------------- rendering


def unit_ref(unit: Unit) -> dict[str, Any]:
    return {"id": unit.pk, "name": unit.name, "abbr": unit.abbr}


def unit_out(unit: Unit) -> dict[str, Any]:
    return {
        **unit_ref(unit),
        "code": unit.code,
        "kind": unit.kind,
        "kind_label": str(unit.get_kind_display()),
        "parent_id": unit.parent_id,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
        "successor_ids": [u.pk for u in unit.successors.all()],
    }


def directive_out(d: Directive, task_count: int) -> dict[str, Any]:
    """A directive as the API shows it; `task_count`: its tasks its reader may see (`directive_task_counts`)."""
    return {
        "id": d.pk,
        "notation": d.notation,
        "subject": d.subject,
        "number": d.number,
        "symbol": d.symbol,
        "year": d.year,
        "doc_type": d.doc_type,
        "issuer": unit_ref(d.issuer),
        "authority": d.authority,
        "authority_label": str(d.get_authority_display()),
        "issued_on": d.issued_on,
        "signer_prefix": d.signer_prefix,
        "signer_name": d.signer_name,
        "signer_position": d.signer_position,
        "recipients": d.recipients,
        "urgency": d.urgency,
        "secrecy": d.secrecy,
        "task_count": task_count,
        "url": d.get_absolute_url(),
    }


STATE_LABELS = dict(State.choices)
# What a list item reads of a task and its relations (`task_item`): a page fetches these columns only, not every
# column of three tables (the directive's full text, the search columns), as plain values (`ListRow`).
ITEM_COLUMNS = (  # the task's own, read as they are
    *("clause", "content", "state", "due_date", "must_submit", "must_report", "completed_on", "report_due"),
    *("assigned_on", "progress", "version"),
)
ITEM_FIELDS = (
    *("id", "parent", "directive_id", "directive__notation", "directive__subject"),
    *("lead_unit_id", "lead_unit__name", "lead_unit__abbr", *ITEM_COLUMNS),
)


class ListRow(SimpleNamespace):
    """A task of a list page read as plain values (`ITEM_FIELDS`): 200 rows in ~1.5 ms of CPU, where as model
    instances with their directive and lead unit they took ~6.8 ms (issue 19). It answers what `task_item` and
    `_cursor` ask of a `Task` — its columns, its `directive` and `lead_unit` — the derived values by `Task`'s own
    properties."""

    kind: Any = Task.kind  # the properties themselves (they read due_date, must_submit, state, completed_on)
    effective_due: Any = Task.effective_due
    awaiting_confirmation: Any = Task.awaiting_confirmation
    bucket_on: Any = Task.bucket_on

    @classmethod
    def of(cls, v: dict[str, Any]) -> ListRow:
        return cls(
            pk=v["id"],
            directive=SimpleNamespace(
                pk=v["directive_id"], notation=v["directive__notation"], subject=v["directive__subject"]
            ),
            lead_unit=SimpleNamespace(
                pk=v["lead_unit_id"], name=v["lead_unit__name"], abbr=v["lead_unit__abbr"]
            ),
            parent_id=v["parent"],
            **{name: v[name] for name in ITEM_COLUMNS},
        )


def task_item(t: Task | ListRow, bucket: str) -> dict[str, Any]:
    """A task as a list shows it."""
    label = str(STATE_LABELS.get(t.state, t.state))
    url = url_by_id("tracking:task_detail", t.pk)  # = Task.get_absolute_url, for ListRow too
    return _item(t, bucket, t.effective_due, label, url)


def task_items(rows: list[ListRow], ref: date, soon: date) -> list[dict[str, Any]]:
    """`task_item` of each row of a list page, its bucket on `ref` by the Python twin of the SQL rule
    (`timeliness.bucket`), from the columns read: the same items, with the deadline rule, the state labels and the
    task page's address looked up once a page instead of once or twice a row (~1 ms of a page of 25, issue 19)."""
    rule = tl.current_rule()
    effective = cache(rule.effective)
    labels: dict[str, str] = {}
    url = url_maker("tracking:task_detail")
    out = []
    for t in rows:
        label = labels.get(t.state)
        if label is None:
            label = labels[t.state] = str(STATE_LABELS.get(t.state, t.state))
        bucket = tl.bucket(t.state, t.due_date, t.completed_on, ref, soon, rule)
        out.append(_item(t, bucket, effective(t.due_date), label, url(t.pk)))
    return out


def _item(
    t: Task | ListRow, bucket: str, effective_due: date | None, state_label: str, url: str
) -> dict[str, Any]:
    return {
        "id": t.pk,
        "directive": {"id": t.directive.pk, "notation": t.directive.notation, "subject": t.directive.subject},
        "clause": t.clause,
        "content": t.content,
        "lead_unit": unit_ref(t.lead_unit),
        "state": t.state,
        "state_label": state_label,
        "kind": t.kind,
        "bucket": bucket,
        "bucket_label": tl.BUCKET_LABELS[bucket],
        "due_date": t.due_date,
        "effective_due_date": effective_due,
        "awaiting_confirmation": t.awaiting_confirmation,
        "report_due": t.report_due,
        "assigned_on": t.assigned_on,
        "completed_on": t.completed_on,
        "progress": t.progress,
        "parent_id": t.parent_id,
        "version": t.version,
        "url": url,
    }


EVENT_LABELS = dict(TaskEvent.Action.choices)


def _events(t: Task, *, coordinations: bool = False) -> list[tuple[Any, ...]]:
    """The task's history as the answer shows it, oldest first: plain values (at, action, the actor's first name,
    last name and username — None without an actor —, changes, note), not model instances with their actors.
    Written as SQL: every answer of a task reads it, and the ORM takes longer to build the statement than the
    database takes to run it (issue 19). With `coordinations` on PostgreSQL the same statement also brings the
    task's coordinations with their units' names, which the task then holds (`held.hold_coordinations`): one
    statement fewer for every answer of a task (every task has a history: its creation)."""
    quote = connection.ops.quote_name
    user_model: Any = TaskEvent._meta.get_field("actor").related_model
    events, users = quote(TaskEvent._meta.db_table), quote(user_model._meta.db_table)
    both = coordinations and connection.vendor == "postgresql"
    params = [t.pk, t.pk] if both else [t.pk]
    rows = list(
        TaskEvent.objects.raw(
            f"SELECT e.*, u.first_name AS actor_first, u.last_name AS actor_last, u.username AS actor_username"
            f"{', ' + held.coordinations_sql('%s') + ' AS coordinations' if both else ''} FROM {events} e LEFT JOIN {users} u ON u.id = e.actor_id "
            "WHERE e.task_id = %s ORDER BY e.at, e.id",
            params,
        )
    )
    if both:
        held.hold_coordinations(t, rows[0].coordinations if rows else None)  # type: ignore[attr-defined]
    elif coordinations:
        t.hold_coordinations(Coordination.objects.filter(task_id=t.pk).select_related("unit"))
    return [
        (e.at, e.action, e.actor_first, e.actor_last, e.actor_username, e.changes, e.note)  # type: ignore[attr-defined]
        for e in rows
    ]


def _held_events(history: list[TaskEvent | tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The history rows a task holds, as `_events` reads them: those read with it (`actions._lock`, already in
    that form) and those the action wrote (`actions.create_task` keeps the one it wrote, `actions._record` adds
    its row to a task that holds its history)."""
    return [
        e
        if isinstance(e, tuple)
        else (
            e.at,
            e.action,
            *((e.actor.first_name, e.actor.last_name, e.actor.username) if e.actor else (None, None, None)),
            e.changes,
            e.note,
        )
        for e in history
    ]


def task_out(t: Task, request: HttpRequest, *, new: bool = False) -> dict[str, Any]:
    """A task as `GET /tasks/{id}` answers it; `new`: the task this request created, which has no request for a
    deadline change and no children yet (not asked). A task an action locked says both already (`actions._lock`).
    The coordinations and the history a task holds are not read again (`actions.create_task` keeps both; on
    PostgreSQL `actions._lock` reads both with the task and the action adds the history row it writes)."""
    ref = today()
    person = person_of(request.user)
    # Read once, for the answer and for the rights (`permissions` uses what the task holds): with the history when
    # that is read (`_events`), else one query with their units, without prefetch_related's machinery.
    holds = getattr(t, "_history", None)
    read = "coordinations" not in getattr(t, "_prefetched_objects_cache", {})
    history = _held_events(holds) if holds is not None else _events(t, coordinations=read)
    if read and holds is not None:
        t.hold_coordinations(Coordination.objects.filter(task_id=t.pk).select_related("unit"))
    if new:
        t._pending_request = t._has_children = False  # type: ignore[attr-defined]
    elif getattr(t, "_pending_request", None) is None:
        t._pending_request = t.deadline_requests.filter(status="pending").exists()  # type: ignore[attr-defined]
    children: list[int] = []
    if getattr(t, "_has_children", True):
        children = list(
            Task.objects.visible_to(request.user).filter(parent=t).order_by("id").values_list("id", flat=True)
        )
    return {
        **task_item(t, t.bucket_on(ref, soon_limit(ref))),
        "requirements": t.requirements,
        "coordinating_units": [unit_ref(c.unit) for c in t.coordinations.all()],
        "accountable_head": t.accountable_head.full_name if t.accountable_head else "",
        "officer": t.officer.full_name if t.officer else "",
        "original_due_date": t.original_due_date,
        "internal_due_date": t.internal_due_date,
        "due_text": t.due_text,
        "report_text": t.report_text,
        "report_day_of_month": t.report_day_of_month,
        "must_submit": t.must_submit,
        "must_report": t.must_report,
        "secret": t.secret,
        "deadline_changes": t.deadline_changes,
        "pending_request": t._pending_request,  # type: ignore[attr-defined]
        "children": children,
        "allowed_actions": permissions.allowed_actions(person, t),
        "events": [
            {
                "at": at,
                "action": action,
                "action_label": str(EVENT_LABELS.get(action, action)),
                # The actor's name as `User.get_full_name` gives it, else the username; none for the system.
                "actor": (f"{first} {last}".strip() or username) if username is not None else "",
                "changes": changes,
                "note": note,
            }
            for at, action, first, last, username, changes, note in history
        ],
    }


def person_out(p: Person) -> dict[str, Any]:
    return {
        "id": p.pk,
        "full_name": p.full_name,
        "position": p.position,
        "position_label": str(p.get_position_display()),
        "title": p.title,
        "unit": unit_ref(p.unit),
    }


_SHOWN_WITH = (
    "lead_unit",
    "directive",
    "accountable_head",
    "officer",
)  # the task's relations an answer shows
# The task a request is about, as its caller sees it, compiled once per (sees everything, cleared for secrets):
# every action of the API reads it first, and the ORM spent ~1.5 ms of CPU building this statement (issue 19).
_VISIBLE = Prepared(
    lambda everything, unit_id, cleared, pk: (
        Task.objects.visible_by(unit_id, everything=everything, cleared=cleared)
        .select_related(*_SHOWN_WITH)
        .filter(pk=pk)
    ),
    (SHAPE, int, SHAPE, int),
)


# The same read for an action, in its transaction (`actions.one_action`): the row locked, with what the action's
# own locked read would read (`actions.lock_read`), so that the action does not read it again.
_VISIBLE_LOCKED = Prepared(
    lambda everything, unit_id, cleared, pk: actions.lock_read(
        Task.objects.visible_by(unit_id, everything=everything, cleared=cleared)
        .select_related(*_SHOWN_WITH)
        .filter(pk=pk)
    ),
    (SHAPE, int, SHAPE, int),
)


def _visible_task(request: HttpRequest, task_id: int, *, locked: bool = False) -> Task:
    """The task `task_id` as the caller sees it (404 otherwise); `locked`: inside `actions.one_action`, read as the
    action's locked read (`actions.lock_read`) and marked as such."""
    person = person_of(request.user)
    low, high = connection.ops.integer_field_range(Task._meta.pk.get_internal_type())  # type: ignore[union-attr]
    if (
        person is None or person.unit_id is None or not low <= task_id <= high
    ):  # the ORM's way: 404 or IS NULL
        return get_object_or_404(
            Task.objects.visible_to(request.user).select_related(*_SHOWN_WITH), pk=task_id
        )
    read = _VISIBLE_LOCKED if locked else _VISIBLE
    found = read(person.sees_everything, person.unit_id, person.cleared_for_secrets, task_id)
    if not found:
        raise Http404("No Task matches the given query.")
    return actions.mark_locked(found[0]) if locked else found[0]


def _created(request: HttpRequest, task: Task) -> Task:
    """The task just created, as saved (its directive and units are those the form checked), when its creator sees
    every task it may (`Person.sees_everything`, and cleared for it if secret); otherwise read as the creator sees
    it (`visible_to`)."""
    person = person_of(request.user)
    if person is not None and person.sees_everything and (person.cleared_for_secrets or not task.secret):
        return task
    return _visible_task(request, task.pk)


def _after_action(request: HttpRequest, seen: tuple[int, int, bool], done: object) -> Task:
    """The task as the action left it: the row the action locked and saved (it returns the task, or a row of the
    task: a result, a report, a request), not read again. Who sees a task follows its lead unit, coordinators and
    secrecy; only a change of lead changes the first two, so with the same lead unit and secrecy the caller still
    sees what it saw before acting. Otherwise (and for a child made by `derive`), read it again as the caller
    sees it (404 when no longer visible)."""
    pk, lead_unit_id, secret = seen  # as the caller saw the task before acting
    fresh = done if isinstance(done, Task) else getattr(done, "task", None)
    if (
        isinstance(fresh, Task)
        and fresh.pk == pk
        and fresh.lead_unit_id == lead_unit_id
        and fresh.secret == secret
    ):
        return fresh
    return _visible_task(request, pk)


# ------------------------------------------------------------------------------------------------------ tasks


class TaskFilters(Schema):
    """The task list page's filters, checked by the page's own form (`TaskFilterForm`)."""

    q: str | None = Field(None, max_length=200, description="Tìm trong nội dung, văn bản, đơn vị")
    unit: Id | None = Field(
        None, description="Mã (id) đơn vị chủ trì (một đơn vị không được giao chủ trì: danh sách rỗng)"
    )
    bucket: str | None = Field(
        None,
        description="Tình trạng: "
        + ", ".join(k for k in tl.BUCKET_LABELS if k != tl.DRAFTED)
        + " (in_deadline gồm cả due_soon: sắp đến hạn là một phần của đang thực hiện trong hạn)",
    )
    authority: str | None = Field(None, description="Cấp giao")
    kind: str | None = Field(None, description="Loại nhiệm vụ: " + ", ".join(tl.KIND_LABELS))
    due_from: date | None = Field(None, description="Hạn từ ngày (yyyy-mm-dd)")
    due_to: date | None = Field(None, description="Hạn đến ngày (yyyy-mm-dd)")
    directive: Id | None = Field(None, description="Mã (id) văn bản giao")
    parent: Id | None = Field(None, description="Mã (id) nhiệm vụ cha: các nhiệm vụ con của nó")
    state: list[str] | None = Field(
        None,
        description="Trạng thái, lặp lại được (state=assigned&state=in_progress): "
        + ", ".join(State.values)
        + f"; «{OPEN}» = đang mở ({', '.join(tl.OPEN_STATES)}). Mặc định: mọi trạng thái trừ dự thảo",
    )


def _states(asked: list[str] | None) -> list[str]:
    """The states asked for (``open`` standing for the open ones), each checked."""
    out: list[str] = []
    for state in asked or []:
        if state == OPEN:
            out += tl.OPEN_STATES
        elif state in State.values:
            out.append(state)
        else:
            raise ValidationError({"state": f"Trạng thái «{state}» không hợp lệ."})
    return list(dict.fromkeys(out))


def _after(rows: QuerySet[Any], cursor: str, limit: int) -> list[dict[str, Any]]:
    """The `limit` tasks of `rows` (in the list's order: deadline, no deadline last, then id) after the keyset
    cursor ``<due yyyy-mm-dd or ->.<id>``: a page costs the same wherever it is, where an offset reads and skips
    every row before it. Read in two parts, each an index range from the cursor on: the dated tasks after
    (deadline, id) — one row comparison, where "a later deadline, or the same and a later id, or none" made the
    database read every task from the first deadline asked and drop those before the cursor — then, if the page
    is not full, the tasks without a deadline (after the cursor's id when it is one of them)."""
    try:
        due, pk = cursor.split(".", 1)
        last_id = int(pk)
        last_due = None if due == "-" else date.fromisoformat(due)
        if not 0 <= last_id <= MAX_ID:  # wider than any key: SQLite raised OverflowError (a 500)
            raise ValueError(pk)
    except ValueError as exc:
        raise ValidationError(
            {"after": f"Con trỏ trang «{cursor[:40]}» không hợp lệ: dùng giá trị «next» của trang trước."}
        ) from exc
    out: list[dict[str, Any]] = []
    if last_due is not None:
        later = RawSQL(
            f'("{Task._meta.db_table}"."due_date", "{Task._meta.db_table}"."id") > (%s, %s)',
            (connection.ops.adapt_datefield_value(last_due), last_id),
            output_field=BooleanField(),
        )
        out = list(rows.filter(later)[:limit])
    if len(out) < limit:
        undated = rows.filter(due_date__isnull=True, id__gt=last_id if last_due is None else 0)
        out += undated[: limit - len(out)]
    return out


def _cursor(t: Task | ListRow) -> str:
    return f"{t.due_date.isoformat() if t.due_date else '-'}.{t.pk}"


def _unit_exists(unit: int | None, found: int) -> None:
    """An unknown unit is refused (422); asked only when the list came back empty: a unit that leads a task
    exists, so the usual question costs no query for it."""
    if unit is not None and not found and not Unit.objects.filter(pk=unit).exists():
        raise ValidationError({"unit": "Đơn vị chủ trì không có trong danh mục."})


# One unit's list of one bucket (or of every bucket) with no other filter — Q1 of issue 19, "one unit's overdue
# tasks, first 25", the API's commonest question — read by statements built once per shape (`core.prepared`), the
# tasks and the conditions `list_tasks` builds for any filter. Building and compiling the count and the page through
# the ORM, and the filter form, were ~3 ms of the request's CPU. The page's rows carry the count (a subquery the
# database runs once), one round trip instead of two; a page past the end has no row to carry it: counted apart.
def _unit_list(
    unit_id: int, everything: bool, cleared: bool, unit: int, bucket: str, ref: date, soon: date
) -> QuerySet[Task]:
    tasks = Task.objects.visible_by(unit_id, everything=everything, cleared=cleared).exclude(state=tl.DRAFT)
    tasks = tasks.filter(lead_unit_id=unit)
    if bucket:
        tasks = tasks.in_bucket(bucket, ref, soon)
    return tasks


def _unit_list_counted(*args: Any) -> QuerySet[Any]:
    return _unit_list(*args).order_by().values(one=Value(1)).annotate(n=Count("*")).values("n")


_UNIT_LIST_KINDS = (int, SHAPE, SHAPE, int, SHAPE, SHAPE, SHAPE)
_unit_list_count = Prepared(
    lambda *args: _unit_list_counted(*args).values_list("n", flat=True), _UNIT_LIST_KINDS
)
_unit_list_rows = Prepared(
    lambda *args: (
        _unit_list(*args[:-2])
        .select_related("lead_unit", "directive")
        .order_by(F("due_date").asc(nulls_last=True), "id")
        .annotate(total=Subquery(_unit_list_counted(*args[:-2]), output_field=IntegerField()))
        .values(*ITEM_FIELDS, "total")[args[-2] : args[-1]]
    ),
    (*_UNIT_LIST_KINDS, SHAPE, SHAPE),  # a page's bounds: its shape
)
# The buckets a list may be asked for (`TaskFilterForm`'s choices): any other value goes through the form, for its
# message.
_LISTED_BUCKETS = frozenset(k for k in tl.BUCKET_LABELS if k != tl.DRAFTED)


def _unit_page(
    request: HttpRequest, asked: dict[str, Any], unit: int, limit: int, offset: int
) -> tuple[int, list[ListRow], date] | None:
    """(count, rows, the day they are of) of the page when the question is one unit's list of one bucket or of all (`_unit_list`),
    read by the statements built once; None for any other question (then `list_tasks` builds it)."""
    bucket = asked.get("bucket") or ""
    if set(asked) - {"unit", "bucket"} or (bucket and bucket not in _LISTED_BUCKETS):
        return None
    person = person_of(request.user)
    if person is None or person.unit_id is None:
        return None
    ref = today()
    args = (
        person.unit_id,
        person.sees_everything,
        person.cleared_for_secrets,
        unit,
        bucket,
        ref,
        soon_limit(ref),
    )
    rows = _unit_list_rows(*args, offset, offset + limit)
    if rows:
        count = rows[0]["total"]
    else:  # an empty list, or a page past its end
        count = (_unit_list_count(*args) or [0])[0] if offset else 0
    return count, [ListRow.of(v) for v in rows], ref


# The CSV's columns, and the plain values they are written from (no model instances: a CSV may have 10^5 rows).
CSV_COLUMNS = (
    "id",
    "van_ban",
    "muc",
    "noi_dung",
    "don_vi_chu_tri",
    "trang_thai",
    "tinh_trang",
    "han",
    "han_hieu_luc",
    "ngay_giao",
    "ngay_hoan_thanh",
)
CSV_FIELDS = (
    "id",
    "directive__notation",
    "clause",
    "content",  # the tasks of Task.objects.visible_to(user) only
    "lead_unit__name",
    "state",
    "bucket",
    "due_date",
    "assigned_on",
    "completed_on",
)


CSV_CHUNK = 2000  # rows read from the server-side cursor and sent at a time


def _csv(tasks: QuerySet[Task]) -> StreamingHttpResponse:
    """Every matching task as CSV (UTF-8 with BOM, for spreadsheets), streamed in chunks of rows read with a
    server-side cursor as plain values: one call answers a question of tens of thousands of tasks. A chunk of
    `CSV_CHUNK` rows is written at once and sent as one piece (one piece a row made Django and the server handle
    12,595 pieces for Q3 at 10^6 tasks), and the effective deadline is worked out once per deadline, not once per
    row."""
    rule = tl.current_rule()
    effective = cache(lambda due: tl.effective_deadline(due, rule))

    def iso(d: date | None) -> str:
        return d.isoformat() if d else ""

    def written(rows: list[Any]) -> str:
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        return out.getvalue()

    def rows() -> Any:
        yield "\ufeff" + written([CSV_COLUMNS])
        chunk: list[Any] = []
        for pk, notation, clause, content, lead, state, bucket, due, assigned, done in tasks.values_list(
            *CSV_FIELDS
        ).iterator(chunk_size=CSV_CHUNK):
            # text from outside (imports, edXML) a spreadsheet would run as a formula: as the page's export writes it
            texts = [csv_value(notation), csv_value(clause), csv_value(content), csv_value(lead)]
            row = [pk, *texts, state, bucket, iso(due), iso(effective(due))]
            chunk.append([*row, iso(assigned), iso(done)])
            if len(chunk) == CSV_CHUNK:
                yield written(chunk)
                chunk = []
        if chunk:
            yield written(chunk)

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="nhiem-vu.csv"'
    return response


@api.get(
    "/tasks",
    response={200: TaskPage, **READ_ERRORS},
    tags=["Nhiệm vụ"],
    summary="Danh sách nhiệm vụ",
    openapi_extra={
        "responses": {
            200: {
                "description": "OK",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/TaskPage"}},
                    "text/csv": {"schema": {"type": "string"}},
                },
            }
        }
    },
)
def list_tasks(
    request: HttpRequest,
    filters: Query[TaskFilters],
    limit: Limit = 50,
    offset: Offset = 0,
    after: Annotated[
        str | None,
        param.Query(
            None,
            max_length=40,
            description="Con trỏ trang (phân trang theo khóa): giá trị «next» của trang trước; khi có con trỏ, "
            "«count» không được đếm lại (null) và «offset» phải là 0",
        ),
    ] = None,
    format: Annotated[
        str,
        param.Query(
            "json",
            pattern="^(json|csv)$",
            description="json (theo trang) hoặc csv (mọi nhiệm vụ khớp bộ lọc trong một lần gọi, truyền dần)",
        ),
    ] = "json",
) -> Any:
    """The tasks the caller may see, filtered as on the task list page, in deadline order."""
    values = filters.dict()
    asked = {k: v for k, v in values.items() if v not in (None, "", [])}
    unit_page = (
        _unit_page(request, asked, values["unit"], limit, offset)
        if format == "json" and not after and values["unit"] is not None
        else None
    )
    if unit_page is not None:
        count, items, day = unit_page
        listed = {"count": count, "limit": limit, "offset": offset, "items": items}
        return _listed(
            request, listed, values["unit"], day, {"filter": asked, "limit": limit, "offset": offset}
        )
    states = _states(values.pop("state"))
    unit = values.pop("unit")
    form = TaskFilterForm(_form_data(values))
    if not form.is_valid():
        _invalid(form)
    if after and offset:
        raise ValidationError({"offset": "Dùng con trỏ trang (after) hoặc offset, không dùng cả hai."})
    ref = today()
    soon = soon_limit(ref)
    tasks = Task.objects.visible_to(request.user)
    tasks = tasks.filter(state__in=states) if states else tasks.exclude(state=tl.DRAFT)
    if unit is not None:
        tasks = tasks.filter(lead_unit_id=unit)  # a unit that may not lead leads nothing: an empty list
    data = form.cleaned_data
    tasks = filter_tasks(tasks, data, ref, soon)
    if data.get("bucket"):
        tasks = tasks.in_bucket(data["bucket"], ref, soon)
    # Tasks with no deadline last, on SQLite as on PostgreSQL.
    tasks = tasks.select_related("lead_unit", "directive").order_by(F("due_date").asc(nulls_last=True), "id")
    detail: dict[str, Any] = {"filter": asked, "limit": limit, "offset": offset}
    if format == "csv":
        total = tasks.count()
        _unit_exists(unit, total)
        record_export(request, "Danh sách nhiệm vụ (API, CSV)", total, detail={"filter": asked})
        return _csv(tasks.with_bucket(ref, soon))
    rows = tasks.values(*ITEM_FIELDS)
    if after:
        items = [ListRow.of(v) for v in _after(rows, after, limit)]
        page: dict[str, Any] = {"count": None, "limit": limit, "offset": 0, "items": items}
        detail["after"] = after
    else:
        known = None if states else counted_list_count(request.user, {**data, "unit": unit}, ref, soon)
        page = {
            "count": tasks.count() if known is None else known,
            "limit": limit,
            "offset": offset,
            "items": [ListRow.of(v) for v in rows[offset : offset + limit]],
        }
    return _listed(request, page, unit, ref, detail)


def _listed(
    request: HttpRequest, page: dict[str, Any], unit: int | None, ref: date, detail: dict[str, Any]
) -> HttpResponse:
    """A page of `list_tasks` (its `count`, `limit`, `offset` and rows as `items`) answered: the unit checked when
    nothing came back, the cursor of the next page, the rows as items, the export recorded."""
    if page["count"] is not None:
        detail["total"] = page["count"]
    _unit_exists(unit, page["count"] or len(page["items"]))
    page["next"] = _cursor(page["items"][-1]) if len(page["items"]) == page["limit"] else None
    page["items"] = task_items(page["items"], ref, soon_limit(ref))
    # One entry per request (not per row): who read which page of which question, and how many rows left.
    record_export(request, "Danh sách nhiệm vụ (API)", len(page["items"]), detail=detail)
    return _checked_json(TaskPage, page)


@api.get(
    "/tasks/{task_id}", response={200: TaskOut, **READ_ERRORS}, tags=["Nhiệm vụ"], summary="Một nhiệm vụ"
)
def get_task(request: HttpRequest, task_id: int) -> dict[str, Any]:
    """A task with its coordinators, history and the actions the caller may take now."""
    return task_out(_visible_task(request, task_id), request)


def _python_type(field: Any) -> tuple[Any, Any]:
    """The JSON type of a page form field, and its default (required fields have none)."""
    from django import forms

    if isinstance(field, (VietDateField, ReportCycleField)):
        kind: Any = date
    elif isinstance(field, forms.TypedChoiceField):
        kind = bool  # the decision: approve or not
    elif isinstance(field, forms.BooleanField):
        return bool, False
    elif isinstance(field, forms.ModelMultipleChoiceField):
        return list[Id], Field(default_factory=list, max_length=200, description=str(field.label))
    elif isinstance(field, forms.ModelChoiceField):
        kind = Id
    elif isinstance(field, forms.IntegerField):
        kind = int
    else:
        kind = str
    if field.required:
        return kind, Field(..., description=str(field.label))
    return kind | None, Field(None, description=str(field.label))


def _action_schema(action: str, form_class: type[Any]) -> type[Schema]:
    fields: dict[str, Any] = {
        "version": (
            int | None,
            Field(None, description="Phiên bản nhiệm vụ đã xem; nếu đã cũ, trả lỗi 409 và không thay đổi gì"),
        )
    }
    for name, field in form_class.base_fields.items():
        if name == "version" or field.__class__.__name__ == "FileField":
            continue
        fields[name] = _python_type(field)
    camel = "".join(part.title() for part in action.split("_"))
    return create_model(f"{camel}In", __base__=StrictIn, **fields)  # type: ignore[call-overload,no-any-return]


def _add_action(action: str, form_class: type[Any]) -> None:
    schema = _action_schema(action, form_class)

    def endpoint(request: HttpRequest, task_id: int, payload: Any) -> dict[str, Any]:
        # One transaction from the task's read, which takes the row lock and what the action reads with it: the
        # action does not read the task again (one statement fewer a request, issue 19); any error rolls it back.
        with actions.one_action():
            task = _visible_task(request, task_id, locked=True)
            seen = (task.pk, task.lead_unit_id, task.secret)
            if not permissions.may(person_of(request.user), action, task):
                raise PermissionDenied(permissions.DENIED[action])
            values = payload.dict()
            if values.get("version") is None:
                values["version"] = task.version
            if "approve" in values and values["approve"] is not None:
                values["approve"] = "1" if values["approve"] else "0"
            form = form_class(_form_data(values, prefix=action), task=task)
            if not form.is_valid():
                _invalid(form)
            done = form.perform(request.user)
        return task_out(_after_action(request, seen, done), request)

    endpoint.__annotations__ = {"request": HttpRequest, "task_id": int, "payload": schema, "return": dict}
    endpoint.__name__ = f"task_{action}"
    endpoint.__doc__ = (
        f"{form_class.label}: gọi đúng hàm nghiệp vụ `actions.{action}` như trên trang nhiệm vụ."
    )
    api.post(
        f"/tasks/{{task_id}}/{action}",
        response={200: TaskOut, **WRITE_ERRORS},
        tags=["Thao tác trên nhiệm vụ"],
        summary=str(form_class.label),
        operation_id=f"task_{action}",
    )(endpoint)


for _action, _form in ACTION_FORMS.items():
    _add_action(_action, _form)


# ------------------------------------------------------------------------------------------------- directives


class DirectiveFilters(Schema):
    q: str | None = Field(None, max_length=200)
    authority: str | None = None
    year: int | None = Field(None, ge=1, le=9999)
    doc_type: str | None = Field(None, max_length=10)


def _require_registrar(request: HttpRequest) -> None:
    if not has_role(request.user, roles.CITY_OFFICE):
        raise PermissionDenied("Chỉ Văn phòng UBND (chuyên viên theo dõi) được vào sổ văn bản và nhiệm vụ.")


@api.get(
    "/directives",
    response={200: DirectivePage, **READ_ERRORS},
    tags=["Văn bản"],
    summary="Sổ văn bản chỉ đạo",
)
def list_directives(
    request: HttpRequest, filters: Query[DirectiveFilters], limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    form = DirectiveFilterForm(_form_data(filters.dict()))
    if not form.is_valid():
        _invalid(form)
    qs = filter_directives(
        Directive.objects.visible_to(request.user).select_related("issuer"), form.cleaned_data
    )
    page = _page(qs.order_by("-issued_on", "-number", "-id"), limit, offset, lambda d: d)
    counts = directive_task_counts(request.user, [d.pk for d in page["items"]])
    page["items"] = [directive_out(d, counts[d.pk]) for d in page["items"]]
    return page


@api.get(
    "/directives/{directive_id}",
    response={200: DirectiveOut, **READ_ERRORS},
    tags=["Văn bản"],
    summary="Một văn bản",
)
def get_directive(request: HttpRequest, directive_id: int) -> dict[str, Any]:
    qs = Directive.objects.visible_to(request.user).select_related("issuer")
    directive = get_object_or_404(qs, pk=directive_id)
    return directive_out(directive, directive_task_counts(request.user, [directive.pk])[directive.pk])


@api.post(
    "/directives",
    response={201: DirectiveOut, **WRITE_ERRORS},
    tags=["Văn bản"],
    summary="Vào sổ văn bản",
)
def create_directive(request: HttpRequest, payload: DirectiveIn) -> Status[dict[str, Any]]:
    """Register a directive, as the register page does: number/symbol parsed, duplicates refused."""
    _require_registrar(request)
    form = DirectiveForm(_form_data(payload.dict()), reader=request.user)
    if not form.is_valid():
        _invalid(form)
    directive = form.save()
    return Status(
        201, directive_out(directive, directive_task_counts(request.user, [directive.pk])[directive.pk])
    )


@api.post(
    "/directives/{directive_id}/tasks",
    response={201: TaskOut, **WRITE_ERRORS},
    tags=["Văn bản"],
    summary="Thêm nhiệm vụ (dự thảo) cho văn bản",
)
def add_task(request: HttpRequest, directive_id: int, payload: NewTaskIn) -> Status[dict[str, Any]]:
    """A draft task with exactly one lead unit; issue it with the `assign` action."""
    _require_registrar(request)
    directive = get_object_or_404(Directive.objects.visible_to(request.user), pk=directive_id)
    form = ChildTaskForm(
        _form_data(payload.dict()), directive=directive, calendar=calendar.current(), reader=request.user
    )
    if not form.is_valid():
        _invalid(form)
    return Status(201, task_out(_created(request, form.save(request.user)), request, new=True))


# ----------------------------------------------------------------------------------------- units and people


@api.get(
    "/units", response={200: UnitPage, **READ_ERRORS}, tags=["Đơn vị, cán bộ"], summary="Danh mục đơn vị"
)
def list_units(
    request: HttpRequest,
    q: Annotated[str | None, param.Query(None, max_length=200)] = None,
    assignable: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Units, current and past; `assignable=true` keeps those that may lead a task today."""
    qs = Unit.objects.prefetch_related("successors")
    if assignable:
        qs = qs.assignable()
    if needle := fold(q):
        qs = qs.filter(search__contains=needle)
    return _page(qs.order_by("kind", "name", "id"), limit, offset, unit_out)


@api.get(
    "/units/{unit_id}", response={200: UnitOut, **READ_ERRORS}, tags=["Đơn vị, cán bộ"], summary="Một đơn vị"
)
def get_unit(request: HttpRequest, unit_id: int) -> dict[str, Any]:
    return unit_out(get_object_or_404(Unit.objects.prefetch_related("successors"), pk=unit_id))


@api.get(
    "/people",
    response={200: PersonPage, **READ_ERRORS},
    tags=["Đơn vị, cán bộ"],
    summary="Cán bộ (tên, chức vụ)",
)
def list_people(
    request: HttpRequest,
    unit: Id | None = None,
    q: Annotated[str | None, param.Query(None, max_length=200)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """People in office: names and positions only (no e-mail, role or account)."""
    qs = Person.objects.filter(active=True).select_related("unit")
    if unit is not None:
        qs = qs.filter(unit_id=unit)
    if q and q.strip():
        qs = qs.filter(full_name__icontains=q.strip())
    return _page(qs.order_by("unit__name", "position", "full_name", "id"), limit, offset, person_out)


# ------------------------------------------------------------------------------ notifications, evaluation


def notification_out(n: Notification) -> dict[str, Any]:
    return {
        "id": n.pk,
        "task_id": n.task_id,
        "link": n.url,
        "title": n.title,
        "body": n.shown_body,
        "rule_name": n.rule_name,
        "step_day": n.step_day,
        "deadline": n.deadline,
        "working_days_late": n.working_days_late,
        "created_at": n.created_at,
        "read_at": n.read_at,
    }


def _my_notifications(request: HttpRequest) -> QuerySet[Notification]:
    """A person's own notifications (the follow-up engine's reminders); nobody reads another's."""
    person = person_of(request.user)
    if person is None:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=person).annotate(task_secret=F("task__secret"))


@api.get(
    "/notifications",
    response={200: NotificationPage, **READ_ERRORS},
    tags=["Thông báo, đánh giá"],
    summary="Thông báo đôn đốc của tôi",
)
def list_notifications(
    request: HttpRequest, unread: bool = False, limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    qs = _my_notifications(request)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return _page(qs.order_by("-created_at", "-id"), limit, offset, notification_out)


@api.post(
    "/notifications/{notification_id}/read",
    response={200: NotificationOut, **WRITE_ERRORS},
    tags=["Thông báo, đánh giá"],
    summary="Đánh dấu đã đọc",
)
def read_notification(request: HttpRequest, notification_id: int) -> dict[str, Any]:
    note = get_object_or_404(_my_notifications(request), pk=notification_id)
    if note.read_at is None:
        Notification.objects.filter(pk=note.pk).update(read_at=timezone.now())
        note.refresh_from_db()
    return notification_out(note)


class EvaluationQuery(Schema):
    """The dashboard's filters (checked by its own form, `DashboardForm`)."""

    loai_ky: str | None = Field(None, description="Loại kỳ: " + ", ".join(pr.KIND_LABELS))
    ky: str | None = Field(
        None, max_length=10, description="Kỳ: năm-số kỳ, ví dụ 2026-3 (mặc định: kỳ hiện tại)"
    )
    tu_ngay: date | None = Field(None, description="Kỳ tùy chọn: từ ngày (yyyy-mm-dd)")
    den_ngay: date | None = Field(None, description="Kỳ tùy chọn: đến ngày (yyyy-mm-dd)")
    authority: str | None = Field(None, description="Cấp giao")
    kind: str | None = Field(None, description="Loại nhiệm vụ: a, b, c, d")
    ngay: date | None = Field(None, description="Số liệu tính đến ngày (yyyy-mm-dd; mặc định: hôm nay)")
    by: str = Field(stats.CITY, description="Nhóm theo: city, unit, authority, kind")


def _group_labels(by: str, keys: list[Any]) -> dict[Any, str]:
    if by == stats.BY_UNIT:
        return {u.pk: u.name for u in Unit.objects.filter(pk__in=[k for k in keys if k is not None])}
    if by == stats.BY_AUTHORITY:
        return {k: str(v) for k, v in Authority.choices}
    if by == stats.BY_KIND:
        return dict(tl.KIND_LABELS)
    return {None: "Toàn Thành phố"}


@api.get(
    "/evaluation",
    response={200: EvaluationOut, **READ_ERRORS},
    tags=["Thông báo, đánh giá"],
    summary="Số liệu đánh giá của một kỳ",
)
def evaluation(request: HttpRequest, filters: Query[EvaluationQuery]) -> dict[str, Any]:
    """The counts of the evaluation page for a period (DOMAIN.md §8), for the roles that see the dashboard."""
    if not has_role(request.user, roles.SEES_EVERYTHING):
        raise PermissionDenied("Chỉ lãnh đạo, Văn phòng UBND và thanh tra được xem số liệu đánh giá.")
    values = filters.dict()
    by = values.pop("by")
    if by not in (stats.CITY, stats.BY_UNIT, stats.BY_AUTHORITY, stats.BY_KIND):
        raise ValidationError({"by": f"Nhóm theo «{by}» không hợp lệ: city, unit, authority hoặc kind."})
    form = DashboardForm(_form_data(values), today=today())
    if not form.is_valid():
        _invalid(form)
    period, ref = form.cleaned_data["period"], form.ref
    reader = counting_user(
        request.user, period, ref=ref
    )  # the page's rule (`build_for`): each window its own
    asof = stats.as_of(ref)  # what happened after ref, read once for both counts (as the page does)
    counts = stats.count(period, reader, by=by, ref=ref, filters=form.filters(), asof=asof)
    soon_reader = counting_user(request.user, due_soon_span(period, ref), ref=ref)
    soon = due_soon(period, soon_reader, ref=ref, filters=form.filters(), by=by, asof=asof)
    labels = _group_labels(by, list(counts))
    rows = [
        {
            "key": "" if key is None else str(key),
            "label": labels.get(key, str(key)),
            "due_soon": soon.get(key, 0),
            **{
                name: getattr(c, name)
                for name in CountsOut.model_fields
                if name not in ("key", "label", "due_soon")
            },
        }
        for key, c in counts.items()
    ]
    return {
        "period": {"kind": period.kind, "label": period.label, "start": period.start, "end": period.end},
        "ref": ref,
        "by": by,
        "rows": rows,
    }


from dondoc.api.edxml_api import router as edxml_router  # noqa: E402 - the edXML endpoints, /api/v1/edxml

api.add_router("/edxml", edxml_router)
