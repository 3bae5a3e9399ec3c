from django.contrib import admin

from dondoc.inspection.models import InspectedUnit, InspectionPlan, Proposal, Remedy, TeamMember


class TeamInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    raw_id_fields = ["person"]


class InspectedInline(admin.TabularInline):
    model = InspectedUnit
    extra = 0
    raw_id_fields = ["unit"]


@admin.register(InspectionPlan)
class InspectionPlanAdmin(admin.ModelAdmin):
    list_display = ["decision_number", "decision_date", "title", "mode", "starts_on", "ends_on"]
    inlines = [TeamInline, InspectedInline]
    raw_id_fields = ["notice", "notice_directive", "created_by"]


@admin.register(Remedy)
class RemedyAdmin(admin.ModelAdmin):
    list_display = ["content", "lead_unit", "due_date", "task"]
    raw_id_fields = ["plan", "lead_unit", "task"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["inspected", "target", "person", "form", "decided_on"]
    raw_id_fields = ["inspected", "finding", "unit", "person", "created_by"]
