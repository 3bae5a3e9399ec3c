from django.contrib import admin

from dondoc.org.models import Person, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "abbr",
        "code",
        "identifier",
        "kind",
        "parent",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["kind"]
    search_fields = ["name", "abbr", "code", "identifier", "search"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["successors"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = [
        "full_name",
        "unit",
        "position",
        "role",
        "cleared_for_secrets",
        "decides_by_delegation",
        "active",
    ]
    list_filter = ["role", "position", "active", "decides_by_delegation"]
    search_fields = ["full_name", "unit__name", "user__username"]
    autocomplete_fields = ["unit", "user"]
