"""A model row's UPDATE written as SQL, not compiled by the ORM on every save (issue 19).

Saving a task built Django's UpdateQuery and compiled it for every action: ~0.5 ms of CPU for ~0.1 ms of statement.
Reads of a fixed shape are built once per process by `core.prepared.Prepared`.
"""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.models import Model


def plain_update(
    model: type[Model],
    using: str,
    pk: Any,
    values: list[tuple[Any, Any, Any]],
    then: tuple[str, list[Any]] | None = None,
) -> bool | None:
    """`Model._do_update`'s UPDATE of one row by its primary key, written as SQL (`values`: Django's (field, model,
    value) of the save); whether a row was updated. None when a value needs the ORM (an expression, a field with a
    placeholder of its own): the caller takes Django's way. Saving a task built Django's UpdateQuery and compiled
    it for every action (issue 19).

    `then` (PostgreSQL): a statement that follows the UPDATE in the same statement, as (SQL, parameters): it reads
    the updated row's primary key from `updated` (`SELECT updated.id, … FROM updated`), so it writes only if the
    row was updated, and it must write one row for each row it reads (whether a row was updated is its count)."""
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
    if then is not None:
        sql = f"WITH updated AS ({sql} RETURNING {quote(str(pk_field.column))}) {then[0]}"
        params += then[1]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return bool(cursor.rowcount > 0)
