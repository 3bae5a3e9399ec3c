"""The task page's action forms' fields written by the `action_fields` tag (issue 19) are, byte for byte, what the
template's loops wrote: every action form, unbound and refused, for a task with names to escape."""

from __future__ import annotations

from datetime import date

import pytest
from django.template import Context, Template

from dondoc.tracking.forms import ACTION_FORMS

pytestmark = pytest.mark.django_db

# tracking/task_detail.html's loops as they were, the reference
OLD = Template(
    "    {% for field in form.hidden_fields %}{{ field }}{% endfor %}\n"
    "    {% for field in form.visible_fields %}\n"
    '    <div class="mb-2">\n'
    '      <label class="form-label" for="{{ field.id_for_label }}">{{ field.label }}</label>\n'
    "      {{ field }}\n"
    '      {% for e in field.errors %}<div class="text-danger small field-error" data-field="{{ field.name }}">'
    "{{ e }}</div>{% endfor %}\n"
    "    </div>\n"
    "    {% endfor %}\n"
)
NEW = Template("{% load tracking %}    {% action_fields form %}\n")


def test_every_action_form_is_the_templates_text(make_task, registry, frozen):
    from dondoc.org.models import Unit

    Unit.objects.filter(pk=registry["SXD"].pk).update(name='Sở <Xây> & "dựng"')
    task = make_task(content='Nội dung <b>&</b> "khẩn"', due_date=date(2026, 3, 20))
    compared, refused = 0, 0
    for action, form_class in ACTION_FORMS.items():
        for data in (
            None,
            {},
            {f"{action}-{k}": '<x> & "y"' for k in ("note", "reason", "text", "due_date")},
        ):
            form = form_class(data, task=task) if data is not None else form_class(task=task)
            if data is not None:
                form.is_valid()
            new, old = NEW.render(Context({"form": form})), OLD.render(Context({"form": form}))
            assert new == old, (action, data)
            compared += 1
            refused += 'class="text-danger small field-error"' in new
    assert compared >= 3 * 5 and refused >= 3
