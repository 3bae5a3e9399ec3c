"""Units (*cơ quan, đơn vị*), versioned in time, and the people who work in them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import connection, models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dondoc.core.text import fold
from dondoc.org import roles


class UnitQuerySet(models.QuerySet["Unit"]):
    def by_organ_id(self, organ_id: str) -> Unit | None:
        """The unit an edXML `OrganId` names: by electronic identifier (000.00.00.H26), else by short code."""
        return self.filter(identifier=organ_id).first() or self.filter(code=organ_id).first()

    def former(self) -> UnitQuerySet:
        """Units whose validity has an end (*đơn vị cũ*: merged, split or dissolved)."""
        return self.filter(valid_to__isnull=False)

    def assignable(self) -> UnitQuerySet:
        """Units that may lead a task: departments, divisions, wards, communes and the City Office."""
        return self.filter(kind__in=Unit.ASSIGNABLE_KINDS, valid_to__isnull=True)


#: The electronic identifier code of an agency (*mã định danh điện tử*, Decision 20/2020/QĐ-TTg): four dotted levels,
#: the first a letter and two digits (H26 Hanoi, G22 the Government Office), e.g. 000.00.00.H26.
IDENTIFIER_FORMAT = RegexValidator(
    r"^[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}$",
    _("Mã định danh điện tử phải có dạng 000.00.00.H26 (bốn cấp, cách nhau bởi dấu chấm)."),
)


class Unit(models.Model):
    """An agency or unit. Units merge, split and disappear: `valid_from`/`valid_to` (the unit exists on days
    valid_from ≤ day < valid_to) and `successors` keep the history."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Chính phủ")
        PRIME_MINISTER = "prime_minister", _("Thủ tướng Chính phủ")
        PARTY_COMMITTEE = "party_committee", _("Thành ủy")
        PEOPLES_COUNCIL = "peoples_council", _("Hội đồng nhân dân")
        CITY_COMMITTEE = "city_committee", _("Ủy ban nhân dân Thành phố")
        CHAIRMAN = "chairman", _("Chủ tịch UBND")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        DIVISION = "division", _("Phòng, ban thuộc đơn vị")
        WARD = "ward", _("Phường")
        COMMUNE = "commune", _("Xã")
        HISTORIC_DISTRICT = "historic_district", _("Quận, huyện, thị xã (cũ)")

    ASSIGNABLE_KINDS = (Kind.DEPARTMENT, Kind.DIVISION, Kind.WARD, Kind.COMMUNE)

    code = models.CharField(
        _("mã đơn vị"), max_length=35, unique=True, help_text=_("Mã ngắn trong hệ thống, ví dụ SNV.")
    )
    identifier = models.CharField(
        _("mã định danh điện tử"),
        max_length=35,
        blank=True,
        validators=[IDENTIFIER_FORMAT],
        help_text=_(
            "Mã định danh theo danh mục quốc gia (4 cấp), ví dụ 000.00.00.H26; dùng làm OrganId khi trao đổi edXML."
        ),
    )
    abbr = models.CharField(_("viết tắt"), max_length=30, blank=True)
    name = models.CharField(_("tên"), max_length=200)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("trực thuộc")
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hết hiệu lực từ"), null=True, blank=True)
    # A merger gives a former unit one successor; a split several (a district divided among wards, Resolution
    # 1656/NQ-UBTVQH15). Which successor takes each open task is decided task by task (`tracking.unit_history`).
    successors = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="predecessors",
        verbose_name=_("đơn vị kế thừa"),
    )
    search = models.CharField(max_length=300, editable=False, db_index=True, default="")

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
                name="unit_valid_range",
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."),
            ),
            models.UniqueConstraint(
                fields=["identifier"],
                condition=~Q(identifier=""),
                name="unit_identifier_unique",
                violation_error_message=_("Mã định danh điện tử này đã được gán cho đơn vị khác."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.search = fold(f"{self.name} {self.abbr} {self.code} {self.identifier}")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def organ_id(self) -> str:
        """The code this unit goes by in electronic exchange (edXML `OrganId`): its electronic identifier when
        entered, else its short code."""
        return self.identifier or self.code

    @property
    def short(self) -> str:
        return self.abbr or self.name

    def current_head(self) -> Person | None:
        """The unit's head now: its active person in the head's position (the first registered, if several).
        Written as SQL: every assignment asks, and the ORM takes longer to build the statement than the database
        takes to answer it (issue 19)."""
        table = connection.ops.quote_name(Person._meta.db_table)
        found = Person.objects.raw(
            f"SELECT * FROM {table} WHERE unit_id = %s AND position = %s AND active ORDER BY id LIMIT 1",
            [self.pk, Person.Position.HEAD],
        )
        head = next(iter(found), None)
        if head is not None:
            head.unit = self  # known, as `self.people` would set it (its name is in the head's `str`)
        return head


class Person(models.Model):
    """A person with a position in a unit, a role in the product and (usually) a login."""

    class Position(models.TextChoices):
        HEAD = "head", _("Thủ trưởng")
        DEPUTY = "deputy", _("Cấp phó")
        OFFICER = "officer", _("Chuyên viên")

    Role = roles.Role

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("tài khoản"),
    )
    full_name = models.CharField(_("họ và tên"), max_length=120)
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="people", verbose_name=_("đơn vị"))
    position = models.CharField(_("chức vụ"), max_length=10, choices=Position.choices)
    title = models.CharField(_("chức danh"), max_length=120, blank=True)
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    cleared_for_secrets = models.BooleanField(_("được xem tài liệu mật"), default=False)
    decides_by_delegation = models.BooleanField(
        _("được ủy quyền quyết định điều chỉnh thời hạn, rút nhiệm vụ"),
        default=False,
        help_text=_(
            "Chỉ với chuyên viên Văn phòng UBND: quyết định thay lãnh đạo về đề nghị điều chỉnh thời hạn, rút nhiệm vụ"
            " do UBND, Chủ tịch UBND Thành phố giao."
        ),
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    active = models.BooleanField(_("đang công tác"), default=True)

    class Meta:
        ordering = ["unit__name", "position", "full_name"]
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_position_display()}, {self.unit.short})"

    @property
    def sees_everything(self) -> bool:
        """The City Office, the leaders and the inspectors see every unit's tasks (DOMAIN.md §2)."""
        return self.role in roles.SEES_EVERYTHING
