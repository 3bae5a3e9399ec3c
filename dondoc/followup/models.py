"""Follow-up (*đôn đốc*): the rules of the ladder, the notifications they cause, and every delivery attempt."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dondoc.followup import ladder
from dondoc.org.models import Person
from dondoc.tracking.models import ProgressReport, Task
from dondoc.tracking.secrecy import masked


class FollowupRule(models.Model):
    """One rung of the urging ladder, editable by an administrator (defaults: DOMAIN.md §7, issue 4).

    After changing rules, run `dondoc followup --reschedule` so every task's next follow-up time follows them.
    """

    class Kind(models.TextChoices):
        COMPLETION = ladder.COMPLETION, _("Thời hạn hoàn thành")
        REPORT = ladder.REPORT, _("Thời hạn báo cáo")
        INPUT = ladder.INPUT, _("Hạn gửi ý kiến phối hợp")
        NO_DEADLINE = ladder.NO_DEADLINE, _("Không có thời hạn (báo cáo tiến độ hằng tháng)")

    class Audience(models.TextChoices):
        OFFICER = ladder.OFFICER, _("Cán bộ thực hiện (hoặc đầu mối theo dõi của đơn vị)")
        UNIT = ladder.UNIT, _("Cán bộ thực hiện và thủ trưởng đơn vị")
        OFFICE = ladder.OFFICE, _("Chuyên viên theo dõi VP UBND")
        LEADER = ladder.LEADER, _("Lãnh đạo phụ trách")

    code = models.SlugField(_("mã quy tắc"), max_length=40, unique=True)
    name = models.CharField(_("tên quy tắc"), max_length=200)
    kind = models.CharField(_("loại thời hạn"), max_length=20, choices=Kind.choices)
    offset = models.SmallIntegerField(
        _("số ngày làm việc so với thời hạn"),
        help_text=_("Âm: trước thời hạn; 0: đúng ngày; dương: sau thời hạn."),
    )
    repeat = models.PositiveSmallIntegerField(
        _("nhắc lại mỗi (ngày làm việc)"), default=0, help_text=_("0: chỉ gửi một lần.")
    )
    audience = models.CharField(_("người nhận"), max_length=10, choices=Audience.choices)
    active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        ordering = ["kind", "offset", "code"]
        verbose_name = _("quy tắc đôn đốc")
        verbose_name_plural = _("quy tắc đôn đốc")
        constraints = [
            models.CheckConstraint(
                condition=Q(offset__gte=-60, offset__lte=250), name="followuprule_offset_range"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def spec(self) -> ladder.RuleSpec:
        return ladder.RuleSpec(self.code, self.kind, self.offset, self.audience, self.repeat, self.name)


class TrackingContact(models.Model):
    """A unit's tracking contact (*cán bộ đầu mối theo dõi*): who gets the reminders before a deadline of the unit's
    tasks on which the head named no officer (DOMAIN.md §7, issue 14). A unit without one: all its officers."""

    unit = models.OneToOneField(
        "org.Unit", models.CASCADE, related_name="followup_contact", verbose_name=_("đơn vị")
    )
    person = models.ForeignKey(
        Person, models.CASCADE, related_name="+", verbose_name=_("cán bộ đầu mối theo dõi")
    )

    class Meta:
        verbose_name = _("đầu mối theo dõi của đơn vị")
        verbose_name_plural = _("đầu mối theo dõi của đơn vị")

    def __str__(self) -> str:
        return f"{self.unit}: {self.person.full_name}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.person_id and self.unit_id and self.person.unit_id != self.unit_id:
            raise ValidationError({"person": _("Cán bộ đầu mối phải thuộc chính đơn vị này.")})


class ReportOccurrence(models.Model):
    """One occurrence of a task's report obligation that was met (*đã báo cáo kỳ ...*): the cycle (its deadline as
    written, e.g. 25/11/2026 for "trước ngày 25 hằng tháng"), the day it was met and what met it — a progress report
    the unit marked as that cycle's report, or a document the product issued for it (Sở Nội vụ's monthly report
    meets its dispatch-3031 obligation for the month).

    Design: the *schedule* of occurrences is derived on the fly from the task's report deadline
    (`dondoc.tracking.reporting.report_cycles`), not created ahead — a task assigned in 2020 with a monthly report
    would otherwise need rows written every month by a job, and a corrected day of the month would leave stale rows.
    Only the *fulfilment* is a fact that must be stored, with its evidence; so a row exists once an occurrence is
    met, and (task, cycle) is unique: the earliest evidence wins. Open and overdue occurrences are the cycles with no
    row (`dondoc.followup.occurrences.occurrences_of`).
    """

    task = models.ForeignKey(
        Task, models.CASCADE, related_name="report_occurrences", verbose_name=_("nhiệm vụ")
    )
    cycle = models.DateField(_("kỳ báo cáo (thời hạn)"))
    met_on = models.DateField(_("ngày báo cáo"))
    progress_report = models.ForeignKey(
        ProgressReport,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("báo cáo tiến độ"),
    )
    document = models.ForeignKey(
        "documents.OutgoingDocument",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("văn bản đã ban hành"),
    )
    evidence = models.CharField(_("căn cứ"), max_length=300)
    recorded_at = models.DateTimeField(_("thời điểm ghi nhận"))

    class Meta:
        ordering = ["task", "cycle"]
        verbose_name = _("kỳ báo cáo đã thực hiện")
        verbose_name_plural = _("kỳ báo cáo đã thực hiện")
        constraints = [
            models.UniqueConstraint(fields=["task", "cycle"], name="reportoccurrence_once_per_cycle")
        ]

    def __str__(self) -> str:
        return f"#{self.task_id} kỳ {self.cycle:%d/%m/%Y}: {self.evidence}"


class Preference(models.Model):
    """How a person wants e-mail: one per reminder, a daily digest at 07:30 on working days, or none."""

    class Mode(models.TextChoices):
        SINGLE = "single", _("Gửi từng thư")
        DIGEST = "digest", _("Thư tổng hợp hằng ngày (07:30 ngày làm việc)")
        NONE = "none", _("Không nhận thư điện tử")

    person = models.OneToOneField(Person, models.CASCADE, related_name="followup_preference")
    email_mode = models.CharField(
        _("nhận thư điện tử"), max_length=10, choices=Mode.choices, default=Mode.SINGLE
    )

    class Meta:
        verbose_name = _("tùy chọn nhận thông báo")
        verbose_name_plural = _("tùy chọn nhận thông báo")

    def __str__(self) -> str:
        return f"{self.person}: {self.get_email_mode_display()}"


class Notification(models.Model):
    """One reminder to one person, naming the rule that caused it: about one task, or — `task` empty — about
    something else (the monthly report, a discipline handling deadline), which `link` points to.

    (task, rule, step day, recipient) is unique in the database for task reminders, and (rule, step day, recipient)
    for the others (a second, partial constraint: NULLs are distinct in a unique index): a re-run, a crash or a
    second engine can never write the same reminder twice. A task-less notification's rule code names what it is
    about (e.g. `discipline:12:-5`), so that key is unique per subject, step and recipient.
    """

    CATCHUP = "catchup"

    class Email(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")  # written by the engine, handed to the queue at the end of its pass
        QUEUED = "queued", _("Đang gửi")  # a job of the queue sends it (and tries again after a failure)
        DIGEST = "digest", _("Chờ thư tổng hợp")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi không thành công")
        NONE = "none", _("Không gửi thư")

    # No index of their own (`db_index=False`): each leads a composite index below (`notif_task_created`,
    # `notif_recipient_unread`, and the unique key for the task), which serves every lookup and cascade by it; a
    # second index would only cost the follow-up pass two more index entries per notification (issue 19).
    task = models.ForeignKey(
        Task,
        models.CASCADE,
        null=True,
        blank=True,
        db_index=False,
        related_name="notifications",
        verbose_name=_("nhiệm vụ"),
    )
    recipient = models.ForeignKey(
        Person, models.CASCADE, db_index=False, related_name="notifications", verbose_name=_("người nhận")
    )
    rule_code = models.CharField(_("quy tắc"), max_length=40)
    rule_name = models.CharField(_("tên quy tắc"), max_length=200)
    kind = models.CharField(_("loại thời hạn"), max_length=20, blank=True)
    audience = models.CharField(_("cấp nhận"), max_length=10, blank=True)
    step_day = models.DateField(_("ngày nhắc"))
    deadline = models.DateField(_("thời hạn"), null=True, blank=True)
    working_days_late = models.SmallIntegerField(_("số ngày làm việc quá hạn"), default=0)
    title = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"))
    link = models.CharField(
        _("liên kết"),
        max_length=300,
        blank=True,
        help_text=_(
            "Địa chỉ trang liên quan (đường dẫn trong hệ thống) khi thông báo không gắn với nhiệm vụ."
        ),
    )
    created_at = models.DateTimeField(_("thời điểm tạo"))
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    email_state = models.CharField(_("thư điện tử"), max_length=10, choices=Email.choices, default=Email.NONE)
    email_attempts = models.PositiveSmallIntegerField(_("số lần gửi thư"), default=0)
    # When the queue tries the e-mail next (shown on the City Office page); the job's own schedule is the queue's.
    email_next_try = models.DateTimeField(_("lần gửi tiếp theo"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("đã gửi thư lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("thông báo đôn đốc")
        verbose_name_plural = _("thông báo đôn đốc")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "rule_code", "step_day", "recipient"], name="notification_once_per_step"
            ),
            models.UniqueConstraint(
                fields=["rule_code", "step_day", "recipient"],
                condition=Q(task__isnull=True),
                name="notification_taskless_once_per_step",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread"),
            models.Index(fields=["task", "created_at"], name="notif_task_created"),
            models.Index(fields=["created_at"], name="notif_created"),
            models.Index(fields=["id"], condition=Q(email_state="pending"), name="notif_email_pending"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def shown_body(self) -> str:
        """The body as shown (the centre, the API, an e-mail): a reminder stores its text when written, so one
        written before its task became secret (its directive marked secret later) carries the content on its first
        line ("Nhiệm vụ: …", up to "Văn bản giao: …", `texts.step_text`); masked while the task is secret, as a
        secret task's reminder is written. The task's secrecy: `task_secret` when annotated, else the task's."""
        if "task_secret" in self.__dict__:
            secret = self.__dict__["task_secret"]
        else:
            secret = self.task is not None and self.task.secret
        if not secret or not self.body.startswith("Nhiệm vụ: "):
            return self.body
        _content, sep, rest = self.body.partition("\nVăn bản giao: ")
        return f"Nhiệm vụ: {masked(self.task_id)}{sep}{rest}"

    @property
    def url(self) -> str:
        """Where the notification leads in the app: its link, else its task's page, else the notification centre."""
        if self.link:
            return self.link
        if self.task_id is not None:
            return reverse("tracking:task_detail", args=[self.task_id])
        return reverse("followup:inbox")

    @property
    def absolute_url(self) -> str:
        """`url` with SITE_URL in front (for e-mail); a link that is already absolute is kept."""
        url = self.url
        if url.startswith(("http://", "https://")):
            return url
        return settings.SITE_URL.rstrip("/") + url

    @property
    def link_label(self) -> str:
        """The words of the link: the task's number, or "Xem chi tiết"."""
        return f"Xem nhiệm vụ #{self.task_id}" if self.task_id is not None else "Xem chi tiết"


class DeliveryAttempt(models.Model):
    """One attempt to deliver a notification by e-mail, with its result (kept for administrators)."""

    notification = models.ForeignKey(Notification, models.CASCADE, related_name="attempts")
    at = models.DateTimeField(_("thời điểm"))
    channel = models.CharField(_("kênh"), max_length=20, default="email")
    digest = models.BooleanField(_("trong thư tổng hợp"), default=False)
    ok = models.BooleanField(_("thành công"))
    error = models.TextField(_("lỗi"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("lần gửi")
        verbose_name_plural = _("lần gửi")
        indexes = [models.Index(fields=["ok", "at"], name="attempt_ok_at")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {'OK' if self.ok else self.error[:60]}"


class DailyJobRun(models.Model):
    """One run of a daily job (`DONDOC_DAILY_JOBS`, the e-mail digest) for one working day, across all engines.

    (job, day) is unique: however many engines run, a job runs at most once successfully per day; a failed run is
    retried with backoff, at most `MAX_ATTEMPTS` times.
    """

    job = models.CharField(_("công việc"), max_length=200)
    day = models.DateField(_("ngày"))
    state = models.CharField(_("trạng thái"), max_length=10, default="pending")  # pending | done | failed
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(_("lỗi"), blank=True)

    class Meta:
        ordering = ["-day", "job"]
        verbose_name = _("công việc hằng ngày")
        verbose_name_plural = _("công việc hằng ngày")
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="dailyjob_once_per_day")]

    def __str__(self) -> str:
        return f"{self.job} {self.day:%d/%m/%Y} ({self.state})"
