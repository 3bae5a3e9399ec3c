"""The task list's cheaper paths (issue 19, "lists at 10^6") against the old meaning, for every filter they touch.

- the counters of the parts the counted rows do not answer (a unit's coordinated tasks, any filter the rows do not
  keep), counted from the tasks by the one count (`counted.bucket_counts`), are the Python twin's for every filter;
- `with_bucket(..., among=bucket)` gives each task of a one-bucket list the bucket the CASE gives it;
- the list page (unit officer, City Office, every filter) shows the counters, the count and the rows (ids, buckets,
  order) of the old reading, and reads only the columns its rows show, without a query per row;
- the filter bar's hidden fields and the units' drop-down are the text Django's templates wrote.
"""

from __future__ import annotations

import random
from datetime import date

import pytest
from django import forms
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from dondoc.core.dates import today
from dondoc.directives.forms import DirectiveFilterForm
from dondoc.evaluation.forms import DashboardForm
from dondoc.followup.forms import OfficeFilterForm
from dondoc.org.models import Unit
from dondoc.tracking import counted
from dondoc.tracking import timeliness as tl
from dondoc.tracking.forms import TaskFilterForm
from dondoc.tracking.models import Coordination, Task
from dondoc.tracking.queries import BucketPage, bucket_counts, filter_tasks, list_order, sum_counts
from tests.helpers import login, random_task_fields, twin_bucket_counts

pytestmark = pytest.mark.django_db

REF = date(2026, 3, 10)  # the frozen today
# today, a Saturday (a deadline on it rolls to Monday), the day after Tết's holiday, a later month
REFS = [REF, date(2026, 3, 14), date(2026, 2, 23), date(2026, 4, 30)]


@pytest.fixture
def varied(db, frozen, registry, personas, directive):
    """Random tasks of four units, a third of the others' coordinated by SXD (the lead officer's unit), a few of
    them children of a parent task."""
    rng = random.Random(11)
    Task.objects.bulk_create([Task(**random_task_fields(rng, directive, registry)) for _ in range(90)])
    sxd = registry["SXD"]
    for task in Task.objects.exclude(lead_unit=sxd).order_by("id")[::3]:
        Coordination.objects.create(task=task, unit=sxd)
    parent = Task.objects.order_by("id").first()
    Task.objects.filter(pk__in=Task.objects.order_by("id").values("id")[5:15]).update(parent=parent)
    Task.objects.filter(pk__in=Task.objects.order_by("id").values("id")[20:30]).update(
        content="Xây dựng đề án"
    )
    return {"parent": parent, "directive": directive, "sxd": sxd}


def _filters(varied) -> list[dict]:
    """One question for every filter of the task list (cleaned data), and none."""
    return [
        {},
        {"unit": varied["sxd"]},
        {"q": "xây dựng"},
        {"authority": varied["directive"].authority},
        {"kind": tl.KIND_A},
        {"due_from": date(2026, 3, 1)},
        {"due_to": date(2026, 3, 31)},
        {"directive": varied["directive"].pk},
        {"parent": varied["parent"].pk},
        {"unit": varied["sxd"], "due_from": date(2026, 2, 1), "q": "nhiệm vụ"},
    ]


@pytest.mark.parametrize("who", ["lead_officer", "tracker", "inspector"])
def test_the_counts_of_the_tasks_are_the_twins(varied, personas, who):
    user = personas[who].user
    for ref in REFS:
        soon = tl.soon_limit(ref)
        for data in _filters(varied):
            for part in Task.objects.exclude(state=tl.DRAFT).visible_parts(user):
                tasks = filter_tasks(part, data, ref, soon)
                assert counted.bucket_counts(tasks, ref, soon) == twin_bucket_counts(tasks, ref, soon), (
                    ref,
                    data,
                )


def test_a_list_of_one_bucket_knows_its_tasks_bucket(varied):
    for ref in REFS:
        soon = tl.soon_limit(ref)
        for bucket in tl.BUCKETS:
            tasks = Task.objects.in_bucket(bucket, ref, soon).order_by("id")
            case = list(tasks.with_bucket(ref, soon).values_list("id", "bucket"))
            assert list(tasks.with_bucket(ref, soon, among=bucket).values_list("id", "bucket")) == case
            if bucket not in tl.PARTS:  # within the deadline holds due soon: its tasks' buckets differ
                assert {b for _, b in case} <= {bucket}
    everything = Task.objects.order_by("id")
    assert list(everything.with_bucket(REF, tl.soon_limit(REF), among=None).values_list("bucket")) == list(
        everything.with_bucket(REF, tl.soon_limit(REF)).values_list("bucket")
    )


def _old_page(user, data: dict, ref: date) -> tuple[dict, int, list]:
    """The counters, the count and the first page's (id, bucket) as the list read them before: every part's
    seven conditional aggregates, the bucket's CASE on every row."""
    soon = tl.soon_limit(ref)
    parts = Task.objects.exclude(state=tl.DRAFT).visible_parts(user)
    counts = sum_counts([bucket_counts(filter_tasks(p, data, ref, soon), ref, soon) for p in parts])
    tasks = filter_tasks(Task.objects.visible_to(user).exclude(state=tl.DRAFT), data, ref, soon)
    bucket = data.get("bucket")
    if bucket:
        tasks = tasks.in_bucket(bucket, ref, soon)
    rows = list(list_order(tasks.with_bucket(ref, soon), bucket).values_list("id", "bucket")[:25])
    return counts, tasks.count(), rows


def _query(data: dict) -> dict:
    return {
        k: (v.pk if hasattr(v, "pk") else v.strftime("%d/%m/%Y") if isinstance(v, date) else v)
        for k, v in data.items()
    }


@pytest.mark.parametrize("who", ["lead_officer", "tracker"])
def test_the_list_page_shows_what_it_showed(varied, personas, client, who):
    person = personas[who]
    login(person, client)
    for data in _filters(varied):
        for bucket in (None, tl.OVERDUE, tl.IN_DEADLINE, tl.DUE_SOON, tl.COMPLETED_LATE, tl.WITHDRAWN):
            asked = {**data, "bucket": bucket} if bucket else data
            page = client.get("/nhiem-vu/", _query(asked))
            assert page.status_code == 200
            counts, n, rows = _old_page(person.user, asked, REF)
            shown = {c.key: c.n for c in page.context["counts"]}
            assert shown == {k: counts[k] for k in shown}, asked
            assert page.context["page"].paginator.count == n, asked
            assert [(t.pk, t.bucket) for t in page.context["page"]] == rows, asked


@pytest.mark.parametrize("who", ["lead_officer", "tracker", "inspector"])
def test_a_bucket_list_read_by_its_statement_built_once_is_the_list(varied, personas, who):
    """`BucketPage` (a list of one bucket, of a unit or of all): every page the same rows in the same order, with
    the same buckets, as the list's queryset — the secret tasks kept from who may not see them."""
    person = personas[who]
    for ref in REFS:
        soon = tl.soon_limit(ref)
        for unit in (None, varied["sxd"]):
            for bucket in tl.BUCKETS:
                tasks = Task.objects.visible_to(person.user).exclude(state=tl.DRAFT)
                tasks = (tasks.filter(lead_unit=unit) if unit else tasks).in_bucket(bucket, ref, soon)
                whole = list(list_order(tasks.with_bucket(ref, soon), bucket).values_list("id", "bucket"))
                pages = BucketPage(person, unit, bucket, ref, soon)
                for start in range(0, len(whole) + 7, 7):
                    rows = pages[start : start + 7]
                    assert [(t.pk, t.bucket) for t in rows] == whole[start : start + 7], (ref, unit, bucket)
                    assert person.cleared_for_secrets or not any(t.secret for t in rows)


def test_the_rows_read_their_columns_only_and_no_query_a_row(varied, personas, client):
    login(personas["tracker"], client)
    with CaptureQueriesContext(connection) as one:
        client.get("/nhiem-vu/", {"bucket": tl.OVERDUE, "unit": varied["sxd"].pk, "trang": 999})
    with CaptureQueriesContext(connection) as many:
        page = client.get("/nhiem-vu/", {"bucket": tl.OVERDUE})
    assert len(page.context["page"]) > 5
    assert len(many.captured_queries) <= len(one.captured_queries)  # 1 row or many: the same statements
    listed = next(q["sql"] for q in many.captured_queries if "directives_directive" in q["sql"])
    assert '"tracking_task"."requirements"' not in listed and "CASE" not in listed
    assert "Mật</span>" in page.content.decode() or all(not t.secret for t in page.context["page"])


# ------------------------------------------------------------------------------------------------ the filter bar

# core/_filter_bar.html's loop of the hidden fields as it was, the reference
HIDDEN_LOOP = Template(
    '{% for field in form.hidden_fields %}{{ field }}{% if field.errors %}<div class="col-12 text-danger small">'
    '{{ field.label }}: {{ field.errors|join:" " }}</div>{% endif %}{% endfor %}'
)
HIDDEN_TAG = Template("{% load filter_bar %}{% filter_hidden form %}")


def test_the_hidden_fields_are_the_templates_text(registry, frozen):
    compared = 0
    for form in (
        TaskFilterForm(),
        TaskFilterForm({"bucket": "overdue"}),
        TaskFilterForm({"directive": "12", "parent": "7"}),
        TaskFilterForm({"directive": "mười hai", "parent": "<b>"}),  # refused: the errors follow the field
        DirectiveFilterForm({"year": "2026"}),
        OfficeFilterForm({"unit": str(registry["SXD"].pk)}),
        DashboardForm(None, today=today()),
        DashboardForm({"loai_ky": "quy", "kind": "x"}, today=today()),
    ):
        form.is_bound and form.is_valid()
        context = Context({"form": form})
        assert HIDDEN_TAG.render(context) == HIDDEN_LOOP.render(context)
        compared += len(form.hidden_fields())
    assert compared >= 20
    refused = TaskFilterForm({"directive": "mười hai"})
    refused.is_valid()
    assert 'class="col-12 text-danger small">' in HIDDEN_TAG.render(Context({"form": refused}))


def test_the_units_drop_down_is_a_model_choice_fields_without_building_units(registry, monkeypatch):
    form = TaskFilterForm({"unit": str(registry["SXD"].pk)})
    form.is_valid()
    stock = forms.ModelChoiceField(queryset=form.fields["unit"].queryset, empty_label="Tất cả đơn vị")
    expected = [(str(v), label) for v, label in stock.choices]
    assert len(expected) > 10

    def no_instance(*args, **kwargs):
        raise AssertionError("a unit built for an option")

    monkeypatch.setattr(Unit, "from_db", classmethod(no_instance))
    assert [(str(v), label) for v, label in form.fields["unit"].choices] == expected
    options = Template("{% load filter_bar %}{% filter_options field %}").render(
        Context({"field": form["unit"]})
    )
    assert f'<option value="{registry["SXD"].pk}" selected>{registry["SXD"].name}</option>' in options
