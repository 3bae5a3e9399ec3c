"""Every set of roles (*vai trò*, DOMAIN.md §2) in one place: a page, an API endpoint or a rule names the set it
admits, never its members, so that changing who may do something is one line here."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The role of a person (`Person.Role`), which decides what they see and may do."""

    LEADER = "leader", _("Lãnh đạo Thành phố")
    TRACKING_OFFICER = "tracking_officer", _("Chuyên viên theo dõi (VP UBND)")
    UNIT_HEAD = "unit_head", _("Thủ trưởng đơn vị")
    UNIT_OFFICER = "unit_officer", _("Chuyên viên đơn vị")
    INSPECTOR = "inspector", _("Thanh tra công vụ (Sở Nội vụ)")
    ADMIN = "admin", _("Quản trị")


# The City Office (*Văn phòng UBND Thành phố*): its tracking officers and the administrators. They register
# directives, assign and confirm tasks, urge, and issue documents.
CITY_OFFICE = frozenset({Role.TRACKING_OFFICER, Role.ADMIN})
# The people of a unit (*đơn vị*): its head and its officers; they see and act on their own unit's tasks.
UNIT_PEOPLE = frozenset({Role.UNIT_HEAD, Role.UNIT_OFFICER})
# Who sees every unit's tasks and reads the evaluation and the periodic reports: the leaders, the City Office and
# the inspectors (`Person.sees_everything`).
SEES_EVERYTHING = frozenset({Role.LEADER, Role.INSPECTOR}) | CITY_OFFICE
# Who may decide an extension or a withdrawal (`tracking.permissions.decides_for_authority` narrows it per task).
DECIDERS = frozenset({Role.LEADER, Role.TRACKING_OFFICER})
# Who checks a draft directive (*kiểm tra dự thảo*): the City Office and the leaders.
DRAFT_CHECKERS = CITY_OFFICE | {Role.LEADER}
# Who makes the periodic reports: the City Office and the inspectors.
REPORT_MAKERS = CITY_OFFICE | {Role.INSPECTOR}
# Who plans and edits inspections (*thanh tra công vụ*): the inspectors and the administrators.
INSPECTION_EDITORS = frozenset({Role.INSPECTOR, Role.ADMIN})
