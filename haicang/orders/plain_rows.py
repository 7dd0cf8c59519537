"""Plain SQL for the statements every order runs: their cursor (:func:`cursor`, PostgreSQL plans each
statement once: ``haicang.core.prepared``) and model instances from plain rows.

A queryset compiles its SQL again on every call, and ``Model.objects.raw`` works out its column-to-field mapping
again on every call; on the ingestion path that was more client time than the database took. Here a model's
column list and its value converters (the database backend's and each field's — exactly what a queryset
applies) are worked out once per process, and rows are turned into instances with ``Model.from_db``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models

from haicang.core.prepared import prepared_cursor


def db() -> Any:
    """The default database's wrapper itself (each use of the ``connection`` proxy is a thread-local lookup)."""
    return connections[DEFAULT_DB_ALIAS]


def cursor() -> AbstractContextManager[Any]:
    """A cursor for the hot statements: prepared once per connection on PostgreSQL (``core.prepared``)."""
    return prepared_cursor()


@cache
def select_list(model: type[models.Model], alias: str, vendor: str) -> str:
    """``alias.col1, alias.col2, …`` of every concrete field of ``model``, in field order."""
    quote = db().ops.quote_name
    return ", ".join(f"{alias}.{quote(str(f.column))}" for f in model._meta.concrete_fields)


@cache
def _reader(
    model: type[models.Model], vendor: str
) -> tuple[list[str], list[tuple[Any, list[Callable[..., Any]]]]]:
    wrapper = db()
    names, converters = [], []
    for field in model._meta.concrete_fields:
        column = field.get_col(model._meta.db_table)
        names.append(field.attname)
        converters.append(
            (column, [*wrapper.ops.get_db_converters(column), *field.get_db_converters(wrapper)])
        )
    return names, converters


def instances(model: type[models.Model], rows: Sequence[Sequence[Any]], offset: int = 0) -> list[Any]:
    """``model`` instances from ``rows`` whose columns from ``offset`` on are :func:`select_list`'s."""
    wrapper = db()
    names, converters = _reader(model, wrapper.vendor)
    made = []
    for row in rows:
        values = list(row[offset : offset + len(names)])
        for index, (column, functions) in enumerate(converters):
            value = values[index]
            for function in functions:
                value = function(value, column, wrapper)
            values[index] = value
        made.append(model.from_db(wrapper.alias, names, values))
    return made
