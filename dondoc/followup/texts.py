"""The Vietnamese wording of notifications (in-app title and body; the e-mail templates reuse them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from dondoc.followup import ladder
from dondoc.tracking.secrecy import shown_content

KIND_WORDS = {
    ladder.COMPLETION: "thời hạn hoàn thành",
    ladder.REPORT: "thời hạn báo cáo",
    ladder.INPUT: "hạn gửi ý kiến phối hợp",
    ladder.NO_DEADLINE: "báo cáo tiến độ",
}


@dataclass(frozen=True)
class TaskInfo:
    pk: int
    content: str
    notation: str
    lead: str
    # The directive's signer and issuing body: who the leader in charge is (`recipients.Directory`), read with the
    # rest (issue 19: no query of its own for each batch of the follow-up pass).
    directive_id: int = 0
    signer: str = ""
    issuer_id: int = 0


# What `info_of` reads of a task besides its id and directive id (`Task.objects.values` names): the follow-up
# engine reads them with the claim of its batch.
INFO_FIELDS = (
    "content",  # masked by info_of
    "secret",
    "directive__notation",
    "lead_unit__name",
    "directive__signer_name",
    "directive__issuer_id",
)


def info_of(row: Mapping[str, Any]) -> TaskInfo:
    """What a reminder says about the task of `row` (its "id", "directive_id" and `INFO_FIELDS`). Reminders travel
    by e-mail and are read by people not cleared for secrets, so a secret task's content is masked
    (`secrecy.shown_content` with no reader)."""
    pk = row["id"]
    return TaskInfo(
        pk,
        shown_content(pk, row["content"], row["secret"]),
        row["directive__notation"],
        row["lead_unit__name"],
        row["directive_id"],
        row["directive__signer_name"] or "",
        row["directive__issuer_id"],
    )


def _d(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


def when(step: ladder.Step) -> str:
    words = KIND_WORDS[step.kind]
    if step.kind == ladder.NO_DEADLINE:
        return "đề nghị báo cáo tiến độ thực hiện trong tháng"
    if step.working_days_late < 0:
        return f"còn {-step.working_days_late} ngày làm việc đến {words} ({_d(step.deadline)})"
    if step.working_days_late == 0:
        return f"hôm nay đến {words} ({_d(step.deadline)})"
    return f"đã quá {words} ({_d(step.deadline)}) {step.working_days_late} ngày làm việc"


def step_text(step: ladder.Step, info: TaskInfo, rule_name: str) -> tuple[str, str]:
    """Title and body of one reminder: what, which deadline, how late, which rule."""
    short = info.content if len(info.content) <= 90 else info.content[:87] + "..."
    title = f"Nhiệm vụ #{info.pk}: {when(step)}"
    body = (
        f"Nhiệm vụ: {short}\n"
        f"Văn bản giao: {info.notation}\n"
        f"Đơn vị chủ trì: {info.lead}\n"
        f"Tình trạng: {when(step)}.\n"
        f"Quy tắc đôn đốc: {rule_name}."
    )
    return title, body


def catchup_text(
    missed: list[ladder.Step], info: TaskInfo, names: Mapping[str, str], today: date
) -> tuple[str, str]:
    """One summary instead of a burst of stale reminders after the engine was stopped."""
    title = f"Nhiệm vụ #{info.pk}: tổng hợp {len(missed)} lần nhắc chưa gửi được (đến {_d(today)})"
    lines = [f"- {_d(s.day)}: {names.get(s.rule, s.rule)} — {when(s)}" for s in missed]
    body = (
        f"Nhiệm vụ: {info.content[:200]}\nVăn bản giao: {info.notation}\nĐơn vị chủ trì: {info.lead}\n"
        "Hệ thống đôn đốc tạm dừng nên các lần nhắc sau chưa được gửi đúng ngày:\n" + "\n".join(lines)
    )
    return title, body
