from __future__ import annotations

from collections.abc import Iterator

import pytest

from haicang.exchange.registry import importers
from haicang.exchange.tests.contacts import ContactsImporter
from haicang.parties.tests.factories import make_seller


@pytest.fixture
def seller(db):
    return make_seller(code="lumen", currency="USD")


@pytest.fixture
def other_seller(db):
    return make_seller(code="harbour", currency="EUR")


@pytest.fixture
def contacts() -> Iterator[ContactsImporter]:
    """A test import kind whose files carry personal data (registered for the test only)."""
    importer = ContactsImporter()
    importers.register(importer)
    yield importer
    importers.unregister(importer.kind)


# Debian's Chromium through Playwright, as the UI shell's browser tests drive it (one definition, reused).
from haicang.web.tests.test_browser import browser_page  # noqa: E402, F401
