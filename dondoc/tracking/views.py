from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from dondoc.core.dates import soon_limit, today
from dondoc.tracking import timeliness as tl
from dondoc.tracking.forms import TaskFilterForm
from dondoc.tracking.models import Task
from dondoc.tracking.queries import bucket_counts, filter_tasks

PAGE_SIZE = 25


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    ref = today()
    soon = soon_limit(ref)
    form = TaskFilterForm(request.GET or None)
    tasks = Task.objects.visible_to(request.user).exclude(state=tl.DRAFT)
    counts: dict[str, int] = {}
    if form.is_bound and not form.is_valid():
        tasks = tasks.none()
    else:
        data = form.cleaned_data if form.is_bound else {}
        tasks = filter_tasks(tasks, data, ref, soon)
        counts = bucket_counts(tasks, ref, soon)
        if data.get("bucket"):
            tasks = tasks.in_bucket(data["bucket"], ref, soon)
    tasks = tasks.with_bucket(ref, soon).select_related("lead_unit", "directive").order_by("due_date", "id")
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "tracking/task_list.html",
        {
            "form": form,
            "page": page,
            "counts": [(k, tl.BUCKET_LABELS[k], counts.get(k, 0)) for k in tl.BUCKETS if k != tl.NOT_TRACKED],
            "query": query.urlencode(),
            "ref": ref,
        },
    )


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ref = today()
    task = get_object_or_404(
        Task.objects.visible_to(request.user).select_related(
            "lead_unit", "directive", "accountable_head", "officer", "parent"
        ),
        pk=pk,
    )
    events = task.events.select_related("actor").order_by("at", "id")
    return render(
        request,
        "tracking/task_detail.html",
        {
            "task": task,
            "bucket": task.bucket_on(ref, soon_limit(ref)),
            "bucket_labels": tl.BUCKET_LABELS,
            "coordinations": task.coordinations.select_related("unit"),
            "events": events,
            "requests": task.deadline_requests.select_related("requested_by", "decided_by"),
            "reports": task.progress_reports.select_related("author"),
            "results": task.results.select_related("submitted_by"),
        },
    )
