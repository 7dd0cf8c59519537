"""One problem found in an imported file, and lists of them. Pure: no Django import.

A problem names the row as a spreadsheet numbers it (the header is row 1; ``None`` for the file as a whole),
the importer's column (``None`` for the row as a whole), the header the file itself gives that column, the
value found there, a stable code and the reason in words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

MASK = "•••"  # shown instead of a value of a personal-data column


@dataclass(frozen=True, slots=True)
class Problem:
    row: int | None
    column: str | None
    code: str
    reason: str
    value: str | None = None
    source_column: str | None = None  # the header as the file names it, when it differs

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "source_column": self.source_column,
            "value": self.value,
            "code": str(self.code),
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Problem:
        return cls(
            row=data.get("row"),
            column=data.get("column"),
            code=str(data.get("code", "")),
            reason=str(data.get("reason", "")),
            value=data.get("value"),
            source_column=data.get("source_column"),
        )

    def with_value(self, value: str | None, *, source_column: str | None = None) -> Problem:
        return replace(
            self,
            value=self.value if self.value is not None else value,
            source_column=self.source_column or source_column,
        )


def problems_sorted(problems: Iterable[Problem]) -> list[Problem]:
    """File-wide problems first, then by row; the order within a row is kept (importers order by column)."""
    return sorted(problems, key=lambda p: p.row or 0)


def problems_capped(problems: list[Problem], limit: int) -> tuple[list[Problem], int]:
    """The first ``limit`` problems and how many there are in all."""
    return problems[:limit], len(problems)
