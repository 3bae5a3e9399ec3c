"""Public-service inspection (*kiểm tra công vụ*, dispatch 3031 §5–6, DOMAIN.md §8).

A plan set up by decision names the team and the units; each inspected unit gets a record (*biên bản*) made of
findings per task; the unit may respond (*giải trình*) by a deadline; the notice of results carries remedies (each a
tracked task) and proposals to hold collectives or individuals to account (*kiểm điểm trách nhiệm*), whose outcome
is recorded later.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dondoc.core.dates import today
from dondoc.inspection import discipline as dc
from dondoc.org.models import Person, Unit
from dondoc.tracking import timeliness as tl


class PlanQuerySet(models.QuerySet["InspectionPlan"]):
    def visible_to(self, user: object) -> PlanQuerySet:
        """Inspectors, leaders, the City Office and administrators see every plan; a unit's people see the plans
        that inspect their unit, an unannounced one (*đột xuất*) only from its start date (`announced`); anyone
        else nothing."""
        from dondoc.org.access import person_of

        person = person_of(user)
        if person is None:
            return self.none()
        if person.sees_everything:
            return self
        return self.filter(announced(), units__unit_id=person.unit_id).distinct()


def announced(prefix: str = "") -> Q:
    """A plan its inspected units may know of: a scheduled one at once, an unannounced one (*kiểm tra đột xuất*)
    from its start date on — before, its dates and team would warn the unit it is about to inspect."""
    return ~Q(**{f"{prefix}mode": InspectionPlan.Mode.UNANNOUNCED}) | Q(
        **{f"{prefix}starts_on__lte": today()}
    )


class InspectionPlan(models.Model):
    """An inspection set up by a decision (*quyết định thành lập đoàn kiểm tra*)."""

    class Mode(models.TextChoices):
        SCHEDULED = "scheduled", _("Theo kế hoạch")
        UNANNOUNCED = "unannounced", _("Đột xuất")

    decision_number = models.CharField(_("số quyết định"), max_length=60)
    decision_date = models.DateField(_("ngày quyết định"))
    title = models.CharField(_("tên đợt kiểm tra"), max_length=300)
    mode = models.CharField(_("hình thức"), max_length=12, choices=Mode.choices, default=Mode.SCHEDULED)
    period_start = models.DateField(_("thời kỳ kiểm tra từ ngày"))
    period_end = models.DateField(_("thời kỳ kiểm tra đến ngày"))
    starts_on = models.DateField(_("ngày bắt đầu kiểm tra"))
    ends_on = models.DateField(_("ngày kết thúc kiểm tra"))
    scope_note = models.TextField(_("phạm vi, nội dung kiểm tra"), blank=True)
    notice = models.ForeignKey(
        "documents.OutgoingDocument",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thông báo kết quả kiểm tra"),
    )
    notice_directive = models.ForeignKey(
        "directives.Directive", models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-decision_date", "-id"]
        verbose_name = _("kế hoạch kiểm tra")
        verbose_name_plural = _("kế hoạch kiểm tra")
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="plan_period"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="plan_dates"),
        ]

    def __str__(self) -> str:
        return f"QĐ {self.decision_number} ngày {self.decision_date:%d/%m/%Y} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("inspection:plan_detail", args=[self.pk])


class TeamMember(models.Model):
    """A member of the inspection team (*đoàn kiểm tra*): a Person from any unit."""

    class Role(models.TextChoices):
        HEAD = "head", _("Trưởng đoàn")
        DEPUTY = "deputy", _("Phó trưởng đoàn")
        MEMBER = "member", _("Thành viên")

    plan = models.ForeignKey(InspectionPlan, models.CASCADE, related_name="team")
    person = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name=_("cán bộ"))
    role = models.CharField(_("vai trò trong đoàn"), max_length=10, choices=Role.choices)

    class Meta:
        ordering = ["plan", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "person"], name="team_member_once"),
            models.UniqueConstraint(fields=["plan"], condition=Q(role="head"), name="team_one_head"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.person.full_name}"


class InspectedUnit(models.Model):
    """A unit inspected under a plan; its findings make up the record (*biên bản*)."""

    plan = models.ForeignKey(InspectionPlan, models.CASCADE, related_name="units")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("đơn vị được kiểm tra"))
    visit_on = models.DateField(_("ngày kiểm tra tại đơn vị"), null=True, blank=True)
    response_due = models.DateField(_("hạn giải trình"), null=True, blank=True)
    record_note = models.TextField(_("nhận xét chung"), blank=True)

    class Meta:
        ordering = ["plan", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["plan", "unit"], name="inspected_unit_once")]

    def __str__(self) -> str:
        return str(self.unit)

    def get_absolute_url(self) -> str:
        return reverse("inspection:record", args=[self.pk])

    @property
    def reference_date(self) -> date:
        """The date the findings speak of (*tại thời điểm kiểm tra*): the day the team visits the unit (by default
        the plan's first day), or today while that day is still ahead."""
        return min(self.visit_on or self.plan.starts_on, today())


class Verdict(models.TextChoices):
    ON_TIME = "on_time", _("Hoàn thành đúng hạn")
    LATE_OBJECTIVE = "late_objective", _("Chậm do nguyên nhân khách quan")
    LATE_NO_CAUSE = "late_no_cause", _("Chậm không có lý do chính đáng")
    DELIBERATE = "deliberate", _("Cố tình chậm trễ")
    IRRESPONSIBLE = "irresponsible", _("Thiếu trách nhiệm")
    # Tasks not yet due, and tasks without a deadline (kinds c, d of dispatch 3031 §5), which the four above do not fit.
    IN_DEADLINE = "in_deadline", _("Đang thực hiện trong hạn")
    NO_DEADLINE_ON_TRACK = "no_deadline_on_track", _("Không có thời hạn — đang thực hiện theo yêu cầu")
    NEEDS_DEADLINE = "needs_deadline", _("Chưa có thời hạn — đề nghị xác định thời hạn")


# Verdicts that ground an accountability proposal (dispatch 3031 §6: "deliberately late or irresponsible").
ACCOUNTABLE_VERDICTS = (Verdict.DELIBERATE, Verdict.IRRESPONSIBLE)
# Verdicts that need their reasons written (the cause of the delay, who is responsible).
REASONED_VERDICTS = (Verdict.LATE_OBJECTIVE, Verdict.LATE_NO_CAUSE, Verdict.DELIBERATE, Verdict.IRRESPONSIBLE)
_LATE = (Verdict.LATE_OBJECTIVE, Verdict.LATE_NO_CAUSE, Verdict.DELIBERATE, Verdict.IRRESPONSIBLE)
#: The verdicts that fit a task's timeliness bucket (DOMAIN.md §5) at the time of inspection: a task completed on
#: time is only "on time"; a late or overdue one is late for a reason; one within its deadline is in progress (or
#: handled irresponsibly); one without a deadline is in progress as required, needs a deadline, or is neglected.
#: Drafts and cancelled tasks fit none.
VERDICTS_BY_BUCKET: dict[str, tuple[Verdict, ...]] = {
    tl.COMPLETED_ON_TIME: (Verdict.ON_TIME,),
    tl.COMPLETED_LATE: _LATE,
    tl.OVERDUE: _LATE,
    tl.IN_DEADLINE: (Verdict.IN_DEADLINE, Verdict.IRRESPONSIBLE),
    tl.DUE_SOON: (Verdict.IN_DEADLINE, Verdict.IRRESPONSIBLE),
    tl.NO_DEADLINE: (Verdict.NO_DEADLINE_ON_TRACK, Verdict.NEEDS_DEADLINE, Verdict.IRRESPONSIBLE),
    tl.DRAFTED: (),
    tl.WITHDRAWN: (),
}


class Finding(models.Model):
    """The team's finding on one task of an inspected unit (one per task per record)."""

    inspected = models.ForeignKey(InspectedUnit, models.CASCADE, related_name="findings")
    task = models.ForeignKey("tracking.Task", models.PROTECT, related_name="+", verbose_name=_("nhiệm vụ"))
    in_sample = models.BooleanField(_("trong mẫu kiểm tra"), default=True)
    checked = models.BooleanField(_("đã kiểm tra"), default=False)
    verdict = models.CharField(_("kết luận"), max_length=20, choices=Verdict.choices, blank=True)
    text = models.TextField(_("nội dung kết luận"), blank=True)
    evidence = models.FileField(_("tài liệu chứng minh"), upload_to="inspection/%Y/", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["inspected", models.F("task__due_date").asc(nulls_last=True), "task_id"]
        constraints = [models.UniqueConstraint(fields=["inspected", "task"], name="finding_once_per_task")]

    def __str__(self) -> str:
        return f"{self.task}: {self.get_verdict_display() or 'chưa kết luận'}"


class Response(models.Model):
    """The inspected unit's explanation (*giải trình*) of the findings about it."""

    inspected = models.ForeignKey(InspectedUnit, models.CASCADE, related_name="responses")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField()
    text = models.TextField(_("nội dung giải trình"))
    file = models.FileField(_("tệp đính kèm"), upload_to="inspection/%Y/", blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Remedy(models.Model):
    """A remedy (*biện pháp khắc phục*) of the notice: one lead unit, a deadline, tracked as a task."""

    plan = models.ForeignKey(InspectionPlan, models.CASCADE, related_name="remedies")
    lead_unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("đơn vị chủ trì"))
    content = models.TextField(_("nội dung khắc phục"))
    due_date = models.DateField(_("thời hạn hoàn thành"))
    task = models.OneToOneField(
        "tracking.Task", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("nhiệm vụ")
    )

    class Meta:
        ordering = ["plan", "due_date", "id"]

    def __str__(self) -> str:
        return self.content[:80]


class Proposal(models.Model):
    """A proposal to hold a collective (a unit) or an individual (a Person) to account, and its outcome."""

    class Target(models.TextChoices):
        COLLECTIVE = "collective", _("Tập thể")
        INDIVIDUAL = "individual", _("Cá nhân")

    inspected = models.ForeignKey(InspectedUnit, models.CASCADE, related_name="proposals")
    finding = models.ForeignKey(Finding, models.PROTECT, null=True, blank=True, related_name="proposals")
    target = models.CharField(_("đối tượng"), max_length=12, choices=Target.choices)
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("tập thể"))
    person = models.ForeignKey(
        Person, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("cá nhân")
    )
    grounds = models.TextField(_("căn cứ, lý do"))
    handling_started_on = models.DateField(_("ngày bắt đầu xử lý"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("số ngày gia hạn"), default=0)
    meeting_on = models.DateField(_("ngày họp kiểm điểm"), null=True, blank=True)
    form = models.CharField(_("hình thức kỷ luật"), max_length=20, choices=dc.FORM_CHOICES, blank=True)
    decision_number = models.CharField(_("số quyết định kỷ luật"), max_length=60, blank=True)
    decided_on = models.DateField(_("ngày quyết định kỷ luật"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["inspected", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target="collective", person__isnull=True)
                | Q(target="individual", person__isnull=False),
                name="proposal_target_matches",
            ),
            models.CheckConstraint(condition=Q(extension_days__lte=60), name="proposal_extension_max"),
        ]

    def __str__(self) -> str:
        who = self.person.full_name if self.person else self.unit.name
        return f"{self.get_target_display()}: {who}"

    @property
    def handling_deadline(self) -> date | None:
        """90 days from the start of handling, up to 150 with the extension (discipline.handling_deadline)."""
        if self.handling_started_on is None:
            return None
        return dc.handling_deadline(self.handling_started_on, self.extension_days)

    def handling_overdue(self, ref: date) -> bool:
        deadline = self.handling_deadline
        return deadline is not None and self.decided_on is None and ref > deadline
