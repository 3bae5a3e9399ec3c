"""The register of direction documents (*văn bản chỉ đạo, điều hành*), fields of Decree 30/2020 Appendix VI."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dondoc.core.links import url_by_id
from dondoc.core.text import fold
from dondoc.directives.notation import symbol_key
from dondoc.org.models import Unit


class Authority(models.TextChoices):
    """The level that assigned the task (*cấp giao nhiệm vụ*): the six the dispatch 3031 lists (DOMAIN.md §1)."""

    GOVERNMENT = "government", _("Chính phủ")
    PRIME_MINISTER = "prime_minister", _("Thủ tướng Chính phủ")
    PARTY_COMMITTEE = "party_committee", _("Thành ủy")
    PEOPLES_COUNCIL = "peoples_council", _("HĐND Thành phố")
    CITY_COMMITTEE = "city_committee", _("UBND Thành phố")
    CHAIRMAN = "chairman", _("Chủ tịch UBND Thành phố")


#: Authorities above the city (*cấp trên*): the city carries out their tasks, and only they decide an extension or a
#: withdrawal; the City Office records their decision (DOMAIN.md §5).
HIGHER_AUTHORITIES = frozenset(
    {Authority.GOVERNMENT, Authority.PRIME_MINISTER, Authority.PARTY_COMMITTEE, Authority.PEOPLES_COUNCIL}
)


class DirectiveQuerySet(models.QuerySet["Directive"]):
    def same_notation(self, number: int, symbol: str, issuer: Unit | int, year: int) -> DirectiveQuerySet:
        """The directive registered under this number, symbol (in any spelling: case, dashes, spaces), issuer and
        year: at most one, by the constraint `directive_unique_notation_key`."""
        return self.filter(number=number, symbol_key=symbol_key(symbol), issuer=issuer, year=year)

    def visible_to(self, user: object) -> DirectiveQuerySet:
        """A secret directive is shown only to those cleared for secrets; the rest to every signed-in person."""
        from dondoc.org.access import person_of

        person = person_of(user)
        if person is None:
            return self.none()
        if person.cleared_for_secrets:
            return self
        return self.filter(secrecy="")

    def may_see(self, user: object, directive: Directive) -> bool:
        """`visible_to` for one directive already read, without a query (the person is cached on the user)."""
        from dondoc.org.access import person_of

        person = person_of(user)
        return person is not None and (person.cleared_for_secrets or not directive.secrecy)


class Directive(models.Model):
    class Urgency(models.TextChoices):
        NORMAL = "", _("Thường")
        URGENT = "khan", _("Khẩn")
        VERY_URGENT = "thuong_khan", _("Thượng khẩn")
        FLASH = "hoa_toc", _("Hỏa tốc")

    class Secrecy(models.TextChoices):
        NONE = "", _("Không mật")
        SECRET = "mat", _("Mật")
        TOP_SECRET = "toi_mat", _("Tối mật")
        ULTRA_SECRET = "tuyet_mat", _("Tuyệt mật")

    notation = models.CharField(_("số, ký hiệu"), max_length=60)
    number = models.PositiveIntegerField(_("số"))
    symbol = models.CharField(_("ký hiệu"), max_length=50)
    # `notation.symbol_key(symbol)`, set on save: the spelling-blind form the uniqueness constraint holds.
    symbol_key = models.CharField(max_length=50, editable=False)
    year = models.PositiveSmallIntegerField(_("năm"))
    doc_type = models.CharField(_("loại văn bản"), max_length=10, blank=True)
    issuer = models.ForeignKey(
        Unit, models.PROTECT, related_name="directives", verbose_name=_("cơ quan ban hành")
    )
    authority = models.CharField(_("cấp giao"), max_length=20, choices=Authority.choices)
    drafting_unit = models.CharField(_("đơn vị soạn thảo"), max_length=30, blank=True)
    place = models.CharField(_("địa danh"), max_length=60, default="Hà Nội")
    issued_on = models.DateField(_("ngày ban hành"))
    subject = models.CharField(_("trích yếu"), max_length=500)
    signer_prefix = models.CharField(_("quyền hạn ký"), max_length=10, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    signer_position = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True)
    urgency = models.CharField(_("độ khẩn"), max_length=12, choices=Urgency.choices, blank=True, default="")
    secrecy = models.CharField(_("độ mật"), max_length=12, choices=Secrecy.choices, blank=True, default="")
    full_text = models.TextField(_("toàn văn"), blank=True)
    created_at = models.DateTimeField(_("ngày vào sổ"), auto_now_add=True)
    search = models.TextField(editable=False, default="")

    objects = DirectiveQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-number"]
        verbose_name = _("văn bản chỉ đạo")
        verbose_name_plural = _("văn bản chỉ đạo")
        constraints = [
            # One directive, one row: `3031/ubnd-tkbt` or `3031/UBND–TKBT` is 3031/UBND-TKBT again, whatever path
            # (form, import, edXML, API) writes it.
            models.UniqueConstraint(
                fields=["number", "symbol_key", "issuer", "year"],
                name="directive_unique_notation_key",
                violation_error_message=_("Văn bản này đã có trong sổ."),
            ),
            models.CheckConstraint(condition=~Q(symbol_key=""), name="directive_symbol_key_set"),
            models.CheckConstraint(condition=Q(number__gt=0), name="directive_number_positive"),
        ]
        indexes = [
            models.Index(fields=["authority", "issued_on"]),
            # The register in its order (`ordering`): a page is read off the index, not sorted from every row.
            models.Index(fields=["issued_on", "number"], name="directive_register_order"),
        ]

    def __str__(self) -> str:
        return f"{self.notation} — {self.subject}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.search = fold(f"{self.notation} {self.subject}")
        self.symbol_key = symbol_key(self.symbol)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return url_by_id("directives:detail", self.pk)

    @property
    def is_secret(self) -> bool:
        return bool(self.secrecy)


class Attachment(models.Model):
    directive = models.ForeignKey(Directive, models.CASCADE, related_name="attachments")
    file = models.FileField(_("tệp"), upload_to="directives/%Y/")
    name = models.CharField(_("tên tệp"), max_length=200)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.name
