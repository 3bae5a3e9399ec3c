from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from dondoc.audit import record_export
from dondoc.core.dates import today
from dondoc.core.links import url_maker
from dondoc.core.queries import paged
from dondoc.org import roles
from dondoc.org.access import person_of
from dondoc.org.models import Unit
from dondoc.tracking import counted, home_page, permissions, task_page, unit_history
from dondoc.tracking import timeliness as tl
from dondoc.tracking.actions import StaleEdit, stale_edit
from dondoc.tracking.forms import ACTION_FORMS, ActionForm, TaskFilterForm, UnitChangeForm
from dondoc.tracking.models import (
    Contribution,
    DeadlineChange,
    ProgressReport,
    Result,
    Task,
)
from dondoc.tracking.queries import (
    LIST_COLUMNS,
    BucketPage,
    OpenFirst,
    bucket_counts,
    counters,
    filter_tasks,
    hidden_secret_count,
    list_count,
    list_order,
    sum_counts,
)
from dondoc.tracking.secrecy import cleared
from dondoc.tracking.timeliness import soon_limit

PAGE_SIZE = 25


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    ref = today()
    soon = soon_limit(ref)
    form = TaskFilterForm(request.GET or None)
    counts: dict[str, int] = {}
    hidden_secret = withdrawn = 0
    bucket = open_n = rows = None
    valid = not form.is_bound or form.is_valid()
    data = form.cleaned_data if form.is_bound and valid else {}
    if valid:
        hidden_secret = hidden_secret_count(request.user, data, ref, soon)
        # counted by the parts of what the user sees (a unit's own tasks, those it coordinates), each from its
        # counted rows when they answer the question (`tracking.counted`), else from the tasks themselves (the
        # parts' querysets built only then: building them was CPU for nothing when every part has its rows)
        parts_rows = counted.rows_of_parts(request.user, data, city=True)
        rows = parts_rows[0]
        parts: list[Any] = []  # `visible_parts`, in the order of `parts_rows`
        numbers = []
        for i, part_rows in enumerate(parts_rows):
            if part_rows is None:
                parts = parts or Task.objects.exclude(state=tl.DRAFT).visible_parts(request.user)
                numbers.append(bucket_counts(filter_tasks(parts[i], data, ref, soon), ref, soon))
                continue
            part_counts, part_open = counted.bucket_counts(part_rows.exclude(state=tl.DRAFT), ref, soon)
            numbers.append(part_counts)
            open_n = part_open if len(parts_rows) == 1 else None
        counts = sum_counts(numbers)
        bucket = data.get("bucket") or None
        if bucket in (None, tl.WITHDRAWN):
            withdrawn = counts[tl.WITHDRAWN]
    # a list of one bucket, of one unit or of all, by a statement built once (`BucketPage`); else the tasks'
    # queryset (built only then), a list of one bucket knowing its tasks' bucket, the rows reading only the columns
    # they show (`list_rows`), and without a bucket and with the number of open tasks known read in its two parts
    # (`OpenFirst`)
    person = person_of(request.user)
    if bucket and rows is not None and person is not None and person.unit_id is not None:
        listed: Any = BucketPage(person, data.get("unit"), bucket, ref, soon)
    else:
        tasks = Task.objects.visible_to(request.user).exclude(state=tl.DRAFT)
        if valid:
            tasks = filter_tasks(tasks, data, ref, soon)
            if bucket:
                tasks = tasks.in_bucket(bucket, ref, soon)
        else:
            tasks = tasks.none()
        tasks = (
            tasks.with_bucket(ref, soon, among=bucket)
            .select_related("lead_unit", "directive")
            .only(*LIST_COLUMNS)
        )
        listed = list_order(tasks, bucket) if open_n is None or bucket else OpenFirst(tasks, open_n)
    # the list's length is one of its counters (or their sum): no second count of the same rows
    page, query = paged(request, listed, PAGE_SIZE, count=list_count(counts, bucket) if counts else None)
    same_question = query.copy()
    same_question.pop("bucket", None)
    return render(
        request,
        "tracking/task_list.html",
        {
            "form": form,
            "page": page,
            # the list shows the cancelled tasks (never the drafts): their chip too, so the chips add up to it
            "counts": counters(counts, untracked=(tl.WITHDRAWN,)),
            "counts_href": f"?{same_question.urlencode()}&bucket=" if same_question else "?bucket=",
            "query": query.urlencode(),
            "ref": ref,
            "hidden_secret": hidden_secret,
            "withdrawn": withdrawn,
        },
    )


def _visible_task(request: HttpRequest, pk: int) -> Task:
    """The task with its directive, units and people, when the user may see it (`visible_to`), else 404."""
    reader = task_page.reader(person_of(request.user))
    found = task_page.task.first(pk, *reader) if reader is not None else None
    if found is None:
        raise Http404("Không tìm thấy nhiệm vụ.")
    return found


def approved_extensions(requests: list[DeadlineChange]) -> int:
    """How many times the deadline was extended, as the request rows on the page say: the approved extension
    requests (a withdrawal or a refused request changes no deadline)."""
    return sum(
        1
        for r in requests
        if r.kind == DeadlineChange.Kind.EXTEND and r.status == DeadlineChange.Status.APPROVED
    )


def _render_detail(
    request: HttpRequest, task: Task, bound: ActionForm | None = None, status: int = 200
) -> HttpResponse:
    """The task page: its facts, its timeline, and a form for each action the user may take now."""
    ref = today()
    person = person_of(request.user)
    reader = task_page.reader(person)
    assert reader is not None  # the task was read as visible to this person
    # what the page shows of the coordinators and the deadline requests answers the rights' questions too
    # (`permissions`: is the reader's unit a coordinator, does a request wait): read once, not asked again.
    # Every read below is a statement built once (`task_page`).
    task_page.with_loaded(task, "coordinations", task_page.coordinations(task.pk))
    requests = task_page.requests(task.pk)
    task._pending_request = any(r.status == DeadlineChange.Status.PENDING for r in requests)  # type: ignore[attr-defined]
    forms = [
        bound if bound is not None and bound.action == action else ACTION_FORMS[action](task=task)
        for action in permissions.allowed_actions(person, task)
        if action in ACTION_FORMS  # "urge" is done by an urging letter (documents app), not a form here
    ]
    children = task_page.children(task.pk, *reader, ref, soon_limit(ref))
    return render(
        request,
        "tracking/task_detail.html",
        {
            "task": task,
            "bucket": task.bucket_on(ref, soon_limit(ref)),
            "coordinations": task.coordinations.all(),  # read above
            "events": task_page.events(task.pk),
            "requests": requests,
            "extensions": approved_extensions(requests),
            "reports": task_page.reports(task.pk),
            "results": task_page.results(task.pk),
            "contributions": task_page.contributions(task.pk),
            "action_forms": forms,
            "open_form": bound.action if bound is not None else "",
            # The task tree: the children the user may see, with their buckets and a count per bucket.
            "children": children,
            "children_counts": counters(
                bucket_counts(
                    Task.objects.visible_to(request.user).filter(parent=task), ref, soon_limit(ref)
                ),
                nonzero=True,
                untracked=tl.NOT_TRACKED,
            )
            if children
            else [],
            "children_href": reverse("tracking:task_list") + f"?parent={task.pk}&bucket=",
        },
        status=status,
    )


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _visible_task(request, pk))


@login_required
@require_POST
def task_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Perform one action: look the task up through visible_to, check the right, call one domain function."""
    task = _visible_task(request, pk)
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404("Không có thao tác này.")
    if not permissions.may(person_of(request.user), action, task):
        if _seen_version(request, action) not in (None, task.version):
            # The page was loaded before someone else changed the task (the other officer confirmed the result a
            # moment before): that is a stale edit, said as such, not a refusal of a right the user has.
            messages.error(request, stale_edit(task).messages[0])
            return _render_detail(request, task, status=409)
        raise PermissionDenied(permissions.DENIED[action])
    form = form_class(request.POST, request.FILES, task=task)
    if form.is_valid():
        try:
            form.perform(request.user)
        except StaleEdit as exc:
            messages.error(request, exc.messages[0])
            return _render_detail(request, _visible_task(request, pk), status=409)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, f"Đã ghi nhận: {form.label.lower()}.")
            return redirect(task)
    return _render_detail(request, task, bound=form, status=400)


def _seen_version(request: HttpRequest, action: str) -> int | None:
    """The task version the posted form carried (None when absent or not a number)."""
    try:
        return int(request.POST.get(f"{action}-version", ""))
    except ValueError:
        return None


FILE_OWNERS: dict[str, type[Result | ProgressReport | Contribution]] = {
    "ket-qua": Result,
    "tien-do": ProgressReport,
    "phoi-hop": Contribution,
}


@login_required
def task_file(request: HttpRequest, pk: int, kind: str, item: int) -> FileResponse:
    """Serve an attached file, only to people who can see the task, always as a download (never inline)."""
    task = _visible_task(request, pk)
    model = FILE_OWNERS.get(kind)
    if model is None:
        raise Http404("Không có tệp này.")
    owner: Any = get_object_or_404(model._default_manager.filter(task=task), pk=item)
    if not owner.file:
        raise Http404("Không có tệp này.")
    filename = owner.file.name.rsplit("/", 1)[-1]
    try:
        handle = owner.file.open("rb")
    except FileNotFoundError:
        raise Http404("Không tìm thấy tệp trên máy chủ.") from None
    record_export(
        request,
        f"Tệp đính kèm ({owner._meta.verbose_name})",
        obj=owner,
        detail={"file": filename, "task": task.pk},
    )
    return FileResponse(handle, as_attachment=True, filename=filename)


HOME_GROUPS = (tl.OVERDUE, tl.IN_DEADLINE, tl.NO_DEADLINE)  # due soon: a part of the within-deadline group
ROW_FIELDS = home_page.ROW_FIELDS
WORKLIST_LIMIT = home_page.WORKLIST_LIMIT
WORKLIST_PAGE = 10  # the City Office's home: three worklists on one screen, each paged on its own


@dataclass
class Worklist:
    """One worklist of the City Office's home page, paged by its own parameter (``trang-<slug>``) so that paging one
    list keeps the others where they were."""

    key: str
    label: str
    page: Any
    param: str
    query: str


def worklist(request: HttpRequest, key: str, slug: str, label: str, tasks: Any) -> Worklist:
    param = f"trang-{slug}"
    query = request.GET.copy()
    query.pop(param, None)
    page = Paginator(tasks, WORKLIST_PAGE).get_page(request.GET.get(param))
    return Worklist(key, label, page, param, query.urlencode())


def first_coordinated(request: HttpRequest, unit_id: int) -> list[Task]:
    """The first WORKLIST_LIMIT open tasks a unit coordinates, by deadline, as its people may read them
    (`home_page._coordinated`)."""
    return home_page.coordinated(unit_id, cleared(request.user))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """A home page per role: the unit's own work, the City Office's worklist, the leaders' summary."""
    person = person_of(request.user)
    if person is None:
        return render(request, "tracking/home_none.html")
    ref = today()
    soon = soon_limit(ref)
    visible = Task.objects.visible_to(request.user)
    context: dict[str, object] = {"person": person, "ref": ref}
    if person.role in roles.UNIT_PEOPLE:
        # every read a statement built once (`home_page`)
        shape = (person.sees_everything, person.cleared_for_secrets, ref, soon)
        groups = []
        counts = home_page.counts(person.unit_id, person.cleared_for_secrets, ref, soon)
        for c in counters(counts):
            if c.key in HOME_GROUPS:
                groups.append((c, home_page.group(person.unit_id, *shape, c.key, c.part is not None)))
        context.update(
            groups=groups, coordinated=first_coordinated(request, person.unit_id), unit=person.unit
        )
        return render(request, "tracking/home_unit.html", context)
    if person.role in roles.CITY_OFFICE:
        # each worklist counted and paged by statements built once (`home_page.OfficeList`)
        reader = task_page.reader(person)
        assert reader is not None
        context.update(
            lists=[
                worklist(request, key, slug, label, home_page.OfficeList(key, reader))
                for key, slug, label in (
                    ("results", "ket-qua", "Kết quả chờ xác nhận"),
                    ("requests", "de-nghi", "Đề nghị điều chỉnh chờ quyết định"),
                    ("unacknowledged", "chua-tiep-nhan", "Nhiệm vụ đơn vị chưa tiếp nhận"),
                )
            ]
        )
        return render(request, "tracking/home_office.html", context)
    # the counted rows (`tracking.counted`) when the reader sees every unit, else the tasks themselves
    rows = counted.rows_for(request.user) if person.sees_everything else None
    counts = bucket_counts(visible if rows is None else counted.rows_for(request.user, city=True), ref, soon)
    overdue = (visible if rows is None else rows).filter(tl.bucket_filter(tl.OVERDUE, ref, soon))
    # each unit's page's address around its id looked up once, not a `{% url %}` a row (~30 µs each, issue 19)
    unit_page = url_maker("tracking:unit_detail")
    overdue_by_unit = [
        {**row, "url": unit_page(row["lead_unit"])}
        for row in overdue.values("lead_unit", "lead_unit__name")
        .annotate(n=Count("id") if rows is None else Sum("n"))
        .filter(n__gt=0)
        .order_by("-n", "lead_unit__name")[:10]
    ]
    waiting_requests = visible.filter(deadline_requests__status="pending").select_related("lead_unit")
    context.update(
        counts=counters(counts),
        counts_href=reverse("tracking:task_list") + "?bucket=",
        overdue_by_unit=overdue_by_unit,
        waiting_requests=waiting_requests[:WORKLIST_LIMIT],
    )
    return render(request, "tracking/home_leader.html", context)


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's page: its head, its open tasks and its buckets (only the tasks the user may see)."""
    unit = get_object_or_404(Unit, pk=pk)
    ref = today()
    soon = soon_limit(ref)
    tasks = Task.objects.visible_to(request.user).filter(lead_unit=unit)
    counts = bucket_counts(tasks, ref, soon)
    open_tasks = tasks.open().with_bucket(ref, soon).select_related("directive").order_by("due_date", "id")
    page = Paginator(open_tasks, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "tracking/unit_detail.html",
        {
            "unit": unit,
            "head": unit.current_head(),
            "counts": counters(counts),
            "counts_href": reverse("tracking:task_list") + f"?unit={unit.pk}&bucket=",
            "may_record_change": unit_history.may_record(request.user),
            "page": page,
            "query": "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_change(request: HttpRequest) -> HttpResponse:
    """Record a merger or split of units on a date (*sáp nhập, chia tách đơn vị*, `unit_history`), in two steps:

    1. the form: the former unit(s), the successor(s), the date, the grounds; a POST of it (``step=preview``) checks
       it (Vietnamese field errors, nothing changed) and shows the confirmation: each open task of the former units
       with the successor proposed to lead it, which the officer may change task by task;
    2. the confirmation (``step=confirm``) re-checks everything and records it, all or nothing.
    Tracking officers and administrators only (403 for anyone else)."""
    if not unit_history.may_record(request.user):
        raise PermissionDenied(unit_history.DENIED)
    form = UnitChangeForm(request.POST or None, initial={"formers": request.GET.getlist("formers")[:20]})
    step = request.POST.get("step", "")
    if request.method == "POST" and form.is_valid():
        formers, successors = list(form.cleaned_data["formers"]), list(form.cleaned_data["successors"])
        moves = unit_history.preview(formers, successors)
        by_pk = {s.pk: s for s in successors}
        lead_errors: dict[int, str] = {}
        for move in moves:
            chosen = request.POST.get(f"lead_{move.task.pk}")
            if chosen is None:
                continue
            if chosen.isdigit() and int(chosen) in by_pk:
                move.proposed = by_pk[int(chosen)]
            else:
                lead_errors[move.task.pk] = "Đơn vị chủ trì mới phải là một trong các đơn vị kế thừa đã chọn."
        if step == "confirm" and not lead_errors:
            try:
                moved = unit_history.record_change(
                    formers,
                    successors,
                    on=form.cleaned_data["on"],
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                    leads={m.task.pk: m.proposed for m in moves},
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                names = ", ".join(u.name for u in formers)
                messages.success(
                    request,
                    f"Đã ghi nhận: {names} hết hiệu lực từ {form.cleaned_data['on']:%d/%m/%Y}; "
                    f"{moved} nhiệm vụ đang mở được chuyển cho đơn vị kế thừa.",
                )
                return redirect("tracking:unit_detail", pk=formers[0].pk)
        if form.is_valid():
            return render(
                request,
                "tracking/unit_change_confirm.html",
                {
                    "form": form,
                    "formers": formers,
                    "successors": successors,
                    "moves": moves,
                    "lead_errors": lead_errors,
                },
            )
    return render(request, "tracking/unit_change.html", {"form": form})
