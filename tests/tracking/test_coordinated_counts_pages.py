"""Review of the counted rows on the real task list (`views.task_list`: `counted.rows_of_parts`, `BucketPage`): for
every persona, cleared for secret tasks or not, the chips equal a live count of the tasks `visible_to` them, and a
list of one bucket shows exactly the tasks of that bucket they may see — secret tasks led by one unit and coordinated
by another included (the coordinated count of an uncleared reader follows the lead count's policy)."""

from __future__ import annotations

from datetime import date

import pytest

from dondoc.api.models import ApiToken
from dondoc.org.models import Person
from dondoc.tracking import queries
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task
from tests.api.helpers import ApiClient
from tests.helpers import login

pytestmark = pytest.mark.django_db

PERSONAS = ("lead_officer", "coord_officer", "other_officer", "tracker", "leader", "inspector")
DUES = (date(2026, 3, 2), date(2026, 3, 11), date(2026, 4, 30), None)


@pytest.fixture
def tasks(make_task):
    made = []
    for lead, coordinators in (("SXD", ("STC",)), ("STC", ("SXD", "SYT")), ("SYT", ()), ("SXD", ("SYT",))):
        for due in DUES:
            made.append(
                make_task(lead=lead, coordinators=coordinators, due_date=due, content=f"{lead} {due}")
            )
    secret = [t.pk for i, t in enumerate(made) if i % 3 == 0]
    Task.objects.filter(pk__in=secret).update(secret=True)
    assert Task.objects.filter(secret=True, coordinations__isnull=False).exists()
    return made


@pytest.mark.parametrize("cleared", [False, True])
@pytest.mark.parametrize("who", PERSONAS)
def test_the_lists_counts_and_pages_are_the_live_ones(client, personas, tasks, who, cleared, frozen):
    Person.objects.filter(pk=personas[who].pk).update(cleared_for_secrets=cleared)
    person = Person.objects.select_related("user", "unit").get(pk=personas[who].pk)
    login(person, client)
    ref = date(2026, 3, 10)
    soon = tl.soon_limit(ref)
    visible = Task.objects.visible_to(person.user).exclude(state=tl.DRAFT)
    live = queries.bucket_counts(visible, ref, soon)
    response = client.get("/nhiem-vu/")
    assert response.status_code == 200
    shown = {c.key: c.n for c in response.context["counts"]}
    for key, n in shown.items():
        assert n == live[key], (who, cleared, key)
    for bucket in (tl.OVERDUE, tl.DUE_SOON, tl.IN_DEADLINE, tl.NO_DEADLINE):
        response = client.get(f"/nhiem-vu/?bucket={bucket}")
        listed = {t.pk for t in response.context["page"].object_list}
        expected = set(visible.in_bucket(bucket, ref, soon).values_list("pk", flat=True))
        assert listed == expected, (who, cleared, bucket)
        assert response.context["page"].paginator.count == len(expected), (who, cleared, bucket)
    api = ApiClient(ApiToken.issue(person.user, "thử nghiệm")[1])
    assert api.get("/tasks").json()["count"] == visible.count(), (who, cleared)
    for bucket in (tl.OVERDUE, tl.DUE_SOON, tl.NO_DEADLINE):
        expected = visible.in_bucket(bucket, ref, soon).count()
        assert api.get("/tasks", bucket=bucket).json()["count"] == expected, (who, cleared, bucket)
