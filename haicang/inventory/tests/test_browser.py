"""The counting page on a 360 px scanner, in a real browser (Debian's Chromium through Playwright)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from haicang.catalog.tests.factories import make_sku
from haicang.inventory.models import CountTask
from haicang.inventory.tests.count_factories import make_count_world
from haicang.web.tests.conftest import PASSWORD

# Debian's Chromium through Playwright, as the UI shell's browser tests drive it (one definition, reused).
from haicang.web.tests.test_browser import browser_page  # noqa: F401

pytestmark = pytest.mark.browser


def _shot(page, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("HAICANG_SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"hc-inventory-{name}.png"), full_page=True)


def test_a_counter_counts_a_bin_on_a_360_px_scanner_with_the_keyboard_alone(
    live_server,
    transactional_db,
    browser_page,  # noqa: F811 - the fixture imported above
    tmp_path,
):
    from playwright.sync_api import expect

    # given a bin holding 8641 units of one SKU and 5 of another, and a count assigned to warehouse staff
    w = make_count_world()
    type(w.operator).objects.filter(pk=w.operator.pk).update(name="Hamburg Fulfilment Services GmbH")
    lamp = make_sku(w.stock.seller, code="LAMP-01", barcodes=["4006381333931"])
    w.receive(w.stock.pick, 8641)
    w.receive(w.stock.pick, 5, sku=lamp)
    task = w.task(w.stock.pick)
    w.staff.user.set_password(PASSWORD)
    w.staff.user.save()
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    page.on("dialog", lambda dialog: dialog.accept())

    # when the counter signs in and opens the counting page
    page.goto(f"{live_server.url}/login/?next=/inventory/counts/{task.pk}/count/")
    page.get_by_label("Username").fill(w.staff.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=f"Count {task.number}")).to_be_visible()

    # then it fits the scanner's width, with big fields, and the location field has the focus
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    location = page.get_by_label("1. Location")
    expect(location).to_be_focused()
    assert location.bounding_box()["height"] >= 48
    _shot(page, tmp_path, "count-360-start")

    # when they scan the bin, then the item, then type the quantity — Enter after each, as a scanner sends
    location.fill(w.stock.pick.code.lower())
    location.press("Enter")
    sku = page.get_by_label("2. SKU or barcode")
    expect(sku).to_be_focused()
    sku.fill(w.stock.sku.code)
    sku.press("Enter")
    quantity = page.get_by_label("3. Quantity counted")
    expect(quantity).to_be_focused()
    quantity.fill("8640")
    quantity.press("Enter")

    # then the line is recorded, the bin stays for the next item, and the SKU field is ready
    expect(page.get_by_role("status")).to_contain_text(f"Recorded 8640 × {w.stock.sku.code}")
    expect(page.get_by_label("1. Location")).to_have_value(w.stock.pick.code)
    expect(page.get_by_label("2. SKU or barcode")).to_be_focused()

    # and the next item is scanned by its barcode
    page.get_by_label("2. SKU or barcode").fill("4006381333931")
    page.get_by_label("2. SKU or barcode").press("Enter")
    page.get_by_label("3. Quantity counted").fill("5")
    page.get_by_label("3. Quantity counted").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Recorded 5 × LAMP-01")
    expect(page.get_by_role("heading", name="2 lines counted")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    _shot(page, tmp_path, "count-360-recorded")

    # and nowhere on the page is the quantity the ledger expects
    assert "8641" not in page.locator("main").inner_text()

    # when they submit, the small variance is applied at once
    page.get_by_role("button", name="Done: submit the count").click()
    expect(page.get_by_text("submitted and applied")).to_be_visible()
    assert CountTask.objects.get(pk=task.pk).status == "applied"
    _shot(page, tmp_path, "count-360-done")
