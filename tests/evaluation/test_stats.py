"""Counts of the evaluation against hand-computed fixtures (DOMAIN.md §5, §8).

Today is frozen at 10/03/2026; the period is Tháng 3/2026 = 15/02–14/03/2026, which contains the 2026 Tết break
(14–22/02 off). Every expected number below is worked out by hand in the comment next to its task.
"""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from dondoc.directives.models import Authority
from dondoc.evaluation import periods as pr
from dondoc.evaluation import stats
from dondoc.org.models import Unit
from dondoc.tracking import actions
from dondoc.tracking.models import Task
from tests.helpers import merged_unit

P = pr.monthly(2026, 3)  # 15/02–14/03/2026
REF = date(2026, 3, 10)


def test_city_counts_by_hand(world, personas):
    """Leader (cleared for secrets): due = last_day, tet_late, on_time, done_0603, overdue, extended_in, pending,
    secret, gov = 9; on time 2 (on_time, done_0603); late 1 (tet_late); within deadline 3 (last_day, extended_in,
    gov); overdue 3 (overdue, pending, secret); no deadline 1; extended 1 (extended_in)."""
    c = stats.count(P, personas["leader"].user, ref=REF)[None]
    assert (c.due, c.on_time, c.late, c.in_deadline, c.overdue) == (9, 2, 1, 3, 3)
    assert (c.no_deadline, c.extended) == (1, 1)
    assert c.completion_rate == round(100 * 3 / 9, 1) == 33.3
    # on time over the tasks come due on 10/03 (on time, late, overdue: 6), not over the 9 due in the period: the
    # three still within their deadline have not failed anything yet (issue 20, point 11)
    assert c.on_time_rate == round(100 * 2 / 6, 1) == 33.3
    assert (
        c.avg_days_late == 1.0
    )  # from the effective deadline Mon 23/02 across Tết: 1 working day, not 9 days
    assert c.avg_days_overdue == round((6 + 5 + 4) / 3, 1)  # overdue 6, pending (03/03 → 10/03) 5, secret 4


def test_no_user_counts_nothing_and_only_the_system_counts_every_task(world, personas):
    """`user=None` sees nothing, as `visible_to(None)`; every task only when a system job says so (SYSTEM)."""
    assert stats.base_queryset(None).count() == 0
    assert stats.base_queryset(None, system=True).count() == Task.objects.count() > 0
    assert stats.count(P, None, ref=REF, precounted=False)[None].due == 0
    assert stats.count(P, None, ref=REF)[None].due == 0
    assert (
        stats.count(P, stats.SYSTEM, ref=REF)[None].due
        == stats.count(P, personas["leader"].user, ref=REF)[None].due
    )


def test_secret_tasks_only_for_the_cleared(world, personas):
    """The inspector is not cleared: the secret overdue task disappears from due and overdue."""
    c = stats.count(P, personas["inspector"].user, ref=REF)[None]
    assert (c.due, c.overdue) == (8, 2)
    assert c.avg_days_overdue == round((6 + 5) / 2, 1)


def test_a_unit_sees_only_its_own(world, personas):
    """Sở Tài chính coordinates the Sở Xây dựng tasks and leads the Government one: 8 due, not the secret one
    (it is not cleared); Sở Y tế has nothing to do with any of them: 0."""
    c = stats.count(P, personas["coord_officer"].user, ref=REF)[None]
    assert (c.due, c.in_deadline, c.overdue) == (8, 3, 2)
    assert stats.count(P, personas["other_officer"].user, ref=REF)[None].due == 0


def test_reference_date_in_the_past(world, personas):
    """Seen on 05/03: done_0603 (completed 06/03) was still open within its deadline; the overdue task (due
    02/03) was overdue by 3 working days (03, 04, 05); pending (03/03) by 2; secret (04/03) by 1. The decisions
    taken on 10/03 (the world's today) do not count on 05/03 (issue 14): extended_out was still due 20/02 (in P;
    a Tết day off, so it counts until Mon 23/02: overdue by 8 working days, 24–27/02 and 02–05/03), extended_in still due 01/02 (not in P), and the task cancelled
    on 10/03 was still open, due 05/03 (within its deadline that day)."""
    c = stats.count(P, personas["leader"].user, ref=date(2026, 3, 5))[None]
    assert (c.due, c.on_time, c.late, c.in_deadline, c.overdue) == (10, 1, 1, 4, 4)
    assert c.overdue_days == 3 + 2 + 1 + 8
    assert c.extended == 0  # both approvals came after 05/03


def test_boundaries_move_tasks_between_periods(world, personas):
    """Tháng 4/2026 (15/03–14/04) has next_period (15/03) and extended_out (20/03), nothing of P."""
    april = pr.containing(pr.MONTHLY, date(2026, 3, 15))
    assert (april.start, april.end) == (date(2026, 3, 15), date(2026, 4, 14))
    c = stats.count(april, personas["leader"].user, ref=REF)[None]
    assert (c.due, c.in_deadline, c.extended) == (2, 2, 1)
    feb = pr.monthly(2026, 2)  # 15/01–14/02: prev_period only
    assert stats.count(feb, personas["leader"].user, ref=REF)[None].due == 1


def test_breakdowns_add_up_and_match(world, personas, registry):
    user = personas["leader"].user
    ev = stats.evaluate(P, user, ref=REF)
    by_unit = {r.unit.code: r for r in ev.by_unit}
    assert by_unit["SXD"].counts.due == 8 and by_unit["STC"].counts.due == 1
    assert by_unit["SXD"].counts.no_deadline == 1
    # Ranking: SXD 2 on time of the 6 come due (on time, done_0603, tet_late, overdue, pending, secret) = 33.3%. STC's
    # only task (gov, due 11/03) is still within its deadline: not ranked last at 0 %, not ranked at all — "chưa có
    # nhiệm vụ đến hạn" (issue 20, point 11).
    assert [r.unit.code for r in ev.by_unit] == ["SXD", "STC"] and by_unit["SXD"].rank == 1
    assert by_unit["SXD"].counts.on_time_rate == 33.3
    assert by_unit["STC"].rank is None and by_unit["STC"].counts.on_time_rate is None
    auth = {g.key: g.counts for g in ev.by_authority}
    assert auth[Authority.GOVERNMENT].due == 1 and auth[Authority.CITY_COMMITTEE].due == 8
    assert auth[Authority.CHAIRMAN].due == 0
    kinds = {g.key: g.counts for g in ev.by_kind}
    # Kind a (deadline + submit/report): last_day, on_time; kind d: no_deadline (no deadline, nothing to submit).
    assert kinds["a"].due == 2 and kinds["b"].due == 7 and kinds["d"].no_deadline == 1
    for rows in (ev.by_authority, ev.by_kind):
        total = stats.Counts()
        for g in rows:
            total.add(g.counts)
        assert total == ev.city
    assert ev.city == stats.count(P, user, ref=REF)[None]


def test_filters_authority_and_kind(world, personas):
    user = personas["leader"].user
    gov = stats.count(P, user, ref=REF, filters=stats.Filters(authority=Authority.GOVERNMENT))[None]
    assert (gov.due, gov.in_deadline) == (1, 1)
    a = stats.count(P, user, ref=REF, filters=stats.Filters(kind="a"))[None]
    assert (a.due, a.on_time, a.in_deadline) == (2, 1, 1)


def test_ranking_ties_fewer_overdue_first(registry):
    def row(code: str, due: int, on_time: int, overdue: int, late: int = 0) -> stats.UnitRow:
        counts = stats.Counts(due=due, on_time=on_time, late=late, overdue=overdue)
        counts.in_deadline = due - on_time - late - overdue
        return stats.UnitRow(registry[code], counts)

    ranked = stats.rank(
        [row("SXD", 4, 2, 2), row("STC", 2, 1, 0, late=1), row("SYT", 4, 4, 0), row("SNV", 0, 0, 0)]
    )
    assert [(r.unit.code, r.rank) for r in ranked] == [("SYT", 1), ("STC", 2), ("SXD", 3), ("SNV", None)]


def test_a_unit_whose_tasks_are_all_within_their_deadline_is_not_ranked(registry):
    """Issue 20, point 11: one task due later in the period, still within its deadline, ranked the unit last at 0 %.
    Nothing has come due: unranked (after the ranked units), like a unit with nothing due."""
    waiting = stats.UnitRow(registry["STC"], stats.Counts(due=1, in_deadline=1))
    late = stats.UnitRow(registry["SXD"], stats.Counts(due=2, late=1, overdue=1))
    ranked = stats.rank([waiting, late])
    assert [(r.unit.code, r.rank, r.counts.on_time_rate) for r in ranked] == [
        ("SXD", 1, 0.0),
        ("STC", None, None),
    ]


def test_rehomed_unit_counts_where_the_period_says(db, frozen, registry, personas, directive):
    """A district that ended on 01/07/2025, succeeded by a ward: its tasks count under the district for a 2025
    period when it existed, under the ward for a 2026 period; its open tasks re-homed to the ward count there."""
    ward = Unit.objects.filter(kind=Unit.Kind.WARD).order_by("code").first()
    assert ward is not None
    district = merged_unit(ward, code="000.99.01.H26", name="Quận Thử Nghiệm")
    office = personas["tracker"].user

    def task(due: date, state: str = "in_progress", completed_on: date | None = None) -> Task:
        t = actions.assign(
            actions.create_task(directive, lead_unit=district, content=f"Việc hạn {due}", user=office),
            office,
            on=date(2025, 1, 2),
        )
        # History as an import of a past year leaves it (no one can act for a unit that is gone).
        Task.objects.filter(pk=t.pk).update(
            due_date=due, original_due_date=due, state=state, completed_on=completed_on
        )
        return t

    task(date(2025, 6, 1), "completed", date(2025, 5, 30))  # Tháng 6/2025, on time, district's
    task(date(2026, 3, 2), "completed", date(2026, 2, 27))  # Tháng 3/2026, on time: the ward's
    open_task = task(date(2026, 3, 3))  # open: re-homed to the ward
    moved = actions.rehome_unit_tasks(district, office, reason="Sắp xếp đơn vị hành chính")
    assert moved == 1 and Task.objects.get(pk=open_task.pk).lead_unit == ward
    user = personas["leader"].user

    june = stats.count(pr.monthly(2025, 6), user, by=stats.BY_UNIT, ref=REF)
    assert june[district.pk].on_time == 1 and ward.pk not in june
    march = stats.count(P, user, by=stats.BY_UNIT, ref=REF)
    assert district.pk not in march
    assert (march[ward.pk].due, march[ward.pk].on_time, march[ward.pk].overdue) == (2, 1, 1)
    # The list behind the ward's number has the district's old task too.
    assert stats.tasks(stats.DUE, P, user, ref=REF, unit_id=ward.pk).count() == 2
    assert stats.tasks(stats.DUE, pr.monthly(2025, 6), user, ref=REF, unit_id=district.pk).count() == 1


def test_calendar_change_rebuilds_working_days(world, personas):
    """Declaring 06/03/2026 a day off makes the overdue task (due 02/03) 5 working days late, not 6."""
    from dondoc.workdays.models import CalendarDay

    before = stats.count(P, personas["leader"].user, ref=REF)[None].overdue_days
    CalendarDay.objects.create(date=date(2026, 3, 6), kind="holiday", name="Ngày nghỉ thử nghiệm")
    after = stats.count(P, personas["leader"].user, ref=REF)[None].overdue_days
    assert before - after == 3  # overdue, pending and secret each lose the 06/03


def test_every_number_is_its_task_list(world, personas, client):
    """The task list behind each number (the dashboard's links) has exactly that many tasks."""
    user = personas["leader"].user
    client.force_login(user)
    ev = stats.evaluate(P, user, ref=REF)
    checks = [(m, None, stats.Filters(), ev.city.value(m)) for m in stats.MEASURES]
    checks += [(m, r.unit.pk, stats.Filters(), r.counts.value(m)) for r in ev.by_unit for m in stats.MEASURES]
    checks += [
        (m, None, stats.Filters(g.key), g.counts.value(m)) for g in ev.by_authority for m in stats.MEASURES
    ]
    checks += [
        (m, None, stats.Filters(kind=g.key), g.counts.value(m)) for g in ev.by_kind for m in stats.MEASURES
    ]
    assert sum(n for *_, n in checks) > 0
    for measure, unit_id, filters, number in checks:
        url = stats.list_url(measure, P, ref=REF, unit_id=unit_id, filters=filters)
        response = client.get(url)
        assert response.status_code == 200
        assert response.context["page"].paginator.count == number, (url, number)
        assert stats.tasks(measure, P, user, ref=REF, unit_id=unit_id, filters=filters).count() == number


def test_list_parameters_are_validated(personas, client):
    client.force_login(personas["leader"].user)
    url = reverse("tracking:task_list")
    r = client.get(url, {"measure": "qua_han", "period_from": "15/02/2026"})
    assert "Chỉ tiêu thống kê cần cả «Kỳ từ ngày» và «Kỳ đến ngày»." in r.content.decode()
    r = client.get(url, {"measure": "bogus", "period_from": "15/02/2026", "period_to": "14/03/2026"})
    assert "Chỉ tiêu thống kê «bogus» không hợp lệ." in r.content.decode()
    r = client.get(url, {"measure": "qua_han", "period_from": "15/03/2026", "period_to": "14/02/2026"})
    assert "«Kỳ đến ngày» phải sau hoặc bằng «Kỳ từ ngày»." in r.content.decode()
    assert r.status_code == 200 and r.context["page"].paginator.count == 0


def test_add_sums_every_field():
    """`Counts.add` (its fields written out, for speed) sums every field of the figures, and `value` reads every
    measure's count (COMPLETED the sum of on time and late)."""
    from dataclasses import fields

    names = [f.name for f in fields(stats.Counts)]
    one = stats.Counts(**{name: i + 1 for i, name in enumerate(names)})
    total = stats.Counts(**{name: 100 * (i + 1) for i, name in enumerate(names)})
    total.add(one)
    assert {name: getattr(total, name) for name in names} == {
        name: 101 * (i + 1) for i, name in enumerate(names)
    }
    assert [one.value(m) for m in stats.MEASURES] == [1, 2, 3, 5, 4, 5, 6, 7]
