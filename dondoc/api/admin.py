"""Administrators register webhook subscribers here and read the delivery log."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from dondoc.api.models import EdxmlPackage, WebhookDelivery, WebhookSubscriber


@admin.register(WebhookSubscriber)
class WebhookSubscriberAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "url", "active", "created_at"]
    list_filter = ["active"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "created_at",
        "subscriber",
        "event",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
    ]
    list_filter = ["status", "subscriber"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(EdxmlPackage)
class EdxmlPackageAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["received_at", "document_id", "business_type", "directive", "sender_name"]
    list_filter = ["business_type"]
    readonly_fields = [f.name for f in EdxmlPackage._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
