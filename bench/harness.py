"""Set up throw-away databases for benchmarks and print results as tables."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/haicang_bench"


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)

    def add(self, *values: object) -> None:
        self.rows.append([str(v) for v in values])

    def render(self) -> str:
        widths = [max(len(c), *(len(r[i]) for r in self.rows)) for i, c in enumerate(self.columns)]
        line = "  ".join("-" * w for w in widths)
        out = [self.title, "  ".join(c.ljust(w) for c, w in zip(self.columns, widths, strict=True)), line]
        out += ["  ".join(v.rjust(w) for v, w in zip(r, widths, strict=True)) for r in self.rows]
        return "\n".join(out)


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def postgres_reachable(url: str) -> bool:
    import psycopg

    try:
        psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True


def bench_databases() -> list[tuple[str, str | None]]:
    """(label, DATABASE_URL) pairs: SQLite always, PostgreSQL when reachable."""
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG_URL)
    dbs: list[tuple[str, str | None]] = [("sqlite", None)]
    if postgres_reachable(url):
        dbs.append(("postgresql", url))
    return dbs


@contextmanager
def django_on(database_url: str | None) -> Iterator[None]:
    """Configure Django on a fresh database (a temporary SQLite file, or a recreated PostgreSQL database)."""
    with tempfile.TemporaryDirectory(prefix="haicang-bench-") as data_dir:
        os.environ["HAICANG_DATA_DIR"] = data_dir
        os.environ["DJANGO_SETTINGS_MODULE"] = "haicang.settings"
        if database_url:
            os.environ["DATABASE_URL"] = database_url
            _recreate_postgres(database_url)
        else:
            os.environ.pop("DATABASE_URL", None)
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0, interactive=False)
        yield


def _recreate_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
