"""The import kinds: what each declares and the one registry of them. No Django import here.

An import kind is a subclass of :class:`Importer` registered once, from its app's ``AppConfig.ready()``::

    from haicang.exchange.registry import importers
    importers.register(CatalogImporter())

It declares its canonical ``columns``, the ``permission`` a party needs to import it, which kinds of party
import it, whether its files carry personal data, and two steps:

* ``validate(context, table, progress)`` checks **every** row (never stopping at the first problem) against
  the file and what exists, writes nothing, and returns all problems plus the counts it would write;
* ``apply(context, table, progress)`` runs inside one transaction the framework opens: it checks again
  (the data may have changed since the preview), raises :class:`~haicang.exchange.errors.RowsRejected` with
  every problem if anything is wrong — the transaction then rolls back and nothing is written — and
  otherwise writes through the app's services and returns the counts it wrote.

See ``docs/exchange.md``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from haicang.exchange.errors import ImportKindUnknown
from haicang.exchange.mapping import ColumnSpec, MappedTable
from haicang.exchange.problems import Problem
from haicang.exchange.tables import MAX_FILE_BYTES, MAX_ROWS

if TYPE_CHECKING:
    from haicang.core.actors import Actor


class Progress(Protocol):
    def __call__(self, done: int, total: int | None = None, message: str = "") -> None: ...


def no_progress(done: int, total: int | None = None, message: str = "") -> None:
    """A progress callback that reports nowhere."""


@dataclass(frozen=True)
class ImportContext:
    """Who imports for whom: the acting ``actor`` and the ``owner`` party (a Seller or an Operator), and the
    upload's ``options`` (name → text, as the kind declares them in ``Importer.options``)."""

    actor: Actor
    owner: Any
    filename: str = ""
    options: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class OptionSpec:
    """A value an upload gives once for the whole file, e.g. which shipment a packing list is for."""

    name: str
    required: bool = False
    description: Any = ""  # text or a lazily translated string


@dataclass
class Validation:
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # what apply would write, e.g. {"created": 3}


class Importer(ABC):
    kind: ClassVar[str]  # stable code: "catalog", "inbound_packing_list", "orders"
    label: ClassVar[Any]  # a gettext_lazy string
    description: ClassVar[Any] = ""
    columns: ClassVar[tuple[ColumnSpec, ...]]
    permission: ClassVar[str]  # needed to import, e.g. "catalog:write"
    party_kinds: ClassVar[tuple[str, ...]] = ("seller",)  # which parties import it ("seller", "operator")
    contains_personal_data: ClassVar[bool] = False  # or any column marked personal
    ignore_unknown_columns: ClassVar[bool] = False  # False: a column the kind does not know is a problem
    options: ClassVar[tuple[OptionSpec, ...]] = ()  # values given once per upload (``ImportContext.options``)
    max_rows: ClassVar[int] = MAX_ROWS  # a bigger file is refused ("split it"); a kind may allow more
    max_file_bytes: ClassVar[int] = MAX_FILE_BYTES

    @property
    def read_permission(self) -> str:
        return self.permission.rsplit(":", 1)[0] + ":read"

    @property
    def personal(self) -> bool:
        return self.contains_personal_data or any(c.personal for c in self.columns)

    def problem_label(self, code: str) -> Any:
        """The reason of a problem ``code`` of this kind in the reader's language; None: the framework's."""
        return None

    def options_problems(self, owner: Any, options: Mapping[str, str]) -> list[str]:
        """What is wrong with an upload's options beyond names and presence (checked by the framework), said
        at upload time; e.g. no such shipment. The validation step checks again."""
        return []

    def column(self, name: str) -> ColumnSpec | None:
        return next((c for c in self.columns if c.name == name), None)

    @abstractmethod
    def validate(self, context: ImportContext, table: MappedTable, progress: Progress) -> Validation:
        """Check every row; write nothing. Called even when the header has problems (then listed already),
        so that a file's every problem shows at once: skip what needs a missing column."""

    @abstractmethod
    def apply(self, context: ImportContext, table: MappedTable, progress: Progress) -> dict[str, int]:
        """Check again and write, inside the framework's transaction; raise RowsRejected on any problem."""


class ImporterRegistry:
    def __init__(self) -> None:
        self._importers: dict[str, Importer] = {}

    def register(self, importer: Importer) -> Importer:
        if importer.kind in self._importers:
            raise ValueError(f"import kind {importer.kind!r} is registered twice")
        if not importer.columns or ":" not in importer.permission:
            raise ValueError(f"import kind {importer.kind!r} needs columns and a permission")
        self._importers[importer.kind] = importer
        return importer

    def unregister(self, kind: str) -> None:
        self._importers.pop(kind, None)

    def get(self, kind: str) -> Importer:
        try:
            return self._importers[kind]
        except KeyError:
            raise ImportKindUnknown(f"there is no import kind {kind!r}", field="kind") from None

    def __iter__(self) -> Iterator[Importer]:
        return iter(sorted(self._importers.values(), key=lambda i: i.kind))

    def __contains__(self, kind: object) -> bool:
        return kind in self._importers


importers = ImporterRegistry()
