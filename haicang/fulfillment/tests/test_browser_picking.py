"""The pick page on a 360 px scanner, in a real browser (Debian's Chromium through Playwright): the next stop,
bin then item, a wrong item refused with a clear message, the list done."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from haicang.fulfillment.models import Outbound, OutboundStatus, PickList, PickScan
from haicang.fulfillment.tests.picking_factories import MONDAY_8, make_floor
from haicang.fulfillment.waves import wave_plan, wave_release
from haicang.orders.tests.factories import SYSTEM
from haicang.parties.tests.factories import make_member
from haicang.web.tests.conftest import PASSWORD

# Debian's Chromium through Playwright, as the UI shell's browser tests drive it (one definition, reused).
from haicang.web.tests.test_browser import browser_page  # noqa: F401

pytestmark = pytest.mark.browser
GTIN = "4006381333931"


def _shot(page, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("HAICANG_SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"hc-picking-{name}.png"), full_page=True)


def test_a_picker_walks_a_list_on_a_360_px_scanner_and_a_wrong_item_is_refused(
    live_server,
    transactional_db,
    browser_page,  # noqa: F811 - the fixture imported above
    tmp_path,
):
    from playwright.sync_api import expect

    # given a released list taking 2 tees from A-01-01-1-1, and a picker of the warehouse
    floor = make_floor()
    tee = floor.sku("TEE", barcode=GTIN, name_en="Organic tee", colour="Black", size="M")
    floor.sku("MUG", barcode="0012345678905")
    floor.receive(tee, "A-01-01-1-1", 10)
    request = floor.request((tee, 2))
    for wave in wave_plan(actor=SYSTEM, warehouse=floor.warehouse, now=MONDAY_8):
        wave_release(actor=SYSTEM, wave=wave, now=MONDAY_8)
    pick_list = PickList.objects.get()
    staff = make_member(floor.operator, "warehouse_staff")
    staff.user.set_password(PASSWORD)
    staff.user.save()
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/login/?next=/fulfillment/pick/")
    page.get_by_label("Username").fill(staff.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # when the picker opens the list and starts it
    page.get_by_role("link", name=pick_list.number).click()
    page.get_by_role("button", name="Start picking").click()

    # then the next stop shows the bin, the SKU, its description, the quantity and the slot, on the screen's width
    stop = page.locator(".pick-stop")
    expect(stop).to_contain_text("A-01-01-1-1")
    expect(stop).to_contain_text("Organic tee · Black · M")
    expect(stop).to_contain_text("Take 2 units")
    expect(stop).to_contain_text("slot 1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    bin_field = page.get_by_label("Scan the bin")
    expect(bin_field).to_be_focused()
    assert bin_field.bounding_box()["height"] >= 44
    _shot(page, tmp_path, "stop-360")

    # when they scan the bin, then the mug by mistake
    bin_field.fill("A-01-01-1-1")
    bin_field.press("Enter")
    item = page.get_by_label("Scan the item")
    expect(item).to_be_focused()
    item.fill("0012345678905")
    item.press("Enter")  # moves to the quantity
    page.get_by_label("Quantity").press("Enter")

    # then the scan is refused with a clear message, and nothing is picked
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Wrong item: put it back. This stop asks for TEE.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    _shot(page, tmp_path, "refused-360")

    # when they scan the tee with a quantity of 2
    page.get_by_label("Scan the item").fill(GTIN)
    page.get_by_label("Scan the item").press("Enter")
    quantity = page.get_by_label("Quantity")
    quantity.fill("2")
    quantity.press("Enter")

    # then the list is done and the outbound picked
    expect(page.get_by_role("status").first).to_contain_text("Picked 2 × TEE.")
    expect(page.locator(".pick-done")).to_contain_text("List done: take the cart to packing.")
    assert Outbound.objects.get(request=request).status == OutboundStatus.PICKED
    assert list(PickScan.objects.order_by("occurred_at").values_list("result", flat=True)) == [
        "accepted",
        "refused",
        "accepted",
    ]
    _shot(page, tmp_path, "done-360")
