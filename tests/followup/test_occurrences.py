"""Report obligations per occurrence (issue 14, point 7): each cycle of "báo cáo trước ngày 25 hằng tháng" is met
by a progress report marked for it or by the monthly report the product issues; the ladder stops when it is met."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from dondoc.evaluation import periods, report
from dondoc.followup import ladder
from dondoc.followup.models import ReportOccurrence
from dondoc.followup.occurrences import occurrences_of
from dondoc.tracking import actions
from dondoc.tracking.models import Task
from tests.followup.helpers import at, triples, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispatch_3031(directive):
    """The shared test directive, renumbered as dispatch 3031/UBND-TKBT (whose report obligations the product's
    monthly report meets, `DONDOC_PERIODIC_REPORT_DIRECTIVES`)."""
    directive.notation, directive.number, directive.symbol, directive.year = (
        "3031/UBND-TKBT",
        3031,
        "UBND-TKBT",
        2020,
    )
    directive.save()
    return directive


def monthly_obligation(dispatch_3031, registry, personas, lead: str, on: date) -> Task:
    """A task of dispatch 3031 led by `lead`: "định kỳ báo cáo ... trước ngày 25 hằng tháng", assigned on `on`."""
    with time_machine.travel(at(on, "08:30"), tick=False):
        task = actions.create_task(
            dispatch_3031,
            lead_unit=registry[lead],
            user=personas["tracker"].user,
            content="Định kỳ báo cáo UBND Thành phố kết quả thực hiện trước ngày 25 hằng tháng.",
            must_report=True,
            report_day_of_month=25,
            report_text="trước ngày 25 hằng tháng",
        )
        return actions.assign(task, personas["tracker"].user, on=on)


def issue_monthly_report(issuer, user, year: int, month: int):
    run = report.new_run(periods.monthly(year, month), issuer, ref=periods.monthly(year, month).end)
    run = report.generate(run)
    return report.issue_run(run, user)


def test_monthly_report_issued_on_23_11_meets_the_3031_obligation_of_november(
    dispatch_3031, registry, personas
):
    """Issue 14: after Sở Nội vụ issues its monthly report on 23/11/2026, the engine plans nothing for the cycle
    "trước ngày 25/11": no "on the day" 25/11, no overdue 26/11, no escalation 02/12 (+5) or 09/12 (+10). A task of
    another unit under the same obligation, not met, gets exactly those (24/11/2026 is a day off)."""
    snv = monthly_obligation(dispatch_3031, registry, personas, "SNV", date(2026, 10, 27))
    sxd = monthly_obligation(dispatch_3031, registry, personas, "SXD", date(2026, 10, 27))
    walk(date(2026, 10, 28), date(2026, 11, 23))  # 17/11 "5 days before", 23/11 "1 day before", both tasks
    with time_machine.travel(at(date(2026, 11, 23), "10:00"), tick=False):
        run = issue_monthly_report(registry["SNV"], personas["inspector"].user, 2026, 11)
    assert run.document.issued_on == date(2026, 11, 23)
    met = ReportOccurrence.objects.get(task=snv)
    assert (met.cycle, met.met_on, met.document_id) == (
        date(2026, 11, 25),
        date(2026, 11, 23),
        run.document_id,
    )
    assert met.evidence == f"Báo cáo số {run.document.notation} ngày 23/11/2026"
    assert not ReportOccurrence.objects.filter(task=sxd).exists()

    notes = [n for n in walk(date(2026, 11, 24), date(2026, 12, 17)) if n.kind == ladder.REPORT]
    assert {(d, r) for d, r, _ in triples([n for n in notes if n.task_id == snv.pk])} == set()
    assert {(d, r) for d, r, _ in triples([n for n in notes if n.task_id == sxd.pk])} == {
        (date(2026, 11, 25), "report_on_day"),
        (date(2026, 11, 26), "report_overdue"),
        (date(2026, 12, 2), "report_escalate_office"),
        (date(2026, 12, 3), "report_overdue"),
        (date(2026, 12, 9), "report_escalate_leader"),
        (date(2026, 12, 10), "report_overdue"),
        (date(2026, 12, 17), "report_overdue"),
    }
    # December is owed again: its "5 days before" reminder on 18/12.
    december = walk(date(2026, 12, 18), date(2026, 12, 18))
    assert {(n.task_id, n.rule_code) for n in december if n.kind == ladder.REPORT} == {
        (snv.pk, "report_before_5"),
        (sxd.pk, "report_before_5"),
    }


def test_report_issue_without_an_obligation_records_nothing(dispatch_3031, registry, personas):
    """The City Office's monthly report meets no obligation of Sở Nội vụ's task."""
    snv = monthly_obligation(dispatch_3031, registry, personas, "SNV", date(2026, 10, 27))
    with time_machine.travel(at(date(2026, 11, 23), "10:00"), tick=False):
        issue_monthly_report(registry["VPUBND"], personas["tracker"].user, 2026, 11)
    assert not ReportOccurrence.objects.filter(task=snv).exists()


def test_progress_report_marked_for_a_cycle_meets_it_and_the_task_page_lists_each_occurrence(
    dispatch_3031, registry, personas, client
):
    from tests.helpers import PASSWORD

    task = monthly_obligation(dispatch_3031, registry, personas, "SXD", date(2026, 1, 5))
    officer = personas["lead_officer"].user
    with time_machine.travel(at(date(2026, 1, 23), "15:00"), tick=False):
        actions.acknowledge(task, officer)
        actions.report_progress(
            task, officer, text="Báo cáo tháng 1", percent=10, report_cycle=date(2026, 1, 25)
        )
    with time_machine.travel(at(date(2026, 3, 2), "15:00"), tick=False):  # February's report, late
        actions.report_progress(
            task, officer, text="Báo cáo tháng 2", percent=20, report_cycle=date(2026, 2, 25)
        )
    assert list(ReportOccurrence.objects.filter(task=task).values_list("cycle", "met_on")) == [
        (date(2026, 1, 25), date(2026, 1, 23)),
        (date(2026, 2, 25), date(2026, 3, 2)),
    ]
    rows = occurrences_of(task, date(2026, 4, 10))
    assert [(o.cycle, o.status) for o in rows] == [
        (date(2026, 4, 25), ladder.OPEN),
        (date(2026, 3, 25), ladder.OVERDUE),
        (date(2026, 2, 25), ladder.MET_LATE),
        (date(2026, 1, 25), ladder.MET_ON_TIME),
    ]
    assert client.login(username="sxd.truong", password=PASSWORD)
    with time_machine.travel(at(date(2026, 4, 10), "10:00"), tick=False):
        html = client.get(task.get_absolute_url()).content.decode()
    assert 'id="report-occurrences"' in html
    for text in (
        "tháng 04/2026 (hạn 25/04/2026)",
        "Chưa đến hạn",
        "tháng 03/2026 (hạn 25/03/2026)",
        "Quá hạn chưa báo cáo",
        "Đã báo cáo muộn",
        "02/03/2026",
        "Đã báo cáo đúng hạn",
        "Báo cáo tiến độ ngày 23/01/2026",
    ):
        assert text in html, text


def test_progress_report_for_a_cycle_the_task_does_not_have_is_refused(dispatch_3031, registry, personas):
    from django.core.exceptions import ValidationError

    task = monthly_obligation(dispatch_3031, registry, personas, "SXD", date(2026, 1, 5))
    officer = personas["lead_officer"].user
    with time_machine.travel(at(date(2026, 1, 23), "15:00"), tick=False):
        actions.acknowledge(task, officer)
        for cycle in (date(2026, 1, 24), date(2026, 3, 25)):  # not a cycle; two cycles ahead
            with pytest.raises(ValidationError) as err:
                actions.report_progress(task, officer, text="x", percent=10, report_cycle=cycle)
            assert err.value.message_dict["report_cycle"] == [
                f"Kỳ báo cáo có hạn {cycle:%d/%m/%Y} không phải là kỳ báo cáo của nhiệm vụ này."
            ]
    assert not task.progress_reports.exists() and not ReportOccurrence.objects.exists()


def test_progress_form_offers_the_cycles_and_refuses_a_forged_one(dispatch_3031, registry, personas, client):
    from django.urls import reverse

    from tests.helpers import PASSWORD

    task = monthly_obligation(dispatch_3031, registry, personas, "SXD", date(2026, 1, 5))
    assert client.login(username="sxd.cv1", password=PASSWORD)
    url = reverse("tracking:task_action", args=[task.pk, "report_progress"])
    with time_machine.travel(at(date(2026, 3, 2), "10:00"), tick=False):
        actions.acknowledge(task, personas["lead_officer"].user)
        task.refresh_from_db()
        html = client.get(task.get_absolute_url()).content.decode()
        assert 'name="report_progress-report_cycle"' in html
        for value, label in (
            ("25/03/2026", "tháng 03/2026 (hạn 25/03/2026)"),
            ("25/02/2026", "tháng 02/2026 (hạn 25/02/2026)"),
            ("25/01/2026", "tháng 01/2026 (hạn 25/01/2026)"),
        ):
            assert f'<option value="{value}">{label}</option>' in html
        form = {"report_progress-version": task.version, "report_progress-text": "Báo cáo tháng 2"}
        bad = client.post(
            url, {**form, "report_progress-percent": "20", "report_progress-report_cycle": "24/02/2026"}
        )
        assert bad.status_code == 400
        assert "Kỳ báo cáo «24/02/2026» không phải là kỳ báo cáo của nhiệm vụ này." in bad.content.decode()
        assert not task.progress_reports.exists()
        ok = client.post(
            url, {**form, "report_progress-percent": "20", "report_progress-report_cycle": "25/02/2026"}
        )
        assert ok.status_code == 302
    assert list(ReportOccurrence.objects.filter(task=task).values_list("cycle", "met_on")) == [
        (date(2026, 2, 25), date(2026, 3, 2))
    ]
    assert "Báo cáo định kỳ tháng 02/2026 (hạn 25/02/2026)" in task.events.order_by("-id").first().note


def test_task_without_report_obligation_has_no_cycle_choice(make_task, personas, client):
    from tests.helpers import PASSWORD

    task = make_task(due_date=date(2026, 3, 31))
    assert client.login(username="sxd.cv1", password=PASSWORD)
    with time_machine.travel(at(date(2026, 3, 2), "10:00"), tick=False):
        actions.acknowledge(task, personas["lead_officer"].user)
        html = client.get(task.get_absolute_url()).content.decode()
    assert 'name="report_progress-percent"' in html and "report_cycle" not in html
    assert 'id="report-occurrences"' not in html
