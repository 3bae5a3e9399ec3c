"""`core.compiled`: a queryset shape compiled once, run with new values, gives what the queryset gives."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dondoc.core.compiled import Prepared
from dondoc.org.models import Person


def _values(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_a_shape_is_built_once_and_answers_as_its_queryset(personas):
    built = []

    def build(shape, pk):
        built.append(shape)
        qs = Person.objects.select_related("unit", "user").filter(pk=pk)
        return qs.filter(active=True) if shape == "active" else qs

    prepared = Prepared(build)
    for person in personas.values():
        for shape in ("active", "any"):
            (found,) = prepared.fetch(shape, person.pk)
            expected = build(shape, person.pk).get()
            assert _values(found) == _values(expected)
            with CaptureQueriesContext(connection) as ctx:  # the related rows came with it
                assert _values(found.unit) == _values(expected.unit)
                assert _values(found.user) == _values(expected.user)
            assert ctx.captured_queries == []
    assert prepared.fetch("any", -1) == []
    assert sorted(set(built)) == ["active", "any"] and len(built) == 2 + 2 * len(
        personas
    )  # twice by `Prepared`, the rest here


def test_a_value_written_into_the_sql_is_refused(personas):
    prepared = Prepared(lambda shape, pk: Person.objects.extra(where=[f"id <> {pk}"]))
    with pytest.raises(ValueError, match="parameter"):
        prepared.fetch(None, 1)
