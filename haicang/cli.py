"""The ``haicang`` command line: every Django management command plus Haicang's own."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haicang.settings")
    from django.core.management import execute_from_command_line

    args = ["haicang", *(sys.argv[1:] if argv is None else argv)]
    # Haicang's own commands may be spelled with dashes: `haicang rebuild-balances`.
    if len(args) > 1 and "-" in args[1] and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
