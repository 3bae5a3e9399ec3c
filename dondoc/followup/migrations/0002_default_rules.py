"""The default urging ladder (issue 4, DOMAIN.md §7); administrators edit the rules afterwards."""

from django.db import migrations


def create_defaults(apps, schema_editor):
    from dondoc.followup.ladder import DEFAULT_RULES

    FollowupRule = apps.get_model("followup", "FollowupRule")
    for r in DEFAULT_RULES:
        FollowupRule.objects.get_or_create(
            code=r.code,
            defaults={
                "name": r.name,
                "kind": r.kind,
                "offset": r.offset,
                "repeat": r.repeat,
                "audience": r.audience,
                "active": True,
            },
        )


def remove_defaults(apps, schema_editor):
    from dondoc.followup.ladder import DEFAULT_RULES

    apps.get_model("followup", "FollowupRule").objects.filter(code__in=[r.code for r in DEFAULT_RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("followup", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]
