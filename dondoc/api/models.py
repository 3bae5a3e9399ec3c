"""Personal API tokens (*khóa API*): created and revoked by their owner, stored only as a SHA-256 digest."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "dd_"


def digest(raw: str) -> str:
    """The stored form of a token: its SHA-256 hex digest (the token itself is never stored)."""
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal token: it acts as its owner, with exactly the owner's visibility and rights."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens", verbose_name=_("chủ sở hữu")
    )
    name = models.CharField(_("tên gợi nhớ"), max_length=80)
    prefix = models.CharField(_("tiền tố"), max_length=12)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("ngày tạo"), default=timezone.now)
    last_used_at = models.DateTimeField(_("lần dùng gần nhất"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ngày thu hồi"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user: object, name: str) -> tuple[ApiToken, str]:
        """Create a token for `user`; the raw value is returned once and only its digest is kept."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=raw[:10], digest=digest(raw))
        return token, raw

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class EdxmlPackage(models.Model):
    """An edXML package received (DOMAIN.md §10) and what it did to the register.

    A new document (BussinessDocType 0) is refused a second time by its DocumentId; the revoke, update and replace
    messages (1–3) are kept too, each linked to the directive they changed.
    """

    class Business(models.IntegerChoices):
        NEW = 0, _("Văn bản mới")
        REVOKE = 1, _("Thu hồi")
        UPDATE = 2, _("Cập nhật")
        REPLACE = 3, _("Thay thế")

    document_id = models.CharField(_("mã văn bản (DocumentId)"), max_length=255, db_index=True)
    business_type = models.PositiveSmallIntegerField(_("nghiệp vụ"), choices=Business.choices, default=0)
    directive = models.ForeignKey(
        "directives.Directive", models.PROTECT, related_name="edxml_packages", verbose_name=_("văn bản")
    )
    sender_code = models.CharField(_("mã cơ quan gửi"), max_length=60, blank=True)
    sender_name = models.CharField(_("tên cơ quan gửi"), max_length=255, blank=True)
    due_date = models.DateField(_("hạn xử lý"), null=True, blank=True)
    text = models.TextField(_("nội dung để bóc tách"), blank=True)
    note = models.TextField(_("kết quả xử lý"), blank=True)
    received_at = models.DateTimeField(_("thời điểm nhận"), default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người nhận"),
    )
    tasks_registered = models.BooleanField(_("đã đăng ký nhiệm vụ"), default=False)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("gói edXML")
        verbose_name_plural = _("gói edXML")
        constraints = [
            models.UniqueConstraint(
                fields=["document_id"],
                condition=models.Q(business_type__in=[0, 3]),
                name="edxml_new_document_once",
            )
        ]

    def __str__(self) -> str:
        return self.document_id


def _webhook_secret() -> str:
    return secrets.token_urlsafe(32)


class WebhookSubscriber(models.Model):
    """A system that receives task changes as signed JSON (registered by an administrator in the admin site)."""

    name = models.CharField(_("tên"), max_length=120)
    url = models.URLField(_("địa chỉ nhận (URL)"), max_length=500)
    secret = models.CharField(
        _("khóa ký HMAC"),
        max_length=100,
        default=_webhook_secret,
        help_text=_("Dùng để kiểm tra chữ ký HMAC-SHA256."),
    )
    active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(_("ngày tạo"), default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("nơi nhận webhook")
        verbose_name_plural = _("nơi nhận webhook")

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One event for one subscriber, and how its delivery went (the delivery log). Its tries are a job of the queue
    (`webhooks.send`): when the next one runs is the job's, not the row's."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        DELIVERED = "delivered", _("Đã gửi")
        FAILED = "failed", _("Thất bại")

    subscriber = models.ForeignKey(WebhookSubscriber, models.CASCADE, related_name="deliveries")
    event = models.ForeignKey("tracking.TaskEvent", models.PROTECT, related_name="+")
    payload = models.TextField(_("nội dung JSON"))
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_status_code = models.PositiveSmallIntegerField(_("mã phản hồi gần nhất"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), default=timezone.now)
    delivered_at = models.DateTimeField(_("ngày gửi được"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lần gửi webhook")
        verbose_name_plural = _("nhật ký gửi webhook")
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "event"], name="webhook_delivery_once"),
        ]

    def __str__(self) -> str:
        return f"{self.subscriber} #{self.event_id}"


class ImportRun(models.Model):
    """A spreadsheet import too large for the request: queued by the confirm step as a job of the queue
    (`spreadsheet.import_file`, run by `dondoc worker`), all or nothing; its page polls the progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("đang chờ")
        RUNNING = "running", _("đang nhập")
        DONE = "done", _("đã nhập")
        FAILED = "failed", _("không nhập được")

    file = models.FileField(_("tệp Excel"), upload_to="imports/runs/%Y/%m/")
    rows = models.PositiveIntegerField(_("số dòng"), default=0)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    stage = models.CharField(_("bước"), max_length=120, blank=True)
    new_directives = models.PositiveIntegerField(_("văn bản mới"), default=0)
    new_tasks = models.PositiveIntegerField(_("nhiệm vụ mới"), default=0)
    skipped = models.PositiveIntegerField(_("nhiệm vụ đã có"), default=0)
    row_errors = models.JSONField(_("dòng sai"), default=list, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="import_runs", verbose_name=_("người nhập")
    )
    created_at = models.DateTimeField(_("ngày tạo"), default=timezone.now)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lần nhập Excel")
        verbose_name_plural = _("lần nhập Excel")

    def __str__(self) -> str:
        return f"Nhập Excel #{self.pk} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("api:import_run", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
