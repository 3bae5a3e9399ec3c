"""Secret tasks reveal nothing through questions asked around them (session 12's adversarial review).

The walk of `test_secrecy.py` looks for a secret task's words in every answer; these tests ask the questions an
uncleared reader can ask to learn them anyway: a search box whose counter answers "yes" for a secret word, a
filter naming a secret directive or task by its id.
"""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
import time_machine

from dondoc.org.models import Person
from tests.helpers import login, run_jobs

MARK = "K47QX"
SECRET = f"Phương án bảo vệ mục tiêu {MARK}"


@pytest.fixture
def secret_task(make_task):
    with time_machine.travel("2026-02-02 08:30 +07:00", tick=False):
        return make_task(content=SECRET, secret=True, due_date=date(2026, 2, 12), coordinators=("STC",))


def _hidden(body: str) -> bool:
    return 'id="nhiem-vu-mat-an"' in body


def test_the_task_list_says_how_many_secret_tasks_it_counts_but_never_answers_a_search_for_them(
    secret_task, personas, frozen
):
    """An inspector (sees every unit, not cleared) is told the list's numbers also count N secret tasks — the
    dashboard's figure. Asked with a search word, a directive's or a parent task's id, the same sentence would say
    whether a secret task holds that word or belongs to that directive: such a question counts no secret task."""
    client = login(personas["inspector"])
    # the dashboard's question (February's window as of its past cut-off, `secrecy.fixed_reference`): told
    asked_so = "measure=den_han&period_from=15/01/2026&period_to=14/02/2026&as_of=14/02/2026"
    assert _hidden(client.get(f"/nhiem-vu/?{asked_so}").content.decode())
    assert not _hidden(client.get("/nhiem-vu/").content.decode())  # as of today: not a cut-off
    for asked in (
        f"{asked_so}&q={MARK}",
        f"{asked_so}&directive={secret_task.directive_id}",
        f"{asked_so}&parent={secret_task.pk}",
        f"q={MARK}",
        "q=bảo vệ mục tiêu",
        f"directive={secret_task.directive_id}",
        f"parent={secret_task.pk}",
    ):
        body = client.get(f"/nhiem-vu/?{asked}").content.decode()
        assert not _hidden(body), asked
    # an unknown word answers the same as a secret one
    assert not _hidden(client.get("/nhiem-vu/?q=ZZZZ9").content.decode())


def test_a_child_task_under_a_secret_parent_is_refused_to_an_uncleared_registrar_as_under_an_unknown_one(
    secret_task, personas, frozen
):
    """`POST /api/v1/directives/{id}/tasks` with `parent`: an uncleared tracking officer naming a secret task of that
    directive got the rules of the task tree checked against it — its deadline ("Nhiệm vụ cha có thời hạn
    12/02/2026"), whether it is closed or a child — and a child under it. Now the answer given for a task not in the
    directive, and nothing is written."""
    from dondoc.api.models import ApiToken
    from dondoc.tracking.models import Task
    from tests.api.helpers import ApiClient

    officer = personas["tracker"]
    Person.objects.filter(pk=officer.pk).update(cleared_for_secrets=False)
    _, raw = ApiToken.issue(officer.user, "thử")
    api = ApiClient(raw)
    before = Task.objects.count()
    body = {
        "content": "Việc con",
        "lead_unit": secret_task.lead_unit_id,
        "deadline": "31/03/2026",  # after the secret parent's 12/02/2026
        "parent": secret_task.pk,
    }
    answer = api.post(f"/directives/{secret_task.directive_id}/tasks", body)
    text = json.dumps(answer.json(), ensure_ascii=False)
    assert answer.status_code == 422, text
    assert f"Nhiệm vụ cha số {secret_task.pk} không có trong văn bản này." in text
    assert "12/02/2026" not in text and Task.objects.count() == before
    unknown = api.post(f"/directives/{secret_task.directive_id}/tasks", body | {"parent": 999999})
    assert unknown.status_code == 422
    # once cleared, the rules of the tree are checked against it
    Person.objects.filter(pk=officer.pk).update(cleared_for_secrets=True)
    cleared = api.post(f"/directives/{secret_task.directive_id}/tasks", body).json()
    assert "12/02/2026" in json.dumps(cleared, ensure_ascii=False)


def test_a_directive_marked_secret_in_the_admin_site_makes_its_tasks_secret(
    make_task, personas, registry, frozen
):
    """The admin site is the one place a registered directive's secrecy changes. Marked *Mật* there, the directive
    left the uncleared's register while its tasks stayed plain: their content, read from it, still on their pages,
    lists and exports. Its tasks now become secret with it (unmarking it leaves them secret)."""
    from django.forms.models import model_to_dict

    from tests.helpers import make_person

    task = make_task(content=f"Việc sẽ thành mật {MARK}")
    directive = task.directive
    admin = make_person("quantri.mat2", registry["VPUBND"], Person.Role.ADMIN, cleared_for_secrets=True)
    admin.user.is_staff = admin.user.is_superuser = True
    admin.user.save()
    officer = login(personas["lead_officer"])
    assert MARK in officer.get(f"/nhiem-vu/{task.pk}/").content.decode()
    data = {k: ("" if v is None else v) for k, v in model_to_dict(directive).items() if k != "id"}
    data |= {
        "secrecy": "mat",
        "issued_on": directive.issued_on.isoformat(),
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
    }
    answer = login(admin).post(f"/quan-tri/directives/directive/{directive.pk}/change/", data)
    assert answer.status_code == 302, answer.content.decode()[:3000]
    task.refresh_from_db()
    assert task.secret
    assert officer.get(f"/nhiem-vu/{task.pk}/").status_code == 404
    assert MARK not in officer.get("/nhiem-vu/").content.decode()


def test_reminders_written_before_their_task_became_secret_no_longer_show_its_content(
    make_task, personas, registry, frozen, settings
):
    """A reminder stores its text when written; one about a task that became secret later (its directive marked
    *Mật*) kept the content on its first line in the notification centre, the API and an e-mail still queued. Read
    now, the line is masked as a secret task's reminder is written."""
    from django.core import mail
    from django.utils import timezone

    from dondoc.api.models import ApiToken
    from dondoc.followup import delivery
    from dondoc.followup.models import Notification
    from tests.api.helpers import ApiClient

    task = make_task(content=f"Việc sẽ thành mật {MARK}")
    officer = personas["lead_officer"]
    note = Notification.objects.create(
        task=task,
        recipient=officer,
        rule_code="r1",
        rule_name="Nhắc trước hạn",
        step_day=date(2026, 3, 10),
        title=f"Nhiệm vụ #{task.pk}: còn 3 ngày làm việc đến hạn",
        body=f"Nhiệm vụ: {task.content}\nVăn bản giao: {task.directive.notation}\nĐơn vị chủ trì: Sở Xây dựng",
        created_at=timezone.now(),
        email_state=Notification.Email.QUEUED,
    )
    type(task).objects.filter(directive=task.directive).update(secret=True)  # as the admin site's save does
    page = login(officer).get("/don-doc/thong-bao/").content.decode()
    assert f"Nhiệm vụ mật — số {task.pk}" in page and MARK not in page
    _, raw = ApiToken.issue(officer.user, "thử")
    listed = json.dumps(ApiClient(raw).get("/notifications").json(), ensure_ascii=False)
    assert f"Nhiệm vụ mật — số {task.pk}" in listed and MARK not in listed
    assert "Văn bản giao" in listed  # the rest of the reminder stays
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Person.objects.filter(pk=officer.pk).update(email="canbo@hanoi.gov.vn")
    delivery.send.enqueue(note.pk)
    run_jobs()
    assert mail.outbox and all(MARK not in m.body + str(m.alternatives) for m in mail.outbox)


def test_a_clearance_withdrawn_mid_session_takes_effect_on_the_next_request(secret_task, personas, frozen):
    """Holds (no change): the person is read with the user on every request (page session and API token alike),
    and the statements built once for the task page take the reader's clearance as a parameter, so a leader whose
    clearance is withdrawn reads the secret task no more on the next page or call, signed in all along."""
    from dondoc.api.models import ApiToken
    from tests.api.helpers import ApiClient

    leader = personas["leader"]
    page = login(leader)
    _, raw = ApiToken.issue(leader.user, "thử")
    api = ApiClient(raw)
    assert MARK in page.get(f"/nhiem-vu/{secret_task.pk}/").content.decode()
    assert api.get(f"/tasks/{secret_task.pk}").status_code == 200
    Person.objects.filter(pk=leader.pk).update(cleared_for_secrets=False)
    assert page.get(f"/nhiem-vu/{secret_task.pk}/").status_code == 404
    assert MARK not in page.get("/nhiem-vu/").content.decode()
    assert api.get(f"/tasks/{secret_task.pk}").status_code == 404
    assert MARK not in api.get("/tasks").content.decode()


def test_a_secret_task_answers_an_uncleared_officer_of_its_unit_as_an_unknown_one(
    secret_task, personas, frozen
):
    """Holds (no change): the secret task's page, an action on it, a file of it, its API answer and an API action
    answer the lead unit's uncleared officer as a task that does not exist does (status and text, the id aside):
    nothing tells a secret task from a missing one."""
    from dondoc.api.models import ApiToken
    from tests.api.helpers import ApiClient

    officer = personas["lead_officer"]
    page = login(officer)
    _, raw = ApiToken.issue(officer.user, "thử")
    api = ApiClient(raw)
    missing = 987654

    def answers(pk: int) -> list[tuple[int, str]]:
        got = [
            page.get(f"/nhiem-vu/{pk}/"),
            page.post(f"/nhiem-vu/{pk}/thao-tac/acknowledge/", {}),
            page.get(f"/nhiem-vu/{pk}/tep/ket-qua/1/"),
            api.get(f"/tasks/{pk}"),
            api.post(f"/tasks/{pk}/acknowledge", {"version": 1}),
        ]
        return [(r.status_code, re.sub(rf"\b{pk}\b", "N", r.content.decode())) for r in got]

    assert answers(secret_task.pk) == answers(missing)
    assert all(status == 404 for status, _ in answers(missing))
