"""Seed the demo world through the same services the product uses. Idempotent: running it twice changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from haicang.core.actors import Actor
from haicang.core.jobs.services import scheduled_jobs_install_defaults


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    who: str


DEMO_LOGINS = (
    DemoLogin("admin", "haicang-admin", "installation admin (staff; Django admin, API docs, audit)"),
    DemoLogin("seller", "haicang-seller", "a seller's user (seller parties and roles arrive with the parties registry)"),
    DemoLogin("operator", "haicang-operator", "an operator's user (operator parties and roles arrive with the parties registry)"),
)


def _ensure_user(login: DemoLogin) -> None:
    users = get_user_model()
    user, created = users.objects.get_or_create(username=login.username)
    if created:
        user.set_password(login.password)
        user.is_staff = user.is_superuser = login.username == "admin"
        user.save()


@transaction.atomic
def demo_world_seed(*, actor: Actor) -> list[DemoLogin]:
    """Create the demo logins and reference data; return the logins to print."""
    for login in DEMO_LOGINS:
        _ensure_user(login)
    scheduled_jobs_install_defaults(actor=actor)
    return list(DEMO_LOGINS)
