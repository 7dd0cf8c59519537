"""Loading the connector fixtures (JSON written from each platform's public documentation)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from haicang.channels.connectors.base import load_json

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> Any:
    """A fresh copy of ``fixtures/<name>.json``, numbers read as exact decimals."""
    return copy.deepcopy(load_json((FIXTURES / f"{name}.json").read_bytes()))


def raw_fixture(name: str) -> bytes:
    return (FIXTURES / f"{name}.json").read_bytes()
