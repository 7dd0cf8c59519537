"""Receiving a carton on a 360 px scanner with the keyboard alone, in a real browser (Debian's Chromium
through Playwright)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from haicang.inbound.carton_codes import carton_barcode
from haicang.inbound.tests.receiving_factories import make_arrived
from haicang.parties.tests.factories import make_member
from haicang.web.tests.conftest import PASSWORD

# Debian's Chromium through Playwright, as the UI shell's browser tests drive it (one definition, reused).
from haicang.web.tests.test_browser import browser_page  # noqa: F401

pytestmark = pytest.mark.browser


def _shot(page, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("HAICANG_SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"hc-inbound-{name}.png"), full_page=True)


def test_warehouse_staff_receive_a_carton_on_a_360_px_scanner_with_the_keyboard_alone(
    live_server,
    transactional_db,
    browser_page,  # noqa: F811 - the fixture imported above
    tmp_path,
):
    from playwright.sync_api import expect

    # given an arrived shipment (carton 1: 10 × A, whose barcode is 4006381333931) and warehouse staff
    rw = make_arrived()
    staff = make_member(rw.world.operator, "warehouse_staff")
    staff.user.set_password(PASSWORD)
    staff.user.save()
    label = carton_barcode(rw.shipment, rw.shipment.cartons.get(number=1))
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    page.on("dialog", lambda dialog: dialog.accept())

    # when they sign in and open the shipment from the receiving list
    page.goto(f"{live_server.url}/login/?next=/receiving/")
    page.get_by_label("Username").fill(staff.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name=rw.shipment.number).click()
    expect(page.get_by_role("heading", name=f"Receive {rw.shipment.number}")).to_be_visible()

    # then the page fits the scanner, with a big scan field that has the focus
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    scan = page.get_by_label("Scan a carton label or an item")
    expect(scan).to_be_focused()
    assert scan.bounding_box()["height"] >= 48
    _shot(page, tmp_path, "receiving-360-start")

    # when they scan the carton label — the scanner types it and presses Enter
    scan.fill(label)
    scan.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Carton 1: now scan its items.")
    scan = page.get_by_label("Scan an item or the next carton")
    expect(scan).to_be_focused()

    # and scan A's barcode twice
    for _ in range(2):
        page.get_by_label("Scan an item or the next carton").fill("4006381333931")
        page.get_by_label("Scan an item or the next carton").press("Enter")
        expect(page.get_by_role("status")).to_contain_text(f"Received 1 × {rw.a.code}.")
    carton = page.get_by_role("list", name="Counted in this carton")
    expect(carton).to_contain_text("2 / 10")

    # and type a quantity (Enter moves back to the scan field), then scan A's code
    page.keyboard.press("Tab")
    quantity = page.get_by_label("Quantity")
    expect(quantity).to_be_focused()
    quantity.fill("3")
    quantity.press("Enter")
    expect(page.get_by_label("Scan an item or the next carton")).to_be_focused()
    page.get_by_label("Scan an item or the next carton").fill(rw.a.code)
    page.get_by_label("Scan an item or the next carton").press("Enter")
    expect(page.get_by_role("status")).to_contain_text(f"Received 3 × {rw.a.code}.")
    expect(page.get_by_role("list", name="Counted in this carton")).to_contain_text("5 / 10")

    # when a barcode nobody knows is scanned, it is refused and said why, and the next scan can follow
    page.get_by_label("Scan an item or the next carton").fill("999999")
    page.get_by_label("Scan an item or the next carton").press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Unknown barcode")
    expect(page.get_by_label("Scan an item or the next carton")).to_be_focused()

    # when they confirm the carton as labelled with the keyboard
    confirm = page.get_by_role("button", name="Confirm carton as labelled")
    confirm.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Carton 1 received as labelled.")
    expect(page.get_by_role("list", name="Counted in this carton")).to_contain_text("10 / 10")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    _shot(page, tmp_path, "receiving-360-carton")

    # then the ledger has the 10 units of A in receiving
    line = rw.shipment.lines.get(sku=rw.a)
    assert line.received_quantity == 10
