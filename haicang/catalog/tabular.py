"""Catalogue files as tables: the import framework's reader and writers (``haicang.exchange.tables``).

Kept so that existing imports of ``haicang.catalog.tabular`` keep working; new code imports
``haicang.exchange.tables``.
"""

from haicang.exchange.tables import (
    CONTENT_TYPES,
    MAX_FILE_BYTES,
    MAX_ROWS,
    FileFormat,
    Table,
    cell_text,
    format_guess,
    read_table,
    write_csv,
    write_xlsx,
)

__all__ = [
    "CONTENT_TYPES",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "FileFormat",
    "Table",
    "cell_text",
    "format_guess",
    "read_table",
    "write_csv",
    "write_xlsx",
]
