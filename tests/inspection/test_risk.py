"""Risk ranking and the proposed sample, against a city whose answer is known (see conftest.py)."""

from __future__ import annotations

from datetime import date

from dondoc.inspection import risk
from dondoc.tracking import actions
from dondoc.tracking import timeliness as tl

REF = date(2026, 3, 10)


def test_units_rank_by_score_with_each_signal_counted(city, registry):
    ranked = risk.rank_units(REF, stale_days=10)
    assert [r.unit.code for r in ranked] == ["SXD", "STC", "SYT"]
    sxd, stc, syt = ranked
    assert (sxd.tasks, sxd.overdue, sxd.stale, sxd.ignored, sxd.repeated, sxd.late) == (4, 2, 3, 1, 0, 0)
    assert sxd.late_rate == 100.0 and sxd.score == 18
    assert (stc.overdue, stc.stale, stc.ignored, stc.repeated, stc.late) == (1, 0, 0, 1, 1)
    assert stc.late_rate == 100.0 and stc.score == 9
    assert (syt.overdue, syt.stale, syt.late, syt.late_rate, syt.score) == (0, 0, 0, 0.0, 0)


def test_a_reminder_followed_by_a_progress_report_is_not_ignored(city):
    tasks = {t.pk: t for t in risk.annotated_tasks(REF, stale_days=10)}
    assert tasks[city["t_a"].pk].r_ignored == 1
    assert tasks[city["s_over"].pk].r_ignored == 0


def test_stale_depends_on_the_number_of_working_days(city):
    # 40 working days back reaches January: tasks assigned on 02/02 have not yet had time to go stale.
    by_code = {r.unit.code: r for r in risk.rank_units(REF, stale_days=40)}
    assert by_code["SXD"].stale == 0
    assert by_code["SXD"].score == 6 + 1 + 5
    # Ranking only some units leaves the others out.
    only = risk.rank_units(REF, stale_days=10, units=[city["y_open"].lead_unit])
    assert [r.unit.code for r in only] == ["SYT"]


def test_tasks_rank_by_score_then_deadline(city, registry):
    ranked = risk.rank_tasks(REF, registry["SXD"], stale_days=10)
    assert [t.pk for t in ranked] == [city[k].pk for k in ("t_a", "t_b", "t_c", "t_d")]
    assert [t.r_score for t in ranked] == [6, 5, 2, 0]


def test_sample_covers_the_four_kinds(city, registry):
    sample = risk.propose_sample(REF, registry["SXD"], per_kind=1, stale_days=10)
    assert {k: [t.pk for t in v] for k, v in sample.items()} == {
        tl.KIND_A: [city["t_a"].pk],
        tl.KIND_B: [city["t_b"].pk],
        tl.KIND_C: [city["t_c"].pk],
        tl.KIND_D: [city["t_d"].pk],
    }
    stc = risk.propose_sample(REF, registry["STC"], per_kind=2, stale_days=10)
    assert [t.pk for t in stc[tl.KIND_B]] == [city["s_over"].pk, city["s_late"].pk]
    assert stc[tl.KIND_A] == stc[tl.KIND_C] == stc[tl.KIND_D] == []


def test_tasks_assigned_after_the_period_covered_are_left_out(city, registry, make_task, personas):
    later = make_task(content="SXD giao sau kỳ", due_date=date(2026, 3, 5), assign=False)
    actions.assign(later, personas["tracker"].user, on=date(2026, 3, 3))
    everything = [t.pk for t in risk.rank_tasks(REF, registry["SXD"], stale_days=10)]
    covered = [
        t.pk for t in risk.rank_tasks(REF, registry["SXD"], stale_days=10, assigned_by=date(2026, 2, 28))
    ]
    assert later.pk in everything and later.pk not in covered
    assert covered == [city[k].pk for k in ("t_a", "t_b", "t_c", "t_d")]
