"""Seed the demo world through the same services the product uses. Idempotent: running it twice changes nothing."""

from __future__ import annotations

from django.db import transaction

from haicang.core.actors import Actor
from haicang.core.jobs.services import scheduled_jobs_install_defaults
from haicang.demo.world import ALL_LOGINS, DemoLogin, demo_world_build

__all__ = ["ALL_LOGINS", "DemoLogin", "demo_world_seed"]


@transaction.atomic
def demo_world_seed(*, actor: Actor) -> list[DemoLogin]:
    """Build the demo world (if it is not there yet) and the default schedules; return the logins to print."""
    demo_world_build(actor=actor)
    scheduled_jobs_install_defaults(actor=actor)
    return list(ALL_LOGINS)
