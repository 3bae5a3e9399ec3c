"""One directive, one row: the register compares notations after normalising case, dashes and spaces, and the
database holds it with a unique constraint on (number, symbol_key, issuer, year), so imports and edXML cannot
bypass it.

Rows registered twice before this migration (``3031/ubnd-tkbt`` beside ``3031/UBND-TKBT``) cannot be merged here:
each carries its own tasks. The first keeps the key; each later one gets ``<key>#<id>`` and is listed on the
console, for an administrator to move its tasks and delete it."""

from django.db import migrations, models
from django.db.models import Q


def fill_symbol_key(apps, schema_editor):
    from dondoc.directives.notation import symbol_key

    Directive = apps.get_model("directives", "Directive")
    seen = set()
    rows = []
    for directive in Directive.objects.order_by("pk").only("pk", "number", "symbol", "issuer_id", "year"):
        key = symbol_key(directive.symbol)
        identity = (directive.number, key, directive.issuer_id, directive.year)
        if identity in seen:
            print(f"\n  Văn bản đăng ký trùng (id {directive.pk}, {directive.number}/{directive.symbol}): cần gộp.")
            key = f"{key[:38]}#{directive.pk}"
        seen.add(identity)
        directive.symbol_key = key
        rows.append(directive)
    Directive.objects.bulk_update(rows, ["symbol_key"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("directives", "0002_six_authorities")]

    operations = [
        migrations.AddField(
            model_name="directive",
            name="symbol_key",
            field=models.CharField(default="", editable=False, max_length=50),
            preserve_default=False,
        ),
        migrations.RunPython(fill_symbol_key, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="directive", name="directive_unique_notation"),
        migrations.AddConstraint(
            model_name="directive",
            constraint=models.UniqueConstraint(
                fields=("number", "symbol_key", "issuer", "year"),
                name="directive_unique_notation_key",
                violation_error_message="Văn bản này đã có trong sổ.",
            ),
        ),
        migrations.AddConstraint(
            model_name="directive",
            constraint=models.CheckConstraint(condition=~Q(symbol_key=""), name="directive_symbol_key_set"),
        ),
    ]
