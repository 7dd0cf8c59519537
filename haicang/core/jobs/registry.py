"""The periodic jobs Haicang ships with, declared in code and installed into the schedule table.

An app declares its periodic jobs as ``PERIODIC_JOBS`` (a sequence of :class:`PeriodicJob`) in its
``tasks`` module, next to the tasks they run; the core's own live in ``haicang.core.jobs.tasks``.
``scheduled_jobs_install_defaults`` copies the declarations into the schedule table once; from then on
the table is the source of truth (an administrator may change or turn off a job).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import time
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps

CORE_TASKS_MODULE = "haicang.core.jobs.tasks"


@dataclass(frozen=True, slots=True)
class PeriodicJob:
    name: str
    task_path: str
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    interval_seconds: int | None = None
    daily_at: time | None = None


def _declared_in(module_name: str) -> Sequence[PeriodicJob]:
    if find_spec(module_name) is None:
        return ()
    declared = getattr(import_module(module_name), "PERIODIC_JOBS", ())
    return tuple(job for job in declared if isinstance(job, PeriodicJob))


def periodic_jobs_declared() -> list[PeriodicJob]:
    """Every periodic job declared by the core and the installed Haicang apps, by name."""
    modules = [CORE_TASKS_MODULE]
    modules += [
        f"{config.name}.tasks" for config in apps.get_app_configs() if config.name.startswith("haicang.")
    ]
    found: dict[str, PeriodicJob] = {}
    for module_name in dict.fromkeys(modules):
        for job in _declared_in(module_name):
            found.setdefault(job.name, job)
    return sorted(found.values(), key=lambda job: job.name)
