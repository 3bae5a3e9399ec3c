from django.contrib import admin

from dondoc.directives.models import Attachment, Directive
from dondoc.tracking.secrecy import cleared


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0


@admin.register(Directive)
class DirectiveAdmin(admin.ModelAdmin):
    list_display = ["notation", "issued_on", "issuer", "authority", "subject"]
    list_filter = ["authority", "doc_type", "secrecy", "urgency"]
    search_fields = ["notation", "subject", "search"]
    autocomplete_fields = ["issuer"]
    date_hierarchy = "issued_on"
    inlines = [AttachmentInline]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        """Secret directives only for administrators cleared for secrets (as `Directive.objects.visible_to`)."""
        qs = super().get_queryset(request)
        return qs if cleared(request.user) else qs.filter(secrecy="")

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        """A directive marked secret here (the one place a registered directive's secrecy changes) makes its
        tasks secret: they carry its content, and `Task.objects.visible_to` hides the secret ones. Unmarked, its
        tasks stay secret (on the safe side: nothing here knows which were secret before)."""
        super().save_model(request, obj, form, change)
        if obj.is_secret:
            for task in obj.tasks.filter(secret=False):  # saved one by one: the audit trail has each
                task.secret = True
                task.save(update_fields=["secret"])
