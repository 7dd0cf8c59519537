"""Errors of the schedule table, with stable codes."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from haicang.core.errors import NotFound, ValidationFailed


class JobsErrorCode(StrEnum):
    NAME_INVALID = "jobs.name_invalid"
    TASK_PATH_INVALID = "jobs.task_path_invalid"
    KWARGS_INVALID = "jobs.kwargs_invalid"
    SCHEDULE_INVALID = "jobs.schedule_invalid"
    NOT_FOUND = "jobs.not_found"


class JobNameInvalid(ValidationFailed):
    code: ClassVar[str] = JobsErrorCode.NAME_INVALID


class TaskPathInvalid(ValidationFailed):
    code: ClassVar[str] = JobsErrorCode.TASK_PATH_INVALID


class JobKwargsInvalid(ValidationFailed):
    code: ClassVar[str] = JobsErrorCode.KWARGS_INVALID


class ScheduleInvalid(ValidationFailed):
    code: ClassVar[str] = JobsErrorCode.SCHEDULE_INVALID


class ScheduledJobNotFound(NotFound):
    code: ClassVar[str] = JobsErrorCode.NOT_FOUND
