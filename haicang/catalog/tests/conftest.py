from __future__ import annotations

import pytest

from haicang.parties.tests.factories import make_seller


@pytest.fixture
def seller(db):
    return make_seller(code="lumen", currency="USD")


@pytest.fixture
def other_seller(db):
    return make_seller(code="harbour", currency="EUR")


# Debian's Chromium through Playwright, as the UI shell's browser tests drive it (one definition, reused).
from haicang.web.tests.test_browser import browser_page  # noqa: E402, F401
