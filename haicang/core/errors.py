"""Domain errors with stable codes.

Every app defines its errors as subclasses of :class:`DomainError` with a class-level ``code`` (a stable,
dotted string such as ``stock.insufficient``), an HTTP ``status`` the API answers with, and a human title.
The API turns them into RFC 9457 problem details (see ``haicang.core.api.problems``); the CLI prints
``code: detail``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar


class CoreErrorCode(StrEnum):
    VALIDATION = "core.validation"
    NOT_FOUND = "core.not_found"
    PERMISSION_DENIED = "core.permission_denied"
    CONFLICT = "core.conflict"
    CURRENCY_UNKNOWN = "money.currency_unknown"
    CURRENCY_MISMATCH = "money.currency_mismatch"
    FX_RATE_MISSING = "money.fx_rate_missing"
    SEQUENCE_INVALID = "core.sequence_invalid"


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    code: ClassVar[str] = CoreErrorCode.VALIDATION
    status: ClassVar[int] = 400
    title: ClassVar[str] = "The request cannot be carried out"

    def __init__(self, detail: str, *, field: str | None = None, **context: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.context = context

    def __str__(self) -> str:
        return f"{self.code}: {self.detail}"


class ValidationFailed(DomainError):
    code: ClassVar[str] = CoreErrorCode.VALIDATION
    status = 400
    title = "Invalid input"


class NotFound(DomainError):
    code: ClassVar[str] = CoreErrorCode.NOT_FOUND
    status = 404
    title = "Not found"


class PermissionDenied(DomainError):
    code: ClassVar[str] = CoreErrorCode.PERMISSION_DENIED
    status = 403
    title = "Not allowed"


class Conflict(DomainError):
    code: ClassVar[str] = CoreErrorCode.CONFLICT
    status = 409
    title = "Conflicts with the current state"
