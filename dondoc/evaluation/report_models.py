"""`ReportRun`: one generation of the periodic report (*báo cáo kết quả thực hiện nhiệm vụ*).

Kept out of `models.py` (the counts' tables live there); `models.py` imports it so Django registers it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dondoc.org.models import Unit


def _report_upload_to(instance: ReportRun, filename: str) -> str:
    return f"reports/{instance.period_end:%Y}/{filename}"


class ReportRun(models.Model):
    """One generation of the periodic report for a period and an issuing body.

    Life: queued → running (progress 0–100 %) → draft (files ready, unnumbered) → issued (numbered in the
    issuer's register of outgoing documents), or failed (the reason kept). A large run is a job of the queue
    (`report.generate_report`, `dondoc.core.jobs`): a failed attempt puts it back to queued with the time of the
    next one in its stage. Only a queued run is started (a conditional update), so two attempts never generate
    the same run. At most one automatic draft exists per (period, issuer): the monthly job is idempotent.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Chờ tạo")
        RUNNING = "running", _("Đang tạo")
        DRAFT = "draft", _("Dự thảo")
        ISSUED = "issued", _("Đã ban hành")
        FAILED = "failed", _("Lỗi")

    period_kind = models.CharField(_("loại kỳ"), max_length=10)
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    period_year = models.PositiveSmallIntegerField(_("năm của kỳ"))
    period_number = models.PositiveSmallIntegerField(_("số thứ tự kỳ trong năm"), default=0)
    reference_date = models.DateField(_("số liệu tính đến ngày"))
    issuer = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("cơ quan ban hành"))
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    automatic = models.BooleanField(_("dự thảo tự động"), default=False)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    stage = models.CharField(_("bước đang làm"), max_length=200, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    docx = models.FileField(_("tệp DOCX"), upload_to=_report_upload_to, blank=True)
    pdf = models.FileField(_("tệp PDF"), upload_to=_report_upload_to, blank=True)
    xlsx = models.FileField(_("phụ lục XLSX"), upload_to=_report_upload_to, blank=True)
    # The document as drafted (OfficialDocument as JSON): issuing numbers exactly the text that was reviewed.
    content = models.JSONField(_("nội dung dự thảo"), default=dict, blank=True)
    # The figures the document prints and the tasks behind them, as counted when the draft was made
    # (`report.snapshot`): the report's page and files show these, never a recount.
    figures = models.JSONField(_("số liệu đã lập"), default=dict, blank=True)
    document = models.ForeignKey(
        "documents.OutgoingDocument",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("văn bản đã ban hành"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người lập"),
    )
    created_at = models.DateTimeField(_("thời điểm yêu cầu"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu tạo"), null=True, blank=True)
    finished_at = models.DateTimeField(_("tạo xong"), null=True, blank=True)

    class Meta:
        app_label = "evaluation"
        ordering = ["-created_at", "-id"]
        verbose_name = _("báo cáo định kỳ")
        verbose_name_plural = _("báo cáo định kỳ")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="reportrun_progress_max_100"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="reportrun_period"
            ),
            models.UniqueConstraint(
                fields=["period_kind", "period_start", "period_end", "issuer"],
                condition=Q(automatic=True),
                name="reportrun_one_automatic_draft",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="reportrun_status")]

    def __str__(self) -> str:
        return f"Báo cáo {self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y} ({self.issuer.short})"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:report_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.ISSUED, self.Status.FAILED)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT
