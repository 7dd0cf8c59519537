"""The ``haicang`` command line: every Django management command plus Haicang's own."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haicang.settings")
    from django.core.management import execute_from_command_line

    args = ["haicang", *(sys.argv[1:] if argv is None else argv)]
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
