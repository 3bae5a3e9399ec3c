"""The leaders' dashboard (*Thống kê, đánh giá*)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dondoc.core.dates import today
from dondoc.evaluation import dashboard
from dondoc.evaluation import periods as pr
from dondoc.evaluation.forms import DashboardForm, period_key
from dondoc.org import roles
from dondoc.org.access import require_role
from dondoc.tracking.secrecy import cleared, counts_secret_share, reporting_window


@require_role(*roles.SEES_EVERYTHING)
def dashboard_view(request: HttpRequest) -> HttpResponse:
    ref = today()
    form = DashboardForm(request.GET or None, today=ref)
    if form.is_bound and not form.is_valid():
        return render(request, "evaluation/dashboard.html", {"form": form, "ref": ref}, status=400)
    if form.is_bound:
        period = form.cleaned_data["period"]
        filters = form.filters()
        ref = form.ref
    else:
        period = pr.containing(pr.MONTHLY, ref)
        filters = dashboard.stats.Filters()
        form = DashboardForm(
            {"loai_ky": pr.MONTHLY, "ky": period_key(period), "ngay": f"{ref:%d/%m/%Y}"}, today=ref
        )
        form.is_valid()
    data = dashboard.build_for(request.user, period, ref=ref, filters=filters)
    return render(
        request,
        "evaluation/dashboard.html",
        {
            "form": form,
            "ref": ref,
            "period": period,
            "data": data,
            "labels": dashboard.stats.MEASURE_LABELS,
            # an uncleared reader: told where the secret tasks are counted (the same sentence whether any exists)
            "uncleared": not cleared(request.user),
            "secret_counted": counts_secret_share(request.user, [(period.start, period.end)], ref),
            # a reporting window already closed: the same period as of its cut-off counts them
            "cutoff_url": dashboard.dashboard_url(period, period.end)
            if reporting_window(period.start, period.end) and period.end < today() and ref != period.end
            else "",
        },
    )
