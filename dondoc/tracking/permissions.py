"""Who may do what to a task: one rule per action, used by the pages, the API and the domain functions."""

from __future__ import annotations

from dondoc.core.text import fold
from dondoc.directives.models import HIGHER_AUTHORITIES
from dondoc.org.models import Person
from dondoc.org.roles import CITY_OFFICE, DECIDERS, UNIT_PEOPLE
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task

Role = Person.Role


def _of_lead_unit(person: Person, task: Task) -> bool:
    return person.role in UNIT_PEOPLE and person.unit_id == task.lead_unit_id


def _of_coordinating_unit(person: Person, task: Task) -> bool:
    if person.role not in UNIT_PEOPLE:
        return False
    # the coordinators the caller has read with the task (the API's task, the task page)
    loaded = getattr(task, "_prefetched_objects_cache", {}).get("coordinations")
    if loaded is not None:
        return any(c.unit_id == person.unit_id for c in loaded)
    return task.coordinations.filter(unit_id=person.unit_id).exists()


def has_pending_request(task: Task) -> bool:
    """Whether a request to change the deadline or withdraw waits for a decision; the caller may have asked
    already (`task._pending_request`, set by the API's task)."""
    known = getattr(task, "_pending_request", None)
    if known is not None:
        return bool(known)
    return task.deadline_requests.filter(status="pending").exists()


def decides_for_authority(person: Person, task: Task) -> bool:
    """Who decides an extension or a withdrawal is the assigning authority (DOMAIN.md §5):

    - a task of the city (UBND, its Chairman): the Chairman, or the vice-chairman in charge (the leader who signed
      the directive; any leader when it names no signer), or a City Office officer to whom an administrator
      delegated these decisions (`Person.decides_by_delegation`);
    - a task of a higher authority (Chính phủ, Thủ tướng, Thành ủy, HĐND): only that authority decides; the City
      Office records its decision (number and date of the decision document required, see
      `actions.decide_change`), and the city's leaders cannot decide in its place.
    """
    if task.directive.authority in HIGHER_AUTHORITIES:
        return person.role == Role.TRACKING_OFFICER
    if person.role == Role.TRACKING_OFFICER:
        return person.decides_by_delegation
    if person.role != Role.LEADER:
        return False
    signer = task.directive.signer_name
    return person.position == Person.Position.HEAD or not signer or fold(signer) == fold(person.full_name)


RULES = {
    # The City Office issues a directive's tasks on behalf of the assigning authority.
    # An inspector also issues the remedies of a notice of inspection results that the inspector's unit issued.
    "assign": lambda p, t: (
        (
            p.role in CITY_OFFICE | {Role.LEADER}
            or (p.role == Role.INSPECTOR and t.directive.issuer_id == p.unit_id)
        )
        and t.state == tl.DRAFT
    ),
    "acknowledge": lambda p, t: _of_lead_unit(p, t) and t.state == tl.ASSIGNED,
    # Only the head of the lead unit names the officer and the internal deadline.
    "delegate": lambda p, t: _of_lead_unit(p, t) and p.position == Person.Position.HEAD and t.is_open,
    "contribute": lambda p, t: _of_coordinating_unit(p, t) and t.is_open,
    "report_progress": lambda p, t: _of_lead_unit(p, t) and t.state == tl.IN_PROGRESS,
    "submit_result": lambda p, t: _of_lead_unit(p, t) and t.state == tl.IN_PROGRESS,
    "confirm_completion": lambda p, t: p.role in CITY_OFFICE and t.state == tl.RESULT_SUBMITTED,
    "return_result": lambda p, t: p.role in CITY_OFFICE and t.state == tl.RESULT_SUBMITTED,
    "request_change": lambda p, t: _of_lead_unit(p, t) and t.is_open,
    "decide_change": lambda p, t: decides_for_authority(p, t) and has_pending_request(t),
    "change_lead": lambda p, t: p.role in CITY_OFFICE and t.state not in (tl.COMPLETED, tl.CANCELLED),
    # A higher authority's task is withdrawn by that authority: the City Office records it, no city leader decides it.
    "cancel": lambda p, t: (
        p.role in DECIDERS
        and t.state not in (tl.COMPLETED, tl.CANCELLED)
        and (p.role == Role.TRACKING_OFFICER or t.directive.authority not in HIGHER_AUTHORITIES)
    ),
    # The City Office registers a higher authority's task and gives its parts to the city's units (the task tree);
    # one level only, and only while the task is tracked.
    "derive": lambda p, t: (
        p.role in CITY_OFFICE and t.parent_id is None and t.state not in (tl.COMPLETED, tl.CANCELLED)
    ),
    # The City Office is the focal point that urges (dispatch 3031 §4), e.g. by an urging letter.
    "urge": lambda p, t: p.role in CITY_OFFICE and t.is_open,
}

DENIED = {
    "assign": "Chỉ Văn phòng UBND hoặc lãnh đạo Thành phố được giao nhiệm vụ dự thảo.",
    "acknowledge": "Chỉ đơn vị chủ trì được tiếp nhận nhiệm vụ vừa giao.",
    "delegate": "Chỉ thủ trưởng đơn vị chủ trì được phân công cán bộ.",
    "contribute": "Chỉ đơn vị phối hợp được gửi ý kiến phối hợp.",
    "report_progress": "Chỉ đơn vị chủ trì được báo cáo tiến độ nhiệm vụ đang thực hiện.",
    "submit_result": "Chỉ đơn vị chủ trì được gửi kết quả nhiệm vụ đang thực hiện.",
    "confirm_completion": "Chỉ Văn phòng UBND được xác nhận hoàn thành kết quả đã gửi.",
    "return_result": "Chỉ Văn phòng UBND được trả lại kết quả đã gửi.",
    "request_change": "Chỉ đơn vị chủ trì được đề nghị điều chỉnh thời hạn nhiệm vụ đang mở.",
    "decide_change": (
        "Chỉ cấp giao nhiệm vụ được quyết định đề nghị đang chờ: nhiệm vụ UBND, Chủ tịch UBND giao do Chủ tịch,"
        " Phó Chủ tịch phụ trách (hoặc Văn phòng UBND được ủy quyền) quyết định; nhiệm vụ Chính phủ, Thủ tướng,"
        " Thành ủy, HĐND giao do Văn phòng UBND ghi nhận văn bản quyết định của cấp đó."
    ),
    "change_lead": "Chỉ Văn phòng UBND được thay đổi đơn vị chủ trì.",
    "cancel": (
        "Chỉ cấp giao nhiệm vụ được hủy, rút nhiệm vụ đang mở (nhiệm vụ Chính phủ, Thủ tướng, Thành ủy, HĐND giao:"
        " Văn phòng UBND ghi nhận quyết định của cấp đó)."
    ),
    "derive": (
        "Chỉ Văn phòng UBND được giao nhiệm vụ con, từ một nhiệm vụ gốc chưa hoàn thành, chưa hủy, rút."
    ),
    "urge": "Chỉ Văn phòng UBND được đôn đốc nhiệm vụ đang mở.",
}


def may(person: Person | None, action: str, task: Task) -> bool:
    """Whether `person` may perform `action` on `task` now (role, unit and state together)."""
    if person is None or not person.active:
        return False
    return bool(RULES[action](person, task))


def allowed_actions(person: Person | None, task: Task) -> list[str]:
    return [action for action in RULES if may(person, action, task)]
