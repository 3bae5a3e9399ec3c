"""Reads whose statement Django builds once per process, not on every request (issue 19).

Building a statement — the queryset's filters resolved, then compiled to SQL with its ~30–120 columns — costs
Django 0.3–1.5 ms of CPU each time; a task page runs a dozen statements, and every page reads the session, the
user with its person and unit, and the unread notifications: about half of a task page's CPU went to building
statements that differ from one request to the next only in their values (a task's id, a user's id).

`Prepared` wraps a function that builds such a queryset. The first call (per database connection's vendor and
per `shape`, see below) builds it with a distinct sentinel for each value, compiles it, and notes where each
sentinel lands among the statement's parameters; every call runs that SQL with its own values in those places,
through the queryset's own iterable — model instances (with `select_related`, `only`, annotations) or the rows of
`values()` / `values_list()` exactly as the queryset gives them (`tests/core/test_prepared.py` compares the two).

The build function's arguments are of two kinds, given by `kinds` (one per argument, in order):

- a value (`int`, `str`, `date`, `datetime`): it reaches the statement as parameters unchanged in kind (a primary
  key, a foreign key's id, a string compared, a date or time), or not at all in some shapes;
- `SHAPE`: anything that changes the statement itself (whether the reader sees every unit, is cleared for
  secrets; the dates a bucket's SQL is written with): part of the cache's key, passed to the build as given.

A statement that cannot match anything (`none()`) is remembered as such and reads nothing.

Whatever else a statement was built with (the working calendar's limits of a bucket, computed from a date of its
shape) is kept with it: `forget_all()` has every Prepared build its statements again, and the working calendar calls
it when it changes (`workdays.calendar.invalidate`).
"""

from __future__ import annotations

import copy
import weakref
from collections.abc import Callable, Hashable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

MAX_SHAPES = 256  # the statements a Prepared keeps
_EVERY: weakref.WeakSet[Prepared] = weakref.WeakSet()
SHAPE = None  # an argument that is part of the statement's shape (the cache's key), not one of its values

# Two sentinels per position and kind (the statement is built with each; the values' places must agree, so that a
# constant of the statement equal to a sentinel is never taken for a value). Integers within any integer field's
# range: Django reads nothing for a value out of the field's range (a lookup of -10^12 compiles to no statement).
_INT_BASES = (32_719, 31_237)
_DATE_BASES = (date(1, 1, 1), date(2, 2, 2))


def _sentinel(kind: type | None, position: int, round: int) -> Any:
    if kind is int:
        return _INT_BASES[round] - position
    if kind is str:
        return f"\x1fprepared-{round}-{position}\x1f"
    if kind is datetime:
        return datetime(1 + round, 1, 1, 0, 0, position, tzinfo=UTC)
    if kind is date:
        return _DATE_BASES[round] + timedelta(days=position)
    raise TypeError(f"Prepared: no sentinel for {kind!r}")


def _adapted(connection: Any, kind: type | None, value: Any) -> Any:
    """A value as the backend receives it among a statement's parameters (Django adapts dates per backend)."""
    if kind is datetime:
        return connection.ops.adapt_datetimefield_value(value)
    if kind is date:
        return connection.ops.adapt_datefield_value(value)
    return value


class _Statement:
    """One compiled statement: its SQL, its parameters with the values' places, the compiler it came from (what
    the queryset's iterable needs to turn rows into objects) and the queryset itself."""

    def __init__(self, queryset: QuerySet[Any], sentinels: dict[int, Any], kinds: tuple[type | None, ...]):
        self.queryset = queryset
        self.kinds = kinds
        connection = connections[queryset.db]
        self.compiler = queryset.query.get_compiler(using=queryset.db)
        self.converters: weakref.WeakKeyDictionary[Any, tuple[dict[int, Any], bool]] = (
            weakref.WeakKeyDictionary()
        )
        try:
            self.sql, params = self.compiler.as_sql()
        except EmptyResultSet:
            self.sql, params = "", ()
        self.params = list(params)
        self.places: list[tuple[int, int]] = []  # (parameter's index, argument's index)
        for arg, sentinel in sentinels.items():
            adapted = _adapted(connection, kinds[arg], sentinel)
            # (a value the statement of this shape does not use is in no place: a unit's id for who sees every unit)
            self.places += [
                (i, arg) for i, p in enumerate(self.params) if type(p) is type(adapted) and p == adapted
            ]

    def params_of(self, args: tuple[Any, ...]) -> list[Any]:
        """The statement's parameters with the values `args` in their places."""
        connection = connections[self.queryset.db]
        params = list(self.params)
        for i, arg in self.places:
            params[i] = _adapted(connection, self.kinds[arg], args[arg])
        return params

    def run(self, args: tuple[Any, ...], rows: list[tuple[Any, ...]] | None = None) -> list[Any]:
        """The statement's objects (or rows) for `args`; from `rows` instead of running it when given: the
        statement's own columns read by a larger statement (`accounts.sessions`)."""
        if not self.sql:
            return []
        connection = connections[self.queryset.db]  # this thread's connection
        params = self.params_of(args)
        compiler = copy.copy(self.compiler)
        compiler.connection = connection
        sql = self.sql
        compiler.as_sql = lambda *a, **k: (sql, tuple(params))  # type: ignore[method-assign]
        if rows is not None:
            compiler.execute_sql = lambda *a, **k: [rows]  # type: ignore[method-assign]
        # The columns' converters (a dozen to a hundred calls per statement) are the same on every run: found once
        # per connection (they are the connection's backend's and the fields') and given back as found.
        found = self.converters.get(connection)
        if found is None:
            columns = [s[0] for s in compiler.select[0 : compiler.col_count]]
            found = self.converters[connection] = (
                compiler.get_converters(columns),
                compiler.has_composite_fields(columns),
            )
        compiler.get_converters = lambda expressions: found[0]  # type: ignore[method-assign]
        compiler.has_composite_fields = lambda expressions: found[1]  # type: ignore[method-assign]
        queryset = self.queryset._chain()  # type: ignore[attr-defined]
        queryset.query.get_compiler = lambda *a, **k: compiler
        return list(queryset)


class Prepared:
    """`build(*args)` → a queryset, its statement built once per shape (module docstring); calling the Prepared
    with the same arguments gives `list(build(*args))`."""

    def __init__(self, build: Callable[..., QuerySet[Any]], kinds: tuple[type | None, ...]):
        self.build = build
        self.kinds = kinds
        self.statements: dict[Hashable, _Statement] = {}
        _EVERY.add(self)

    def __call__(self, *args: Any) -> list[Any]:
        statement, values = self._statement(args)
        return statement.run(values)

    def from_rows(self, args: tuple[Any, ...], rows: list[tuple[Any, ...]]) -> list[Any]:
        """What calling the Prepared with `args` gives, from `rows`: its statement's columns (`sql_with_params`)
        read by another statement, converted and made into objects as its own run would."""
        statement, values = self._statement(args)
        return statement.run(values, rows)

    def sql_with_params(self, *args: Any) -> tuple[str, tuple[Any, ...]]:
        """The SQL of `build(*args)` and its parameters, for a statement that reads it as a subquery (the counts of
        `tracking.counted.bucket_counts`); EmptyResultSet when it cannot match anything (`none()`)."""
        statement, values = self._statement(args)
        if not statement.sql:
            raise EmptyResultSet
        return statement.sql, tuple(statement.params_of(values))

    def _statement(self, args: tuple[Any, ...]) -> tuple[_Statement, tuple[Any, ...]]:
        if len(args) != len(self.kinds):
            raise TypeError(f"Prepared: {len(self.kinds)} arguments expected, {len(args)} given")
        shape = tuple(a for a, kind in zip(args, self.kinds, strict=True) if kind is SHAPE)
        values = tuple(kind(a) if kind in (int, str) else a for a, kind in zip(args, self.kinds, strict=True))
        statement = self.statements.get(shape)
        if (
            statement is None
            or connections[statement.queryset.db].vendor != statement.compiler.connection.vendor
        ):
            if len(self.statements) >= MAX_SHAPES:  # shapes without end (a list's far pages): start again
                self.statements.clear()
            statement = self.statements[shape] = self.prepare(args)
        return statement, values

    def prepare(self, args: tuple[Any, ...]) -> _Statement:
        built = []
        for round in (0, 1):
            sentinels = {
                i: _sentinel(kind, i, round) for i, kind in enumerate(self.kinds) if kind is not SHAPE
            }
            queryset = self.build(*(sentinels.get(i, a) for i, a in enumerate(args)))
            built.append(_Statement(queryset, sentinels, self.kinds))
        if (built[0].sql, sorted(built[0].places)) != (built[1].sql, sorted(built[1].places)):
            raise ValueError("Prepared: the statement changes with its values; pass them as SHAPE")
        return built[0]

    def first(self, *args: Any) -> Any:
        """The first object read (the build's queryset limited to one row: `[:1]`), or None."""
        rows = self(*args)
        return rows[0] if rows else None


def forget_all() -> None:
    """Every Prepared builds its statements again at its next call: what they were built with besides their values
    changed (the working calendar)."""
    for prepared in list(_EVERY):
        prepared.statements.clear()
