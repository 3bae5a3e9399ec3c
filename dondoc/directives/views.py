from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from dondoc.audit import record_export
from dondoc.core.dates import today
from dondoc.core.queries import paged
from dondoc.directives.forms import AttachmentForm, DirectiveFilterForm, DirectiveForm
from dondoc.directives.models import Attachment, Directive
from dondoc.directives.queries import filter_directives
from dondoc.org import roles
from dondoc.org.access import has_role, require_role
from dondoc.tracking import actions
from dondoc.tracking import timeliness as tl
from dondoc.tracking.forms import NewTaskForm
from dondoc.tracking.models import Task
from dondoc.tracking.queries import bucket_counts, counters, directive_task_counts
from dondoc.tracking.timeliness import soon_limit
from dondoc.workdays import calendar


@login_required
def directive_list(request: HttpRequest) -> HttpResponse:
    form = DirectiveFilterForm(request.GET or None)
    directives = Directive.objects.visible_to(request.user).select_related("issuer")
    if form.is_bound and not form.is_valid():
        directives = directives.none()
    elif form.is_bound:
        directives = filter_directives(directives, form.cleaned_data)
    page, query = paged(request, directives.order_by("-issued_on", "-number"), 25)
    # the number of tasks of the page's directives only (counting every directive's tasks to show 25 took seconds)
    page.object_list = list(page.object_list)
    task_counts = directive_task_counts(request.user, [d.pk for d in page.object_list])
    for d in page.object_list:
        d.task_count = task_counts[d.pk]
    can_register = _is_registrar(request)
    return render(
        request,
        "directives/directive_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "can_register": can_register},
    )


def _is_registrar(request: HttpRequest) -> bool:
    return has_role(request.user, roles.CITY_OFFICE)


@login_required
def directive_detail(
    request: HttpRequest,
    pk: int,
    task_form: NewTaskForm | None = None,
    attachment_form: AttachmentForm | None = None,
) -> HttpResponse:
    directive = get_object_or_404(Directive.objects.visible_to(request.user).select_related("issuer"), pk=pk)
    ref = today()
    soon = soon_limit(ref)
    tasks = (
        Task.objects.visible_to(request.user)
        .filter(directive=directive)
        .with_bucket(ref, soon)
        .select_related("lead_unit")
        .order_by("clause", "id")
    )
    counts = bucket_counts(tasks, ref, soon)
    return render(
        request,
        "directives/directive_detail.html",
        {
            "directive": directive,
            "tasks": tasks,
            "task_count": directive_task_counts(request.user, [directive.pk])[directive.pk],
            "counts": counters(counts, nonzero=True, untracked=tl.NOT_TRACKED),
            "counts_href": reverse("tracking:task_list") + f"?directive={directive.pk}&bucket=",
            "drafts": tasks.filter(state=tl.DRAFT).count(),
            "task_form": task_form
            or (
                NewTaskForm(directive=directive, calendar=calendar.current())
                if _is_registrar(request)
                else None
            ),
            "attachments": directive.attachments.order_by("uploaded_at", "id"),
            "attachment_form": attachment_form or (AttachmentForm() if _is_registrar(request) else None),
        },
        status=400 if task_form is not None or attachment_form is not None else 200,
    )


@login_required
@require_POST
@require_role(*roles.CITY_OFFICE)
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach a file to the directive (the signed scan, an appendix): content-checked, size-capped."""
    directive = get_object_or_404(Directive.objects.visible_to(request.user), pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return directive_detail(request, pk, attachment_form=form)
    attachment = form.save(directive)
    messages.success(request, f"Đã đính kèm tệp «{attachment.name}».")
    return redirect(directive)


@login_required
@require_POST
@require_role(*roles.CITY_OFFICE)
def attachment_delete(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    directive = get_object_or_404(Directive.objects.visible_to(request.user), pk=pk)
    attachment = get_object_or_404(Attachment, directive=directive, pk=item)
    name = attachment.name
    attachment.file.delete(save=False)
    attachment.delete()
    messages.success(request, f"Đã xóa tệp «{name}».")
    return redirect(directive)


@login_required
def attachment_file(request: HttpRequest, pk: int, item: int) -> FileResponse:
    """A directive's file, only to people who can see the directive, always as a download (never inline)."""
    directive = get_object_or_404(Directive.objects.visible_to(request.user), pk=pk)
    attachment = get_object_or_404(Attachment, directive=directive, pk=item)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("Không tìm thấy tệp trên máy chủ.") from None
    record_export(
        request, "Tệp đính kèm văn bản", obj=attachment, detail={"file": attachment.name, "directive": pk}
    )
    return FileResponse(handle, as_attachment=True, filename=attachment.name)


@login_required
@require_http_methods(["GET", "POST"])
@require_role(*roles.CITY_OFFICE)
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a draft task to a directive (one lead, coordinators, deadlines as written).

    A refused form is shown again on the directive page, open, with its errors (the page scrolls to it and the first
    field in error takes the focus). The address is then this one: reloading it (a GET) goes back to the directive
    page instead of answering 405."""
    directive = get_object_or_404(Directive.objects.visible_to(request.user), pk=pk)
    if request.method == "GET":
        return redirect(directive)
    form = NewTaskForm(request.POST, directive=directive, calendar=calendar.current())
    if form.is_valid():
        try:
            task = form.save(request.user)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"Đã thêm nhiệm vụ (dự thảo) cho {task.lead_unit}.")
            return redirect(directive)
    return directive_detail(request, pk, task_form=form)


@login_required
@require_http_methods(["GET", "POST"])
@require_role(*roles.CITY_OFFICE)
def assign_all(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue the draft tasks of the directive (draft → assigned), after a confirmation step.

    GET shows what will be assigned (how many tasks, to which lead units) with one button; the POST carries the ids
    of the drafts the user saw and ``confirm``, and assigns those only (a draft added meanwhile waits for the next
    confirmation). A POST without ``confirm`` assigns nothing and shows the confirmation."""
    directive = get_object_or_404(Directive.objects.visible_to(request.user), pk=pk)
    drafts = (
        Task.objects.visible_to(request.user)
        .filter(directive=directive, state=tl.DRAFT)
        .select_related("lead_unit")
        .order_by("clause", "id")
    )
    if request.method == "POST" and request.POST.get("confirm"):
        seen = {int(v) for v in request.POST.getlist("task") if v.isdigit() and len(v) < 19}
        count = 0
        for task in drafts.filter(pk__in=seen):
            actions.assign(task, request.user)
            count += 1
        messages.success(request, f"Đã giao {count} nhiệm vụ.")
        return redirect(directive)
    if request.method == "POST":
        return redirect("directives:assign_all", pk=directive.pk)
    if not drafts:
        messages.info(request, "Văn bản không còn nhiệm vụ dự thảo nào để giao.")
        return redirect(directive)
    return render(request, "directives/assign_confirm.html", {"directive": directive, "drafts": list(drafts)})


@login_required
@require_role(*roles.CITY_OFFICE)
def directive_create(request: HttpRequest) -> HttpResponse:
    form = DirectiveForm(request.POST or None, reader=request.user)
    if request.method == "POST" and form.is_valid():
        directive = form.save()
        messages.success(
            request, f"Đã vào sổ văn bản {directive.notation}. Thêm các nhiệm vụ của văn bản bên dưới."
        )
        return redirect(directive)
    return render(request, "directives/directive_form.html", {"form": form})
