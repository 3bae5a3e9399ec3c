"""The register of outgoing documents (*sổ đăng ký văn bản đi*): one number sequence per issuer and year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dondoc.core.links import url_by_id
from dondoc.org.models import Unit


class OutgoingQuerySet(models.QuerySet["OutgoingDocument"]):
    def visible_to(self, user: object) -> OutgoingQuerySet:
        """Documents a user may see: the City Office, leaders and inspectors see the whole register; a unit's
        people see what their unit issued or received — as the addressee, or as a unit listed in "Nơi nhận"
        (`recipient_units`, e.g. each inspected unit of an inspection notice)."""
        from dondoc.org.access import person_of

        person = person_of(user)
        if person is None:
            return self.none()
        if person.sees_everything:
            return self
        listed = OutgoingDocument.recipient_units.through.objects.filter(unit_id=person.unit_id)
        return self.filter(
            Q(issuer_id=person.unit_id)
            | Q(recipient_unit_id=person.unit_id)
            | Q(pk__in=listed.values("outgoingdocument_id"))
        )


def _upload_to(instance: OutgoingDocument, filename: str) -> str:
    return f"outgoing/{instance.year}/{filename}"


class OutgoingDocument(models.Model):
    """A document the product issued, numbered in its issuer's register (Decree 30/2020, Art. 15 and Appendix I).

    Numbers start at 1 on 1 January and run up without gaps per issuer; (issuer, year, number) is unique, so two
    clerks issuing at the same moment can never receive the same number (see `register.allocate_number`).
    """

    class DocType(models.TextChoices):
        LETTER = "cong_van", _("Công văn")
        URGING = "don_doc", _("Công văn đôn đốc")
        REPORT = "bao_cao", _("Báo cáo")
        NOTICE = "thong_bao", _("Thông báo")
        OTHER = "khac", _("Khác")

    # How many tasks an urging letter just issued lists (`urging.issue_letter` sets it, so that its page's message
    # does not count them again); None on a row read from the database.
    listed: int | None = None

    class Files(models.TextChoices):
        """Where the DOCX and PDF are: an urging letter is numbered in the request and drawn by the worker."""

        QUEUED = "queued", _("Đang chờ tạo tệp")
        RUNNING = "running", _("Đang tạo tệp")
        READY = "ready", _("Đã có tệp")
        FAILED = "failed", _("Không tạo được tệp")

    issuer = models.ForeignKey(
        Unit, models.PROTECT, related_name="outgoing_documents", verbose_name=_("cơ quan ban hành")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số"))
    symbol = models.CharField(_("ký hiệu"), max_length=50)
    notation = models.CharField(_("số, ký hiệu"), max_length=60)
    doc_type = models.CharField(_("loại văn bản"), max_length=12, choices=DocType.choices)
    subject = models.CharField(_("trích yếu"), max_length=500)
    issued_on = models.DateField(_("ngày ban hành"))
    recipient_unit = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="received_documents",
        verbose_name=_("đơn vị nhận"),
    )
    recipient_units = models.ManyToManyField(
        Unit,
        related_name="listed_documents",
        blank=True,
        verbose_name=_("đơn vị trong nơi nhận"),
        help_text=_("Các đơn vị có tên trong «Nơi nhận» được xem văn bản."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người lập"),
    )
    created_at = models.DateTimeField(_("thời điểm vào sổ"), auto_now_add=True)
    docx = models.FileField(_("tệp DOCX"), upload_to=_upload_to, blank=True)
    pdf = models.FileField(_("tệp PDF"), upload_to=_upload_to, blank=True)
    content_sha256 = models.CharField(
        _("mã băm nội dung"),
        max_length=64,
        blank=True,
        help_text=_(
            "SHA-256 của nội dung văn bản lúc ban hành (IssuedContent); tệp DOCX, PDF được tạo từ nội dung này."
        ),
    )
    files = models.CharField(_("tệp văn bản"), max_length=10, choices=Files.choices, default=Files.READY)
    files_error = models.CharField(_("lý do chưa tạo được tệp"), max_length=2000, blank=True)
    tasks = models.ManyToManyField(
        "tracking.Task", related_name="outgoing_documents", blank=True, verbose_name=_("nhiệm vụ liên quan")
    )

    objects = OutgoingQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("văn bản đi")
        verbose_name_plural = _("văn bản đi")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "year", "number"],
                name="outgoing_number_unique",
                violation_error_message=_("Số văn bản đi đã được cấp cho văn bản khác trong năm."),
            )
        ]
        indexes = [models.Index(fields=["doc_type", "year"], name="outgoing_type_year")]

    def __str__(self) -> str:
        return f"{self.notation} — {self.subject[:60]}"

    def get_absolute_url(self) -> str:
        return url_by_id("documents:detail", self.pk)

    @property
    def files_ready(self) -> bool:
        return self.files == self.Files.READY

    @property
    def files_pending(self) -> bool:
        """Queued or being drawn: the page polls until the files exist."""
        return self.files in (self.Files.QUEUED, self.Files.RUNNING)


class IssuedContent(models.Model):
    """An issued document's content exactly as it was numbered (`layout.document_to_json`), fixed at issue: the DOCX
    and PDF are drawn from it (by the worker for an urging letter), and its SHA-256 is on the register row, which the
    audit trail keeps — a content changed afterwards no longer matches, and no file is drawn from it. Apart from the
    register row so that the audit trail keeps the hash, not a second copy of a letter of hundreds of rows."""

    document = models.OneToOneField(
        OutgoingDocument, models.CASCADE, primary_key=True, related_name="issued_content"
    )
    content = models.JSONField(_("nội dung lúc ban hành"))

    class Meta:
        verbose_name = _("nội dung văn bản đi lúc ban hành")
        verbose_name_plural = _("nội dung văn bản đi lúc ban hành")

    def __str__(self) -> str:
        return f"Nội dung văn bản đi {self.document_id}"


class NumberCounter(models.Model):
    """The last number given in an issuer's register for a year: the row locked while the next one is taken.

    Locking this one row (SELECT ... FOR UPDATE on PostgreSQL; SQLite serialises writers on its own) makes
    concurrent issuing wait instead of reading the same maximum twice.
    """

    issuer = models.ForeignKey(Unit, models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bộ đếm số văn bản đi")
        verbose_name_plural = _("bộ đếm số văn bản đi")
        constraints = [models.UniqueConstraint(fields=["issuer", "year"], name="outgoing_counter_unique")]

    def __str__(self) -> str:
        return f"{self.issuer.short} {self.year}: {self.last}"
