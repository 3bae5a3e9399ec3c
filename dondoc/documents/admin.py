from django.contrib import admin

from dondoc.documents.models import NumberCounter, OutgoingDocument


@admin.register(OutgoingDocument)
class OutgoingDocumentAdmin(admin.ModelAdmin):
    """The register is written by `register.issue` only: the admin shows it and never renumbers."""

    list_display = ("notation", "issued_on", "issuer", "doc_type", "recipient_unit", "subject")
    list_filter = ("year", "doc_type", "issuer")
    search_fields = ("notation", "subject")
    date_hierarchy = "issued_on"
    raw_id_fields = ("tasks",)
    readonly_fields = (
        "issuer",
        "year",
        "number",
        "symbol",
        "notation",
        "doc_type",
        "issued_on",
        "recipient_unit",
        "created_by",
        "created_at",
        "docx",
        "pdf",
        "content_sha256",
        "files",
        "files_error",
    )

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(NumberCounter)
class NumberCounterAdmin(admin.ModelAdmin):
    """An administrator may raise a counter to continue a paper register begun before the product."""

    list_display = ("issuer", "year", "last")
    list_filter = ("year",)
    readonly_fields = ("issuer", "year")

    def has_add_permission(self, request: object) -> bool:
        return False
