"""Secret tasks stay secret on every path (issue 16, finding 1).

One rule (`dondoc.tracking.secrecy`): a task's content is read by people cleared for secrets, or by anyone when the
task is not secret; everyone else sees "Nhiệm vụ mật — số N". The registry test below fails when a template or a
text builder shows task content without going through it; the persona walk crawls every page, file and API answer
the uncleared can reach, with a secret task present in every app, and looks for its content.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

import dondoc
from dondoc.followup.models import Notification
from dondoc.inspection import notice, risk, services
from dondoc.inspection.models import Verdict
from dondoc.org.models import Person
from dondoc.tracking import secrecy
from tests.followup.helpers import walk
from tests.helpers import login, make_person, make_plan

MARK = "K47QX"  # in the secret task's content: ASCII, so found whatever the encoding around it
SECRET = f"Phương án bảo vệ mục tiêu {MARK}"
FINDING_MARK = "Z93WV"  # in the team's text about the secret task
ROOT = Path(dondoc.__file__).parent

# ------------------------------------------------------------------------------------------------------ the rule


def test_the_rule_in_python_and_in_sql(make_task, personas, frozen):
    secret = make_task(content=SECRET, secret=True)
    plain = make_task(content="Việc thường")
    for name, person in personas.items():
        assert secrecy.may_read_content(person.user, plain)
        assert secrecy.may_read_content(person.user, secret) is person.cleared_for_secrets, name
        ids = set(secrecy.readable(type(secret).objects.all(), person.user).values_list("id", flat=True))
        assert (secret.pk in ids) is person.cleared_for_secrets and plain.pk in ids, name
    assert secrecy.content_for(personas["lead_officer"].user, secret) == f"Nhiệm vụ mật — số {secret.pk}"
    assert secrecy.content_for(personas["leader"].user, secret) == SECRET
    assert secrecy.shown_content(secret.pk, SECRET, True) == f"Nhiệm vụ mật — số {secret.pk}"  # no reader
    assert str(secret) == f"Nhiệm vụ mật — số {secret.pk}"  # form choices, messages, the audit trail


# ---------------------------------------------------------------------------------- the registry of every place

# Places that show a task's content without `secrecy`: each says why that is safe. A new place that shows task
# content must go through `secrecy.shown_content` / `content_for` / `{% task_content %}`, or be listed here with
# its reason (which a reviewer reads).
REGISTERED = {
    ("evaluation/exports.py", '"content",'): "rows of Task.objects.visible_to(user): readable by the reader",
    (
        "tracking/queries.py",
        '"content",',
    ): "the task list's columns (LIST_COLUMNS), shown by list_rows through secrecy.content_for",
    (
        "evaluation/report.py",
        '"content",',
    ): "the overdue list masks secret tasks through secrecy.shown_content",
    ("evaluation/report.py", "r.content,"): "the overdue list, already masked when read",
    ("evaluation/report.py", "r.content, r.unit"): "the overdue list, already masked when read",
    ("evaluation/report.py", "run.content ="): "the report document (JSON), not a task",
    (
        "documents/templatetags/urging_tags.py",
        "conditional_escape(line.content)",
    ): "the urging page's lines: urging letters leave secret tasks out (urging._base_tasks)",
    (
        "documents/urging.py",
        '"completed_on", "content")',
    ): "the columns of a preview's lines: urging letters leave secret tasks out (urging._base_tasks)",
    (
        "documents/register.py",
        "content = record.issued_content.content",
    ): "an issued document's content fixed at issue (JSON of the letter), drawn by the worker; not a task",
    ("evaluation/report.py", '"content", "status"'): "the report document, not a task",
    ("evaluation/report.py", "locked.content"): "the report document, not a task",
    ("evaluation/report.py", '"document", "status", "content"'): "the report document, not a task",
    ("inspection/services.py", '{"content":'): "a field name in an error message",
    ("inspection/services.py", "content=remedy.content"): "a remedy's own text becomes a new task",
    ("inspection/admin.py", '"content"'): "remedies in the admin (administrators only)",
    ("inspection/models.py", "self.content[:80]"): "a remedy's own text",
    ("inspection/notice.py", "r.content"): "a remedy's own text",
    ("api/spreadsheet.py", '("content",'): "the import template's column",
    ("api/spreadsheet.py", 'for name in ("content"'): "an uploaded row being read",
    ("api/spreadsheet.py", 'fold(d["content"])'): "an uploaded row being read",
    ("api/spreadsheet.py", "fold(t.content)"): "duplicate check, nothing shown",
    ("api/api.py", '"content": t.content'): "API lists and details read Task.objects.visible_to(user) only",
    (
        "api/api.py",
        '"content",  # the tasks of Task.objects.visible_to(user) only',
    ): "the API list's CSV reads Task.objects.visible_to(user) only",
    ("api/api.py", '"content": {'): "OpenAPI response description (the list's CSV answer)",
    (
        "api/api.py",
        '*("clause", "content", "state",',
    ): "the columns an API list page reads of Task.objects.visible_to(user)",
    ("api/edxml.py", "att.content"): "an edXML attachment, not a task",
    ("api/edxml.py", "pkg.content"): "an edXML package's text, not a task",
    ("api/edxml_api.py", '"content": {'): "OpenAPI response description",
    (
        "followup/texts.py",
        '"content",  # masked by info_of',
    ): "read with the claim, masked at once (shown_content)",
    ("followup/texts.py", "info.content"): "TaskInfo.content, masked in info_of",
    ("tracking/actions.py", '{"content":'): "a field name in an error message",
    ("tracking/admin.py", '"content"'): "the task admin (administrators, cleared)",
    ("tracking/models.py", 'fold(f"{self.content}'): "the search column, never shown",
    ("tracking/forms.py", 'content=d["content"]'): "a task being created",
    (
        "tracking/home_page.py",
        'ROW_FIELDS = ("content"',
    ): "the columns a worklist's row reads; shown through task_rows",
    ("tracking/forms.py", '"content": d["content"]'): "a task being created (or derived: the task tree)",
    ("drafting/registration.py", '"content":'): "a draft being registered",
    ("drafting/forms.py", '"content",'): "a form field",
    ("drafting/forms.py", 'content=d["content"]'): "a task being created",
    ("demo/synth.py", '"content":'): "synthetic data",
    ("documents/urging.py", "self.content"): "urging letters leave secret tasks out (urging.tasks_for)",
    (
        "documents/urging.py",
        "content=task.content",
    ): "urging letters leave secret tasks out (urging.tasks_for)",
}
REGISTERED_TEMPLATES = {
    ("inspection/plan_detail.html", "{{ r.content }}"): "a remedy's own text",
    ("api/import.html", "cleaned_data.content"): "the uploader's own spreadsheet row",
    (
        "drafting/_task_fields.html",
        "form.content",
    ): "a form field (the task rows of drafting/register.html and api/edxml_package.html)",
}
PY_CONTENT = re.compile(r"\.content\b|[\"']content[\"']|__content\b")
HTML_CONTENT = re.compile(r"\.content\b")
HELPERS = ("shown_content(", "content_for(", "task_content ")


def _hits(pattern: re.Pattern[str], glob: str, registered: dict, root: Path = ROOT) -> list[str]:
    bad = []
    for path in sorted(root.rglob(glob)):
        rel = path.relative_to(root).as_posix()
        if "/migrations/" in rel or rel.startswith("static/"):
            continue
        short = rel.split("templates/", 1)[-1] if glob == "*.html" else rel
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not pattern.search(line) or "response.content" in line or any(h in line for h in HELPERS):
                continue
            if not any(short == f and snippet in line for f, snippet in registered):
                bad.append(f"{rel}:{n}: {line.strip()}")
    return bad


def test_every_place_that_shows_task_content_goes_through_the_secrecy_helper():
    bad = _hits(PY_CONTENT, "*.py", REGISTERED) + _hits(HTML_CONTENT, "*.html", REGISTERED_TEMPLATES)
    assert not bad, "task content shown without dondoc.tracking.secrecy:\n" + "\n".join(bad)


def test_the_registry_scan_catches_a_new_bypass(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "x.html").write_text("<td>{{ task.content }}</td>", encoding="utf-8")
    (tmp_path / "y.py").write_text(
        "title = task.content[:80]\nok = content_for(user, task)\n", encoding="utf-8"
    )
    assert len(_hits(HTML_CONTENT, "*.html", REGISTERED_TEMPLATES, tmp_path)) == 1
    assert len(_hits(PY_CONTENT, "*.py", REGISTERED, tmp_path)) == 1


# ------------------------------------------------------------------------------ the paths of the issue, one by one


@pytest.fixture
def secret_task(make_task):
    """A secret task of Sở Xây dựng (Sở Tài chính coordinates), assigned 02/02/2026, due 12/02/2026."""
    with time_machine.travel("2026-02-02 08:30 +07:00", tick=False):
        return make_task(content=SECRET, secret=True, due_date=date(2026, 2, 12), coordinators=("STC",))


@pytest.fixture
def cleared_inspector(registry):
    return make_person("snv.mat", registry["SNV"], Person.Role.INSPECTOR, cleared_for_secrets=True)


@pytest.fixture
def plan(personas, registry, cleared_inspector):
    return make_plan(
        cleared_inspector,
        [registry["SXD"]],
        members=[personas["inspector"]],
        user=personas["inspector"].user,
        title="Kiểm tra quý I",
        ends_on=date(2026, 3, 10),  # a one-day visit: the walk issues its notice that day
    )


def test_reminders_and_their_emails_never_carry_secret_content(secret_task, personas, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Person.objects.update(email="canbo@hanoi.gov.vn")
    notes = walk(date(2026, 2, 2), date(2026, 3, 10))
    assert notes and all(MARK not in n.title + n.body for n in notes)
    assert all(f"Nhiệm vụ mật — số {secret_task.pk}" in n.body for n in notes)
    from django.core import mail

    assert mail.outbox and all(MARK not in (m.body + str(m.alternatives)) for m in mail.outbox)
    api = login(personas["lead_officer"]).get("/api/v1/notifications")
    assert api.status_code == 200 and api.json()["count"] > 0 and MARK not in api.content.decode()


def test_office_followup_page_lists_notifications_only_through_visible_to(secret_task, personas, frozen):
    walk(date(2026, 2, 26), date(2026, 2, 26))
    assert Notification.objects.filter(task=secret_task).exists()
    url = "/don-doc/?day=26/02/2026&unit=" + str(secret_task.lead_unit_id)
    page = login(personas["inspector"]).get(url).content.decode()
    assert MARK not in page and f"#{secret_task.pk}<" not in page
    assert f"#{secret_task.pk}<" in login(personas["tracker"]).get(url).content.decode()


def test_sample_of_secret_tasks_only_for_cleared_inspectors(
    secret_task, plan, personas, cleared_inspector, frozen
):
    sxd = plan.units.get()
    scope = f"/thanh-tra/don-vi/{sxd.pk}/pham-vi/"
    assert MARK not in login(personas["inspector"]).get(scope).content.decode()
    assert MARK in login(cleared_inspector).get(scope).content.decode()
    ranked = risk.rank_tasks(date(2026, 3, 10), sxd.unit, reader=personas["inspector"].user)
    assert secret_task.pk not in {t.pk for t in ranked}
    with pytest.raises(ValidationError, match="nhiệm vụ mật"):
        services.set_sample(personas["inspector"].user, sxd, [secret_task])
    assert not sxd.findings.exists()
    services.set_sample(cleared_inspector.user, sxd, [secret_task])
    assert sxd.findings.get().task == secret_task


@pytest.fixture
def finding(secret_task, plan, cleared_inspector, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sxd = plan.units.get()
    services.set_sample(cleared_inspector.user, sxd, [secret_task])
    return services.record_finding(
        cleared_inspector.user,
        sxd.findings.get(),
        verdict=Verdict.IRRESPONSIBLE,
        text=f"Chậm do thiếu phối hợp {FINDING_MARK}",
        evidence=SimpleUploadedFile("bb.pdf", b"%PDF-1.4\n%%EOF\n"),
    )


def test_record_and_evidence_of_a_secret_task_only_for_cleared_readers(finding, personas, frozen):
    record, evidence = (
        f"/thanh-tra/don-vi/{finding.inspected_id}/",
        f"/thanh-tra/ket-luan/{finding.pk}/tai-lieu/",
    )
    officer = login(personas["lead_officer"])
    page = officer.get(record).content.decode()
    assert MARK not in page and FINDING_MARK not in page and f"Nhiệm vụ mật — số {finding.task_id}" in page
    assert officer.get(evidence).status_code == 404
    with pytest.raises(PermissionDenied):
        services.record_finding(personas["inspector"].user, finding, verdict=Verdict.ON_TIME, text="")
    leader = login(personas["leader"])
    assert MARK in leader.get(record).content.decode() and leader.get(evidence).status_code == 200


def test_inspection_notice_masks_secret_tasks(finding, plan, registry, frozen):
    doc = notice.build_notice(plan, date(2026, 3, 20), registry["SNV"])
    text = repr(doc)
    assert MARK not in text and FINDING_MARK not in text
    assert f"Nhiệm vụ mật — số {finding.task_id}" in text


# ------------------------------------------------------------------------------------------- the persona walk

SKIP = ("/dang-xuat/", "/quan-tri/", "/static/", "/media/")


def _texts(body: bytes) -> list[bytes]:
    """The bytes to search: the body, and each member of a zip (XLSX, DOCX, edXML packages)."""
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return [z.read(name) for name in z.namelist()]
    return [body]


def crawl(client: Client, seeds: list[str], limit: int = 400) -> dict[str, bytes]:
    seen: dict[str, bytes] = {}
    queue = list(seeds)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen or url.startswith(SKIP):
            continue
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        seen[url] = body
        if "html" in response.get("Content-Type", ""):
            for link in re.findall(r'href="(/[^"#]*)"', body.decode("utf-8", "replace")):
                link = link.replace("&amp;", "&")
                if link not in seen:
                    queue.append(link)
    return seen


@pytest.mark.django_db(transaction=False)
def test_persona_walk_no_page_file_or_api_answer_shows_a_secret_task_to_the_uncleared(
    finding, plan, personas, registry, cleared_inspector, settings
):
    from dondoc.inspection import notice as nt

    task = finding.task
    walk(
        date(2026, 2, 2), date(2026, 3, 10)
    )  # reminders on every rung, to the unit, the office and the leader
    with time_machine.travel("2026-03-10 10:00 +07:00", tick=False):
        nt.issue_notice(cleared_inspector.user, plan, date(2026, 3, 10))
        seeds = [
            "/",
            "/nhiem-vu/",
            f"/nhiem-vu/{task.pk}/",
            f"/van-ban/{task.directive_id}/",
            "/don-doc/",
            "/don-doc/?day=26/02/2026",
            f"/don-doc/?day=10/03/2026&unit={task.lead_unit_id}",
            "/don-doc/thong-bao/",
            "/van-ban-di/",
            "/danh-gia/",
            "/danh-gia/xuat/nhiem-vu.csv",
            "/danh-gia/xuat/nhiem-vu.xlsx",
            "/thanh-tra/",
            f"/thanh-tra/{plan.pk}/",
            f"/thanh-tra/don-vi/{finding.inspected_id}/",
            f"/thanh-tra/don-vi/{finding.inspected_id}/pham-vi/",
            f"/thanh-tra/ket-luan/{finding.pk}/tai-lieu/",
            "/api/v1/tasks",
            f"/api/v1/tasks/{task.pk}",
            "/api/v1/notifications",
            f"/api/v1/directives/{task.directive_id}",
        ]
        uncleared = [p for p in personas.values() if not p.cleared_for_secrets]
        for person in uncleared:
            pages = crawl(login(person), seeds)
            leaks = [
                url
                for url, body in pages.items()
                if any(MARK.encode() in t or FINDING_MARK.encode() in t for t in _texts(body))
            ]
            assert not leaks, f"{person.user.username} reads the secret task at {leaks}"
            assert len(pages) > 20  # the walk went somewhere
        # The walk finds it where it should: a cleared reader sees the content on the task page and the record.
        cleared = crawl(login(personas["leader"]), seeds, limit=60)
        assert any(MARK.encode() in t for body in cleared.values() for t in _texts(body))


def test_the_admin_site_shows_no_secret_task_or_directive_to_an_uncleared_administrator(
    secret_task, secret_directive, registry
):
    """The admin site lists tasks with their content and directives with their subject (and searches them): an
    administrator not cleared for secrets finds neither a secret task nor a secret directive there, by list, page or
    search; once cleared, both."""
    admin = make_person("quantri.mat", registry["VPUBND"], Person.Role.ADMIN)
    admin.user.is_staff = admin.user.is_superuser = True
    admin.user.save()
    client = login(admin)
    from django.utils import timezone

    from dondoc.tracking.models import DeadlineChange

    request = DeadlineChange.objects.create(
        task=secret_task, requested_by=admin.user, requested_at=timezone.now(), reason=f"Lý do {MARK}"
    )
    pages = [
        "/quan-tri/tracking/deadlinechange/",
        f"/quan-tri/tracking/deadlinechange/{request.pk}/change/",
        "/quan-tri/tracking/task/",
        f"/quan-tri/tracking/task/?q={MARK}",
        f"/quan-tri/tracking/task/{secret_task.pk}/change/",
        "/quan-tri/directives/directive/",
        "/quan-tri/directives/directive/?q=an+ninh",
        f"/quan-tri/directives/directive/{secret_directive.pk}/change/",
    ]
    for url in pages:
        body = client.get(url, follow=True).content.decode()
        assert f"/tracking/task/{secret_task.pk}/change/" not in body, url
        assert f"/directives/directive/{secret_directive.pk}/change/" not in body, url
        if "?q=" not in url:  # (a search page repeats the words asked)
            assert MARK not in body and "Chỉ thị mật về bảo đảm an ninh" not in body, url
    Person.objects.filter(pk=admin.pk).update(cleared_for_secrets=True)
    assert MARK in client.get(pages[1]).content.decode() and MARK in client.get(pages[2]).content.decode()
    assert "Chỉ thị mật về bảo đảm an ninh" in client.get(pages[5]).content.decode()
