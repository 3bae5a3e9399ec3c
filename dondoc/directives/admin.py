from typing import Any

from django import forms
from django.contrib import admin, messages

from dondoc.directives.models import Attachment, Directive
from dondoc.tracking.secrecy import cleared

UNMARK_LABEL = "Bỏ mật cả các nhiệm vụ của văn bản"


class DirectiveAdminForm(forms.ModelForm):
    """The admin site's directive form, with the box that makes the directive's tasks plain again when it is
    unmarked (`DirectiveAdmin.save_model`)."""

    unmark_tasks = forms.BooleanField(
        label=UNMARK_LABEL,
        required=False,
        help_text=(
            "Chỉ dùng khi bỏ độ mật của văn bản (độ mật «Không mật»): mọi nhiệm vụ của văn bản, kể cả nhiệm vụ được "
            "đánh dấu mật riêng, sẽ hiển thị với cả người không được xem tài liệu mật. Mỗi nhiệm vụ bỏ mật được "
            "ghi vào nhật ký."
        ),
    )

    class Meta:
        model = Directive
        fields = "__all__"  # noqa: DJ007 — the admin site passes its own fields (`get_form`)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("unmark_tasks") and data.get("secrecy"):
            label = Directive.Secrecy(data["secrecy"]).label
            self.add_error(
                "unmark_tasks",
                f"{UNMARK_LABEL}: văn bản vẫn đang để độ mật «{label}»; chọn độ mật «Không mật» để bỏ mật văn bản "
                "cùng lúc với các nhiệm vụ của nó.",
            )
        return data


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
    form = DirectiveAdminForm

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        """Secret directives only for administrators cleared for secrets (as `Directive.objects.visible_to`)."""
        qs = super().get_queryset(request)
        return qs if cleared(request.user) else qs.filter(secrecy="")

    def get_form(self, request, obj=None, change=False, **kwargs):  # type: ignore[no-untyped-def]
        """The box «Bỏ mật cả các nhiệm vụ của văn bản» only on a registered directive and only for an administrator
        cleared for secrets: who may unmark a directive's tasks is who may mark it (this site's change permission on
        directives; a secret directive is in the site of the cleared only), and the uncleared may not learn from
        the box's effect that a plain directive holds secret tasks."""
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None or not cleared(request.user):
            form = type(form.__name__, (form,), {"unmark_tasks": None})  # the declared field removed
        return form

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        """A directive marked secret here (the one place a registered directive's secrecy changes) makes its
        tasks secret: they carry its content, and `Task.objects.visible_to` hides the secret ones. Unmarked, its
        tasks stay secret (on the safe side: nothing here knows which were secret before) unless the cleared
        administrator ticks «Bỏ mật cả các nhiệm vụ của văn bản» (the form refuses the box on a directive still
        secret): then every task of the directive becomes plain, each change audited."""
        super().save_model(request, obj, form, change)
        if obj.is_secret:
            for task in obj.tasks.filter(secret=False):  # saved one by one: the audit trail has each
                task.secret = True
                task.save(update_fields=["secret"])
            return
        if not cleared(request.user):  # told nothing of secret tasks it may not see
            return
        still = obj.tasks.filter(secret=True).order_by("id")
        if form.cleaned_data.get("unmark_tasks"):
            count = 0
            for (
                task
            ) in still:  # one by one, as when marking: the audit trail has each under the administrator
                task.secret = False
                task.save(update_fields=["secret"])
                count += 1
            if not count:
                messages.info(request, f"Văn bản {obj.notation} không có nhiệm vụ mật nào để bỏ mật.")
                return
            messages.success(
                request,
                f"Đã bỏ mật {count} nhiệm vụ của văn bản {obj.notation}: nội dung của chúng hiển thị với cả người "
                "không được xem tài liệu mật; mỗi thay đổi đã được ghi vào nhật ký.",
            )
        elif "secrecy" in form.changed_data and (count := still.count()):
            messages.warning(
                request,
                f"{count} nhiệm vụ của văn bản vẫn là nhiệm vụ mật. Để bỏ mật cả các nhiệm vụ, mở lại văn bản và "
                f"chọn «{UNMARK_LABEL}».",
            )
