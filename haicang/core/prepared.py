"""A cursor whose statements PostgreSQL parses and plans once per connection: for the few hot statements that
run with every order or reservation.

Django binds parameters on the client and never prepares a statement (it turns psycopg's preparing off, to keep
connection poolers working), so PostgreSQL parses and plans every statement again. For the joins routing reads
(candidates, carrier services) and for the ledger's one-statement reservation (a guarded ``UPDATE`` and its
inserts as CTEs) planning took longer than running them. :func:`prepared_cursor` gives, on PostgreSQL, a
server-side binding cursor that prepares each statement on its connection the first time it runs (psycopg keeps
up to 100 per connection) and sends the parameters apart from the text — written with ``%s`` like any Django
statement and turned into PostgreSQL's own ``$1, $2, …`` once per text, so psycopg does not parse the text
either (one of more than 50 parameters it would parse on every run). It is wrapped like any Django cursor
(errors translated, statements logged when Django logs them). On SQLite it is Django's own cursor.

Rules for its statements: ``%s`` is the only ``%`` in them, and they name their columns (no ``SELECT *``), so a
migration never meets a prepared statement whose result changed shape. Django's own queries are untouched.
Behind a connection pooler in transaction mode, use one that keeps prepared statements per client (PgBouncer
≥ 1.21 with ``max_prepared_statements``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache, lru_cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

ONLY_WHEN_ASKED = 2**31 - 1  # psycopg's automatic preparing after that many runs: never, in practice


@lru_cache(maxsize=1024)
def _numbered(sql: str) -> str:
    """``%s`` placeholders as PostgreSQL's own ``$1, $2, …`` (the statements hold no other ``%``)."""
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
def prepared_cursor() -> Iterator[Any]:
    """A cursor for hot statements (see the module's docstring); Django's own cursor on SQLite."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    if wrapper.vendor != "postgresql":
        with wrapper.cursor() as plain:
            yield plain
        return
    wrapper.ensure_connection()
    wrapper.validate_thread_sharing()
    if wrapper.connection.prepare_threshold is None:
        # Django turns preparing off for the connection; only server-binding cursors (these) ever prepare, and
        # only the statements they ask to: Django's client-binding cursors never do.
        wrapper.connection.prepare_threshold = ONLY_WHEN_ASKED
    with wrapper.wrap_database_errors:
        raw = _prepared_cursor_class()(wrapper.connection)
    wrapped = wrapper.make_debug_cursor(raw) if wrapper.queries_logged else wrapper.make_cursor(raw)
    try:
        yield wrapped
    finally:
        raw.close()
