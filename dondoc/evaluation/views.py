"""The leaders' dashboard (*Thống kê, đánh giá*)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dondoc.core.dates import today
from dondoc.evaluation import dashboard
from dondoc.evaluation import periods as pr
from dondoc.evaluation.forms import DashboardForm, period_key
from dondoc.org.access import require_role
from dondoc.org.models import Person

# Leaders, the City Office, inspectors and administrators (DOMAIN.md §2); everyone else gets 403.
DASHBOARD_ROLES = (
    Person.Role.LEADER,
    Person.Role.TRACKING_OFFICER,
    Person.Role.INSPECTOR,
    Person.Role.ADMIN,
)


@require_role(*DASHBOARD_ROLES)
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
    data = dashboard.build(period, dashboard.counting_user(request.user), ref=ref, filters=filters)
    return render(
        request,
        "evaluation/dashboard.html",
        {"form": form, "ref": ref, "period": period, "data": data, "labels": dashboard.stats.MEASURE_LABELS},
    )
