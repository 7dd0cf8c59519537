"""A test-only import kind: contact rows whose ``name`` and ``phone`` are personal data.

Each row makes a SKU named after its ``code`` (through the catalogue's services, never storing the personal
columns). ``quantity`` must be a whole number from 1; the quantity 13 is refused only by the apply step, so a
test can prove that a problem found while writing rolls back the rows written before it.
"""

from __future__ import annotations

from haicang.catalog.services import sku_create
from haicang.exchange.errors import RowsRejected
from haicang.exchange.mapping import ColumnSpec, MappedTable
from haicang.exchange.problems import Problem
from haicang.exchange.registry import ImportContext, Importer, Progress, Validation


class ContactsImporter(Importer):
    kind = "test_contacts"
    label = "Test contacts"
    columns = (
        ColumnSpec("code", required=True, synonyms=("ref",)),
        ColumnSpec("name", personal=True, synonyms=("full_name",)),
        ColumnSpec("phone", personal=True),
        ColumnSpec("quantity"),
    )
    permission = "catalog:write"

    def _check(self, table: MappedTable) -> list[Problem]:
        problems = []
        for row in table.rows:
            if table.has("code") and not row.values.get("code"):
                problems.append(Problem(row.row, "code", "test.required", "a code is required"))
            quantity = row.values.get("quantity", "1")
            if not quantity.isdigit() or int(quantity) < 1:
                problems.append(Problem(row.row, "quantity", "test.quantity", "not a whole number from 1"))
            if row.values.get("phone") and not row.values["phone"].startswith("+"):
                problems.append(Problem(row.row, "phone", "test.phone", "a phone number starts with +"))
        return problems

    def validate(self, context: ImportContext, table: MappedTable, progress: Progress) -> Validation:
        progress(len(table.rows), len(table.rows))
        return Validation(self._check(table), {"created": len(table.rows)})

    def apply(self, context: ImportContext, table: MappedTable, progress: Progress) -> dict[str, int]:
        problems = self._check(table)
        if problems:
            raise RowsRejected(problems)
        for done, row in enumerate(table.rows, start=1):
            if row.values.get("quantity") == "13":
                raise RowsRejected(
                    [Problem(row.row, "quantity", "test.unlucky", "13 is refused while writing")]
                )
            sku_create(actor=context.actor, seller=context.owner, code=row.values["code"], name_en="Contact")
            progress(done, len(table.rows))
        return {"created": len(table.rows)}
