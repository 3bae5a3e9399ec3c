"""Demo data (`dondoc loaddemo`): the registry, people for every department and 20 wards/communes, the dispatch
3031/UBND-TKBT with the tasks its text assigns, and a year of realistic directives (about 3,000 tasks)."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from dondoc.core.text import fold
from dondoc.demo import history, synth
from dondoc.directives.models import Authority, Directive
from dondoc.org import roles
from dondoc.org.models import Person, Unit
from dondoc.org.registry import load_units
from dondoc.tracking import actions
from dondoc.tracking import timeliness as tl
from dondoc.workdays import calendar
from dondoc.workdays.models import CalendarDay

PASSWORD = "dondoc-demo-2026"
WARDS_WITH_PEOPLE = 20
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Đức", "Hồng", "Quang", "Thanh", "Ngọc", "Hải"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hà",
    "Hùng",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Phương",
    "Quân",
    "Sơn",
    "Thảo",
    "Trang",
    "Tuấn",
    "Việt",
    "Yến",
    "Hạnh",
]

FIXED_ACCOUNTS = [
    (
        "lanhdao.chutich",
        "Lãnh đạo Thành phố (Chủ tịch UBND)",
        "H26",
        Person.Role.LEADER,
        Person.Position.HEAD,
    ),
    (
        "lanhdao.pct",
        "Lãnh đạo Thành phố (Phó Chủ tịch UBND)",
        "H26",
        Person.Role.LEADER,
        Person.Position.DEPUTY,
    ),
    (
        "vp.theodoi1",
        "Chuyên viên theo dõi, Văn phòng UBND",
        "VPUBND",
        Person.Role.TRACKING_OFFICER,
        Person.Position.OFFICER,
    ),
    (
        "vp.theodoi2",
        "Chuyên viên theo dõi, Văn phòng UBND",
        "VPUBND",
        Person.Role.TRACKING_OFFICER,
        Person.Position.OFFICER,
    ),
    ("snv.thanhtra1", "Thanh tra công vụ, Sở Nội vụ", "SNV", Person.Role.INSPECTOR, Person.Position.OFFICER),
    ("snv.thanhtra2", "Thanh tra công vụ, Sở Nội vụ", "SNV", Person.Role.INSPECTOR, Person.Position.OFFICER),
    ("quantri", "Quản trị hệ thống", "VPUBND", Person.Role.ADMIN, Person.Position.OFFICER),
]


def _slug(unit: Unit) -> str:
    if unit.kind in (Unit.Kind.WARD, Unit.Kind.COMMUNE):
        return fold(unit.name.removeprefix("UBND ")).replace(" ", "-")
    return fold(unit.abbr or unit.code).replace(" ", "")


def demo_units(wards: int | None = WARDS_WITH_PEOPLE) -> list[Unit]:
    """The units that get people in the demo: every department and the first `wards` wards/communes by name (all
    of them when None: `make load`'s busy hour of a city)."""
    departments = list(Unit.objects.filter(kind=Unit.Kind.DEPARTMENT).order_by("name"))
    local = list(Unit.objects.filter(kind__in=[Unit.Kind.WARD, Unit.Kind.COMMUNE]).order_by("name")[:wards])
    return departments + local


def demo_logins() -> dict[str, object]:
    """What the login page lists when DEMO is on: the fixed accounts and one head and officer of a few units."""
    accounts = [{"username": u, "description": d} for u, d, *_ in FIXED_ACCOUNTS]
    for slug, name in (
        ("snv", "Sở Nội vụ"),
        ("sxd", "Sở Xây dựng"),
        ("phuong-ba-dinh", "UBND phường Ba Đình"),
    ):
        accounts.append({"username": f"{slug}.truong", "description": f"Thủ trưởng, {name}"})
        accounts.append({"username": f"{slug}.cv1", "description": f"Chuyên viên, {name}"})
    return {"password": PASSWORD, "accounts": accounts}


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _people(rng: random.Random, wards: int | None = WARDS_WITH_PEOPLE) -> None:
    User = get_user_model()
    password = make_password(PASSWORD)  # hashed once: every demo account shares it
    plan: list[tuple[str, str, Unit, str, str, str]] = []
    for username, title, code, fixed_role, fixed_position in FIXED_ACCOUNTS:
        plan.append((username, _name(rng), Unit.objects.get(code=code), fixed_role, fixed_position, title))
    for unit in demo_units(wards):
        slug = _slug(unit)
        plan.append(
            (f"{slug}.truong", _name(rng), unit, Person.Role.UNIT_HEAD, Person.Position.HEAD, "Thủ trưởng")
        )
        for i in (1, 2):
            plan.append(
                (
                    f"{slug}.cv{i}",
                    _name(rng),
                    unit,
                    Person.Role.UNIT_OFFICER,
                    Person.Position.OFFICER,
                    "Chuyên viên",
                )
            )
    for username, full_name, unit, role, position, title in plan:
        user = User.objects.create(
            username=username,
            password=password,
            first_name=full_name,  # Vietnamese order: family name first, so keep the whole name here
            email=f"{username}@demo.dondoc.local",
            is_staff=role == Person.Role.ADMIN,
            is_superuser=role == Person.Role.ADMIN,
        )
        Person.objects.create(
            user=user,
            full_name=full_name,
            unit=unit,
            role=role,
            position=position,
            title=title,
            email=user.email,
            cleared_for_secrets=role in roles.CITY_OFFICE | {Person.Role.LEADER},
        )


def load_dispatch_3031() -> Directive:
    """The dispatch itself, with the tasks its text assigns (seed_3031-UBND-TKBT.txt)."""
    city = Unit.objects.get(code="H26")
    office = Unit.objects.get(code="VPUBND")
    home_affairs = Unit.objects.get(code="SNV")
    tracker = get_user_model().objects.get(username="vp.theodoi1")
    directive = Directive.objects.create(
        notation="3031/UBND-TKBT",
        number=3031,
        symbol="UBND-TKBT",
        year=2020,
        doc_type="",
        issuer=city,
        authority=Authority.CITY_COMMITTEE,
        drafting_unit="TKBT",
        issued_on=date(2020, 7, 10),
        subject=(
            "V/v nâng cao kỷ luật, kỷ cương hành chính trong chấp hành và thực hiện các nhiệm vụ của Chính phủ, "
            "Thủ tướng Chính phủ, Thành ủy, HĐND, UBND Thành phố giao"
        ),
        signer_prefix="CHỦ TỊCH",
        signer_position="Chủ tịch UBND Thành phố",
        recipients="Các sở, ban, ngành Thành phố; UBND các quận, huyện, thị xã",
    )
    heads_text = (
        "Phân công rõ người, rõ việc, rõ trách nhiệm, rõ thời gian thực hiện; chịu trách nhiệm cá nhân trước Thành ủy, "
        "UBND Thành phố về việc bảo đảm hoàn thành đúng tiến độ, đúng yêu cầu tất cả các nhiệm vụ được giao; khi tham "
        "mưu ban hành văn bản chỉ đạo, điều hành phải xác định cụ thể thời hạn hoàn thành đối với tất cả các nhiệm vụ giao."
    )
    parent = actions.create_task(
        directive,
        lead_unit=office,
        content=heads_text,
        user=tracker,
        clause="Đoạn 2",
        requirements="Giám đốc, Thủ trưởng các sở, ban, ngành và Chủ tịch UBND cấp xã thực hiện; Văn phòng UBND Thành phố theo dõi.",
    )
    children = [
        actions.create_task(
            directive, lead_unit=u, content=heads_text, user=tracker, clause="Đoạn 2", parent=parent
        )
        for u in Unit.objects.filter(kind=Unit.Kind.DEPARTMENT).exclude(pk=office.pk).order_by("name")
    ]
    tasks = [parent, *children]

    def add(lead_unit: Unit, **fields: Any) -> None:
        tasks.append(actions.create_task(directive, lead_unit=lead_unit, user=tracker, **fields))

    add(
        office,
        clause="Đoạn 3",
        content=(
            "Khi rà soát, trình ban hành văn bản chỉ đạo, điều hành, văn bản giao nhiệm vụ: xác định rõ địa chỉ, rõ "
            "trách nhiệm, một việc chỉ giao cho một cơ quan chịu trách nhiệm xuyên suốt; ghi rõ thời hạn hoàn thành, "
            "thời hạn báo cáo và yêu cầu cụ thể đối với từng nhiệm vụ giao."
        ),
        requirements="Tính toán, định lượng thời gian thực hiện phù hợp với từng nội dung công việc.",
    )
    add(
        office,
        clause="Đoạn 4",
        must_report=True,
        content=(
            "Là cơ quan đầu mối giúp UBND Thành phố, Chủ tịch UBND Thành phố đôn đốc việc thực hiện nhiệm vụ giao; "
            "chủ động, thường xuyên đánh giá tình hình thực hiện nhiệm vụ của các sở, ban, ngành và UBND cấp dưới, "
            "kịp thời báo cáo UBND Thành phố, Chủ tịch UBND Thành phố."
        ),
    )
    add(
        home_affairs,
        clause="Đoạn 5",
        content=(
            "Là cơ quan đầu mối tổ chức các đoàn thanh tra, kiểm tra công vụ việc thực hiện các nhiệm vụ được giao, "
            "gồm cả bốn loại: có thời hạn, phải trình, báo cáo hoặc không; không có thời hạn, phải trình, báo cáo hoặc không."
        ),
    )
    add(
        home_affairs,
        clause="Đoạn 5",
        must_report=True,
        report_day_of_month=25,
        report_text="trước ngày 25 hằng tháng",
        content=(
            "Kịp thời tham mưu, đề xuất Chủ tịch UBND Thành phố chấn chỉnh, kiểm điểm trách nhiệm của tập thể, cá nhân "
            "cố tình chậm trễ, thiếu trách nhiệm trong thực hiện nhiệm vụ giao; định kỳ báo cáo UBND Thành phố kết quả "
            "thực hiện trước ngày 25 hằng tháng."
        ),
    )
    for task in tasks:
        actions.assign(task, tracker, on=date(2020, 7, 10))
    return directive


def ensure_reference_data() -> None:
    """The official calendar and the unit registry, which the migrations load into every install: loaded again only
    when a table is empty (a test database after a flush), so the demo itself adds only people and tasks."""
    if not CalendarDay.objects.exists():
        calendar.load_csv()
    if not Unit.objects.exists():
        load_units()


@transaction.atomic
def load(
    n_tasks: int = 3000,
    ref: date | None = None,
    seed: int = 3031,
    *,
    wards: int | None = WARDS_WITH_PEOPLE,
    history_events: bool = True,
    insert: Callable[[list[Any]], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Load the whole demo into an empty database; returns what was created.

    `make load` builds a city's worth (bench/load/build.py): people in every ward (`wards=None`), no history rows
    (`history_events=False`: each task's events and the replayed reminders cost more than the task itself), the
    rows written by the benchmarks' COPY writer (`insert`), with a `progress` callback."""
    from django.utils import timezone

    ref = ref or timezone.localdate()
    rng = random.Random(seed)
    ensure_reference_data()
    _people(rng, wards)
    load_dispatch_3031()
    units = demo_units(wards)
    people = Person.objects.filter(unit__in=units, role__in=roles.UNIT_PEOPLE)
    heads = {p.unit_id: p.pk for p in people if p.position == Person.Position.HEAD}
    officers: dict[int, list[int]] = {}
    for p in people:
        if p.position == Person.Position.OFFICER:
            officers.setdefault(p.unit_id, []).append(p.pk)
    spec = synth.Spec(
        n_tasks=n_tasks,
        ref=ref,
        units=[u for u in units if u.code != "VPUBND"],
        issuers=synth.hanoi_issuers(),
        calendar=calendar.current(),
        seed=seed,
        heads=heads,
        officers=officers,
        actor_ids=dict(Person.objects.filter(user__isnull=False).values_list("pk", "user_id")),
        city_office_user=get_user_model().objects.get(username="vp.theodoi1").pk,
        batch=1000 if insert is None else 10000,
        with_history=history_events,
        insert=insert,
        progress=progress,
    )
    n_directives, n_generated = synth.generate(spec)
    reminders = history.replay_followups() if history_events else 0
    return {
        "units": Unit.objects.count(),
        "people": Person.objects.count(),
        "directives": n_directives + 1,
        "tasks": n_generated,
        "reminders": reminders,
    }


def summary_counters() -> list:
    """The counters `loaddemo` prints: every bucket, due soon as a part of within deadline."""
    from dondoc.tracking.queries import counters

    return counters(summary_counts(), untracked=tl.NOT_TRACKED)


def summary_counts() -> dict[str, int]:
    from dondoc.core.dates import today
    from dondoc.tracking.models import Task
    from dondoc.tracking.queries import bucket_counts
    from dondoc.tracking.timeliness import soon_limit

    ref = today()
    return bucket_counts(Task.objects.all(), ref, soon_limit(ref))
