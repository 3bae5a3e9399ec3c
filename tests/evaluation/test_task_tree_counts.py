"""Evaluation of the task tree (issue 15, point 7): a task the city split among its units is counted by its
children — each under its own lead unit and deadline, under the authority of the directive they carry out — and not
itself, so a Government task given to two departments is two tasks due, never three. The dashboard, the monthly
report and the export of the dashboard's number show that same number, from the counted tables and from the tasks.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from dondoc.directives.models import Authority
from dondoc.evaluation import periods as pr
from dondoc.evaluation import report, stats
from dondoc.org.models import Unit
from dondoc.tracking import actions
from tests.helpers import read_csv

pytestmark = pytest.mark.django_db

MARCH = pr.monthly(2026, 3)  # 15/02–14/03/2026; today is 10/03/2026


@pytest.fixture
def split(resolution, registry, personas, frozen):  # noqa: F811
    """The Government's task due 14/03, registered and issued by the City Office, then given to Sở Xây dựng (due
    02/03: overdue on 10/03) and Sở Y tế (due 12/03: within the deadline)."""
    tracker = personas["tracker"].user
    parent = actions.create_task(
        resolution,
        lead_unit=registry["VPUBND"],
        content="Giải ngân vốn đầu tư công",
        due_date=date(2026, 3, 14),
    )
    parent = actions.assign(parent, tracker, on=date(2026, 2, 6))
    before = stats.evaluate(MARCH, stats.SYSTEM)
    for code, due in (("SXD", date(2026, 3, 2)), ("SYT", date(2026, 3, 12))):
        actions.derive(
            parent, tracker, lead_unit=registry[code], content=f"Giải ngân của {code}", due_date=due
        )
    return parent, before


def test_a_split_task_is_counted_by_its_children_not_itself(split):
    _parent, before = split
    assert (before.city.due, before.city.in_deadline) == (1, 1)  # the parent alone, before it was split
    for precounted in (True, False):
        ev = stats.evaluate(MARCH, stats.SYSTEM, precounted=precounted)
        assert (ev.city.due, ev.city.overdue, ev.city.in_deadline) == (2, 1, 1), precounted
        assert {r.unit.code: r.counts.due for r in ev.by_unit} == {"SXD": 1, "SYT": 1}, precounted
        gov = next(g for g in ev.by_authority if g.key == Authority.GOVERNMENT)
        assert gov.counts.due == 2 and sum(g.counts.due for g in ev.by_authority) == 2


def test_before_its_children_were_issued_the_task_counted_itself(split, registry, personas):
    parent, _before = split
    # seen on 09/03, the day before the City Office gave its parts to the units (the children were issued on 10/03)
    seen_then = stats.evaluate(MARCH, stats.SYSTEM, ref=date(2026, 3, 9))
    assert (seen_then.city.due, [r.unit.code for r in seen_then.by_unit]) == (1, ["VPUBND"])
    # a child registered as a draft (through the API or an import) changes nothing until it is issued
    draft = actions.create_task(
        parent.directive,
        lead_unit=registry["SNV"],
        content="Phần của Sở Nội vụ",
        parent=parent,
        due_date=date(2026, 3, 13),
    )
    assert stats.evaluate(MARCH, stats.SYSTEM).city.due == 2
    actions.assign(draft, personas["tracker"].user)
    assert stats.evaluate(MARCH, stats.SYSTEM).city.due == 3


def test_a_task_with_draft_children_only_counts_itself(resolution, registry, personas, frozen):  # noqa: F811
    parent = actions.assign(
        actions.create_task(
            resolution, lead_unit=registry["VPUBND"], content="Nhiệm vụ", due_date=date(2026, 3, 14)
        ),
        personas["tracker"].user,
        on=date(2026, 2, 6),
    )
    actions.create_task(
        resolution, lead_unit=registry["SXD"], content="Con dự thảo", parent=parent, due_date=date(2026, 3, 2)
    )
    for precounted in (True, False):
        ev = stats.evaluate(MARCH, stats.SYSTEM, precounted=precounted)
        assert (ev.city.due, [r.unit.code for r in ev.by_unit]) == (1, ["VPUBND"]), precounted


def test_dashboard_report_and_export_show_the_same_number(split, personas, client):
    leader = personas["leader"].user
    client.force_login(leader)
    board = client.get(reverse("evaluation:dashboard"), {"loai_ky": "thang", "ky": "2026-3"})
    due_card = next(cell for cell, _label, _css in board.context["data"].cards if cell.measure == stats.DUE)
    assert due_card.value == 2
    exported = read_csv(
        client.get(reverse("evaluation:export_tasks_csv") + due_card.url[due_card.url.index("?") :])
    )
    assert len(exported) - 1 == 2
    assert client.get(due_card.url).context["page"].paginator.count == 2
    run = report.new_run(MARCH, Unit.objects.get(code="SNV"), ref=date(2026, 3, 10))
    run = report.generate(run)
    assert run.figures["city"]["due"] == 2 and run.figures["city"]["overdue"] == 1
    assert {u["short"]: u["counts"]["due"] for u in run.figures["by_unit"]} == {
        Unit.objects.get(code="SXD").short: 1,
        Unit.objects.get(code="SYT").short: 1,
    }
