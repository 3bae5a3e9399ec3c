"""Verdicts that fit the task (issue 20, point 1): tasks not yet due and tasks without a deadline (kinds c, d) get
verdicts of their own, and a verdict must match the task's timeliness at the time of inspection."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from dondoc.inspection import services
from dondoc.inspection.models import Verdict
from tests.helpers import login, make_plan


@pytest.fixture
def plan(city, personas, registry):
    """Visits Sở Xây dựng and Sở Y tế from 10/03/2026 (today): the findings speak of 10/03/2026."""
    return make_plan(personas["inspector"], [registry["SXD"], registry["SYT"]], title="Kiểm tra quý I")


def finding_of(plan, city, personas, name):
    task = city[name]
    inspected = plan.units.get(unit=task.lead_unit)
    services.set_sample(
        personas["inspector"].user, inspected, [*(f.task for f in inspected.findings.all()), task]
    )
    return inspected.findings.get(task=task)


def record(personas, finding, verdict, text=""):
    return services.record_finding(personas["inspector"].user, finding, verdict=verdict, text=text)


def test_tasks_not_yet_due_and_without_deadline_get_verdicts_that_fit(plan, city, personas):
    in_deadline = record(personas, finding_of(plan, city, personas, "y_open"), Verdict.IN_DEADLINE)
    assert in_deadline.checked and in_deadline.get_verdict_display() == "Đang thực hiện trong hạn"
    kind_c = record(personas, finding_of(plan, city, personas, "t_c"), Verdict.NEEDS_DEADLINE)
    assert kind_c.get_verdict_display() == "Chưa có thời hạn — đề nghị xác định thời hạn"
    kind_d = record(personas, finding_of(plan, city, personas, "t_d"), Verdict.NO_DEADLINE_ON_TRACK)
    assert kind_d.checked
    assert services.fitting_verdicts(finding_of(plan, city, personas, "t_a")) == (
        Verdict.LATE_OBJECTIVE,
        Verdict.LATE_NO_CAUSE,
        Verdict.DELIBERATE,
        Verdict.IRRESPONSIBLE,
    )
    assert services.fitting_verdicts(finding_of(plan, city, personas, "y_done")) == (Verdict.ON_TIME,)


@pytest.mark.parametrize(
    ("task", "verdict", "bucket"),
    [
        ("t_a", Verdict.ON_TIME, "Quá hạn chưa hoàn thành"),
        ("t_a", Verdict.IN_DEADLINE, "Quá hạn chưa hoàn thành"),
        ("y_open", Verdict.DELIBERATE, "Đang thực hiện trong hạn"),
        ("t_c", Verdict.IN_DEADLINE, "Không có thời hạn"),
        ("t_d", Verdict.ON_TIME, "Không có thời hạn"),
        ("y_done", Verdict.LATE_NO_CAUSE, "Hoàn thành đúng hạn"),
        ("y_done", Verdict.NEEDS_DEADLINE, "Hoàn thành đúng hạn"),
    ],
)
def test_a_verdict_that_does_not_fit_the_task_is_refused_in_vietnamese(
    plan, city, personas, task, verdict, bucket
):
    finding = finding_of(plan, city, personas, task)
    with pytest.raises(ValidationError) as refused:
        record(personas, finding, verdict, text="Lý do")
    message = refused.value.message_dict["verdict"][0]
    assert f"«{bucket}»" in message and "10/03/2026" in message and "không phù hợp" in message
    finding.refresh_from_db()
    assert not finding.checked and finding.verdict == ""


def test_the_verdict_matches_the_task_on_the_day_of_the_visit(plan, city, personas):
    """t_b is due 02/03/2026: overdue on 10/03, but the team visited Sở Xây dựng on 27/02, when it was not yet due."""
    sxd = plan.units.get(unit__code="SXD")
    sxd.visit_on = date(2026, 2, 27)
    sxd.save()
    finding = finding_of(plan, city, personas, "t_b")
    with pytest.raises(ValidationError, match="27/02/2026"):
        record(personas, finding, Verdict.DELIBERATE, text="Cố tình")
    assert record(personas, finding, Verdict.IN_DEADLINE).verdict == Verdict.IN_DEADLINE


def test_record_page_offers_only_the_verdicts_that_fit_and_refuses_a_misfit(plan, city, personas):
    finding_of(plan, city, personas, "t_a")  # listed first (by deadline), offering the late verdicts
    finding = finding_of(plan, city, personas, "t_c")
    c = login(personas["inspector"])
    page = c.get(f"/thanh-tra/don-vi/{finding.inspected_id}/").content.decode()
    assert "Cố tình chậm trễ" in page
    form = page[page.index(f'id="finding-{finding.pk}"') : page.index("Giải trình của đơn vị")]
    assert "Chưa có thời hạn — đề nghị xác định thời hạn" in form
    assert "Hoàn thành đúng hạn" not in form and "Cố tình chậm trễ" not in form
    assert "tại thời điểm kiểm tra (10/03/2026)" in page
    response = c.post(f"/thanh-tra/ket-luan/{finding.pk}/", {f"f{finding.pk}-verdict": Verdict.ON_TIME})
    assert response.status_code == 400
    assert "«Kết luận»: Kết luận «Hoàn thành đúng hạn» không phù hợp" in response.content.decode()
    finding.refresh_from_db()
    assert not finding.checked
