"""The shapes the API reads and writes. Dates are ISO 8601 (yyyy-mm-dd) in JSON; the pages show dd/mm/yyyy."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import BaseModel, ConfigDict, Field

MAX_ID = 2**31 - 1
# An object's id: bounded so a huge number is a 422, never a database overflow.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class StrictIn(Schema):
    """A request body: a field the schema does not name is refused (422), never silently ignored — a misspelt
    `due_date` would otherwise create a task without its deadline."""

    model_config = ConfigDict(extra="forbid")


class Out(BaseModel):
    """An answer's shape. Plain pydantic, not ninja's `Schema`: the endpoints answer with dicts, and ninja's schema
    wraps every nested object of an answer in an attribute getter while checking it (25 tasks of a list page: ~1 ms
    of a request's CPU instead of ~0.1 ms). Same JSON schema in the OpenAPI document."""

    model_config = ConfigDict(from_attributes=True)


class UnitRef(Out):
    id: int
    name: str
    abbr: str


class UnitOut(UnitRef):
    code: str
    kind: str
    kind_label: str
    parent_id: int | None
    valid_from: date | None
    valid_to: date | None
    successor_ids: list[int]  # a merger: one; a split: several


class PersonOut(Out):
    """Names and positions only: no e-mail, no role, no account."""

    id: int
    full_name: str
    position: str
    position_label: str
    title: str
    unit: UnitRef


class DirectiveRef(Out):
    id: int
    notation: str
    subject: str


class DirectiveOut(DirectiveRef):
    number: int
    symbol: str
    year: int
    doc_type: str
    issuer: UnitRef
    authority: str
    authority_label: str
    issued_on: date
    signer_prefix: str
    signer_name: str
    signer_position: str
    recipients: str
    urgency: str
    secrecy: str
    task_count: int
    url: str


class DirectiveIn(StrictIn):
    notation: str = Field(description="Số, ký hiệu, ví dụ 15/CT-UBND hoặc 19/2022/QĐ-UBND", max_length=60)
    issued_on: date = Field(description="Ngày ban hành (yyyy-mm-dd)")
    issuer: Id = Field(description="Mã (id) cơ quan ban hành, xem /units")
    authority: str = Field(
        description="Cấp giao: government, party_committee, peoples_council, city_committee, chairman"
    )
    subject: str = Field(description="Trích yếu", max_length=500)
    signer_prefix: str = Field("", max_length=10)
    signer_name: str = Field("", max_length=120)
    signer_position: str = Field("", max_length=120)
    recipients: str = ""
    urgency: str = Field("", description="'' (thường), khan, thuong_khan, hoa_toc")
    secrecy: str = Field("", description="'' (không mật), mat, toi_mat, tuyet_mat")
    full_text: str = ""


class NewTaskIn(StrictIn):
    content: str = Field(description="Nội dung nhiệm vụ")
    clause: str = Field("", max_length=60)
    lead_unit: Id = Field(description="Mã (id) của đơn vị chủ trì (đúng một đơn vị)")
    coordinating_units: list[Id] = Field(
        default_factory=list, max_length=200, description="Mã các đơn vị phối hợp"
    )
    deadline: str = Field("", max_length=60, description="dd/mm/yyyy, «N ngày làm việc» hoặc «N ngày»")
    report_deadline: str = Field("", max_length=60, description="dd/mm/yyyy, «N ngày làm việc»...")
    input_deadline: str = Field(
        "", max_length=60, description="Hạn đơn vị phối hợp gửi ý kiến: dd/mm/yyyy hoặc «N ngày làm việc»"
    )
    requirements: str = ""
    must_submit: bool = False
    must_report: bool = False
    secret: bool = False
    parent: Id | None = Field(
        None,
        description="Mã (id) nhiệm vụ cha, cùng văn bản: nhiệm vụ con có thời hạn không sau thời hạn của nhiệm vụ cha",
    )


class TaskItem(Out):
    id: int
    directive: DirectiveRef
    clause: str
    content: str
    lead_unit: UnitRef
    state: str
    state_label: str
    kind: str
    bucket: str
    bucket_label: str
    due_date: date | None
    # The deadline the bucket is judged by: a deadline on a day off counts until the next working day (issue 14).
    effective_due_date: date | None
    # Result submitted, counted by its document's date (completed_on), not yet confirmed (*chờ xác nhận*).
    awaiting_confirmation: bool
    report_due: date | None
    assigned_on: date | None
    completed_on: date | None
    progress: int
    parent_id: int | None  # the task tree: the task this one was derived from
    version: int
    url: str


class EventOut(Out):
    at: datetime
    action: str
    action_label: str
    actor: str
    changes: dict[str, Any]
    note: str


class TaskOut(TaskItem):
    requirements: str
    coordinating_units: list[UnitRef]
    accountable_head: str
    officer: str
    original_due_date: date | None
    internal_due_date: date | None
    due_text: str
    report_text: str
    report_day_of_month: int | None
    must_submit: bool
    must_report: bool
    secret: bool
    deadline_changes: int
    pending_request: bool
    children: list[int]  # the ids of its children the caller may see
    allowed_actions: list[str]
    events: list[EventOut]


class Page(Out):
    count: int = Field(description="Tổng số bản ghi khớp bộ lọc")
    limit: int
    offset: int


class TaskPage(Out):
    count: int | None = Field(
        description="Tổng số bản ghi khớp bộ lọc (null khi phân trang bằng con trỏ after)"
    )
    limit: int
    offset: int
    next: str | None = Field(description="Con trỏ của trang sau (gửi lại trong «after»); null ở trang cuối")
    items: list[TaskItem]


class DirectivePage(Page):
    items: list[DirectiveOut]


class UnitPage(Page):
    items: list[UnitOut]


class PersonPage(Page):
    items: list[PersonOut]


class NotificationOut(Out):
    id: int
    task_id: int | None  # None: a notification about something else (report, discipline deadline), see `link`
    link: str
    title: str
    body: str
    rule_name: str
    step_day: date
    deadline: date | None
    working_days_late: int
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Page):
    items: list[NotificationOut]


class PeriodOut(Out):
    kind: str
    label: str
    start: date
    end: date


class CountsOut(Out):
    key: str
    label: str
    due: int
    on_time: int
    late: int
    completed: int
    in_deadline: int = Field(description="Đang thực hiện trong hạn (kể cả sắp đến hạn)")
    due_soon: int = Field(description="Trong đó sắp đến hạn (một phần của in_deadline)")
    overdue: int
    no_deadline: int
    extended: int
    completion_rate: float | None
    on_time_rate: float | None
    avg_days_late: float | None
    avg_days_overdue: float | None


class EvaluationOut(Out):
    period: PeriodOut
    ref: date
    by: str
    rows: list[CountsOut]
