"""The follow-up engine: claims tasks whose next follow-up time has come, writes their notifications, reschedules.

The healthchecks pattern (STYLE.md, "The engine that acts on time"):

1. Each open task stores `next_followup_at`, the moment its next ladder step is due (indexed), in a narrow table of
   its own (`tracking.models.TaskSchedule`: moving it rewrites two index entries, not a wide task row's ~17).
2. An engine claims a batch of due tasks in one short transaction — `SELECT ... FOR UPDATE SKIP LOCKED` on
   PostgreSQL, so that several engines on several machines take disjoint batches; on SQLite the transaction starts
   IMMEDIATE (settings), so there is a single writer — writes one notification per recipient and step, and moves
   each task's `next_followup_at` to its next step, then commits. A kill at any point loses nothing (the batch is
   rolled back and claimed again) and duplicates nothing (the unique key task, rule, step day, recipient).
3. Steps of earlier days (the engine was down) are not sent one by one: each recipient gets ONE catch-up summary
   naming the missed steps; today's steps are sent as usual. Outside sending time (a day off, or before 08:00)
   nothing is claimed at all (`ladder.sending_from`): an engine resumed on a Sunday inside Tết leaves the due
   tasks as they are and sums them up at the next working day's 08:00.
4. E-mail is a separate step (`delivery`), with its own claim and retries; daily jobs run once per working day.
"""

from __future__ import annotations

import json
import logging
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from dondoc.audit import chain
from dondoc.followup import ladder, texts
from dondoc.followup.facts import FACT_FIELDS, SCHEDULED, facts_for, task_facts
from dondoc.followup.models import FollowupRule, Notification, Preference
from dondoc.followup.recipients import Directory
from dondoc.org.models import Person
from dondoc.tracking.models import Task, TaskSchedule
from dondoc.workdays import calendar
from dondoc.workdays.arith import WorkCalendar
from dondoc.workdays.models import CalendarVersion

log = logging.getLogger("dondoc.followup")

BATCH = 200
WINDOW = (
    4  # a claim looks at the 4 × batch earliest due tasks first (`claim`): room for 3 more engines at once
)


def active_rules() -> list[ladder.RuleSpec]:
    """The rules in force (the admin may edit them; the data migration creates the defaults), in the rules' order.
    Written as SQL: every change of a task reads them, and the ORM takes longer to build the statement than the
    database takes to run it (issue 19)."""
    q = connection.ops.quote_name
    order = ", ".join(q(str(name)) for name in FollowupRule._meta.ordering or ())  # the model's own order
    rules = FollowupRule.objects.raw(
        f"SELECT * FROM {q(FollowupRule._meta.db_table)} WHERE active ORDER BY {order}"
    )
    return [r.spec() for r in rules]


def rules_sql() -> str:
    """`active_rules` as one JSON column (`tracking.actions.LOCKED_WITH`: read with a task under its lock)."""
    q = connection.ops.quote_name
    order = ", ".join(q(str(name)) for name in FollowupRule._meta.ordering or ())
    return (
        'SELECT coalesce(json_agg(json_build_array(code, kind, "offset", audience, repeat, name) '
        f"ORDER BY {order}), '[]') FROM {q(FollowupRule._meta.db_table)} WHERE active"
    )


def _rules_of(task: Task) -> list[ladder.RuleSpec]:
    """The rules in force as read with the task under its lock (once), else `active_rules`."""
    found = task.__dict__.pop("rules_now", None)
    if found is None:
        return active_rules()
    return [ladder.RuleSpec(*row) for row in (json.loads(found) if isinstance(found, str) else found)]


def refresh(task: Task, now: datetime | None = None) -> None:
    """Recompute the task's `next_followup_at` after a change (deadline approved, completion, cancel, lead change).

    Steps still pending from before the change (the stored time, when it is already past) are kept in the window,
    so a change while the engine is down does not swallow them; the caller saves the field.
    """
    if task.state not in ladder.FOLLOWED_STATES or task.assigned_on is None:
        task.next_followup_at = None  # no one owes work: no step (`ladder.steps_between`), no facts to read
        return
    now = now or timezone.now()
    task.next_followup_at = _next_keeping_due(
        task_facts(task), task.next_followup_at, now, _rules_of(task), calendar.current()
    )


def follow_change(task: Task, **_kwargs: object) -> None:
    """A tracking action changed `task` (`tracking.signals.task_changed`): its next step follows the change."""
    refresh(task)


def _next_keeping_due(
    facts: ladder.TaskFacts,
    stored: datetime | None,
    now: datetime,
    rules: Sequence[ladder.RuleSpec],
    cal: WorkCalendar,
) -> datetime | None:
    """The next step from the stored time when it is already past (its steps are still owed), else from now."""
    since = min(stored, now) if stored else now
    return ladder.next_step_at(facts, cal, rules, since, inclusive=True)


def reschedule_all(now: datetime | None = None, batch: int = 2000, *, keep_due: bool = False) -> int:
    """Set every task's next follow-up time from its facts as of `now` (after install, or after a rule change);
    `keep_due`: a step already due stays due (`_next_keeping_due`: after a calendar change, nothing owed is lost)."""
    now = now or timezone.now()
    rules, cal = active_rules(), calendar.current()
    # Tasks in which no one owes work (draft, submitted, completed, cancelled) have no next step.
    count = (
        TaskSchedule.objects.exclude(task__state__in=ladder.FOLLOWED_STATES)
        .filter(next_at__isnull=False)
        .delete()[0]
    )
    last = 0
    followed = Task.objects.filter(state__in=ladder.FOLLOWED_STATES)
    while True:
        rows = list(followed.filter(pk__gt=last).order_by("pk").values(*FACT_FIELDS, **SCHEDULED)[:batch])
        if not rows:
            return count
        last = rows[-1]["id"]
        facts = facts_for(rows)
        changed: list[tuple[int, datetime | None]] = []
        for row in rows:
            if keep_due:
                nxt = _next_keeping_due(facts[row["id"]], row["next_followup_at"], now, rules, cal)
            else:
                nxt = ladder.next_step_at(facts[row["id"]], cal, rules, now)
            if nxt != row["next_followup_at"]:
                changed.append((row["id"], nxt))
        with transaction.atomic():
            _set_next(changed)
        count += len(changed)


def reschedule(task_ids: Sequence[int], now: datetime | None = None) -> None:
    """Recompute the next follow-up time of these tasks after a fact the ladder reads changed outside a tracking
    action (a report occurrence met by an issued document); steps already due stay due, as in `refresh`."""
    if not task_ids:
        return
    now = now or timezone.now()
    rules, cal = active_rules(), calendar.current()
    rows = list(Task.objects.filter(pk__in=list(task_ids)).values(*FACT_FIELDS, **SCHEDULED))
    facts = facts_for(rows)
    _set_next(
        [(r["id"], _next_keeping_due(facts[r["id"]], r["next_followup_at"], now, rules, cal)) for r in rows]
    )


def follow_the_calendar(now: datetime) -> int:
    """After a calendar day was entered, corrected or removed (any path, any process: the generation the database
    raises, `workdays.models.CalendarVersion`): every open task's next follow-up time counted again in working
    days of the new calendar, so no reminder falls on a new holiday nor misses a make-up working day; steps
    already due stay due. Done by the engine at the start of its pass, not in the administrator's request (a
    minute at 10^6 tasks: past the web server's timeout, which would leave the times half counted), and again by
    the next pass when it was interrupted or the calendar changed meanwhile. Returns the tasks moved."""
    row = CalendarVersion.objects.filter(pk=1).values_list("version", "scheduled").first()
    calendar.check_generation()  # after that read: the calendar computed with is at least that generation
    if row is None or row[0] == row[1]:
        return 0
    moved = reschedule_all(now, keep_due=True)
    CalendarVersion.objects.filter(pk=1).update(scheduled=row[0])
    log.info("follow-up: calendar generation %s, %d next follow-up times moved", row[0], moved)
    return moved


def _set_next(pairs: Sequence[tuple[int, datetime | None]]) -> None:
    """Store each task's next follow-up time (`TaskSchedule`, one upsert): on PostgreSQL one `INSERT … SELECT FROM
    unnest(ids, times) … ON CONFLICT DO UPDATE` with the values as two array parameters, in id order (Django's
    bulk_update builds a CASE per row, several times slower at 500 rows); one statement per row elsewhere."""
    if not pairs:
        return
    if connection.vendor != "postgresql":
        for pk, at in pairs:
            TaskSchedule.store(pk, at)
        return
    ordered = sorted(pairs, key=lambda pair: pair[0])
    with _bound_cursor() as cur:
        cur.execute(
            TaskSchedule.upsert("SELECT * FROM unnest(%s::bigint[], %s::timestamptz[])"),
            [[pk for pk, _ in ordered], [at for _, at in ordered]],
        )


def _bound_cursor() -> Any:
    """A cursor of psycopg with server-side binding on the request's connection (PostgreSQL): the arrays go to
    the server as parameters, not quoted into the statement's text in Python as Django's client-side cursor
    does (seconds for the arrays of a busy day's pass)."""
    import psycopg

    connection.ensure_connection()
    return psycopg.Cursor(connection.connection)


# The columns the engine writes for a notification; the others take their field's default (`_insert_new`).
NOTE_COLUMNS = (
    "task_id",
    "recipient_id",
    "rule_code",
    "rule_name",
    "kind",
    "audience",
    "step_day",
    "deadline",
    "working_days_late",
    "title",
    "body",
    "created_at",
    "email_state",
    "email_next_try",
)


def _insert_new(notes: Sequence[tuple]) -> None:
    """Insert the notifications (tuples of `NOTE_COLUMNS`), skipping those already written (the unique keys: a
    re-run writes nothing twice). On PostgreSQL one `INSERT … SELECT FROM jsonb_array_elements(…) ON CONFLICT DO
    NOTHING` with the rows as ONE JSON parameter (`json.dumps`, in C): neither a model instance nor a statement per
    row (Django's bulk_create and a pipelined executemany both spend longer preparing each row than the database
    spends inserting it), nor psycopg's array dumping, which quotes every value in Python (~16 ms of CPU per 700
    notifications against ~5 ms for the JSON). The parameter is `jsonb`, parsed once: as `json` (text) every
    `e->>i` parses its row again up to the i-th value — 19 columns, ~100 µs a row, two thirds of the INSERT at
    10^6 (issue 19)."""
    if not notes:
        return
    if connection.vendor != "postgresql":
        Notification.objects.bulk_create(
            [Notification(**dict(zip(NOTE_COLUMNS, note, strict=True))) for note in notes],
            ignore_conflicts=True,
            batch_size=500,
        )
        return
    sql, param = _insert_statement(notes)
    with _bound_cursor() as cur:
        cur.execute(sql, [param])


def _insert_statement(notes: Sequence[tuple]) -> tuple[str, str]:
    """The PostgreSQL statement of `_insert_new` and its one parameter (the rows as a JSON array of arrays)."""
    fields = [f for f in Notification._meta.concrete_fields if not f.primary_key]
    given = {name: i for i, name in enumerate(NOTE_COLUMNS)}
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    # Each row a JSON array in `fields` order; dates and times as their ISO text (`str`), cast back by the server.
    values = ", ".join(f"(e->>{i})::{f.db_type(connection)}" for i, f in enumerate(fields))
    at = [given.get(f.attname) for f in fields]
    defaults = [f.get_default() for f in fields]
    rows = [[note[i] if i is not None else d for i, d in zip(at, defaults, strict=True)] for note in notes]
    sql = (
        f"INSERT INTO {Notification._meta.db_table} ({columns}) SELECT {values} "
        "FROM jsonb_array_elements(%s::jsonb) AS e ON CONFLICT DO NOTHING"
    )
    return sql, json.dumps(rows, default=str, ensure_ascii=False)


@dataclass
class Stats:
    tasks: int = 0
    notifications: int = 0
    catchups: int = 0
    by_rule: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _email_state(person_id: int, people: dict[int, tuple[str, str]]) -> str:
    email, mode = people.get(person_id, ("", Preference.Mode.SINGLE))
    if not email or mode == Preference.Mode.NONE:
        return Notification.Email.NONE
    return Notification.Email.DIGEST if mode == Preference.Mode.DIGEST else Notification.Email.PENDING


@dataclass
class PassCache:
    """What the batches of one pass read alike, read by its first batch (issue 19: ~10 queries a batch, 31 batches
    at 10^6): the rules in force and every rule's name, the City Office and the leaders (`Directory`), the
    recipients' e-mail addresses and choices, and the plans computed so far, one per situation
    (`ladder.plan_many`: same calendar, rules and time)."""

    rules: list[ladder.RuleSpec] | None = None
    names: dict[str, str] = field(default_factory=dict)
    city: Directory | None = None
    plans: dict = field(default_factory=dict)
    people: dict[int, tuple[str, str]] = field(default_factory=dict)


def claim(now: datetime, batch: int) -> list[int]:
    """Lock up to `batch` tasks whose next follow-up time has come and return their ids, in the caller's
    transaction. The locks are taken in ONE order, the tasks' primary key (as `tracking.actions` locks several
    tasks), whatever the due times: two engines — or an engine and an action — never hold rows the other waits
    for in the opposite order. PostgreSQL: `FOR UPDATE OF tracking_task SKIP LOCKED`, so engines take disjoint
    batches; the ids of the `WINDOW` × `batch` earliest due tasks are read off the schedule's index into an array,
    and the tasks' primary key index walks them in key order (no sort, stops at `batch`): a claim reads a few
    thousand index entries, not every due task (~190k after a long outage, read again by each batch). When other
    engines hold every task of that window, the claim looks at all due tasks before it answers "none". Elsewhere
    (SQLite: one writer) the due ids in key order, unlocked.

    On PostgreSQL the statement also sets `synchronous_commit` off for the batch's transaction only (`set_config`
    with is_local, in the claim rather than one more round trip a batch): its commit does not wait for the WAL to
    reach the disk (~30 commits a pass at 10^6, each a flush wait on a busy machine). Safe for a batch: a server
    crash can lose only the last such commits, each whole (its notifications with the times that moved past
    them), and the next pass claims those tasks again and writes the same notifications; a later commit that
    waits (an action, the e-mail queue) flushes the WAL up to itself, so nothing after a lost batch survives
    without it."""
    if not connection.features.has_select_for_update_skip_locked:
        return list(
            Task.objects.filter(schedule__next_at__lte=now)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
    task, schedule = Task._meta.db_table, TaskSchedule._meta.db_table
    sql = (
        "SELECT t.id, set_config('synchronous_commit', 'off', true) "
        f"FROM {task} AS t WHERE t.id = ANY(ARRAY("
        f"SELECT s.task_id FROM {schedule} AS s WHERE s.next_at <= %s ORDER BY s.next_at LIMIT %s)) "
        "ORDER BY t.id LIMIT %s FOR UPDATE OF t SKIP LOCKED"
    )
    with connection.cursor() as cur:
        for window in (WINDOW * batch, None):  # None: LIMIT NULL, every due task
            cur.execute(sql, [now, window, batch])
            if ids := [pk for pk, _quick in cur.fetchall()]:
                return ids
    return []


def claim_and_process(
    now: datetime, batch: int = BATCH, stats: Stats | None = None, cache: PassCache | None = None
) -> int:
    """Claim up to `batch` due tasks, write their notifications, reschedule them; one transaction. Returns the
    number of tasks claimed (0: nothing is due; those found moved by another engine once locked count, undone). `cache`: shared by the batches of one pass (`process_due`)."""
    stats = stats if stats is not None else Stats()
    cache = cache if cache is not None else PassCache()
    if cache.rules is None:
        cache.rules = active_rules()
    rules, cal = cache.rules, calendar.current()
    if ladder.sending_from(now, cal) != now:
        return 0  # a day off or before 08:00: nothing is sent, the due tasks wait for the next sending time
    today = timezone.localdate(now)
    with transaction.atomic():
        ids = claim(now, batch)
        claimed = len(ids)
        if not ids:
            return 0
        # Read once the rows are held, in a statement of its own (a fresh snapshot on PostgreSQL): another engine
        # (or an action) may have moved a task's time and committed between the claim's snapshot and its lock —
        # the lock is on the task's row, the time on the schedule's — so the tasks no longer due are left (two
        # engines: nothing done twice). With what the reminders say of each task (`texts.info_of`).
        rows = list(
            Task.objects.filter(pk__in=ids, schedule__next_at__lte=now)
            .order_by("pk")
            .values(*FACT_FIELDS, *texts.INFO_FIELDS, **SCHEDULED)
        )
        if not rows:
            return claimed
        facts = facts_for(rows)
        plans = ladder.plan_many(
            ((r["id"], facts[r["id"]], r["next_followup_at"]) for r in rows), cal, rules, now, cache.plans
        )
        units = {r["lead_unit_id"] for r in rows}
        units |= {s.unit_id for p in plans.values() for s in p.due if s.unit_id is not None}
        due_rows = [r for r in rows if plans[r["id"]].due]
        info = {r["id"]: texts.info_of(r) for r in due_rows}  # with the directives' signers
        signers = {i.directive_id: (i.signer, i.issuer_id) for i in info.values()}
        directory = cache.city = Directory.load(units, signers, cache.city)
        if not cache.names:
            cache.names = {r.code: r.name for r in FollowupRule.objects.all()}
        names = cache.names
        notes: list[tuple] = []  # NOTE_COLUMNS
        people_ids: set[int] = set()
        pending: list[tuple[dict, int, ladder.Step | None, list[ladder.Step]]] = []
        for row in due_rows:
            stale_by_person: dict[int, list[ladder.Step]] = defaultdict(list)
            for step in plans[row["id"]].due:
                for person in directory.for_step(step, row):
                    people_ids.add(person)
                    if step.day < today:
                        stale_by_person[person].append(step)
                    else:
                        pending.append((row, person, step, []))
            for person, missed in stale_by_person.items():
                pending.append((row, person, None, missed))
        people = cache.people  # each recipient's address and e-mail choice, read once a pass
        if missing := people_ids - people.keys():
            people.update(
                (pk, (email, mode or Preference.Mode.SINGLE))
                for pk, email, mode in Person.objects.filter(pk__in=missing).values_list(
                    "id", "email", "followup_preference__email_mode"
                )
            )
        for row, person, current, missed in pending:
            state = _email_state(person, people)
            retry = now if state == Notification.Email.PENDING else None
            if current is not None:
                name = names.get(current.rule, current.rule)
                title, body = texts.step_text(current, info[row["id"]], name)
                step, rule_code, rule_name, day = current, current.rule, name[:200], current.day
                stats.by_rule[current.rule] += 1
            else:
                title, body = texts.catchup_text(missed, info[row["id"]], names, today)
                step, rule_code, day = missed[-1], Notification.CATCHUP, today
                rule_name = "Tổng hợp các lần nhắc bị lỡ khi hệ thống tạm dừng"
                stats.catchups += 1
            notes.append(
                (
                    row["id"],
                    person,
                    rule_code,
                    rule_name,
                    step.kind,
                    step.audience,
                    day,
                    step.deadline,
                    step.working_days_late,
                    title[:300],
                    body,
                    now,
                    state,
                    retry,
                )
            )
        _insert_new(notes)
        _set_next([(r["id"], plans[r["id"]].next_at) for r in rows])
    stats.tasks += len(rows)
    stats.notifications += len(notes)
    return claimed


def process_due(
    now: datetime | None = None, batch: int = BATCH, limit: int | None = None, pause: float = 0.0
) -> Stats:
    """Claim and process due tasks batch by batch until none is due (or `limit` batches were done)."""
    now = now or timezone.now()
    stats, cache = Stats(), PassCache()
    done = 0
    while claim_and_process(now, batch, stats, cache):
        if pause:
            time.sleep(pause)  # tests: leave time to kill the engine mid-run, or for a second engine to claim
        done += 1
        if limit is not None and done >= limit:
            break
    return stats


def daily_jobs() -> list[str]:
    """The built-in digest job, then `DONDOC_DAILY_JOBS` (dotted paths of `job(day: date) -> None`)."""
    return ["dondoc.followup.delivery.send_digests", *getattr(settings, "DONDOC_DAILY_JOBS", [])]


def run_once(now: datetime | None = None, batch: int = BATCH, pause: float = 0.0) -> Stats:
    """One pass: the daily jobs that are due, the due tasks, then the pending e-mail handed to the queue."""
    from dondoc.followup import delivery, jobs

    now = now or timezone.now()
    follow_the_calendar(now)  # the calendar as changed by any process since the last pass
    chain.link_pending()  # audit events a killed process committed but did not link (issue 19)
    jobs.run_daily(now, daily_jobs())
    stats = process_due(now, batch, pause=pause)
    delivery.queue_pending()  # the e-mails are sent by the job worker (`dondoc worker`)
    if stats.tasks:
        log.info(
            "follow-up: %d tasks, %d notifications (%d catch-up summaries)",
            stats.tasks,
            stats.notifications,
            stats.catchups,
        )
    return stats


def install_default_rules() -> int:
    """Create the default rules that are missing (the data migration does this once; tests after a flush)."""
    created = 0
    for r in ladder.DEFAULT_RULES:
        _obj, new = FollowupRule.objects.get_or_create(
            code=r.code,
            defaults={
                "name": r.name,
                "kind": r.kind,
                "offset": r.offset,
                "repeat": r.repeat,
                "audience": r.audience,
            },
        )
        created += new
    return created
