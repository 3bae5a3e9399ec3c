"""The top menu, grouped by role: the few entries a role uses every day on the bar (at most ``MAX_ON_BAR``), the
rest of what it may open under "Khác", and the account's own pages (API keys, two-factor login) under the user's
name. Which pages a role may open is decided by each app's own rule (the sets its views admit); this module only
orders them. It sits at the top of the house, beside ``urls.py``, because it names every app's pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from dondoc.accounts.templatetags.twofactor_tags import can_use_twofactor
from dondoc.api.templatetags.api_tags import can_hold_api_tokens, can_import_spreadsheets
from dondoc.core.links import url_of
from dondoc.drafting.templatetags.drafting import can_check_drafts
from dondoc.evaluation.templatetags.dashboard_tags import can_see_dashboard
from dondoc.evaluation.templatetags.report_tags import can_read_reports
from dondoc.org.access import person_of
from dondoc.org.models import Person
from dondoc.tracking.unit_history import may_record as may_record_unit_changes

MAX_ON_BAR = 6  # plus "Khác": seven entries at most; with the account and a long name, one line at 1280 px

R = Person.Role


@dataclass(frozen=True)
class Entry:
    key: str
    label: str
    url: str


# The entries on the bar for each role, in order; any other entry the role may open goes under "Khác".
ON_BAR: dict[str | None, tuple[str, ...]] = {
    R.LEADER: ("home", "tasks", "dashboard", "reports", "directives"),
    R.TRACKING_OFFICER: ("home", "tasks", "directives", "outgoing", "dashboard"),
    R.UNIT_HEAD: ("home", "tasks", "directives", "outgoing", "inspection"),
    R.UNIT_OFFICER: ("home", "tasks", "directives", "outgoing", "inspection"),
    R.INSPECTOR: ("home", "tasks", "inspection", "dashboard", "reports"),
    R.ADMIN: ("home", "tasks", "directives", "admin", "audit"),
    None: ("home", "tasks", "directives", "admin", "audit"),  # an account with no person (a superuser)
}
ACCOUNT = ("tokens", "twofactor")


def _allowed(user: Any, person: Person | None) -> dict[str, tuple[str, str]]:
    """Every page this user may open from the menu: key → (label, url)."""
    entries = {
        "home": ("Trang chủ", url_of("home")),
        "tasks": ("Nhiệm vụ", url_of("tracking:task_list")),
        "directives": ("Văn bản chỉ đạo", url_of("directives:list")),
        "outgoing": ("Văn bản đi", url_of("documents:register")),
    }
    if can_see_dashboard(user):
        entries["dashboard"] = ("Thống kê, đánh giá", url_of("evaluation:dashboard"))
    if can_read_reports(user):
        entries["reports"] = ("Báo cáo", url_of("evaluation:report_list"))
    if person is not None:
        entries["inspection"] = ("Kiểm tra công vụ", url_of("inspection:plan_list"))
    if can_check_drafts(user):
        entries["drafting"] = ("Kiểm tra dự thảo", url_of("drafting:check"))
    if can_import_spreadsheets(user):
        entries["import"] = ("Nhập từ Excel", url_of("api:import"))
        entries["edxml"] = ("Nhận edXML", url_of("api:edxml"))
    if can_hold_api_tokens(user):
        entries["tokens"] = ("Khóa API", url_of("api:tokens"))
    if can_use_twofactor(user):
        entries["twofactor"] = ("Xác thực hai bước", url_of("otp_setup"))
    if user.is_staff:
        entries["admin"] = ("Quản trị", url_of("admin:index"))
        entries["audit"] = ("Nhật ký", url_of("audit:list"))
    if may_record_unit_changes(user):
        entries["unit_change"] = ("Sáp nhập, chia tách đơn vị", url_of("tracking:unit_change"))
    if user.is_superuser or (person is not None and person.role == R.ADMIN):
        entries["calendar"] = ("Lịch nghỉ lễ", url_of("workdays:year"))
    return entries


def menu_for(user: Any) -> dict[str, list[Entry]]:
    """The menu of a signed-in user: ``bar`` (at most MAX_ON_BAR), ``more`` ("Khác") and ``account``."""
    person = person_of(user)
    allowed = _allowed(user, person)
    on_bar = ON_BAR.get(person.role if person is not None else None, ON_BAR[None])
    bar = [Entry(k, *allowed[k]) for k in on_bar if k in allowed][:MAX_ON_BAR]
    taken = {e.key for e in bar} | set(ACCOUNT)
    more = [Entry(k, *v) for k, v in allowed.items() if k not in taken]
    account = [Entry(k, *allowed[k]) for k in ACCOUNT if k in allowed]
    return {"bar": bar, "more": more, "account": account}


def main_menu(request: HttpRequest) -> dict[str, object]:
    """Context processor: ``menu`` for a signed-in user, nothing otherwise."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"menu": menu_for(user)}
