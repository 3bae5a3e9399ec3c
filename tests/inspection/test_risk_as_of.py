"""The inspectors' risk figures: as of the day the page names, and secret tasks only for those they count for."""

from __future__ import annotations

from datetime import date

import pytest

from dondoc.org.models import Person
from tests.helpers import login, make_plan


def _row(client, unit_id):
    answer = client.get("/thanh-tra/xep-hang-rui-ro/")
    assert answer.status_code == 200
    return next((r for r in answer.context["rows"] if r.unit.pk == unit_id), None)


@pytest.mark.parametrize(("persona", "cleared"), [("inspector", False), ("leader", False), ("leader", True)])
def test_the_risk_ranking_counts_a_secret_task_only_for_the_cleared(
    make_task, personas, registry, frozen, persona, cleared
):
    """The ranking (as of today) counted every task for every reader who sees every unit: Sở Y tế's only task,
    secret, made its row "1 overdue" from the day its deadline passed — read day by day, the day a secret task went
    overdue. The uncleared now rank the tasks they may see; the cleared rank them all."""
    make_task(content="Việc mật SYT", secret=True, due_date=date(2026, 3, 5), lead="SYT", coordinators=())
    make_task(content="Việc thường SXD", due_date=date(2026, 3, 5))
    Person.objects.filter(pk=personas[persona].pk).update(cleared_for_secrets=cleared)
    client = login(personas[persona])
    syt = _row(client, registry["SYT"].pk)
    assert (syt is not None and syt.overdue == 1) == cleared
    assert _row(client, registry["SXD"].pk).overdue == 1


def test_the_proposed_scope_is_ranked_as_of_the_visit_the_page_names(city, personas, registry, frozen):
    """The scope page said «rủi ro ngày 10/03/2026» and ranked as of today even for a visit already made: a task
    overdue on the visit day and completed (late) since showed as "completed late", a reminder sent after the visit
    as ignored. It now ranks as of the visit day (`InspectedUnit.reference_date`) and says that day."""
    from dondoc.inspection.models import InspectedUnit

    plan = make_plan(
        personas["inspector"],
        [registry["STC"]],
        title="Kiểm tra tháng 3",
        starts_on=date(2026, 3, 3),
        ends_on=date(2026, 3, 6),
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 2),
    )
    inspected = plan.units.get()
    InspectedUnit.objects.filter(pk=inspected.pk).update(visit_on=date(2026, 3, 3))
    answer = login(personas["inspector"]).get(f"/thanh-tra/don-vi/{inspected.pk}/pham-vi/")
    assert answer.status_code == 200
    assert answer.context["ref"] == date(2026, 3, 3)
    assert "rủi ro ngày 03/03/2026" in answer.content.decode()
    ranked = {t.pk: t for t in answer.context["ranked"]}
    late = ranked[city["s_late"].pk]  # due 01/03, result dated 05/03: overdue on the visit day 03/03
    assert (late.r_overdue, late.r_late) == (1, 0)
    over = ranked[city["s_over"].pk]  # reminded 01/03, acted on today 10/03: still ignored on 03/03
    assert over.r_overdue == 1 and over.r_ignored == 1
    assert over.r_requests == 0  # its two deadline requests were made today, after the visit
