"""Domain errors of the import framework, with stable codes. Pure: no Django import."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar

from haicang.core.errors import Conflict, NotFound, ValidationFailed

if TYPE_CHECKING:
    from haicang.exchange.problems import Problem


class ExchangeErrorCode(StrEnum):
    FILE_INVALID = "exchange.file_invalid"
    COLUMN_UNKNOWN = "exchange.column_unknown"
    COLUMN_DUPLICATE = "exchange.column_duplicate"
    COLUMN_MISSING = "exchange.column_missing"
    ROWS_REJECTED = "exchange.rows_rejected"
    KIND_UNKNOWN = "exchange.kind_unknown"
    KIND_NOT_FOR_PARTY = "exchange.kind_not_for_party"
    JOB_STATE = "exchange.job_state"
    JOB_NOT_FOUND = "exchange.job_not_found"
    PROFILE_INVALID = "exchange.profile_invalid"
    PROFILE_TAKEN = "exchange.profile_taken"
    APPLY_FAILED = "exchange.apply_failed"
    OPTIONS_INVALID = "exchange.options_invalid"


class RowsRejected(ValidationFailed):
    """An importer's apply step found problems: the transaction rolls back and nothing is written.

    ``problems`` lists every one (row, column, code, reason)."""

    code: ClassVar[str] = ExchangeErrorCode.ROWS_REJECTED
    title = "The file was rejected"

    def __init__(self, problems: list[Problem]) -> None:
        count = len(problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} found; nothing was imported")
        self.problems = problems


class ImportKindUnknown(ValidationFailed):
    code: ClassVar[str] = ExchangeErrorCode.KIND_UNKNOWN
    title = "No such import kind"


class ImportKindNotForParty(ValidationFailed):
    code: ClassVar[str] = ExchangeErrorCode.KIND_NOT_FOR_PARTY
    title = "This party cannot import this kind of file"


class ImportJobState(Conflict):
    code: ClassVar[str] = ExchangeErrorCode.JOB_STATE
    title = "The import is not in a state that allows this"


class ImportJobNotFound(NotFound):
    code: ClassVar[str] = ExchangeErrorCode.JOB_NOT_FOUND
    title = "No such import"


class MappingProfileInvalid(ValidationFailed):
    code: ClassVar[str] = ExchangeErrorCode.PROFILE_INVALID
    title = "Invalid mapping profile"


class MappingProfileTaken(Conflict):
    code: ClassVar[str] = ExchangeErrorCode.PROFILE_TAKEN
    title = "A profile with this partner name exists for this kind"


class ImportOptionsInvalid(ValidationFailed):
    code: ClassVar[str] = ExchangeErrorCode.OPTIONS_INVALID
    title = "Invalid import options"
