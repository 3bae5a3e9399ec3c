"""'Giao N nhiệm vụ dự thảo' assigns after a confirmation step, and only the drafts the user confirmed (issue 20,
point 6)."""

from __future__ import annotations

from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task
from tests.helpers import PASSWORD


def test_assigning_the_drafts_asks_for_confirmation_first(client, personas, directive, make_task, frozen):
    drafts = [make_task(assign=False, content=f"Việc {i}") for i in range(3)]
    url = f"/van-ban/{directive.pk}/giao/"
    client.login(username="vp.theodoi", password=PASSWORD)
    page = client.get(directive.get_absolute_url()).content.decode()
    assert f'id="assign-all" href="{url}"' in page  # a link to the confirmation, not a button that assigns
    assert client.post(url).status_code == 302  # no confirmation: nothing assigned
    assert not Task.objects.exclude(state=tl.DRAFT).exists()
    confirm = client.get(url).content.decode()
    assert (
        "Giao 3 nhiệm vụ dự thảo của văn bản 15/CT-UBND?" in confirm and "Xác nhận giao 3 nhiệm vụ" in confirm
    )
    late = make_task(assign=False, content="Thêm sau khi mở trang xác nhận")
    response = client.post(url, {"confirm": "1", "task": [t.pk for t in drafts]})
    assert response.status_code == 302
    assert sorted(Task.objects.filter(state=tl.ASSIGNED).values_list("pk", flat=True)) == [
        t.pk for t in drafts
    ]
    late.refresh_from_db()
    assert late.state == tl.DRAFT  # not among what the user confirmed


def test_only_registrars_assign(client, personas, directive, make_task):
    make_task(assign=False)
    client.login(username="sxd.cv1", password=PASSWORD)
    assert client.get(f"/van-ban/{directive.pk}/giao/").status_code == 403
    assert client.post(f"/van-ban/{directive.pk}/giao/", {"confirm": "1"}).status_code == 403
    assert not Task.objects.exclude(state=tl.DRAFT).exists()
