"""Tiny tasks the job tests queue and run (not collected as tests)."""

from __future__ import annotations

from typing import Any

from django.tasks import TaskContext, task

from haicang.core.jobs.progress import job_progress_report

NOT_A_TASK = "a plain string"


@task
def echo(*, label: str) -> str:
    return label


@task
def add(*, a: int, b: int = 0) -> int:
    return a + b


@task
def explode() -> None:
    raise RuntimeError("this task always fails")


@task(takes_context=True)
def count_up(context: TaskContext[Any, int], *, n: int) -> int:
    for done in range(1, n + 1):
        job_progress_report(result_id=context.task_result.id, done=done, total=n, message=f"step {done}")
    return n
