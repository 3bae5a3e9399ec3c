"""Daily job of the inspection app (`DONDOC_DAILY_JOBS`): the discipline handling clock urged like a deadline.

A proposal to hold someone to account whose handling has started (`handling_started_on`) must be decided within
90 days, at most 150 with an extension (DOMAIN.md §8, `discipline.handling_deadline`). Until the outcome is recorded
(`decided_on`), the team head of the inspection and the current head of the unit concerned are notified — a
task-less notification linking to the proposal's page, in-app and by e-mail as each chose — on working days:

- 5 and 1 working days before the handling deadline, on the deadline, then every 5 working days after it.

The steps count from the deadline's working day: the deadline itself, or the last working day before it when it
falls on a day off. The job runs on working days only. When it missed a step (the engine was down), the next run
sends that latest step once, late — never the older ones. Idempotent: the rule code `discipline:<proposal>:<step>`,
the step day and the recipient are unique among task-less notifications, so re-runs write nothing.
"""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from dondoc.followup.notify import notify_people
from dondoc.inspection import discipline as dc
from dondoc.inspection.models import Proposal, TeamMember
from dondoc.org.models import Person
from dondoc.workdays import calendar
from dondoc.workdays.arith import WorkCalendar

BEFORE = (-5, -1)  # working days before the deadline
EVERY_AFTER = 5  # then every this many working days after it
RULE_PREFIX = "discipline"
RULE_NAME = "Nhắc thời hạn xử lý kỷ luật (90 ngày, tối đa 150 ngày)"


def anchor(deadline: date, cal: WorkCalendar) -> date:
    """The working day the steps count from: the deadline, or the last working day before it."""
    return deadline if cal.is_working_day(deadline) else cal.add_working_days(deadline, -1)


def latest_step(deadline: date, day: date, cal: WorkCalendar) -> tuple[int, date] | None:
    """The latest step due on or before `day` — (step in working days from the anchor, its day) — or None when
    `day` is before the first step. Steps: -5, -1, 0, 5, 10, ... working days from `anchor(deadline)`."""
    a = anchor(deadline, cal)
    n = cal.working_days_between(a, day)
    if n < BEFORE[0]:
        return None
    if n < 0:
        step = max(s for s in BEFORE if s <= n)
    else:
        step = (n // EVERY_AFTER) * EVERY_AFTER
    return step, cal.add_working_days(a, step) if step else a


def recipients(proposal: Proposal) -> list[Person]:
    """The inspection's team head and the current head of the unit concerned (active people, each once)."""
    people = [
        m.person
        for m in TeamMember.objects.filter(
            plan_id=proposal.inspected.plan_id, role=TeamMember.Role.HEAD, person__active=True
        ).select_related("person__followup_preference")
    ]
    head = proposal.unit.current_head()
    if head is not None:
        people.append(head)
    return people


def texts(proposal: Proposal, step: int, deadline: date, cal: WorkCalendar, day: date) -> tuple[str, str]:
    """(title, body) of a step, in Vietnamese."""
    who = proposal.person.full_name if proposal.person else proposal.unit.name
    subject = f"Đề nghị kiểm điểm {proposal.get_target_display().lower()} {who}"
    if step < 0:
        when = f"còn {-step} ngày làm việc đến thời hạn xử lý kỷ luật ({deadline:%d/%m/%Y})"
    elif step == 0:
        when = f"hôm nay là thời hạn cuối xử lý kỷ luật ({deadline:%d/%m/%Y})"
    else:
        late = max(cal.working_days_between(anchor(deadline, cal), day), step)
        when = f"đã quá thời hạn xử lý kỷ luật ({deadline:%d/%m/%Y}) {late} ngày làm việc"
    plan = proposal.inspected.plan
    body = (
        f"{subject} (đợt kiểm tra theo QĐ {plan.decision_number} ngày {plan.decision_date:%d/%m/%Y}): {when}.\n"
        f"Bắt đầu xử lý ngày {proposal.handling_started_on:%d/%m/%Y}, thời hạn {dc.HANDLING_DAYS} ngày"
        + (f", đã gia hạn thêm {proposal.extension_days} ngày" if proposal.extension_days else "")
        + f" (tối đa {dc.HANDLING_MAX_DAYS} ngày).\n"
        "Đề nghị ghi nhận kết quả xử lý (họp kiểm điểm, hình thức kỷ luật, quyết định) khi có."
    )
    return f"{subject}: {when}", body


def handling_clock_job(day: date) -> None:
    """Notify the steps of the discipline handling clock due on `day` (a working day; other days: nothing)."""
    cal = calendar.current()
    if not cal.is_working_day(day):
        return
    proposals = Proposal.objects.filter(
        handling_started_on__isnull=False, decided_on__isnull=True
    ).select_related("inspected__plan", "unit", "person")
    for proposal in proposals:
        deadline = proposal.handling_deadline
        if deadline is None:
            continue
        found = latest_step(deadline, day, cal)
        if found is None:
            continue
        step, step_day = found
        title, body = texts(proposal, step, deadline, cal, day)
        notify_people(
            recipients(proposal),
            rule_code=f"{RULE_PREFIX}:{proposal.pk}:{step}",
            rule_name=RULE_NAME,
            step_day=step_day,
            title=title,
            body=body,
            link=reverse("inspection:outcome", args=[proposal.pk]),
            deadline=deadline,
            working_days_late=max(step, 0),
        )
