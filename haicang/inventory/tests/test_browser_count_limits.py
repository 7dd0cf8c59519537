"""The approval limits page in a real browser (Debian's Chromium through Playwright)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from haicang.inventory.models import CountPolicy
from haicang.inventory.tests.count_factories import make_count_world
from haicang.web.tests.conftest import PASSWORD

# Debian's Chromium through Playwright, as the UI shell's browser tests drive it (one definition, reused).
from haicang.web.tests.test_browser import browser_page  # noqa: F401

pytestmark = pytest.mark.browser


def test_a_manager_lowers_a_warehouses_approval_limits_from_the_count_list(
    live_server,
    transactional_db,
    browser_page,  # noqa: F811 - the fixture imported above
    tmp_path,
):
    from playwright.sync_api import expect

    # given a manager of an operator whose warehouse has the default limits
    w = make_count_world()
    w.manager.user.set_password(PASSWORD)
    w.manager.user.save()
    page = browser_page
    page.set_viewport_size({"width": 1024, "height": 800})
    code = w.stock.warehouse.code

    # when the manager signs in, follows the count list's link and saves lower limits for the warehouse
    page.goto(f"{live_server.url}/login/?next=/inventory/counts/")
    page.get_by_label("Username").fill(w.manager.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Approval limits per warehouse").click()
    card = page.locator(f"#limits-{code}")
    expect(card.get_by_text("Default")).to_be_visible()
    card.get_by_label("Units (either way)").fill("2")
    card.get_by_label("Value").fill("40")
    card.get_by_label("Currency").select_option("EUR")
    card.get_by_role("button", name="Save limits").click()

    # then the page says so and shows the new limits, which the warehouse now has
    expect(page.get_by_text(f"Approval limits of {code} saved.")).to_be_visible()
    expect(page.locator(f"#limits-{code}").get_by_text("more than 2 units either way")).to_be_visible()
    folder = Path(os.environ.get("HAICANG_SCREENSHOT_DIR", tmp_path))
    page.screenshot(path=str(folder / "hc-inventory-count-limits.png"), full_page=True)
    policy = CountPolicy.objects.get(warehouse=w.stock.warehouse)
    assert policy.max_units == 2 and str(policy.max_value) == "EUR 40.00"
