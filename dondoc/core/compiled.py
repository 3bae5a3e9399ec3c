"""Querysets of a fixed shape compiled once per process, run with new values each time (issue 19).

Building a query's SQL costs Django more CPU than the database takes to answer a small one: the API's read of the
task an action is about (`visible_to` with four relations joined) spent ~1.5 ms of CPU compiling for ~0.25 ms of
statement. A `Prepared` query is built by the ORM once per (database, shape) with stand-in values, its SQL and its
row layout kept; each call runs that SQL with the real values and turns the rows into instances with Django's own
machinery (converters, `from_db`, the related rows of `select_related`), so the instances are those the queryset
would give.

The shape is what changes the SQL's text (a filter present or not); the values only fill its parameters. A value
must not change the SQL either: None, for instance, turns ``= %s`` into ``IS NULL`` — the caller takes the ORM's way
for those.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

M = TypeVar("M", bound=Model)

# Stand-in values, one per parameter of `build`: integers no real value takes, found again among the compiled
# query's parameters.
_STAND_INS = tuple(-7_340_000_000_001 - i for i in range(8))


class _Compiled:
    """One shape's SQL, where each value goes among its parameters, and how to read its rows."""

    def __init__(self, qs: QuerySet[Any], width: int) -> None:
        compiler = qs.query.get_compiler(using=qs.db)
        sql, params = compiler.as_sql()  # fills compiler.select, klass_info, annotation_col_map
        self.sql = sql
        self.params = list(params)
        self.slots = [(_STAND_INS.index(p) if p in _STAND_INS[:width] else None) for p in self.params]
        if any(s in sql for s in map(str, _STAND_INS[:width])):
            raise ValueError(
                "a value of a prepared query was written into its SQL, not passed as a parameter"
            )
        self.compiler = compiler
        klass_info = compiler.klass_info
        self.model = klass_info["model"]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        self.fields = (start, end)
        self.init_list = [f[0].target.attname for f in compiler.select[start:end]]
        self.populators = get_related_populators(klass_info, compiler.select, qs.db)  # type: ignore[call-arg]  # Django 5.2's
        self.annotations = list(compiler.annotation_col_map.items())


class Prepared(Generic[M]):
    """`build(shape, *values)` → a queryset of model instances (no `values()`, no deferred fields); `fetch(shape,
    *values)` runs it. Every value must reach the SQL as a parameter of its own (an integer compared with a column:
    an id)."""

    def __init__(self, build: Callable[..., QuerySet[M]]) -> None:
        self.build = build
        self._compiled: dict[tuple[str, Hashable], _Compiled] = {}

    def _for(self, alias: str, shape: Hashable, width: int) -> _Compiled:
        key = (alias, shape)
        found = self._compiled.get(key)
        if found is None:
            qs = self.build(shape, *_STAND_INS[:width]).using(alias)
            found = self._compiled[key] = _Compiled(qs, width)
        return found

    def fetch(self, shape: Hashable, *values: Any, using: str = "default") -> list[M]:
        compiled = self._for(using, shape, len(values))
        params = [
            p if slot is None else values[slot]
            for p, slot in zip(compiled.params, compiled.slots, strict=True)
        ]
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        start, end = compiled.fields
        found = []
        for row in compiled.compiler.results_iter([rows]):
            obj = compiled.model.from_db(using, compiled.init_list, row[start:end])
            for populator in compiled.populators:
                populator.populate(row, obj)
            for name, at in compiled.annotations:
                setattr(obj, name, row[at])
            found.append(obj)
        return found


def plain_update(model: type[Model], using: str, pk: Any, values: list[tuple[Any, Any, Any]]) -> bool | None:
    """`Model._do_update`'s UPDATE of one row by its primary key, written as SQL (`values`: Django's (field, model,
    value) of the save); whether a row was updated. None when a value needs the ORM (an expression, a field with a
    placeholder of its own): the caller takes Django's way. Saving a task built Django's UpdateQuery and compiled
    it for every action (issue 19)."""
    connection = connections[using]
    sets, params = [], []
    quote = connection.ops.quote_name
    for field, _model, value in values:
        if hasattr(value, "resolve_expression") or hasattr(value, "prepare_database_save"):
            return None
        if hasattr(field, "get_placeholder"):
            return None
        sets.append(f"{quote(field.column)} = %s")
        params.append(field.get_db_prep_save(value, connection=connection))
    pk_field = model._meta.pk
    assert pk_field is not None
    params.append(pk_field.get_db_prep_value(pk, connection))
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {', '.join(sets)} WHERE {quote(str(pk_field.column))} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return bool(cursor.rowcount > 0)
