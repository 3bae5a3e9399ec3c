"""The leaders' dashboard: who may see it, its filters' messages, and its numbers are the counts'."""

from __future__ import annotations

from datetime import date

import pytest

from dondoc.evaluation import periods as pr
from dondoc.evaluation import stats

REF = date(2026, 3, 10)  # the reference date of the `world` fixture (tests/evaluation/conftest.py)

URL = "/danh-gia/"


@pytest.mark.parametrize("who", ["leader", "tracker", "inspector"])
def test_dashboard_for_leaders_office_inspectors(who, personas, frozen, client):
    client.force_login(personas[who].user)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Tháng 3/2026 (15/02–14/03/2026)" in response.content.decode()  # the last complete month


@pytest.mark.parametrize("who", ["lead_officer", "lead_head"])
def test_dashboard_refused_to_units(who, personas, frozen, client):
    client.force_login(personas[who].user)
    assert client.get(URL).status_code == 403


def test_dashboard_numbers_are_the_counts(world, personas, frozen, client):  # noqa: F811
    user = personas["leader"].user
    client.force_login(user)
    response = client.get(URL, {"loai_ky": "thang", "ky": "2026-3"})
    assert response.status_code == 200
    data = response.context["data"]
    ev = stats.evaluate(pr.monthly(2026, 3), user, ref=REF)
    assert data.evaluation.city == ev.city
    assert [(c.measure, c.value) for c, _label, _css in data.cards] == [
        (m, ev.city.value(m))
        for m, _css in (
            ("den_han", 0),
            ("dung_han", 0),
            ("tre_han", 0),
            ("trong_han", 0),
            ("qua_han", 0),
            ("khong_han", 0),
            ("dieu_chinh", 0),
        )
    ]
    html = response.content.decode()
    assert stats.list_url(stats.OVERDUE, pr.monthly(2026, 3), ref=REF).replace("&", "&amp;") in html
    assert 'id="du-lieu-bieu-do"' in html and "js/dashboard.js" in html and "<script>" not in html
    points = data.trend
    assert len(points) == 12 and points[-1].counts.due == ev.city.due == 9


def test_trend_equals_the_counts_of_each_period(world, personas):  # noqa: F811
    user = personas["leader"].user
    for point in stats.trend(pr.monthly(2026, 4), user, n=3, ref=REF):
        c = stats.count(point.period, user, ref=REF, no_deadline=False)[None]
        assert (point.counts.due, point.counts.on_time, point.counts.late, point.counts.overdue) == (
            c.due,
            c.on_time,
            c.late,
            c.overdue,
        )


def test_filters_narrow_the_dashboard(world, personas, frozen, client):  # noqa: F811
    client.force_login(personas["leader"].user)
    r = client.get(URL, {"loai_ky": "thang", "ky": "2026-3", "authority": "government"})
    assert r.context["data"].evaluation.city.due == 1
    r = client.get(URL, {"loai_ky": "tuy_chon", "tu_ngay": "15/02/2026", "den_ngay": "14/03/2026"})
    assert r.context["data"].evaluation.city.due == 9


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"loai_ky": "tuan"}, "Loại kỳ «tuan» không hợp lệ."),
        ({"loai_ky": "thang", "ky": "2026-13"}, "Kỳ báo cáo «2026-13» không có trong loại kỳ «Tháng»."),
        ({"loai_ky": "quy", "ky": "abc"}, "Kỳ báo cáo «abc» không hợp lệ"),
        ({"loai_ky": "tuy_chon", "tu_ngay": "15/02/2026"}, "Kỳ tùy chọn: phải nhập «Đến ngày»."),
        ({"loai_ky": "tuy_chon", "tu_ngay": "31/02/2026", "den_ngay": "01/03/2026"}, "Ngày không hợp lệ"),
        (
            {"loai_ky": "tuy_chon", "tu_ngay": "15/03/2026", "den_ngay": "14/02/2026"},
            "«Đến ngày» phải sau hoặc bằng «Từ ngày».",
        ),
        ({"authority": "vua"}, "Cấp giao «vua» không hợp lệ."),
        ({"kind": "z"}, "Loại nhiệm vụ «z» không hợp lệ."),
    ],
)
def test_bad_filters_get_a_vietnamese_message(params, message, personas, frozen, client):
    client.force_login(personas["leader"].user)
    response = client.get(URL, params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_period_type_lists_its_periods(personas, frozen, client):
    client.force_login(personas["leader"].user)
    html = client.get(URL, {"loai_ky": "quy"}).content.decode()
    assert "Quý IV/2025 (15/09–14/12/2025)" in html and date(2026, 3, 10)


# ------------------------------------------------------------------------------------------ any reference date


def test_dashboard_shows_the_figures_at_any_reference_date(world, personas, frozen, client):  # noqa: F811
    """ "Số liệu tính đến ngày" 05/03/2026: the figures of evaluate(T3/2026, ref=05/03), links at that date."""
    client.force_login(personas["leader"].user)
    march, ref = pr.monthly(2026, 3), date(2026, 3, 5)
    response = client.get(URL, {"loai_ky": "thang", "ky": "2026-3", "ngay": "05/03/2026"})
    assert response.status_code == 200
    data = response.context["data"]
    assert data.evaluation.ref == ref
    assert data.evaluation.city == stats.evaluate(march, stats.SYSTEM, ref=ref).city
    assert (
        data.evaluation.city != stats.evaluate(march, stats.SYSTEM, ref=REF).city
    )  # another day, other figures
    html = response.content.decode()
    assert "tính đến ngày 05/03/2026" in html and 'value="05/03/2026"' in html
    assert stats.list_url(stats.OVERDUE, march, ref=ref).replace("&", "&amp;") in html
    # no date: today
    assert client.get(URL, {"loai_ky": "thang", "ky": "2026-3"}).context["data"].evaluation.ref == REF
    assert client.get(URL).context["data"].evaluation.ref == REF


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/2026", "«Số liệu tính đến ngày» không hợp lệ: nhập theo dạng dd/mm/yyyy"),
        ("2026-03-05", "«Số liệu tính đến ngày» không hợp lệ: nhập theo dạng dd/mm/yyyy"),
        ("11/03/2026", "«Số liệu tính đến ngày» không được sau ngày hôm nay (10/03/2026)."),
        ("14/02/2026", "«Số liệu tính đến ngày» không được trước ngày đầu kỳ (15/02/2026)."),
    ],
)
def test_bad_reference_date_is_refused_naming_the_field(value, message, personas, frozen, client):
    client.force_login(personas["leader"].user)
    response = client.get(URL, {"loai_ky": "thang", "ky": "2026-3", "ngay": value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "data" not in response.context or response.context.get("data") is None


def test_every_reader_sees_the_same_totals_secret_tasks_included(world, personas, frozen, client):  # noqa: F811
    """The inspector is not cleared for secret documents, yet the dashboard counts the secret overdue task for them
    too as of the window's past cut-off (the leader's and the report's figures); its content is shown nowhere on the
    page. As of any other day (today) the inspector counts the tasks they may see (`secrecy.fixed_reference`)."""
    frozen.move_to("2026-03-20 09:00 +07:00")  # March's window (15/02–14/03) closed
    cut_off = date(2026, 3, 14)
    figures = {}
    for who in ("leader", "tracker", "inspector"):
        client.force_login(personas[who].user)
        response = client.get(URL, {"loai_ky": "thang", "ky": "2026-3", "ngay": "14/03/2026"})
        figures[who] = response.context["data"].evaluation
        assert f"/nhiem-vu/{world['secret'].pk}/" not in response.content.decode()
    assert (
        figures["inspector"].city
        == figures["leader"].city
        == stats.evaluate(pr.monthly(2026, 3), stats.SYSTEM, ref=cut_off).city
    )
    assert figures["inspector"].city.due == 9
    assert [(r.unit.pk, r.counts) for r in figures["inspector"].by_unit] == [
        (r.unit.pk, r.counts) for r in figures["leader"].by_unit
    ]
    client.force_login(personas["inspector"].user)
    today = client.get(URL, {"loai_ky": "thang", "ky": "2026-3"}).context["data"].evaluation
    assert today.city.due == 8  # as of 20/03: the tasks the inspector may see


def test_uncleared_reader_following_a_number_is_told_of_the_secret_tasks(
    world,  # noqa: F811
    personas,
    frozen,
    client,
):
    """The inspector clicks "quá hạn chưa hoàn thành" of March as of its cut-off: the list shows the tasks they may
    read and says that 1 secret task is counted too, without its content; the leader's list shows them all and no
    such note."""
    frozen.move_to("2026-03-20 09:00 +07:00")
    client.force_login(personas["inspector"].user)
    data = client.get(URL, {"loai_ky": "thang", "ky": "2026-3", "ngay": "14/03/2026"}).context["data"]
    overdue = next(cell for cell, _label, _css in data.cards if cell.measure == stats.OVERDUE)
    assert overdue.value >= 3
    listed = client.get(overdue.url)
    html = listed.content.decode()
    assert listed.context["page"].paginator.count == overdue.value - 1
    assert "Ngoài ra có 1 nhiệm vụ mật được tính trong số liệu thống kê" in html
    assert f"/nhiem-vu/{world['secret'].pk}/" not in html
    client.force_login(personas["leader"].user)
    listed = client.get(overdue.url)
    assert listed.context["page"].paginator.count == overdue.value
    assert "nhiệm vụ mật được tính" not in listed.content.decode()


def test_due_soon_counts_the_deadlines_on_the_days_off_just_before_the_reference_date(
    personas, frozen, make_task, client
):
    """On 23/02/2026, the first working day after Tết (14–22/02 off), a deadline written on a day of Tết counts until
    23/02 (it rolls to the next working day): within the deadline and due soon — due today. The dashboard's
    "trong đó sắp đến hạn" counts it as the task list's "Sắp đến hạn" does, and its link lists exactly those."""
    from dondoc.evaluation import dashboard
    from dondoc.tracking import timeliness as tl
    from dondoc.tracking.models import Task
    from tests.helpers import login

    frozen.move_to("2026-02-10 09:00 +07:00")
    for due in (date(2026, 2, 15), date(2026, 2, 20), date(2026, 2, 22), date(2026, 2, 25), date(2026, 3, 5)):
        make_task(due_date=due)
    ref, period = date(2026, 2, 23), pr.monthly(2026, 3)  # 15/02–14/03
    frozen.move_to("2026-02-23 09:00 +07:00")
    listed = Task.objects.in_bucket(tl.DUE_SOON, ref, tl.soon_limit(ref)).filter(due_date__gte=period.start)
    assert listed.count() == 4  # 15, 20, 22/02 (all roll to 23/02) and 25/02; not 05/03
    assert dashboard.due_soon(period, stats.SYSTEM, ref=ref, filters=stats.Filters()) == {None: 4}
    board = dashboard.compute(period, stats.SYSTEM, ref=ref, filters=stats.Filters())
    assert board.due_soon is not None and board.due_soon.value == 4
    login(personas["leader"], client)
    page = client.get(board.due_soon.url).context["page"]
    assert sorted(t.pk for t in page.object_list) == sorted(listed.values_list("pk", flat=True))
