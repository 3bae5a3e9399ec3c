"""Figures around secret tasks (*nhiệm vụ mật*): what each reader is told a directive holds, what a narrow question
of the task list counts, and how a directive's tasks stop being secret when it does.

Personas: the inspector (sees every unit, not cleared), the City Office's tracking officer (cleared, and uncleared
where the test withdraws it), the leader (cleared), the lead unit's officer (its unit only, not cleared)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from dondoc.org.models import Person
from tests.helpers import login

MARK = "Q83ZV"


def _api(person):
    from dondoc.api.models import ApiToken
    from tests.api.helpers import ApiClient

    _, raw = ApiToken.issue(person.user, "thử")
    return ApiClient(raw)


# --- 1. a directive's task count ----------------------------------------------------------------------------------


@pytest.fixture
def plain_directive_with_a_secret_task(make_task, frozen):
    """A plain directive (15/CT-UBND) with two plain tasks and one secret task, all led by Sở Xây dựng."""
    make_task(content="Việc thường thứ nhất", due_date=date(2026, 3, 31))
    make_task(content="Việc thường thứ hai", due_date=date(2026, 4, 30), coordinators=())
    secret = make_task(content=f"Việc mật {MARK}", secret=True, due_date=date(2026, 5, 29), coordinators=())
    return secret.directive


def _counts(person, directive) -> tuple[int, int, int, int]:
    """The directive's task count as `person` reads it on the register, the directive page, the API's list and
    the API's directive."""
    client = login(person)
    listed = client.get("/van-ban/").content.decode()
    row = re.search(
        rf">{re.escape(directive.notation)}</a>.*?<td class=\"text-end\">(\d+)</td>", listed, re.S
    )
    assert row, listed[:2000]
    page = client.get(f"/van-ban/{directive.pk}/").content.decode()
    heading = re.search(r"Nhiệm vụ \((\d+)\)", page)
    assert heading
    api = _api(person)
    items = {d["id"]: d["task_count"] for d in api.get("/directives").json()["items"]}
    one = api.get(f"/directives/{directive.pk}").json()["task_count"]
    return int(row.group(1)), int(heading.group(1)), items[directive.pk], one


@pytest.mark.parametrize(
    ("persona", "cleared", "shown"),
    [
        ("inspector", False, 2),  # sees every unit, not cleared: the secret task is not counted
        ("tracker", False, 2),  # a City Office officer without clearance
        ("tracker", True, 3),  # the same officer cleared
        ("leader", True, 3),
        ("lead_officer", False, 2),  # the lead unit's officer, not cleared
        ("other_officer", False, 0),  # an unrelated unit: none of the directive's tasks is its to see
    ],
)
def test_a_directives_task_count_is_the_tasks_its_reader_may_see_on_every_page_and_the_api(
    plain_directive_with_a_secret_task, personas, persona, cleared, shown
):
    """The register and the API counted every task of a directive, secret ones included, for every reader: a plain
    directive with a secret task showed one more task to the uncleared than its page listed — an oracle for "this
    directive has a secret task". Now one function (`tracking.queries.directive_task_counts`) counts the tasks of
    `Task.objects.visible_to` for the register, the page and the API alike."""
    person = personas[persona]
    Person.objects.filter(pk=person.pk).update(cleared_for_secrets=cleared)
    person.refresh_from_db()
    assert _counts(person, plain_directive_with_a_secret_task) == (shown,) * 4
