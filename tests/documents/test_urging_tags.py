"""The urging page writes its letter's lines, its overview and its unit chooser in Python
(`documents.templatetags.urging_tags`, `core.templatetags.filter_bar`, issue 19): the same text as the template
loops they replaced, texts escaped."""

from __future__ import annotations

import re
from datetime import date

from django.template import Context, Template

from dondoc.documents import urging
from dondoc.documents.forms import UrgingForm
from dondoc.org.models import Unit

REF = date(2026, 3, 10)

# The loops of documents/urging.html as they were.
LINES_LOOP = Template(
    "{% for line in lines %}\n"
    '    <tr><td>{{ forloop.counter }}</td><td>{{ line.directive }}</td><td><a href="{{ line.task.get_absolute_url }}">'
    "{{ line.content }}</a></td>\n"
    '      <td>{{ line.due_date|date:"d/m/Y" }}</td><td>{% if line.overdue %}{{ line.working_days_late }}{% else %}—'
    "{% endif %}</td><td>{{ line.state }}</td></tr>\n    {% endfor %}"
)
OVERVIEW_LOOP = Template(
    "{% for u, overdue, soon in overview %}\n"
    '    <tr><td>{{ u.name }}</td><td class="text-end">{{ overdue }}</td><td class="text-end">{{ soon }}</td>\n'
    '      <td><a href="?unit={{ u.pk }}">Xem trước</a></td></tr>\n    {% endfor %}'
)
CHOOSER_LOOP = Template(
    "{% for value, label in form.unit.field.choices %}<option value=\"{{ value }}\"{% if chosen == value|stringformat:'s' %}"
    " selected{% endif %}>{{ label }}</option>{% endfor %}"
)


def _tight(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


def test_the_letters_lines_and_the_overview_are_written_as_the_template_wrote_them(
    overdue_tasks, registry, personas, make_task
):
    tracker = personas["tracker"].user
    make_task(content='Rà soát <b>"vỉa hè"</b> & lòng đường', due_date=date(2026, 3, 3))
    lines = urging.urging_lines(registry["SXD"], tracker, REF)
    assert len(lines) == 4 and any(not line.overdue for line in lines)
    tag = Template("{% load urging_tags %}{% urging_lines lines %}").render(Context({"lines": lines}))
    assert "&lt;b&gt;&quot;vỉa hè&quot;&lt;/b&gt; &amp; lòng đường" in tag
    assert _tight(tag) == _tight(LINES_LOOP.render(Context({"lines": lines})))

    overview = urging.overview(tracker, REF)
    assert len(overview) == 2
    tag = Template("{% load urging_tags %}{% urging_overview overview %}").render(
        Context({"overview": overview})
    )
    assert _tight(tag) == _tight(OVERVIEW_LOOP.render(Context({"overview": overview})))


def test_the_unit_chooser_is_written_as_the_template_wrote_it(registry, personas):
    units = list(Unit.objects.assignable().order_by("name"))
    for data in (None, {"unit": str(registry["SXD"].pk)}, {"unit": "all"}, {"unit": "xyz"}):
        form = UrgingForm(data, units=units, overdue_units={registry["SXD"].pk})
        chosen = form.cleaned_data["unit"] if form.is_bound and form.is_valid() else None
        context = {"form": form, **({"chosen": chosen} if chosen else {})}
        tag = Template("{% load filter_bar %}{% filter_options form.unit %}").render(Context(context))
        assert tag == CHOOSER_LOOP.render(Context(context))
        assert (" selected" in tag) == (chosen is not None)
