"""Audit trail: what is recorded (changes with before/after, logins, failed logins, exports, who and from where)
and the hash chain that exposes a row edited or deleted directly in the database."""

from __future__ import annotations

import importlib
import threading
import time
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dondoc.audit import chain, record_export
from dondoc.audit.models import AuditEntry
from dondoc.org.models import Person
from dondoc.tracking import actions
from dondoc.tracking.models import TaskEvent
from dondoc.workdays.models import CalendarDay
from tests.audit.helpers import entries, verify
from tests.helpers import PASSWORD, held_open, make_person

A = AuditEntry.Action


# --- what is recorded ------------------------------------------------------------------------------------------


def test_task_created_through_the_page_records_user_address_and_after(client, personas, directive, frozen):
    client.login(username="vp.theodoi", password=PASSWORD)
    response = client.post(
        f"/van-ban/{directive.pk}/them-nhiem-vu/",
        {"content": "Rà soát thủ tục hành chính", "lead_unit": personas["lead_officer"].unit_id},
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code in (200, 302)
    created = entries(action=A.CREATE, object_type="tracking.task")
    assert created, "creating a task must be recorded"
    row = created[-1]
    assert row.username == "vp.theodoi" and row.address == "10.1.2.3"
    assert row.after["content"] == "Rà soát thủ tục hành chính"
    assert row.before is None


def test_update_records_only_changed_fields_before_and_after(make_task, personas, frozen):
    task = make_task(due_date=date(2026, 3, 31), assign=False)
    actions.assign(task, personas["tracker"].user, on=date(2026, 3, 10))
    update = entries(action=A.UPDATE, object_type="tracking.task", object_id=str(task.pk))[-1]
    assert update.before["state"] == "draft" and update.after["state"] == "assigned"
    assert "content" not in update.after  # unchanged fields are not repeated


def test_save_that_changes_nothing_records_nothing(registry):
    day = CalendarDay.objects.create(date=date(2027, 6, 15), kind="holiday", name="Ngày thử nghiệm")
    before = AuditEntry.objects.count()
    day.save()
    assert AuditEntry.objects.count() == before


def test_delete_records_the_row_as_it_was(registry):
    day = CalendarDay.objects.create(date=date(2027, 6, 15), kind="holiday", name="Ngày thử nghiệm")
    pk = day.pk
    day.delete()
    row = entries(action=A.DELETE, object_type="workdays.calendarday")[-1]
    assert row.object_id == str(pk) and row.before["name"] == "Ngày thử nghiệm" and row.after is None


def test_units_people_and_roles_are_recorded_and_passwords_never(registry):
    person = make_person("snv.cv9", registry["SNV"], Person.Role.UNIT_OFFICER)
    person.role = Person.Role.INSPECTOR
    person.save()
    role_change = entries(action=A.UPDATE, object_type="org.person")[-1]
    assert (role_change.before, role_change.after) == ({"role": "unit_officer"}, {"role": "inspector"})
    user = person.user
    user.set_password("mat-khau-moi-2026!")
    user.save()
    change = entries(action=A.UPDATE, object_type="auth.user")[-1]
    assert "password" in change.after
    stored = str(change.before) + str(change.after)
    assert user.password not in stored and "md5$" not in stored and "pbkdf2" not in stored
    unit = registry["SXD"]
    unit.abbr = "SXD2"
    unit.save()
    assert entries(action=A.UPDATE, object_type="org.unit")[-1].after == {"abbr": "SXD2"}


def test_login_failed_login_and_logout_are_recorded(client, personas):
    client.post("/dang-nhap/", {"username": "sxd.cv1", "password": "sai-mat-khau"}, REMOTE_ADDR="10.9.9.9")
    failed = entries(action=A.LOGIN_FAILED)[-1]
    assert failed.username == "sxd.cv1" and failed.address == "10.9.9.9" and failed.user_id is None
    client.post("/dang-nhap/", {"username": "sxd.cv1", "password": PASSWORD}, REMOTE_ADDR="10.9.9.8")
    login = entries(action=A.LOGIN)[-1]
    assert login.user_id == personas["lead_officer"].user_id and login.address == "10.9.9.8"
    client.post("/dang-xuat/")
    assert entries(action=A.LOGOUT)[-1].username == "sxd.cv1"


def test_export_is_recorded_with_what_and_how_many(personas):
    request = RequestFactory().get("/danh-gia/xuat.xlsx", REMOTE_ADDR="10.0.0.7")
    request.user = personas["inspector"].user
    record_export(request, "Danh sách nhiệm vụ quá hạn (XLSX)", 45)
    row = entries(action=A.EXPORT)[-1]
    assert row.username == "snv.thanhtra" and row.address == "10.0.0.7"
    assert row.after["count"] == 45 and row.object_repr == "Danh sách nhiệm vụ quá hạn (XLSX)"


def test_forwarded_address_is_used_only_behind_a_trusted_proxy(client, personas, settings):
    client.post("/dang-nhap/", {"username": "x", "password": "y"}, REMOTE_ADDR="127.0.0.1",
                HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5")  # fmt: skip
    assert entries(action=A.LOGIN_FAILED)[-1].address == "127.0.0.1"
    settings.TRUST_X_FORWARDED_FOR = True
    client.post("/dang-nhap/", {"username": "x", "password": "y"}, REMOTE_ADDR="127.0.0.1",
                HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5")  # fmt: skip
    assert entries(action=A.LOGIN_FAILED)[-1].address == "203.0.113.5"


# --- the hash chain --------------------------------------------------------------------------------------------


def _some_history(make_task, personas) -> None:
    """Three tasks created, assigned and acknowledged: more than ten linked entries."""
    for content in ("Rà soát quy hoạch", "Chỉnh trang vỉa hè", "Cải tạo chung cư cũ"):
        task = make_task(due_date=date(2026, 3, 31), content=content)
        actions.acknowledge(task, personas["lead_officer"].user)
    chain.link_pending()  # what the commit of the requests does (the test's transaction never commits)


TRIGGERS = importlib.import_module("dondoc.audit.migrations.0002_append_only_triggers")


def drop_append_only_triggers() -> None:
    """What someone with rights on the database must do first to edit the trail: drop the triggers that refuse
    UPDATE and DELETE (inside the test's transaction: they come back when it is rolled back)."""
    drops = {"sqlite": TRIGGERS.SQLITE_DROP, "postgresql": TRIGGERS.POSTGRES_DROP}[connection.vendor]
    with connection.cursor() as cursor:
        for sql in drops:
            cursor.execute(sql)


def _raw_update(pk: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET username = %s WHERE id = %s", ["ai-do", pk])


def _raw_delete(pk: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [pk])


@pytest.mark.parametrize(
    "tamper",
    [
        _raw_update,
        _raw_delete,
        lambda pk: AuditEntry.objects.filter(pk=pk).update(username="ai-do"),
        lambda pk: AuditEntry.objects.filter(pk=pk).delete(),
        lambda pk: AuditEntry.objects.all().delete(),
    ],
    ids=["sql-update", "sql-delete", "orm-update", "orm-delete", "orm-delete-all"],
)
def test_database_refuses_update_and_delete_of_audit_rows(make_task, personas, frozen, tamper):
    _some_history(make_task, personas)
    victim = entries()[3]
    count = AuditEntry.objects.count()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        tamper(victim.pk)
    assert AuditEntry.objects.count() == count
    assert AuditEntry.objects.get(pk=victim.pk).username == victim.username
    assert verify()[0]


def test_untouched_chain_verifies(make_task, personas, frozen):
    _some_history(make_task, personas)
    assert AuditEntry.objects.count() > 10
    ok, said = verify()
    assert ok, said
    assert "nguyên vẹn" in said


@pytest.mark.parametrize(
    "victim_of, tamper, word",
    [
        (
            lambda: entries(action=A.UPDATE, object_type="tracking.task")[-1],
            lambda pk: _raw_update(pk),
            "sửa",
        ),
        (lambda: entries()[3], lambda pk: _raw_delete(pk), "xóa"),
    ],
    ids=["edited", "deleted"],
)
def test_row_changed_by_raw_sql_is_named(make_task, personas, frozen, victim_of, tamper, word):
    _some_history(make_task, personas)
    victim = victim_of()
    drop_append_only_triggers()
    tamper(victim.pk)
    ok, said = verify()
    assert not ok
    assert f"Bản ghi #{victim.pk} đã bị {word}" in said


def test_row_edited_with_its_hash_recomputed_is_still_caught(make_task, personas, frozen):
    """A careful forger recomputes the edited row's hash: the next row no longer points at it."""
    _some_history(make_task, personas)
    victim = entries()[5]
    victim.username = "ai-do"
    forged = victim.compute_hash()
    drop_append_only_triggers()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET username = %s, hash = %s WHERE id = %s", ["ai-do", forged, victim.pk]
        )
    ok, said = verify()
    assert not ok and f"Bản ghi #{victim.pk} đã bị sửa" in said


def test_first_row_deleted_is_named(make_task, personas, frozen):
    _some_history(make_task, personas)
    drop_append_only_triggers()
    _raw_delete(1)
    ok, said = verify()
    assert not ok and "Bản ghi #1 đã bị xóa" in said


def test_tail_deletion_is_caught_with_the_anchor(make_task, personas, frozen):
    _some_history(make_task, personas)
    last_id, last_hash = chain.head()
    drop_append_only_triggers()
    _raw_delete(last_id)
    assert verify()[0]  # without an outside anchor the truncated chain looks whole
    with pytest.raises(CommandError):
        call_command("audit", "verify", f"--anchor={last_id}:{last_hash}")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent writers need PostgreSQL")
def test_concurrent_writers_never_fork_the_chain():
    users = [get_user_model().objects.create_user(f"u{i}", password=PASSWORD) for i in range(4)]
    errors: list[BaseException] = []

    def work(user) -> None:
        try:
            for n in range(15):
                user.first_name = f"Tên {n}"
                user.save()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditEntry.objects.filter(action=A.UPDATE).count() == 60
    assert len(set(AuditEntry.objects.values_list("prev_hash", flat=True))) == AuditEntry.objects.count()
    assert verify()[0]


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_empty_the_append_only_tables_and_put_the_triggers_back(make_task, frozen):
    """The flush that ends a transactional test deletes rows on SQLite, which the triggers refuse: tests/conftest.py
    empties the trail and the task history with the triggers dropped for the moment (this test's teardown fails
    if it does not); on PostgreSQL the flush is a TRUNCATE, which row triggers do not see."""
    from tests.helpers import empty_append_only_tables

    make_task(due_date=date(2026, 3, 31))
    assert AuditEntry.objects.exists() and TaskEvent.objects.exists()
    if connection.vendor != "sqlite":
        return
    empty_append_only_tables()
    assert not AuditEntry.objects.exists() and not TaskEvent.objects.exists()
    chain.append(action=A.LOGIN, username="sxd.cv1")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == 1


def test_tracked_models_come_from_the_setting_and_skip_unknown_apps(settings):
    from dondoc.audit.signals import DEFAULT_MODELS, tracked_models
    from dondoc.followup.models import FollowupRule

    assert FollowupRule in tracked_models()  # the follow-up rules of another app are in the default list
    assert "inspection.Proposal" in DEFAULT_MODELS
    settings.AUDIT_MODELS = ["workdays.CalendarDay", "khongco.Model", "not-a-label"]
    assert tracked_models() == [CalendarDay]


def _advisory_locks_held() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")
        return cursor.fetchone()[0]


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="the global lock was PostgreSQL's advisory lock"
)
def test_an_audited_task_write_takes_no_global_lock(make_task, personas, frozen):
    """A request's transaction writes its audit events (and the task's count rows) without the one lock that made
    every write in the city wait for the one before (issue 19): the chain is linked after the commit."""
    task = make_task(due_date=date(2026, 3, 31))
    actions.acknowledge(task, personas["lead_officer"].user)
    assert _advisory_locks_held() == 0


@pytest.mark.django_db(transaction=True)
def test_events_wait_unchained_until_the_commit_then_join_the_chain_in_order():
    from dondoc.audit.models import PendingAuditEntry

    with transaction.atomic():
        for name in ("mot", "hai", "ba"):
            chain.append(action=A.LOGIN, username=name)
        assert PendingAuditEntry.objects.count() == 3
        assert not AuditEntry.plain.exists()  # nobody has linked them yet: no lock, no chain read
    assert not PendingAuditEntry.objects.exists()
    linked = list(AuditEntry.plain.order_by("id"))
    assert [e.username for e in linked] == ["mot", "hai", "ba"] and [e.pk for e in linked] == [1, 2, 3]
    assert [e.prev_hash for e in linked[1:]] == [e.hash for e in linked[:-1]]
    assert verify()[0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's synchronous_commit")
def test_only_the_chainer_commits_without_waiting_for_the_disk(durable_commits):
    """The chainer's transaction commits without waiting for the WAL flush (it only moves events already committed
    durably; lost in a crash, they wait again and are linked again); the request's own transactions still wait."""
    seen = []

    def watch(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if "pg_try_advisory_xact_lock" in sql:
            with context["connection"].connection.cursor() as cursor:  # the raw connection: not watched again
                seen.append(cursor.execute("SHOW synchronous_commit").fetchone()[0])
        return result

    with connection.execute_wrapper(watch):
        with transaction.atomic():
            chain.append(action=A.LOGIN, username="ghi-nhanh")
            assert _synchronous_commit() == "on"
    assert seen == ["off"] and AuditEntry.plain.get().username == "ghi-nhanh"
    assert _synchronous_commit() == "on"  # SET LOCAL: gone with the chainer's transaction
    with transaction.atomic():
        assert _synchronous_commit() == "on"


def _synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_an_event_left_waiting_by_a_killed_process_is_linked_by_the_next_read():
    """A process killed between its commit and the linking leaves its event waiting; the next read links it."""
    from dondoc.audit.models import PendingAuditEntry

    chain.append(action=A.LOGIN, username="truoc")
    PendingAuditEntry.objects.create(at=AuditEntry.plain.get().at, action=A.LOGOUT, username="bi-ngat")
    assert list(AuditEntry.objects.order_by("id").values_list("username", flat=True)) == ["truoc", "bi-ngat"]
    assert verify()[0]


@pytest.mark.django_db(transaction=True)
def test_exports_of_reads_are_linked_in_batches_and_a_reader_of_the_trail_misses_none(personas, monkeypatch):
    """Issue 19: every API list page ran the chainer (~8 statements) after recording its export. A read's export
    now waits for the next linking — at most a second later in the same process, or the next write, reader of the
    trail or follow-up pass — and joins the chain in order with the others, as one batch."""
    from dondoc.audit.models import PendingAuditEntry

    monkeypatch.setattr(
        chain, "_read_linked_at", -chain.READ_LINK_EVERY
    )  # no read has linked in this process
    request = RequestFactory().get("/api/v1/tasks", REMOTE_ADDR="10.0.0.7")
    request.user = personas["inspector"].user
    record_export(request, "Danh sách nhiệm vụ (API)", 25)
    assert not PendingAuditEntry.objects.exists()  # the first one is linked at once
    record_export(request, "Danh sách nhiệm vụ (API)", 25, detail={"after": "2026-03-02.7"})
    record_export(request, "Danh sách nhiệm vụ (API)", 13, detail={"after": "2026-03-09.41"})
    assert PendingAuditEntry.objects.count() == 2  # within the second: they wait, no chainer run
    chain.append(action=A.LOGIN, username="viet")  # a write links what waits, its own event after them
    assert not PendingAuditEntry.objects.exists()
    exports = list(AuditEntry.objects.order_by("id").values_list("action", "after__count"))
    assert exports[-4:] == [(A.EXPORT, 25), (A.EXPORT, 25), (A.EXPORT, 13), (A.LOGIN, None)]
    assert verify()[0]

    record_export(request, "Danh sách nhiệm vụ (API)", 5)
    assert PendingAuditEntry.objects.count() == 1
    assert (
        AuditEntry.objects.order_by("-id").values_list("after__count", flat=True)[0] == 5
    )  # read: linked first


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="the chainer's two round trips are PostgreSQL's"
)
def test_a_chainer_failing_between_its_two_round_trips_leaves_the_events_waiting(monkeypatch):
    """Issue 19: on PostgreSQL the chainer sends (BEGIN, lock, take the batch) then (INSERT, COMMIT, look). When the
    second fails, its transaction is rolled back: the events taken off are back in the waiting room, the lock is
    free, the connection usable, and the next linking chains them in order."""
    from dondoc.audit.models import PendingAuditEntry

    real = chain._insert_entries_sql
    monkeypatch.setattr(
        chain, "_insert_entries_sql", lambda entries: ("SELECT no_such_column FROM audit_auditentry", [])
    )
    with transaction.atomic():
        chain.append(action=A.LOGIN, username="mot")
        chain.append(action=A.LOGIN, username="hai")
    # The commit's linking failed (logged, as on_commit's robust hooks are): nothing chained, nothing lost.
    assert PendingAuditEntry.objects.count() == 2 and not AuditEntry.plain.exists()
    assert _advisory_locks_held() == 0 and not connection.in_atomic_block
    monkeypatch.setattr(chain, "_insert_entries_sql", real)
    assert chain.link_pending() == 2
    assert list(AuditEntry.plain.order_by("id").values_list("username", flat=True)) == ["mot", "hai"]
    assert verify()[0]


def _a_backend_waits_on_a_lock() -> bool:
    for _ in range(400):  # until another backend of this database waits on a lock (at most ~4 s)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone():
                return True
        time.sleep(0.01)
    return False


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="a linking held up by a row lock: PostgreSQL")
def test_a_commit_while_another_thread_links_leaves_its_events_to_that_thread():
    """The threads of one process coalesce their linkings (issue 19): a write committed while another thread of
    the process links runs no chainer of its own — no statement after its commit — and that thread links its
    event before it stops; the chain holds, in commit order."""
    from dondoc.audit.models import PendingAuditEntry

    chain.append(action=A.LOGIN, username="truoc")  # linked at once (no transaction: the commit is now)
    waiting = PendingAuditEntry.objects.create(
        at=timezone.now(), action=A.LOGIN, username="cho"
    )  # not linked
    errors: list[BaseException] = []

    def link() -> None:
        try:
            chain._link_committed()
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    # The waiting event's row locked by another transaction: the linking thread waits in its batch's DELETE.
    with held_open(lambda: list(PendingAuditEntry.objects.select_for_update().filter(pk=waiting.pk))) as held:
        linker = threading.Thread(target=link)
        linker.start()
        assert _a_backend_waits_on_a_lock()
        with CaptureQueriesContext(connection) as written:
            chain.append(action=A.LOGIN, username="sau")
        assert len(written.captured_queries) == 1, written.captured_queries  # its INSERT, no linking
    linker.join()
    assert errors == [] and held == []
    assert not PendingAuditEntry.objects.exists()
    assert [e.username for e in AuditEntry.plain.order_by("id")] == ["truoc", "cho", "sau"]
    assert verify()[0]
