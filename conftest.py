"""Test-wide fixtures. Tests use real databases: SQLite (file-backed) by default, PostgreSQL when
``DATABASE_URL`` points at one; ``make test`` runs the whole suite on both."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
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
