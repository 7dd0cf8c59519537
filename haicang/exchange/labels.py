"""What the Imports pages call statuses and problems, in the reader's language. Codes stay English."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from haicang.exchange.errors import ExchangeErrorCode as E
from haicang.exchange.registry import importers

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PROBLEM_REASONS: dict[str, StrOrPromise] = {
    E.FILE_INVALID: _("The file cannot be read."),
    E.COLUMN_UNKNOWN: _("Unknown column."),
    E.COLUMN_DUPLICATE: _("The column appears twice."),
    E.COLUMN_MISSING: _("A required column is missing."),
    E.ROWS_REJECTED: _("The file was rejected."),
    E.APPLY_FAILED: _("The import could not be applied."),
}


def problem_reason(kind: str, code: str) -> StrOrPromise:
    """The reason of a problem in the reader's language: the framework's, else the kind's own."""
    if code in PROBLEM_REASONS:
        return PROBLEM_REASONS[code]
    if kind in importers:
        label: StrOrPromise | None = importers.get(kind).problem_label(code)
        if label:
            return label
    return _("Invalid value.")
