"""Secret tasks (*nhiệm vụ mật*): one rule for who may read a task's content, one mask for everyone else.

The rule: a task's content (its text, requirements, progress notes and what others wrote about it) may be read by a
person cleared for secrets (`Person.cleared_for_secrets`), and by anyone else only when the task is not secret.
`may_read_content` states it in Python, `readable` as a queryset filter (the same clause that
`Task.objects.visible_to` adds for the uncleared).

Every text built from a task goes through `shown_content`: pages, notifications and e-mails, documents (inspection
notices), exports, the API, inspection samples and records, webhook payloads. Texts that leave for a channel with no
known reader (notifications, e-mails, webhooks, documents sent to units) are built with `reader=None`, i.e. always
masked for a secret task: the cleared reader follows the link to the task page. `tests/security/test_secrecy.py`
scans the templates and the Python code for task content and fails when a new place bypasses this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet

from dondoc.core.dates import today as local_today
from dondoc.org.access import person_of

MASK = "Nhiệm vụ mật — số {pk}"


def masked(pk: Any) -> str:
    """What an uncleared reader sees instead of a secret task's content."""
    return MASK.format(pk=pk)


def cleared(user: Any) -> bool:
    """Whether the signed-in person behind `user` (a User or a Person) is cleared for secrets."""
    person = user if hasattr(user, "cleared_for_secrets") else person_of(user)
    return bool(person is not None and person.cleared_for_secrets)


def may_read_content(user: Any, task: Any) -> bool:
    """A person may read a task's content when the task is not secret, or when the person is cleared for secrets."""
    return not task.secret or cleared(user)


def shown_content(pk: Any, content: str, secret: bool, reader: Any = None, limit: int | None = None) -> str:
    """The content of task `pk` as `reader` may see it (`reader=None`: a text leaving for no known reader), cut
    to `limit` characters with an ellipsis."""
    if secret and (reader is None or not cleared(reader)):
        return masked(pk)
    if limit is not None and len(content) > limit:
        return content[: limit - 1] + "…"
    return content


def content_for(reader: Any, task: Any, limit: int | None = None) -> str:
    return shown_content(task.pk, task.content, task.secret, reader, limit)


def readable(qs: QuerySet[Any], user: Any, prefix: str = "") -> QuerySet[Any]:
    """`qs` (tasks, or rows pointing at tasks through `prefix`, e.g. "task__") kept to those whose content `user`
    may read: the SQL twin of `may_read_content`."""
    if cleared(user):
        return qs
    return qs.filter(**{f"{prefix}secret": False})


#: The reporting windows run from the 15th to the 14th (Decree 09/2019; `evaluation.periods.CUTOFF_DAY`).
CUTOFF_DAY = 15


def reporting_window(start: date | None, end: date | None) -> bool:
    """Whether the dates from `start` to `end` (either end open) are made of whole reporting windows: from a 15th,
    to a 14th — no finer than the periods of the signed reports."""
    return (start is None or start.day == CUTOFF_DAY) and (
        end is None or (end + timedelta(days=1)).day == CUTOFF_DAY
    )


def fixed_reference(ref: date | None, today: date) -> bool:
    """Whether `ref` is a reporting cut-off (*ngày chốt số liệu*, the 14th that closes a window) already past on
    `today`: the only reference dates at which the uncleared are given totals counting secret tasks. Asked as of any
    day, a window's "overdue" total steps by one on the day a secret task goes overdue (the same window as of D and
    D+1, or a window as of today watched day by day); asked only as of past cut-offs, the totals move once a
    window, as the signed reports do, and a day after the cut-off nothing assigned, done or decided later enters them."""
    return ref is not None and (ref + timedelta(days=1)).day == CUTOFF_DAY and ref < today


def counts_secret_share(
    user: Any, windows: Iterable[tuple[date | None, date | None]], ref: date | None, today: date | None = None
) -> bool:
    """Whether a figure asked over the date `windows` as of the reference date `ref` counts, for `user`, the secret
    tasks the reader cannot read.

    The rule (one for the dashboard, its trend, its API, the task list's "N nhiệm vụ mật được tính", the periodic
    reports and the inspectors' risk figures): a reader who sees every unit is given the totals of the signed
    report, secret tasks counted (DOMAIN.md §8: tasks from secret documents are tracked; only their content is
    kept from the uncleared), for the questions the report asks — whole reporting windows, by lead unit, assigning
    authority and kind — as of a past reporting cut-off (`fixed_reference`). A narrower window (a custom period, a
    day, the few days "due soon") would single a secret task out by its unit and deadline, and a free reference
    date (today, any day) by the day its state changed: there the uncleared count only the tasks they may see, as
    everywhere else. The cleared see every task (True); a unit's people count only what they see (False)."""
    person = user if hasattr(user, "cleared_for_secrets") else person_of(user)
    if person is None or not person.sees_everything:
        return False
    if person.cleared_for_secrets:
        return True
    return fixed_reference(ref, today or local_today()) and all(reporting_window(a, b) for a, b in windows)


def last_cut_off(today: date) -> date:
    """The latest reporting cut-off already past on `today` (a 14th before it)."""
    day = today - timedelta(days=1)
    while (day + timedelta(days=1)).day != CUTOFF_DAY:
        day -= timedelta(days=1)
    return day


def reports_withheld(user: Any, start: date, end: date, ref: date, made_on: date) -> bool:
    """Whether a periodic report over `start`–`end` as of `ref`, counted on `made_on`, is kept from `user`: a
    report counts every secret task (the signed totals and the list of overdue tasks), so a reader for whom they
    do not count there (`counts_secret_share`, the day the figures were counted standing for today) may neither
    ask for one (any window, any date: a free oracle) nor read one another reader asked for."""
    return not counts_secret_share(user, [(start, end)], ref, made_on)


#: Why an uncleared reader may not ask for or read a report (the field: «Số liệu tính đến ngày»).
REPORT_WITHHELD = (
    "Báo cáo định kỳ đếm cả nhiệm vụ mật: người chưa được xem tài liệu mật chỉ lập và xem được báo cáo của kỳ báo "
    "cáo (từ ngày 15 đến ngày 14) có «Số liệu tính đến ngày» là ngày chốt kỳ đã qua (ngày 14, ví dụ {example})."
)
