"""Putaway on a 360 px scanner, in a real browser (Debian's Chromium through Playwright)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from haicang.inbound.tests.putaway_factories import make_putaway_world
from haicang.inventory.verify import ledger_verify
from haicang.web.tests.conftest import PASSWORD

# Debian's Chromium through Playwright, as the UI shell's browser tests drive it (one definition, reused).
from haicang.web.tests.test_browser import browser_page  # noqa: F401

pytestmark = pytest.mark.browser


def _shot(page, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("HAICANG_SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"hc-inbound-{name}.png"), full_page=True)


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_an_operator_puts_received_units_away_on_a_360_px_scanner(
    live_server,
    transactional_db,
    browser_page,  # noqa: F811 - the fixture imported above
    tmp_path,
):
    from playwright.sync_api import expect

    # given 10 × A received into the receiving area, and a member of the warehouse staff
    w = make_putaway_world()
    w.receive(a=10)
    w.staff.user.set_password(PASSWORD)
    w.staff.user.save()
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})

    # when they sign in and open the putaway list
    page.goto(f"{live_server.url}/login/?next=/putaway/")
    page.get_by_label("Username").fill(w.staff.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Putaway")).to_be_visible()

    # then A waits there with its quantity, location and shipment, and the page fits the scanner
    row = page.get_by_role("link", name=w.a.code)
    expect(row).to_contain_text("× 10")
    expect(row).to_contain_text(w.rw.shipment.number)
    _fits(page)
    assert row.bounding_box()["height"] >= 48
    _shot(page, tmp_path, "putaway-360-queue")

    # when they pick it: the suggestion for all 10 is the bulk bin (they do not fit a pick bin), with why
    row.click()
    expect(page.get_by_role("heading", name=f"Put away {w.a.code}")).to_be_visible()
    suggestion = page.get_by_role("region", name="Suggested bin")
    expect(suggestion).to_contain_text(w.bulk.code)
    expect(suggestion).to_contain_text("No empty pick bin is known to have room for 10.")
    scan = page.get_by_label("2. Scan the bin")
    expect(scan).to_be_focused()
    assert scan.bounding_box()["height"] >= 48
    _fits(page)
    _shot(page, tmp_path, "putaway-360-item")

    # when they scan the receiving area by mistake, it is refused with the reason
    scan.fill("RCV-01")
    scan.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("RCV-01 is not a pick or bulk bin")
    _fits(page)

    # when they put 4 away instead: quantity, Enter, then the pick bin's code as the scanner sends it
    quantity = page.get_by_label("1. Quantity")
    quantity.fill("4")
    quantity.press("Enter")
    expect(page.get_by_label("2. Scan the bin")).to_be_focused()
    page.get_by_label("2. Scan the bin").fill("a-1-1-1-1")
    page.get_by_label("2. Scan the bin").press("Enter")

    # then the 4 are in the pick bin, and the page is back for the 6 left
    expect(page.get_by_role("status")).to_contain_text(f"Put away 4 × {w.a.code} into {w.p1.code}.")
    expect(page.get_by_text("6 waiting at RCV-01")).to_be_visible()
    _fits(page)
    _shot(page, tmp_path, "putaway-360-partial")

    # when they scan the suggested bulk bin for the rest, the list is empty
    page.get_by_label("2. Scan the bin").fill(w.bulk.code)
    page.get_by_label("2. Scan the bin").press("Enter")
    expect(page.get_by_text("Nothing waits for putaway.")).to_be_visible()
    _shot(page, tmp_path, "putaway-360-done")
    assert (w.at(w.p1), w.at(w.bulk), w.at(w.receiving)) == (4, 6, 0)
    assert ledger_verify() == []
