"""The task an API request is about (`api._visible_task`, a prepared statement): the same task, with the same
related rows, as the ORM's `visible_to` gives, for every kind of reader; 404 where that gives none."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.test import RequestFactory

from dondoc.api.api import _SHOWN_WITH, _visible_task
from dondoc.tracking.models import Task


def _values(obj):
    return None if obj is None else {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_the_prepared_read_is_the_orm_read_for_every_reader(personas, make_task, secret_directive, registry):
    tasks = [
        make_task(),  # led by SXD, STC coordinates
        make_task(lead="SYT", coordinators=()),
        make_task(lead="STC", coordinators=("SXD",)),
        make_task(secret=True),
    ]
    request = RequestFactory().get("/")
    seen = 0
    for person in personas.values():
        request.user = person.user
        for task in tasks:
            orm = Task.objects.visible_to(person.user).select_related(*_SHOWN_WITH)
            try:
                expected = get_object_or_404(orm, pk=task.pk)
            except Http404:
                with pytest.raises(Http404):
                    _visible_task(request, task.pk)
                continue
            found = _visible_task(request, task.pk)
            seen += 1
            assert _values(found) == _values(expected)
            for name in _SHOWN_WITH:
                assert _values(getattr(found, name)) == _values(getattr(expected, name)), name
    assert 0 < seen < len(personas) * len(tasks)  # some readers see some tasks, not all of them
    request.user = personas["tracker"].user
    for missing in (0, -1, 2**63):  # unknown ids, one past the column's range: 404, never a database error
        with pytest.raises(Http404):
            _visible_task(request, missing)
