"""Test-wide fixtures. Tests use real databases: SQLite (file-backed) by default, PostgreSQL when
``DATABASE_URL`` points at one; ``make test`` runs the whole suite on both."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def system_actor():
    from haicang.core.actors import Actor

    return Actor.system("tests")


@pytest.fixture
def user(db, django_user_model):
    return django_user_model.objects.create_user(username="alice", password="correct horse battery")  # noqa: S106


@pytest.fixture
def user_actor(user):
    from haicang.core.actors import Actor

    return Actor.for_user(user)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Before the test database is dropped, end the sessions other threads left open on PostgreSQL (the
    live server's keep-alive request threads may still hold one when Chromium closes)."""
    yield
    with django_db_blocker.unblock():
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
