"""Differencing attacks on the secret-counted totals (*nhiệm vụ mật*): an uncleared reader who sees every unit asks
the same whole reporting window as of two days, D and D+1 (the dashboard, its API, its trend, the task list behind
a number), and reads, from the step of the "overdue" total, the day a secret task went overdue — its deadline, and
that it exists. The rule (`tracking.secrecy.counts_secret_share` / `fixed_reference`): totals counting secret tasks
are given to the uncleared only as of a past reporting cut-off (a 14th); as of any other day they count only what
the reader may see.

Personas: the inspector (sees every unit, not cleared), the City Office's tracking officer and the leader with their
clearance withdrawn, and the leader cleared (who keeps every figure)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from dondoc.evaluation import stats
from dondoc.org.models import Person
from tests.helpers import login

MARK = "R51KD"
DEADLINE = date(2026, 3, 12)  # the secret task's deadline: overdue from 13/03, inside March's 15/02–14/03
UNCLEARED = [("inspector", False), ("tracker", False), ("leader", False)]
EVERYONE = [*UNCLEARED, ("leader", True)]


@pytest.fixture
def world(make_task, frozen):
    """Sở Xây dựng leads a plain task due 12/03 and one due 20/03; the secret task, due 12/03 too, is the only task
    of Sở Tài chính. Today is 20/03/2026: March's window (15/02–14/03) closed on 14/03."""
    make_task(content="Việc thường đến hạn 12/03", due_date=DEADLINE)
    make_task(content="Việc thường đến hạn 20/03", due_date=date(2026, 3, 20))
    secret = make_task(
        content=f"Việc mật {MARK}", secret=True, due_date=DEADLINE, lead="STC", coordinators=()
    )
    frozen.move_to("2026-03-20 09:00 +07:00")
    return secret


def _as(personas, persona: str, cleared: bool):
    person = personas[persona]
    Person.objects.filter(pk=person.pk).update(cleared_for_secrets=cleared)
    person.refresh_from_db()
    return person


def _board(client, ref: str, **params):
    answer = client.get("/danh-gia/", {"loai_ky": "thang", "ky": "2026-3", "ngay": ref, **params})
    assert answer.status_code == 200
    return answer


def _card(board, measure: str):
    return next(cell for cell, _label, _css in board.context["data"].cards if cell.measure == measure)


def _listed(client, url: str) -> tuple[int, int]:
    answer = client.get(url)
    assert answer.status_code == 200, url
    hidden = re.search(r"Ngoài ra có (\d+) nhiệm vụ mật", answer.content.decode())
    return answer.context["page"].paginator.count, int(hidden.group(1)) if hidden else 0


@pytest.mark.parametrize(("persona", "cleared"), EVERYONE)
def test_the_same_window_as_of_two_days_does_not_show_the_day_a_secret_task_went_overdue(
    world, personas, persona, cleared
):
    """March's window as of 12/03 and as of 13/03: the "overdue" card stepped from 0 to 2 for every reader who sees
    every unit, one more than the tasks the uncleared may list — the secret task of Sở Tài chính went overdue on
    13/03. As of a day that is not a past cut-off, the uncleared now count the tasks they may see (every card is
    its list, nothing "also counted"); the cleared count it."""
    client = login(_as(personas, persona, cleared))
    overdue = {}
    for ref in ("12/03/2026", "13/03/2026"):
        board = _board(client, ref)
        for cell, _label, _css in board.context["data"].cards:
            listed, hidden = _listed(client, cell.url)
            assert (listed, hidden) == (cell.value, 0), (ref, cell.url)
        overdue[ref] = _card(board, stats.OVERDUE).value
    assert overdue == {"12/03/2026": 0, "13/03/2026": 2 if cleared else 1}


@pytest.mark.parametrize(("persona", "cleared"), EVERYONE)
def test_as_of_the_windows_past_cut_off_every_reader_gets_the_reports_totals_and_the_list_says_so(
    world, personas, persona, cleared
):
    """As of 14/03 — March's cut-off, past on 20/03 — the totals are the signed report's for every reader, the
    secret task counted; the uncleared's list of the number says it counts one secret task it cannot show."""
    client = login(_as(personas, persona, cleared))
    board = _board(client, "14/03/2026")
    overdue = _card(board, stats.OVERDUE)
    assert overdue.value == 2
    assert _listed(client, overdue.url) == ((2, 0) if cleared else (1, 1))
    body = board.content.decode()
    assert ("tính cả nhiệm vụ mật (như báo cáo chính thức)" in body) == (not cleared)


@pytest.mark.parametrize(("persona", "cleared"), UNCLEARED)
def test_the_page_tells_the_uncleared_which_figures_count_secret_tasks_and_links_the_cut_off(
    world, personas, persona, cleared
):
    """As of today (20/03) March's figures count no secret task for the uncleared: the page says so, and links the
    same period as of its cut-off, where they do."""
    body = _board(login(_as(personas, persona, cleared)), "20/03/2026").content.decode()
    assert 'id="so-lieu-mat"' in body and "chỉ tính nhiệm vụ bạn được xem, không tính nhiệm vụ mật" in body
    assert re.search(r'id="ngay-chot"', body) and "ngay=14/03/2026" in body


def _api(person):
    from dondoc.api.models import ApiToken
    from tests.api.helpers import ApiClient

    _, raw = ApiToken.issue(person.user, "thử")
    return ApiClient(raw)


@pytest.mark.parametrize(("persona", "cleared"), EVERYONE)
def test_the_api_by_unit_as_of_two_days_does_not_single_out_the_secret_task(
    world, personas, persona, cleared
):
    """The API's `by=unit` for March as of 12/03 and 13/03 showed a row for Sở Tài chính, "1 within deadline",
    then "1 overdue": a unit whose only task is secret, and the day its deadline passed. Now no row for the
    uncleared as of those days; as of the cut-off the report's row, for everyone."""
    api = _api(_as(personas, persona, cleared))
    stc = str(world.lead_unit_id)

    def row(ref: str) -> dict | None:
        answer = api.get("/evaluation", loai_ky="thang", ky="2026-3", ngay=ref, by="unit")
        assert answer.status_code == 200, answer.content
        return next((r for r in answer.json()["rows"] if r["key"] == stc), None)

    for ref, field in (("2026-03-12", "in_deadline"), ("2026-03-13", "overdue")):
        found = row(ref)
        if cleared:
            assert found is not None and found[field] == 1
        else:
            assert found is None or found["due"] == 0
    assert row("2026-03-14")["overdue"] == 1  # the cut-off: the report's row for every reader


@pytest.mark.parametrize(("persona", "cleared"), EVERYONE)
def test_the_trend_as_of_today_does_not_count_the_secret_task_for_the_uncleared(
    world, personas, persona, cleared
):
    """April's dashboard as of 20/03 has March as the trend's last point before it, counted as of 20/03: a reader
    watching it day by day saw its overdue figure step the day a secret task went overdue. As of today it counts
    the tasks the reader may see."""
    board = _board(login(_as(personas, persona, cleared)), "20/03/2026", ky="2026-4")
    march = board.context["data"].trend[-2]
    assert (march.period.start, march.period.end) == (date(2026, 2, 15), date(2026, 3, 14))
    assert march.counts.overdue == (2 if cleared else 1)


@pytest.mark.parametrize(("persona", "cleared"), UNCLEARED)
def test_the_task_list_counts_the_secret_task_only_as_of_a_past_cut_off(world, personas, persona, cleared):
    """The list behind a number, asked as of 13/03 (a measure's `as_of`) or by today's buckets: "Ngoài ra có 1
    nhiệm vụ mật" for the overdue tasks of March's window told the day a secret task went overdue. It is said as
    of a past cut-off only."""
    client = login(_as(personas, persona, cleared))
    stc = world.lead_unit_id
    window = f"measure=qua_han&period_from=15/02/2026&period_to=14/03/2026&counted_unit={stc}"
    assert _listed(client, f"/nhiem-vu/?{window}&as_of=12/03/2026") == (0, 0)
    assert _listed(client, f"/nhiem-vu/?{window}&as_of=13/03/2026") == (0, 0)
    assert _listed(client, f"/nhiem-vu/?{window}&as_of=14/03/2026") == (0, 1)
    # today's buckets over the window: as of today, not a cut-off
    assert _listed(client, f"/nhiem-vu/?unit={stc}&due_from=15/02/2026&due_to=14/03/2026&bucket=overdue") == (
        0,
        0,
    )
    assert _listed(client, f"/nhiem-vu/?unit={stc}&due_from=15/02/2026&due_to=14/03/2026") == (0, 0)


def test_the_rule_fixed_reference_is_a_past_fourteenth():
    from dondoc.tracking.secrecy import fixed_reference

    today = date(2026, 3, 20)
    assert fixed_reference(date(2026, 3, 14), today)
    assert fixed_reference(date(2025, 12, 14), today)
    assert not fixed_reference(date(2026, 3, 13), today)
    assert not fixed_reference(date(2026, 3, 15), today)
    assert not fixed_reference(date(2026, 3, 14), date(2026, 3, 14))  # the cut-off day itself is not over
    assert not fixed_reference(None, today)


# --- the periodic reports: asked and read as of a past cut-off only ----------------------------------------------


def _ask_report(client, registry, **fields):
    from django.urls import reverse

    data = {"period_kind": "thang", "year": "2026", "number": "3", "issuer": registry["SNV"].pk} | fields
    return client.post(reverse("evaluation:report_new"), data)


@pytest.mark.parametrize(
    "fields",
    [
        {"reference_date": "13/03/2026"},  # March as of the day after the secret deadline
        {"reference_date": "20/03/2026"},  # as of today
        {"period_kind": "tuy_chon", "start": "12/03/2026", "end": "12/03/2026"},  # one day (ref: its end)
        {"number": "4"},  # the window still open: as of today
    ],
)
@pytest.mark.parametrize(("persona", "cleared"), [("inspector", False), ("tracker", False)])
def test_an_uncleared_maker_asks_a_report_only_as_of_a_past_cut_off(
    world, personas, registry, persona, cleared, fields
):
    """A report counts every task, secret ones included, and lists the overdue ones: an uncleared report maker (the
    inspector, a City Office officer without clearance) asking March as of 12/03 and 13/03, or a one-day custom
    period, read the day a secret task went overdue off its figures. Refused with the reason on «Số liệu tính đến
    ngày», nothing made; March as of its cut-off (14/03) is made."""
    from dondoc.evaluation.report_models import ReportRun

    client = login(_as(personas, persona, cleared))
    answer = _ask_report(client, registry, **fields)
    assert answer.status_code == 400
    assert "«Số liệu tính đến ngày» là ngày chốt kỳ đã qua" in answer.content.decode()
    assert not ReportRun.objects.exists()
    assert _ask_report(client, registry, reference_date="14/03/2026").status_code == 302
    assert ReportRun.objects.get().reference_date == date(2026, 3, 14)


@pytest.mark.parametrize(("persona", "cleared"), UNCLEARED)
def test_a_report_asked_as_of_another_day_is_withheld_from_the_uncleared(
    world, personas, registry, persona, cleared
):
    """A cleared officer's report of March as of 13/03 (allowed: they see every task) was read by every reader who
    sees every unit — its figures, its files, the issue button. For the uncleared its figures and files are withheld
    with the reason, and they cannot issue it; the cleared leader reads it."""
    from django.urls import reverse

    from dondoc.evaluation.report_models import ReportRun

    maker = login(_as(personas, "tracker", True))
    assert _ask_report(maker, registry, reference_date="13/03/2026").status_code == 302
    run = ReportRun.objects.get()
    assert run.status == ReportRun.Status.DRAFT
    reader = login(_as(personas, persona, cleared))
    page = reader.get(run.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="bao-cao-mat"' in body and "Tải DOCX" not in body and "qua-han-bao-cao" not in body
    for fmt in ("docx", "pdf", "xlsx"):
        answer = reader.get(reverse("evaluation:report_download", args=[run.pk, fmt]))
        assert answer.status_code == 403 and "ngày chốt kỳ đã qua" in answer.content.decode()
    issue = reader.post(reverse("evaluation:report_issue", args=[run.pk]), {"confirm": "1"})
    assert issue.status_code == 403
    run.refresh_from_db()
    assert run.status == ReportRun.Status.DRAFT
    if persona != "leader":
        cleared_leader = login(_as(personas, "leader", True))
        assert "Tải DOCX" in cleared_leader.get(run.get_absolute_url()).content.decode()
