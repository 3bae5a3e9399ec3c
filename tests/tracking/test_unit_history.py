"""Units with history (issue 15, point 3): a district split among wards on 01/07/2025, its open tasks re-homed task by
task, the change of lead effective from its date — counts, accountable heads and discipline proposals follow it.

Today is frozen at 10/03/2026. H1/2025 is 15/12/2024–14/06/2025 (before the split), H2/2025 15/06–14/12/2025.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dondoc.audit.models import AuditEntry
from dondoc.evaluation import periods as pr
from dondoc.evaluation import stats
from dondoc.inspection.models import Finding, InspectedUnit
from dondoc.inspection.services import default_person
from dondoc.org.models import Person, Unit
from dondoc.org.registry import load_former_units
from dondoc.tracking import actions, unit_history
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import LeadChange, Task
from tests.helpers import make_person

SPLIT = date(2025, 7, 1)
H1, H2 = pr.half_year(2025, 1), pr.half_year(2025, 2)
URL = "/nhiem-vu/don-vi/sap-nhap-chia-tach/"


def split_world(directive, tracker) -> dict:
    """A district with a head, two wards (from 01/07/2025) with their heads, and four tasks of the district assigned
    on 02/01/2025: one completed in H1, one overdue in H1, two due in H2 (all open on the day of the split)."""
    district = Unit.objects.create(
        code="Q.TN",
        name="UBND quận Thử Nghiệm",
        kind=Unit.Kind.HISTORIC_DISTRICT,
        valid_from=date(2008, 8, 1),
    )
    north = Unit.objects.create(
        code="P.TNB", name="UBND phường Thử Nghiệm Bắc", kind=Unit.Kind.WARD, valid_from=SPLIT
    )
    south = Unit.objects.create(
        code="P.TNN", name="UBND phường Thử Nghiệm Nam", kind=Unit.Kind.WARD, valid_from=SPLIT
    )
    heads = {
        u.code: make_person(f"head.{u.code.lower()}", u, Person.Role.UNIT_HEAD, Person.Position.HEAD)
        for u in (district, north, south)
    }

    def task(content: str, due: date, completed_on: date | None = None) -> Task:
        t = actions.assign(
            actions.create_task(
                directive,
                lead_unit=district,
                content=content,
                user=tracker,
                due_date=due,
                original_due_date=due,
            ),
            tracker,
            on=date(2025, 1, 2),
        )
        if completed_on:  # history as an import of a past year leaves it
            Task.objects.filter(pk=t.pk).update(state=tl.COMPLETED, completed_on=completed_on)
        return Task.objects.get(pk=t.pk)

    tasks = {
        "done_h1": task("Báo cáo quý I/2025", date(2025, 3, 10), completed_on=date(2025, 3, 5)),
        "late_h1": task("Giải phóng mặt bằng tuyến đường", date(2025, 5, 30)),
        "north_h2": task("Chỉnh trang vỉa hè phía Bắc", date(2025, 9, 30)),
        "south_h2": task("Cải tạo chợ phía Nam", date(2025, 10, 31)),
    }
    return {"district": district, "north": north, "south": south, "heads": heads, "tasks": tasks}


@pytest.fixture
def world(db, frozen, registry, personas, directive):
    return split_world(directive, personas["tracker"].user)


def record_split(world, user, **leads: str) -> int:
    t, units = world["tasks"], {"north": world["north"], "south": world["south"]}
    return unit_history.record_change(
        [world["district"]],
        [world["north"], world["south"]],
        on=SPLIT,
        user=user,
        reason="Nghị quyết 1656/NQ-UBTVQH15",
        leads={t[name].pk: units[where] for name, where in leads.items()},
    )


def by_unit(
    period, user, *, precounted: bool = True, ref: date | None = None
) -> dict[str, tuple[int, int, int]]:
    """{unit code: (due, on time, open overdue)} of the evaluation's ranking."""
    ev = stats.evaluate(period, user, ref=ref, breakdowns=(stats.BY_UNIT,), precounted=precounted)
    return {r.unit.code: (r.counts.due, r.counts.on_time, r.counts.overdue) for r in ev.by_unit}


# --- Recording the split -----------------------------------------------------------------------------------------


def test_split_ends_the_district_and_moves_each_open_task_to_the_ward_chosen(world, personas):
    tracker = personas["tracker"].user
    moved = record_split(world, tracker, late_h1="north", north_h2="north", south_h2="south")

    assert moved == 3
    district = Unit.objects.get(pk=world["district"].pk)
    assert district.valid_to == SPLIT
    assert set(district.successors.values_list("code", flat=True)) == {"P.TNB", "P.TNN"}
    t = {k: Task.objects.get(pk=v.pk) for k, v in world["tasks"].items()}
    assert t["done_h1"].lead_unit == district  # completed before the split: stays the district's
    assert (t["late_h1"].lead_unit, t["north_h2"].lead_unit, t["south_h2"].lead_unit) == (
        world["north"],
        world["north"],
        world["south"],
    )
    change = LeadChange.objects.get(task=t["south_h2"])
    assert (change.from_unit, change.to_unit, change.effective_on, change.decided_by) == (
        district,
        world["south"],
        SPLIT,
        tracker,
    )
    assert (change.from_head, change.to_head) == (world["heads"]["Q.TN"], world["heads"]["P.TNN"])
    assert change.reason == "Nghị quyết 1656/NQ-UBTVQH15"
    assert t["south_h2"].events.last().action == "change_lead"
    assert t["south_h2"].events.last().changes["effective_on"] == [None, "01/07/2025"]
    # Audited: the change row, the district's end date and its successors.
    assert AuditEntry.objects.filter(object_type="tracking.leadchange", object_id=str(change.pk)).exists()
    assert AuditEntry.objects.filter(object_type="org.unit", object_id=str(district.pk)).exists()


def test_a_task_not_chosen_goes_to_the_proposed_successor(world, personas):
    """Proposed: the only successor, else the one of the same name, else the first by name."""
    record_split(world, personas["tracker"].user)
    assert {
        Task.objects.get(pk=t.pk).lead_unit.code for k, t in world["tasks"].items() if k != "done_h1"
    } == {"P.TNB"}
    hoan_kiem = Unit.objects.get(code="002")
    wards = list(hoan_kiem.successors.order_by("name"))
    assert [w.name for w in wards] == ["UBND phường Cửa Nam", "UBND phường Hoàn Kiếm"]
    assert unit_history.proposed_lead(hoan_kiem, wards).name == "UBND phường Hoàn Kiếm"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"successors": []}, "successors", "Phải chọn ít nhất một đơn vị kế thừa."),
        ({"formers": []}, "formers", "Phải chọn ít nhất một đơn vị cũ."),
        ({"on": date(2026, 3, 11)}, "on", "Ngày có hiệu lực không được sau hôm nay."),
        ({"on": date(2025, 6, 1)}, "successors", "không còn hoặc chưa có hiệu lực vào ngày 01/06/2025"),
        ({"successors": "district"}, "successors", "không thể đồng thời là đơn vị cũ"),
        ({"reason": " "}, "reason", "Phải nêu căn cứ"),
    ],
)
def test_a_change_that_cannot_be_recorded_is_refused_and_changes_nothing(
    world, personas, change, field, message
):
    args = {
        "formers": [world["district"]],
        "successors": [world["north"], world["south"]],
        "on": SPLIT,
        "reason": "Nghị quyết 1656/NQ-UBTVQH15",
    }
    if change.get("successors") == "district":
        change = {"successors": [world["district"], world["north"]]}
    args.update(change)
    with pytest.raises(ValidationError) as exc:
        unit_history.record_change(
            args["formers"],
            args["successors"],
            on=args["on"],
            user=personas["tracker"].user,
            reason=args["reason"],
        )
    assert any(message in m for m in exc.value.message_dict[field])
    assert Unit.objects.get(pk=world["district"].pk).valid_to is None
    assert not LeadChange.objects.exists()


def test_only_the_city_office_records_a_split(world, personas):
    with pytest.raises(PermissionDenied):
        record_split(world, personas["leader"].user)
    assert not LeadChange.objects.exists()


def test_a_change_of_lead_cannot_take_effect_in_the_future_or_before_an_earlier_one(world, personas):
    tracker, task = personas["tracker"].user, world["tasks"]["north_h2"]
    with pytest.raises(ValidationError) as exc:
        actions.change_lead(
            task, tracker, new_lead=world["north"], reason="thử", effective_on=date(2026, 3, 11)
        )
    assert exc.value.message_dict["effective_on"] == ["Ngày hiệu lực không được sau hôm nay."]
    actions.change_lead(task, tracker, new_lead=world["north"], reason="Chia tách", effective_on=SPLIT)
    with pytest.raises(ValidationError) as exc:
        actions.change_lead(
            task, tracker, new_lead=world["south"], reason="thử", effective_on=date(2025, 6, 30)
        )
    assert "01/07/2025" in exc.value.message_dict["effective_on"][0]


# --- The lead and the accountable head on a day -------------------------------------------------------------------


def test_lead_on_a_day_in_python_and_in_sql_agree(world, personas):
    tracker = personas["tracker"].user
    task = world["tasks"]["north_h2"]
    record_split(world, tracker, north_h2="south")
    actions.change_lead(
        task, tracker, new_lead=world["north"], reason="Điều chỉnh địa bàn", effective_on=date(2026, 1, 5)
    )
    task = Task.objects.get(pk=task.pk)
    district, north, south = world["district"].pk, world["north"].pk, world["south"].pk
    expected = {
        date(2025, 6, 30): district,
        SPLIT: south,
        date(2026, 1, 4): south,
        date(2026, 1, 5): north,
        date(2026, 3, 10): north,
    }
    for day, unit_id in expected.items():
        assert task.lead_on(day) == unit_id, day
        assert Task.objects.with_lead_on(day).get(pk=task.pk).lead_then == unit_id, day
        assert list(Task.objects.led_on(day, [unit_id]).filter(pk=task.pk).values_list("pk", flat=True)) == [
            task.pk
        ]


def test_the_head_at_assignment_is_accountable_before_the_split_the_wards_head_after(world, personas):
    record_split(world, personas["tracker"].user, late_h1="north", south_h2="south")
    heads = world["heads"]
    late = Task.objects.get(pk=world["tasks"]["late_h1"].pk)
    assert late.accountable_head == heads["P.TNB"]  # today: the ward's head
    assert late.accountable_head_on(date(2025, 6, 30)) == heads["Q.TN"]
    assert late.accountable_head_on(SPLIT) == heads["P.TNB"]
    for day in (date(2025, 6, 30), SPLIT):  # the SQL twin (the report's overdue list)
        assert Task.objects.with_head_name_on(day).get(pk=late.pk).head_then == (
            late.accountable_head_on(day).full_name
        )
    # Discipline proposals name the head accountable when the lateness happened (the day after 30/05/2025).
    inspected = InspectedUnit(unit=world["north"])
    assert default_person(inspected, Finding(task=late)) == heads["Q.TN"]
    south = Task.objects.get(pk=world["tasks"]["south_h2"].pk)  # late from 01/11/2025, after the split
    assert default_person(InspectedUnit(unit=world["south"]), Finding(task=south)) == heads["P.TNN"]


# --- Counts by unit -----------------------------------------------------------------------------------------------


def test_h1_counts_stay_under_the_district_h2_under_the_wards(world, personas):
    leader = personas["leader"].user
    before_h1, before_h2 = by_unit(H1, leader), by_unit(H2, leader)
    assert before_h1 == {"Q.TN": (2, 1, 1)}
    assert before_h2 == {"Q.TN": (2, 0, 2)}

    record_split(world, personas["tracker"].user, late_h1="north", north_h2="north", south_h2="south")

    assert by_unit(H1, leader) == {"Q.TN": (2, 1, 1)}  # the unit that led them on 14/06/2025
    assert by_unit(H2, leader) == {"P.TNB": (1, 0, 1), "P.TNN": (1, 0, 1)}
    # The list behind a number is the same question.
    assert stats.tasks(stats.DUE, H1, leader, unit_id=world["district"].pk).count() == 2
    assert stats.tasks(stats.DUE, H1, leader, unit_id=world["north"].pk).count() == 0
    assert stats.tasks(stats.DUE, H2, leader, unit_id=world["south"].pk).count() == 1
    # Seen on 20/06/2025 (before the split), H2's tasks were the district's (both then within their deadline).
    assert by_unit(H2, leader, ref=date(2025, 6, 20)) == {"Q.TN": (2, 0, 0)}


def test_the_reports_overdue_list_names_the_unit_and_head_of_the_period(world, personas):
    from dondoc.evaluation import report

    record_split(world, personas["tracker"].user, late_h1="north", north_h2="north", south_h2="south")
    heads = world["heads"]
    ref = date(2026, 3, 10)
    h1 = [(r.task_id, r.unit, r.head) for r in report.overdue_rows(H1, ref)]
    assert h1 == [(world["tasks"]["late_h1"].pk, "UBND quận Thử Nghiệm", heads["Q.TN"].full_name)]
    h2 = {(r.unit, r.head) for r in report.overdue_rows(H2, ref)}
    assert h2 == {
        ("UBND phường Thử Nghiệm Bắc", heads["P.TNB"].full_name),
        ("UBND phường Thử Nghiệm Nam", heads["P.TNN"].full_name),
    }


def test_the_counted_tables_and_the_tasks_give_the_same_figures_across_a_split(world, personas):
    """The fast path (counted tables, keyed by today's lead) falls back to the tasks when a change of lead takes
    effect after the period's unit day; every breakdown equals the one counted from the tasks, on both databases."""
    record_split(world, personas["tracker"].user, late_h1="north", north_h2="north", south_h2="south")
    leader = personas["leader"].user
    periods = [H1, H2, pr.quarterly(2025, 3), pr.monthly(2025, 6), pr.monthly(2025, 7), pr.annual(2025)]
    for period in periods:
        fast = stats.evaluate(period, leader)
        slow = stats.evaluate(period, leader, precounted=False)
        assert fast.city == slow.city, period
        assert {r.unit.pk: r.counts for r in fast.by_unit} == {r.unit.pk: r.counts for r in slow.by_unit}, (
            period
        )
        for unit_id in (world["district"].pk, world["north"].pk, world["south"].pk):
            assert stats.count(period, leader, unit_id=unit_id) == stats.count(
                period, leader, unit_id=unit_id, precounted=False
            ), (period, unit_id)
    # The fast path still serves a period whose unit day is after every change of lead.
    asof = stats.as_of(date(2026, 3, 10))
    assert stats._precounted(leader, date(2026, 3, 10), H2, asof=asof, by_unit=True) is not None
    assert stats._precounted(leader, date(2026, 3, 10), H1, asof=asof, by_unit=True) is None
    assert stats._precounted(leader, date(2026, 3, 10), H1, asof=asof) is not None  # city, authority, kind


# --- The page ----------------------------------------------------------------------------------------------------


def form_data(world, **extra) -> dict:
    return {
        "formers": [world["district"].pk],
        "successors": [world["north"].pk, world["south"].pk],
        "on": "01/07/2025",
        "reason": "Nghị quyết 1656/NQ-UBTVQH15",
        **extra,
    }


@pytest.mark.parametrize("who", ["leader", "lead_head", "inspector", "other_officer"])
def test_the_page_is_the_city_offices_only(world, personas, client, who):
    client.force_login(personas[who].user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, form_data(world, step="confirm")).status_code == 403
    assert not LeadChange.objects.exists()


def test_preview_then_confirm_with_a_choice_per_task(world, personas, client):
    client.force_login(personas["tracker"].user)
    assert URL == reverse("tracking:unit_change")
    page = client.get(URL)
    assert page.status_code == 200 and "Ghi nhận sáp nhập, chia tách đơn vị" in page.content.decode()

    preview = client.post(URL, form_data(world, step="preview"))
    html = preview.content.decode()
    assert (
        preview.status_code == 200
        and "3 nhiệm vụ đang mở sẽ chuyển đơn vị chủ trì từ ngày 01/07/2025" in html
    )
    assert Unit.objects.get(pk=world["district"].pk).valid_to is None  # a preview changes nothing
    assert not LeadChange.objects.exists()

    south_task = world["tasks"]["south_h2"]
    done = client.post(URL, form_data(world, step="confirm", **{f"lead_{south_task.pk}": world["south"].pk}))
    assert done.status_code == 302
    assert Task.objects.get(pk=south_task.pk).lead_unit == world["south"]
    assert Task.objects.get(pk=world["tasks"]["north_h2"].pk).lead_unit == world["north"]
    assert Unit.objects.get(pk=world["district"].pk).valid_to == SPLIT


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"on": "31/02/2025"}, "Ngày không hợp lệ"),
        ({"on": ""}, "Phải nhập ngày có hiệu lực"),
        ({"successors": []}, "Phải chọn ít nhất một đơn vị kế thừa."),
        ({"successors": ["abc"]}, "Đơn vị kế thừa không hợp lệ."),
        ({"formers": [999999]}, "Đơn vị cũ không có trong danh mục."),
        ({"reason": ""}, "Phải nêu căn cứ"),
        ({"on": "01/06/2025"}, "chưa có hiệu lực vào ngày 01/06/2025"),
    ],
)
def test_bad_input_gets_a_vietnamese_field_error_and_changes_nothing(world, personas, client, extra, message):
    client.force_login(personas["tracker"].user)
    response = client.post(URL, form_data(world, step="confirm", **extra))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Unit.objects.get(pk=world["district"].pk).valid_to is None
    assert not LeadChange.objects.exists()


def test_a_lead_that_is_not_a_chosen_successor_is_refused(world, personas, client, registry):
    client.force_login(personas["tracker"].user)
    task = world["tasks"]["north_h2"]
    response = client.post(URL, form_data(world, step="confirm", **{f"lead_{task.pk}": registry["SXD"].pk}))
    assert response.status_code == 200
    assert "phải là một trong các đơn vị kế thừa đã chọn" in response.content.decode()
    assert not LeadChange.objects.exists()


def test_the_menu_and_the_unit_page_link_the_page(world, personas, client):
    client.force_login(personas["tracker"].user)
    assert URL in client.get("/").content.decode()
    assert URL in client.get(reverse("tracking:unit_detail", args=[world["district"].pk])).content.decode()
    client.force_login(personas["leader"].user)
    assert (
        URL not in client.get(reverse("tracking:unit_detail", args=[world["district"].pk])).content.decode()
    )


def test_the_unit_admin_links_the_page(db, registry, admin_client):
    assert URL in admin_client.get(reverse("admin:org_unit_changelist")).content.decode()


# --- Reference data -----------------------------------------------------------------------------------------------


def test_former_units_load_again_without_change_and_keep_what_an_administrator_entered(registry):
    ba_dinh = Unit.objects.get(code="001")
    ward = Unit.objects.get(code="00004")
    ba_dinh.successors.add(ward)  # entered by an administrator
    before = sorted(Unit.objects.values_list("code", "valid_from", "valid_to"))
    assert load_former_units() == 30
    assert sorted(Unit.objects.values_list("code", "valid_from", "valid_to")) == before
    assert list(ba_dinh.successors.all()) == [ward]
    assert Unit.objects.former().filter(kind=Unit.Kind.HISTORIC_DISTRICT).count() == 30


def test_the_task_page_changes_the_lead_from_a_date_and_refuses_a_future_one(world, personas, client):
    client.force_login(personas["tracker"].user)
    task = world["tasks"]["north_h2"]
    url = reverse("tracking:task_action", args=[task.pk, "change_lead"])
    data = {
        "change_lead-version": task.version,
        "change_lead-new_lead": world["north"].pk,
        "change_lead-reason": "Chia tách địa giới",
        "change_lead-effective_on": "11/03/2026",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Ngày hiệu lực không được sau hôm nay." in refused.content.decode()
    assert not LeadChange.objects.exists()
    assert client.post(url, {**data, "change_lead-effective_on": "01/07/2025"}).status_code == 302
    assert LeadChange.objects.get(task=task).effective_on == SPLIT
    assert Task.objects.get(pk=task.pk).lead_on(date(2025, 6, 30)) == world["district"].pk
