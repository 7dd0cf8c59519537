"""Plain SQL for the statements every order runs: a cursor whose statements PostgreSQL plans once, and model
instances from plain rows.

**Prepared statements.** Django binds parameters on the client and never prepares a statement, so PostgreSQL
parses and plans every statement again; for the joins routing reads (candidates, carrier services) planning
took several times as long as running them. :func:`cursor` gives, on PostgreSQL, a server-side binding cursor
that prepares each statement on its connection the first time it runs (psycopg keeps up to 100 per connection)
and sends the parameters apart from the text — with PostgreSQL's own ``$n`` placeholders, so psycopg does not
parse the text either (a statement of more than 50 parameters it would parse on every run). It is wrapped like any Django cursor (errors translated, queries
logged when Django logs them). Only statements with an explicit column list go through it, so a migration that
adds a column never meets a prepared statement whose result changed shape. Behind a connection pooler in
transaction mode, use one that supports protocol-level prepared statements (PgBouncer ≥ 1.21).

A queryset compiles its SQL again on every call, and ``Model.objects.raw`` works out its column-to-field mapping
again on every call; on the ingestion path that was more client time than the database took. Here a model's
column list and its value converters (the database backend's and each field's — exactly what a queryset
applies) are worked out once per process, and rows are turned into instances with ``Model.from_db``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache, lru_cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models


def db() -> Any:
    """The default database's wrapper itself (each use of the ``connection`` proxy is a thread-local lookup)."""
    return connections[DEFAULT_DB_ALIAS]


ONLY_WHEN_ASKED = 2**31 - 1  # psycopg's automatic preparing after that many runs: never, in practice


@lru_cache(maxsize=1024)
def _numbered(sql: str) -> str:
    """``%s`` placeholders as PostgreSQL's own ``$1, $2, …`` (these statements hold no other ``%``)."""
    pieces = sql.split("%s")
    return "".join(f"{piece}${n}" for n, piece in enumerate(pieces[:-1], start=1)) + pieces[-1]


@cache
def _prepared_cursor_class() -> type:
    import psycopg

    class PreparedCursor(psycopg.RawCursor):
        """Native ``$n`` placeholders (psycopg parses nothing), each statement prepared on first use."""

        def execute(self, query: Any, params: Any = None, **options: Any) -> Any:
            return super().execute(_numbered(query), params, prepare=True, **options)

    return PreparedCursor


@contextmanager
def cursor() -> Iterator[Any]:
    """A cursor for the hot statements (see the module's docstring); a plain Django cursor on SQLite."""
    wrapper = db()
    if wrapper.vendor != "postgresql":
        with wrapper.cursor() as plain:
            yield plain
        return
    wrapper.ensure_connection()
    wrapper.validate_thread_sharing()
    if (
        wrapper.connection.prepare_threshold is None
    ):  # Django's default turns preparing off for the connection;
        # only server-binding cursors (these) ever prepare, and only the statements they ask to
        wrapper.connection.prepare_threshold = ONLY_WHEN_ASKED
    with wrapper.wrap_database_errors:
        raw = _prepared_cursor_class()(wrapper.connection)
    wrapped = wrapper.make_debug_cursor(raw) if wrapper.queries_logged else wrapper.make_cursor(raw)
    try:
        yield wrapped
    finally:
        raw.close()


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
