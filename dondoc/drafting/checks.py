"""The checks of a draft directive (Công văn 3031/UBND-TKBT §3): one finding per broken rule, pointing at a clause.

Pure module. Rules, each a finding code:

* no_lead — a task with nobody assigned: "rõ người" is missing.
* multiple_leads — several named units share one task with no chủ trì: "một việc chỉ giao cho một cơ quan".
* collective_lead — an open class ("các sở, ngành") as performer: nobody in particular is accountable. It is
  the same rule as multiple_leads (GUIDE §4.3).
* no_deadline — no completion deadline ("ghi rõ thời hạn hoàn thành").
* vague_deadline — only a stand-in such as "theo đúng thời gian quy định", a meeting or "định kỳ" without a
  frequency. (Urgency words — "kịp thời", "khẩn trương" — are not deadlines at all: the task gets no_deadline, as
  the corpus guide decides; the message mentions the urgency word.)
* no_report_deadline — a report is required ("báo cáo") but has no date ("thời hạn báo cáo").
* deadline_before_issue_date — the deadline precedes the document's own date.
* deadline_too_short — fewer than N working days between the document date and the deadline (N from
  `--min-working-days`, default 2; 0 disables), counted with the civil-service calendar.
* unknown_addressee — a performer that looks like a city unit but is not in the registry.
* former_unit — a performer that no longer exists (a district abolished on 01/07/2025): the task cannot be given
  to it; the message names its successors (issue 15).

Informational findings (never a broken rule): a performer outside Hanoi's registry that is a recognised agency
(a ministry, another province, a central body); a former unit re-homed to its single successor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from dondoc.drafting import registry
from dondoc.drafting.deadlines import default_calendar
from dondoc.drafting.extract import Document, Task
from dondoc.workdays.arith import WorkCalendar

ERROR = "error"
INFO = "info"

MESSAGES = {
    "no_lead": "Nhiệm vụ không có cơ quan chủ trì.",
    "multiple_leads": "Nhiệm vụ giao cho nhiều cơ quan ngang nhau, không rõ cơ quan chủ trì.",
    "collective_lead": "Nhiệm vụ giao cho một nhóm cơ quan chung chung, không rõ cơ quan chịu trách nhiệm.",
    "no_deadline": "Nhiệm vụ không có thời hạn hoàn thành.",
    "vague_deadline": "Thời hạn không cụ thể",
    "no_report_deadline": "Có yêu cầu báo cáo nhưng không có thời hạn báo cáo.",
    "deadline_before_issue_date": "Thời hạn trước ngày ban hành văn bản.",
    "deadline_too_short": "Thời hạn quá ngắn",
    "unknown_addressee": "Cơ quan không có trong danh mục đơn vị",
    "former_unit": "Giao cho đơn vị cũ",
}


@dataclass(frozen=True)
class Finding:
    task: int  # 1-based task number
    code: str
    severity: str
    message: str
    clause: str


def check_task(
    task: Task,
    number: int,
    doc: Document,
    min_working_days: int,
    cal: WorkCalendar,
    heirs: Mapping[str, tuple[str, ...]] | None = None,
) -> list[Finding]:
    """The findings of one task; `heirs` (a former unit's name key → its successors' names) are the successors
    recorded in the database, which override the shipped list (`registry.heirs_of`)."""
    out: list[Finding] = []
    clause = " ".join(task.text.split())

    def add(code: str, severity: str, message: str) -> None:
        out.append(Finding(number, code, severity, message, clause))

    for code in task.issues:
        msg = MESSAGES.get(code, code)
        if code == "vague_deadline":
            msg += f" («{task.deadline.raw}»)." if task.deadline.raw else "."
        if code == "no_deadline" and task.urgent:
            msg += " (Từ chỉ sự khẩn trương không phải là thời hạn.)"
        add(code, ERROR, msg)
    ref = doc.meta.reliable_date
    day = task.deadline.day
    if min_working_days > 0 and ref is not None and day is not None and day >= ref:
        n = cal.working_days_between(ref, day)
        if n < min_working_days:
            task.issues.append("deadline_too_short")
            add(
                "deadline_too_short",
                ERROR,
                f"{MESSAGES['deadline_too_short']}: {n} ngày làm việc (< {min_working_days}).",
            )
    for res in task.resolutions:
        if res.status == "unknown":
            task.issues.append("unknown_addressee")
            add("unknown_addressee", ERROR, f"{MESSAGES['unknown_addressee']}: «{res.written}».")
        elif res.status == "external":
            add(
                "external_addressee",
                INFO,
                f"«{res.written}» là cơ quan ngoài danh mục của Thành phố (thông tin).",
            )
        elif res.status == "successor":
            add("successor_unit", INFO, f"«{res.written}» nay là {res.name}.")
        elif res.status == "former":
            # Not in task.issues: those are the extractor's labelled issues (bench/corpus labels), this is the registry's.
            successors = registry.heirs_of(res.name, heirs) or res.successors
            named = (
                f"giao cho một đơn vị kế thừa: {', '.join(successors)}"
                if successors
                else "giao cho phường, xã kế thừa địa bàn (chưa có trong danh mục đơn vị kế thừa)"
            )
            add(
                "former_unit",
                ERROR,
                f"{MESSAGES['former_unit']}: «{res.written}» không còn tồn tại; {named}.",
            )
    return out


def check_document(
    doc: Document,
    min_working_days: int = 2,
    calendar: WorkCalendar | None = None,
    heirs: Mapping[str, tuple[str, ...]] | None = None,
) -> list[Finding]:
    """Every finding of the document, task by task."""
    cal = calendar or default_calendar()
    findings: list[Finding] = []
    for i, task in enumerate(doc.tasks, start=1):
        findings.extend(check_task(task, i, doc, min_working_days, cal, heirs))
    return findings


def broken(findings: list[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)
