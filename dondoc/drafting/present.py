"""Showing a checked draft to an officer: the text with its task clauses marked, and each clause in Vietnamese.

Pure module (Django's HTML escaping only, no settings, no database). The marked text is built here, on the server,
from the clause offsets the extractor gives: every piece of the user's text goes through `escape`, and only the
tags this module writes are left unescaped, so a draft containing "<script>" shows as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from dondoc.drafting.checks import ERROR, MESSAGES, Finding
from dondoc.drafting.deadlines import Deadline
from dondoc.drafting.extract import CONFIDENCE_LABELS, Document, Task

KIND_LABELS = {
    "date": "Ngày cụ thể",
    "period": "Trong một khoảng thời gian",
    "recurring": "Định kỳ",
    "none": "Không có thời hạn",
}
STATUS_LABELS = {
    "current": "trong danh mục",
    "successor": "đơn vị kế thừa",
    "former": "đơn vị cũ, không còn",
    "collective": "nhóm chung chung",
    "external": "ngoài danh mục Thành phố",
    "unknown": "không có trong danh mục",
}
_FREQ = {
    "monthly": "Hằng tháng",
    "quarterly": "Hằng quý",
    "annually": "Hằng năm",
    "weekly": "Hằng tuần",
    "daily": "Hằng ngày",
}
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def vi_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _iso_to_vi(text: str) -> str:
    return _ISO.sub(r"\3/\2/\1", text)


def deadline_text(d: Deadline | None) -> str:
    """A deadline as an office reads it: dates dd/mm/yyyy, periods and cycles in Vietnamese words."""
    if d is None or (d.kind == "none" and not d.raw):
        return "Không có"
    value = d.value or ""
    if d.kind == "none":
        return f"Không cụ thể: «{d.raw}»"
    if d.kind == "date":
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})", value):
            return f"{m[4]}:{m[5]} ngày {m[3]}/{m[2]}/{m[1]}"
        if m := re.fullmatch(r"--(\d{2})-(\d{2})", value):
            return f"Ngày {m[2]}/{m[1]} (không rõ năm)"
        return f"Ngày {_iso_to_vi(value)}"
    if d.kind == "recurring":
        if m := re.fullmatch(r"(\w+); day (\d+)", value):
            return f"{_FREQ.get(m[1], m[1])}, trước ngày {m[2]}"
        if value in _FREQ:
            return _FREQ[value]
        return "Định kỳ, không rõ tần suất" if d.vague else (d.raw or value)
    # Periods.
    if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
        return f"Trong tháng {m[2]}/{m[1]}"
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
        return f"Trong quý {_ROMAN[int(m[2])]}/{m[1]}"
    if m := re.fullmatch(r"(\d{4})-H([12])", value):
        return f"6 tháng {'cuối' if m[2] == '2' else 'đầu'} năm {m[1]}"
    if re.fullmatch(r"\d{4}", value):
        return f"Trong năm {value}"
    if d.working_days is not None or "ngày" in value and "kể từ" in value:
        if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2}) \((.+) kể từ (\d{4}-\d{2}-\d{2})\)", value):
            return f"{m[2].capitalize()} kể từ {_iso_to_vi(m[3])}, tức đến ngày {_iso_to_vi(m[1])}"
        return value.capitalize()
    if "(event-anchored" in value:
        return f"{d.raw} (gắn với một sự kiện, không có ngày cụ thể)"
    if m := re.match(r"(\d{4})/(\d{4}) \(period of the plan", value):
        return f"Giai đoạn {m[1]}–{m[2]} (theo tên kế hoạch)"
    return d.raw or _iso_to_vi(value)


@dataclass
class Clause:
    """One task clause as the result page shows it."""

    number: int
    text: str
    lead_written: str
    leads: list[tuple[str, str]]  # (name, status label)
    collective: bool
    coordinators: list[str]
    deadline_kind: str
    deadline: str
    deadline_raw: str
    last_day: str
    report_required: bool
    report_deadline: str
    submit: bool
    requirements: list[str]
    findings: list[Finding] = field(default_factory=list)
    unsure: list[str] = field(default_factory=list)  # fields read with low confidence: check these first

    @property
    def errors(self) -> int:
        return sum(f.severity == ERROR for f in self.findings)


def clauses(doc: Document, findings: list[Finding]) -> list[Clause]:
    out: list[Clause] = []
    for number, task in enumerate(doc.tasks, start=1):
        d = task.deadline
        out.append(
            Clause(
                number=number,
                text=" ".join(task.text.split()),
                lead_written=task.lead or "",
                leads=[(r.name, STATUS_LABELS.get(r.status, r.status)) for r in task.resolutions],
                collective=task.collective,
                coordinators=list(task.coordinators),
                deadline_kind=KIND_LABELS.get(d.kind, d.kind),
                deadline=deadline_text(d),
                deadline_raw=d.raw or "",
                last_day=vi_date(d.day),
                report_required=bool(task.report.get("required")),
                report_deadline=deadline_text(task.report_deadline) if task.report.get("required") else "",
                submit=task.submit,
                requirements=list(task.requirements),
                findings=[f for f in findings if f.task == number],
                unsure=[CONFIDENCE_LABELS[f] for f in task.low_confidence],
            )
        )
    return out


def _inner_spans(task: Task, start: int, end: int) -> list[tuple[int, int, str]]:
    """The lead and the deadline phrase inside a clause, clipped to it, in order, never overlapping."""
    spans: list[tuple[int, int, str]] = []
    if task.lead_span:
        spans.append((task.lead_span[0], task.lead_span[1], "clause-lead"))
    d = task.deadline
    if d.start >= 0 and d.end > d.start:
        spans.append((d.start, d.end, "clause-deadline"))
    out: list[tuple[int, int, str]] = []
    cursor = start
    for a, b, css in sorted(spans):
        a, b = max(a, cursor), min(b, end)
        if a < b:
            out.append((a, b, css))
            cursor = b
    return out


def marked_text(doc: Document, clause_list: list[Clause]) -> SafeString:
    """The whole text, escaped, each task clause in a numbered <mark> linking to its card; lead and deadline
    phrases set apart. Overlapping clauses (a later one starting inside an earlier one) are cut at the earlier
    one's end, so the marks never nest."""
    text = doc.text
    parts: list[str] = []
    cursor = 0
    by_number = {c.number: c for c in clause_list}
    for number, task in sorted(enumerate(doc.tasks, start=1), key=lambda it: (it[1].start, it[0])):
        start, end = max(task.start, cursor), min(task.end, len(text))
        if start >= end:
            continue
        parts.append(escape(text[cursor:start]))
        inner: list[str] = []
        pos = start
        for a, b, css in _inner_spans(task, start, end):
            inner.append(escape(text[pos:a]))
            inner.append(format_html('<span class="{}">{}</span>', css, text[a:b]))
            pos = b
        inner.append(escape(text[pos:end]))
        clause = by_number.get(number)
        state = "clause-error" if clause and clause.errors else "clause-ok"
        parts.append(
            format_html(
                '<mark class="clause {}" id="doan-{}"><a class="clause-no" href="#nv-{}" '
                'title="Xem nhiệm vụ {}">{}</a> {}</mark>',
                state,
                number,
                number,
                number,
                number,
                mark_safe("".join(inner)),  # every piece escaped above
            )
        )
        cursor = end
    parts.append(escape(text[cursor:]))
    return mark_safe("".join(parts))  # every piece of the text escaped above


@dataclass(frozen=True)
class Summary:
    tasks: int
    errors: int
    infos: int
    clean_tasks: int
    by_code: list[tuple[str, int]]


def summary(doc: Document, findings: list[Finding]) -> Summary:
    """How many tasks, broken rules (by rule) and notes the draft has."""
    counts: dict[str, int] = {}
    for f in findings:
        if f.severity == ERROR:
            counts[f.code] = counts.get(f.code, 0) + 1
    with_error = {f.task for f in findings if f.severity == ERROR}
    return Summary(
        tasks=len(doc.tasks),
        errors=sum(f.severity == ERROR for f in findings),
        infos=sum(f.severity != ERROR for f in findings),
        clean_tasks=len(doc.tasks) - len(with_error),
        by_code=sorted(
            ((MESSAGES.get(code, code).rstrip("."), n) for code, n in counts.items()), key=lambda kv: -kv[1]
        ),
    )
