"""Review of the busy-hour tags (`core.renderers.FastSelect`/`choice_texts`, `filter_bar`, `menu_tags`,
`tracking` tags): every text a user writes (a unit's name, a task's content, a person's name) reaches the real pages
escaped, for each persona whose pages draw it."""

from __future__ import annotations

import pytest

from dondoc.org.models import Unit
from tests.helpers import login

pytestmark = pytest.mark.django_db

PAYLOAD = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>"


@pytest.mark.parametrize("who", ["tracker", "lead_officer", "coord_officer", "leader"])
def test_user_written_texts_are_escaped_on_every_busy_page(
    client, personas, registry, make_task, who, frozen
):
    Unit.objects.filter(pk=registry["STC"].pk).update(name=f"Sở {PAYLOAD}", abbr="S<b>x")
    task = make_task(content=f"Nội dung {PAYLOAD}", due_date=None)
    login(personas[who], client)
    pages = [
        "/",
        "/nhiem-vu/",
        f"/nhiem-vu/{task.pk}/",
        "/nhiem-vu/?bucket=no_deadline",
        f"/nhiem-vu/?unit={registry['STC'].pk}",
    ]
    shown = 0
    for page in pages:
        response = client.get(page)
        assert response.status_code in (200, 302), page
        body = response.content.decode()
        assert "<script>alert(1)" not in body, page
        assert "<img src=x" not in body, page
        shown += body.count("&lt;script&gt;alert(1)")
    assert shown >= 3  # the texts are on the pages, escaped (the unit's name in drop-downs, the content)
