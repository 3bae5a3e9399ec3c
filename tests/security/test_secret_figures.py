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


# --- 3. unmarking a directive: its tasks become plain again only when asked ---------------------------------------


def _change(directive, **fields) -> dict:
    """The admin site's change form of `directive` as it is, with `fields` changed."""
    from django.forms.models import model_to_dict

    data = {k: ("" if v is None else v) for k, v in model_to_dict(directive).items() if k != "id"}
    return data | {
        "issued_on": directive.issued_on.isoformat(),
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
        **fields,
    }


@pytest.fixture
def marked_directive(make_task, admins, frozen):
    """15/CT-UBND marked *Mật* in the admin site by the cleared administrator: its two tasks became secret."""
    first = make_task(content=f"Việc thứ nhất {MARK}")
    make_task(content=f"Việc thứ hai {MARK}", coordinators=())
    directive = first.directive
    answer = login(admins["cleared"]).post(_url(directive), _change(directive, secrecy="mat"))
    assert answer.status_code == 302
    assert set(directive.tasks.values_list("secret", flat=True)) == {True}
    directive.refresh_from_db()
    return directive


def _url(directive) -> str:
    return f"/quan-tri/directives/directive/{directive.pk}/change/"


def test_unmarking_a_directive_with_the_box_ticked_makes_its_tasks_plain_again_audited(
    marked_directive, admins, personas
):
    """Unmarked in the admin site, a directive left its tasks secret and nothing undid it. The change form now has
    «Bỏ mật cả các nhiệm vụ của văn bản»: ticked with the directive unmarked, every task of the directive becomes
    plain, each change in the audit trail under the administrator's name, and the page says how many."""
    from dondoc.audit.models import AuditEntry

    officer = login(personas["lead_officer"])
    tasks = list(marked_directive.tasks.order_by("id"))
    assert all(officer.get(f"/nhiem-vu/{t.pk}/").status_code == 404 for t in tasks)
    admin = login(admins["cleared"])
    form = admin.get(_url(marked_directive)).content.decode()
    assert "Bỏ mật cả các nhiệm vụ của văn bản" in form
    answer = admin.post(
        _url(marked_directive), _change(marked_directive, secrecy="", unmark_tasks="on"), follow=True
    )
    assert answer.status_code == 200
    assert "Đã bỏ mật 2 nhiệm vụ của văn bản 15/CT-UBND" in answer.content.decode()
    assert set(marked_directive.tasks.values_list("secret", flat=True)) == {False}
    for t in tasks:
        assert MARK in officer.get(f"/nhiem-vu/{t.pk}/").content.decode()
        entry = AuditEntry.objects.filter(object_type="tracking.task", object_id=str(t.pk)).latest("pk")
        assert entry.action == AuditEntry.Action.UPDATE and entry.username == "quantri.cleared"
        assert entry.before["secret"] is True and entry.after["secret"] is False


def test_unmarking_a_directive_without_the_box_keeps_its_tasks_secret_and_says_so(marked_directive, admins):
    answer = login(admins["cleared"]).post(
        _url(marked_directive), _change(marked_directive, secrecy=""), follow=True
    )
    assert answer.status_code == 200
    assert "2 nhiệm vụ của văn bản vẫn là nhiệm vụ mật" in answer.content.decode()
    assert set(marked_directive.tasks.values_list("secret", flat=True)) == {True}


def test_the_box_ticked_on_a_directive_still_secret_is_refused_with_a_message_and_nothing_changes(
    marked_directive, admins
):
    answer = login(admins["cleared"]).post(
        _url(marked_directive), _change(marked_directive, secrecy="mat", unmark_tasks="on")
    )
    assert answer.status_code == 200
    body = answer.content.decode()
    assert "Bỏ mật cả các nhiệm vụ của văn bản" in body and "văn bản vẫn đang để độ mật" in body
    assert set(marked_directive.tasks.values_list("secret", flat=True)) == {True}
    marked_directive.refresh_from_db()
    assert marked_directive.secrecy == "mat"


def test_an_uncleared_administrator_can_neither_see_the_box_nor_unmark_a_plain_directives_secret_task(
    make_task, admins, personas, frozen
):
    """Who may unmark follows who may mark: the admin site's change permission on directives, and clearance (a
    secret directive is not in an uncleared administrator's admin site at all). A plain directive with a secret task
    shows the uncleared administrator no box, and a forged one unmarks nothing."""
    secret = make_task(content=f"Việc mật {MARK}", secret=True)
    directive = secret.directive
    uncleared = login(admins["uncleared"])
    assert "Bỏ mật cả các nhiệm vụ" not in uncleared.get(_url(directive)).content.decode()
    answer = uncleared.post(_url(directive), _change(directive, unmark_tasks="on"), follow=True)
    assert answer.status_code == 200
    assert "Đã bỏ mật" not in answer.content.decode()
    secret.refresh_from_db()
    assert secret.secret
    # the cleared administrator is offered the box on the same plain directive, and it works
    cleared = login(admins["cleared"])
    assert "Bỏ mật cả các nhiệm vụ của văn bản" in cleared.get(_url(directive)).content.decode()
    cleared.post(_url(directive), _change(directive, unmark_tasks="on"))
    secret.refresh_from_db()
    assert not secret.secret


@pytest.mark.parametrize("persona", ["leader", "tracker", "inspector", "lead_officer"])
def test_nobody_outside_the_admin_site_unmarks_a_directives_tasks(marked_directive, personas, persona):
    """Leaders and tracking officers (cleared), inspectors and unit officers (not) have no access to the admin
    site: their POST changes nothing."""
    client = login(personas[persona])
    client.post(_url(marked_directive), _change(marked_directive, secrecy="", unmark_tasks="on"))
    marked_directive.refresh_from_db()
    assert marked_directive.secrecy == "mat"
    assert set(marked_directive.tasks.values_list("secret", flat=True)) == {True}


# --- 2. narrow questions: a secret task is not singled out by its unit and its day -------------------------------

DAY = date(
    2026, 3, 12
)  # the secret task's deadline: due soon on 10/03/2026 (frozen), inside March's 15/02–14/03


@pytest.fixture
def world_with_one_secret_task(make_task, frozen):
    """Sở Xây dựng leads a plain task due 12/03 and one due 20/03; the secret task, due 12/03 too, is the only task
    of Sở Tài chính."""
    make_task(content="Việc thường đến hạn 12/03", due_date=DAY)
    make_task(content="Việc thường đến hạn 20/03", due_date=date(2026, 3, 20))
    return make_task(content=f"Việc mật {MARK}", secret=True, due_date=DAY, lead="STC", coordinators=())


def _listed(client, query: str) -> tuple[int, int]:
    """(tasks listed, secret tasks the list says it also counts) for the task list's question `query`."""
    answer = client.get(f"/nhiem-vu/?{query}")
    assert answer.status_code == 200, query
    hidden = re.search(r"Ngoài ra có (\d+) nhiệm vụ mật", answer.content.decode())
    return answer.context["page"].paginator.count, int(hidden.group(1)) if hidden else 0


@pytest.mark.parametrize(
    ("persona", "cleared", "day", "month"),
    [
        # (listed, hidden) for the unit on one day, and for the unit over March's reporting window
        (
            "inspector",
            False,
            (0, 0),
            (0, 1),
        ),  # sees every unit, uncleared: told of it in the report's window only
        ("tracker", False, (0, 0), (0, 1)),
        ("tracker", True, (1, 0), (1, 0)),  # cleared: listed
        ("leader", True, (1, 0), (1, 0)),
        ("lead_officer", False, (0, 0), (0, 0)),  # a unit's people count only what they see
    ],
)
def test_the_task_list_counts_a_secret_task_for_the_uncleared_only_over_a_reporting_window(
    world_with_one_secret_task, personas, persona, cleared, day, month, frozen
):
    """ "Ngoài ra có 1 nhiệm vụ mật…" under the question "Sở Tài chính, due on 12/03" told an uncleared reader who
    sees every unit that Sở Tài chính has a secret task due that day (and, with a bucket, whether it is overdue):
    one secret task singled out by its unit, deadline and state. The dashboard's totals count secret tasks
    for such a reader (they are the signed report's, DOMAIN.md §8), so the list still says so for the questions the
    report asks — whole reporting windows (15th to 14th), by unit, authority, kind — and counts none under a
    narrower date window, as under a search word. And only as of a past cut-off (`secrecy.fixed_reference`): as of
    today, or a measure as of 10/03, the same window asked on two days would show the day it went overdue."""
    person = personas[persona]
    Person.objects.filter(pk=person.pk).update(cleared_for_secrets=cleared)
    stc = world_with_one_secret_task.lead_unit_id
    client = login(person)
    assert _listed(client, f"unit={stc}&due_from=12/03/2026&due_to=12/03/2026") == day
    as_seen = (1, 0) if cleared else (0, 0)  # as of today: none counted for the uncleared
    assert _listed(client, f"unit={stc}&due_from=15/02/2026&due_to=14/03/2026") == as_seen
    one_day = (
        f"measure=den_han&period_from=12/03/2026&period_to=12/03/2026&as_of=10/03/2026&counted_unit={stc}"
    )
    assert _listed(client, one_day) == day
    window = f"measure=den_han&period_from=15/02/2026&period_to=14/03/2026&counted_unit={stc}"
    assert _listed(client, f"{window}&as_of=10/03/2026") == as_seen
    frozen.move_to("2026-03-20 09:00 +07:00")  # March's window closed on 14/03: its cut-off is past
    assert _listed(login(person), f"{window}&as_of=14/03/2026") == month


def _board(client, **params):
    answer = client.get("/danh-gia/", params)
    assert answer.status_code == 200
    return answer.context["data"]


@pytest.mark.parametrize(("persona", "cleared"), [("inspector", False), ("tracker", False), ("leader", True)])
def test_a_custom_dashboard_period_counts_no_secret_task_for_the_uncleared_and_its_numbers_are_the_lists(
    world_with_one_secret_task, personas, persona, cleared, frozen
):
    """A custom period of one day (12/03) on the dashboard showed an uncleared reader "Sở Tài chính: 1 due" for a
    unit whose only task is secret. A custom period is no reporting window: the uncleared count the tasks they may
    see there, and every number is its list's (no secret task "also counted"). The cleared count it, and a monthly
    period counts it for everyone (the report's totals)."""
    from dondoc.evaluation import stats

    person = personas[persona]
    Person.objects.filter(pk=person.pk).update(cleared_for_secrets=cleared)
    frozen.move_to("2026-03-20 09:00 +07:00")  # both tasks of 12/03 overdue
    client = login(person)
    custom = _board(
        client, loai_ky="tuy_chon", tu_ngay="12/03/2026", den_ngay="12/03/2026", ngay="20/03/2026"
    )
    assert custom.evaluation.city.due == (2 if cleared else 1)
    stc = world_with_one_secret_task.lead_unit_id
    assert any(r.unit.pk == stc for r in custom.evaluation.by_unit) == cleared
    for cell, _label, _css in custom.cards:
        assert _listed(client, cell.url.split("?", 1)[1]) == (cell.value, 0), cell.url
    monthly = _board(client, loai_ky="thang", ky="2026-3", ngay="14/03/2026")  # as of its (past) cut-off
    due = next(cell for cell, _l, _c in monthly.cards if cell.measure == stats.DUE)
    assert due.value == 2  # the report's total (both tasks of 12/03), secret task included, for every reader
    assert _listed(client, due.url.split("?", 1)[1]) == ((2, 0) if cleared else (1, 1))


@pytest.mark.parametrize(("persona", "cleared"), [("inspector", False), ("leader", True)])
def test_due_soon_on_the_dashboard_and_the_api_counts_no_secret_task_for_the_uncleared(
    world_with_one_secret_task, personas, persona, cleared
):
    """ "Trong đó sắp đến hạn" covers the few working days after the reference date the reader picks: counted with
    the secret tasks for the uncleared, it said by unit (the API's `by=unit`) on which days a secret task falls
    due. It now counts the tasks the reader may see; its link lists exactly them."""
    person = personas[persona]
    Person.objects.filter(pk=person.pk).update(cleared_for_secrets=cleared)
    client = login(person)
    board = _board(client, loai_ky="thang", ky="2026-3", ngay="10/03/2026")
    assert board.due_soon is not None and board.due_soon.value == (2 if cleared else 1)
    assert _listed(client, board.due_soon.url.split("?", 1)[1]) == (board.due_soon.value, 0)
    by_unit = _api(person).get("/evaluation", loai_ky="thang", ky="2026-3", ngay="2026-03-10", by="unit")
    assert by_unit.status_code == 200, by_unit.content
    soon = {r["key"]: r["due_soon"] for r in by_unit.json()["rows"]}
    assert soon.get(str(world_with_one_secret_task.lead_unit_id), 0) == (1 if cleared else 0)
    custom = _api(person).get("/evaluation", loai_ky="tuy_chon", tu_ngay="2026-03-10", den_ngay="2026-03-12")
    assert custom.status_code == 200, custom.content
    assert custom.json()["rows"][0]["due"] == (2 if cleared else 1)


# --- the signed report's appendix ------------------------------------------------------------------------------


def test_the_reports_overdue_appendix_never_prints_a_secret_directives_notation(
    secret_directive, registry, personas
):
    """The monthly report lists every overdue task, a secret one with its content masked — but under its directive's
    notation and date: "7/CT-UBND ngày 20/01/2026", the number of a directive the register hides from the uncleared,
    in a document every reader of the dashboard opens. A secret directive's row now reads «Văn bản mật», no date; a plain
    directive's secret task keeps its directive's notation (the directive is public)."""
    import time_machine

    from dondoc.evaluation import periods as pr
    from dondoc.evaluation import report
    from dondoc.tracking import secrecy
    from tests.helpers import registered_task

    with time_machine.travel("2026-03-20 09:00 +07:00", tick=False):
        task = registered_task(
            secret_directive,
            registry["SXD"],
            personas["tracker"].user,
            assigned_on=date(2026, 2, 2),
            content=f"Việc mật {MARK}",
            due_date=date(2026, 3, 5),
            secret=True,
        )
        rows = [
            r for r in report.overdue_rows(pr.monthly(2026, 3), date(2026, 3, 14)) if r.task_id == task.pk
        ]
    assert len(rows) == 1
    assert rows[0].content == secrecy.masked(task.pk)
    assert "7/CT-UBND" not in rows[0].notation and rows[0].notation == "Văn bản mật"
    assert rows[0].issued_on is None  # nor its date, which would point at it


@pytest.mark.parametrize(("persona", "cleared"), [("inspector", False), ("tracker", False), ("leader", True)])
def test_the_trend_of_a_custom_period_counts_no_secret_task_for_the_uncleared(
    world_with_one_secret_task, make_task, personas, persona, cleared, frozen
):
    """A custom period made of a whole reporting window (15/02–14/03) counts the secret tasks for every reader, as
    March does; its trend, ranges of its length before it (18/01–14/02, …), does not follow the reporting windows:
    choosing periods of other lengths, a reader would difference ranges ending on the same day and single out the
    day of a secret deadline. The uncleared's trend counts only the tasks they may see."""
    make_task(
        content=f"Việc mật tháng 1 {MARK}",
        secret=True,
        due_date=date(2026, 1, 20),
        lead="STC",
        coordinators=(),
    )
    person = personas[persona]
    Person.objects.filter(pk=person.pk).update(cleared_for_secrets=cleared)
    frozen.move_to("2026-03-20 09:00 +07:00")  # asked as of the window's past cut-off, 14/03
    board = _board(
        login(person), loai_ky="tuy_chon", tu_ngay="15/02/2026", den_ngay="14/03/2026", ngay="14/03/2026"
    )
    assert (
        board.evaluation.city.due == 2
    )  # the window's totals, secret task of 12/03 counted for every reader
    before = board.trend[-2]
    assert (before.period.start, before.period.end) == (date(2026, 1, 18), date(2026, 2, 14))
    assert before.counts.due == (1 if cleared else 0)
    # the page tells the uncleared which of its figures count the secret tasks (the same words whether any exists)
    params = {"loai_ky": "tuy_chon", "tu_ngay": "15/02/2026", "den_ngay": "14/03/2026", "ngay": "14/03/2026"}
    body = login(person).get("/danh-gia/", params).content.decode()
    assert ('id="so-lieu-mat"' in body) == (not cleared)
    assert ("xu hướng các khoảng trước kỳ chỉ tính nhiệm vụ bạn được xem" in body) == (not cleared)
