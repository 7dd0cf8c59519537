"""The pack bench and the dock on a 360 px scanner, in a real browser (Debian's Chromium through Playwright)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from haicang.fulfillment.models import OutboundStatus, Parcel, ParcelStatus
from haicang.fulfillment.tests.factories import make_fulfilment_world, make_picked_outbound
from haicang.parties.tests.factories import make_member
from haicang.web.tests.conftest import PASSWORD

# Debian's Chromium through Playwright, as the UI shell's browser tests drive it (one definition, reused).
from haicang.web.tests.test_browser import browser_page  # noqa: F401

pytestmark = pytest.mark.browser


def _shot(page, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("HAICANG_SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"hc-packing-{name}.png"), full_page=True)


def test_a_packer_packs_labels_and_ships_on_a_360_px_scanner(
    live_server,
    transactional_db,
    browser_page,  # noqa: F811 - the fixture imported above
    tmp_path,
):
    from playwright.sync_api import expect

    # given an outbound with two T-shirts picked, and a packer of the warehouse
    world = make_fulfilment_world()
    outbound = make_picked_outbound(world, [("TEE", 2)])
    staff = make_member(world.operator, "warehouse_staff")
    staff.user.set_password(PASSWORD)
    staff.user.save()
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/login/?next=/fulfillment/pack/")
    page.get_by_label("Username").fill(staff.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # when the packer scans the order's number
    scan = page.get_by_label("Scan", exact=True)
    expect(scan).to_be_focused()
    scan.fill(outbound.number)
    scan.press("Enter")

    # then the items and the suggested box show, on the scanner's width, with the weight field ready
    expect(page.get_by_role("heading", name=f"Pack {outbound.number}")).to_be_visible()
    expect(page.locator(".pack-suggestion")).to_contain_text("Box M")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    weight = page.get_by_label("Weight on the scale (g)")
    expect(weight).to_be_focused()
    assert weight.bounding_box()["height"] >= 44
    _shot(page, tmp_path, "pack-360")

    # when they type the weight and press Enter
    weight.fill("520")
    weight.press("Enter")

    # then the parcel shows the rate-shop result with its reason
    expect(page.locator(".pack-reason")).to_contain_text("UPS Ground $7.10, 3 d — cheapest meeting Standard")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    _shot(page, tmp_path, "rated-360")

    # when they print the label: the PDF opens in a new tab
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Print label").click()
    opened.value.close()
    expect(page.get_by_role("link", name="Label (PDF)")).to_be_visible()
    expect(page.get_by_role("link", name="ZPL for the thermal printer")).to_be_visible()
    parcel = Parcel.objects.get(outbound=outbound)
    assert parcel.status == ParcelStatus.LABELLED
    _shot(page, tmp_path, "labelled-360")

    # when they confirm the shipment at the dock by scanning the label
    page.goto(f"{live_server.url}/fulfillment/ship/")
    dock = page.get_by_label("Scan a parcel label")
    expect(dock).to_be_focused()
    dock.fill("NOT-OUR-LABEL")
    dock.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Unknown label")
    page.get_by_label("Scan a parcel label").fill(parcel.tracking_number)
    page.get_by_label("Scan a parcel label").press("Enter")

    # then it is shipped, and the refused scan stays listed with its reason
    expect(page.get_by_role("status")).to_contain_text(f"{parcel.number} shipped")
    expect(page.locator(".scan-lines")).to_contain_text("Unknown label")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    _shot(page, tmp_path, "dock-360")
    outbound.refresh_from_db()
    assert outbound.status == OutboundStatus.SHIPPED
