"""Adding a task on the directive page when the form is refused (issue 20, point 8)."""

from __future__ import annotations

from tests.helpers import PASSWORD


def test_the_add_task_address_opened_by_get_leads_back_to_the_directive(client, personas, directive):
    """Point 8: after a refused form the address bar shows /them-nhiem-vu/; reloading it must not answer 405."""
    client.login(username="vp.theodoi", password=PASSWORD)
    response = client.get(f"/van-ban/{directive.pk}/them-nhiem-vu/")
    assert response.status_code == 302 and response["Location"] == directive.get_absolute_url()
    refused = client.post(f"/van-ban/{directive.pk}/them-nhiem-vu/", {"content": "Không có đơn vị chủ trì"})
    page = refused.content.decode()
    assert refused.status_code == 400
    assert (
        'id="add-task" open' in page and f'action="/van-ban/{directive.pk}/them-nhiem-vu/#add-task"' in page
    )
    assert 'id="add-task-errors"' in page and 'aria-invalid="true"' in page
    client.login(username="sxd.cv1", password=PASSWORD)  # not a registrar: refused as before
    assert client.get(f"/van-ban/{directive.pk}/them-nhiem-vu/").status_code == 403
