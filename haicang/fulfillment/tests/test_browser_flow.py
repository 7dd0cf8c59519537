"""End to end in a real browser (Debian's Chromium through Playwright): the operator accepts a released request,
plans and releases a wave, picks on the scanner page at 360 px (typing into the scan fields), packs, prints the
label and confirms the shipment at the dock; after a carrier scan the seller's order page shows the parcel with
its carrier, tracking number and timeline."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from haicang.fulfillment.models import (
    Outbound,
    OutboundStatus,
    Parcel,
    ParcelStatus,
    PickList,
    TrackingSource,
)
from haicang.fulfillment.selectors import pick_tasks
from haicang.fulfillment.tests.factories import make_fulfilment_world, make_released_request
from haicang.fulfillment.tracking import TrackingInput, tracking_ingest
from haicang.inventory.models import Move
from haicang.inventory.verify import ledger_verify
from haicang.orders.models_fulfilment import FulfillmentRequest, RequestStatus
from haicang.parties.tests.factories import SYSTEM, make_member
from haicang.web.tests.conftest import PASSWORD

# Debian's Chromium through Playwright, as the UI shell's browser tests drive it (one definition, reused).
from haicang.web.tests.test_browser import browser_page  # noqa: F401

pytestmark = pytest.mark.browser
SCANNER = {"width": 360, "height": 740}


def _shot(page, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("HAICANG_SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"hc-flow-{name}.png"), full_page=True)


def _sign_in(page, base_url: str, username: str, next_url: str) -> None:
    page.goto(f"{base_url}/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _member(party, role: str):
    member = make_member(party, role)
    member.user.set_password(PASSWORD)
    member.user.save()
    return member.user


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= SCANNER["width"]


def test_the_operator_ships_a_request_in_the_browser_and_the_seller_follows_the_parcel(
    live_server,
    transactional_db,
    browser_page,  # noqa: F811 - the fixture imported above
    tmp_path,
):
    from playwright.sync_api import expect

    # given: a request released by the seller (routing reserved 2 T-shirts and a mug), a warehouse manager of the
    # operator and the seller's owner
    world = make_fulfilment_world()
    request = make_released_request(world, [("TEE", 2), ("MUG", 1)])
    manager = _member(world.operator, "manager")
    owner = _member(world.seller, "owner")
    tee, mug = world.skus["TEE"], world.skus["MUG"]
    page = browser_page
    page.on("dialog", lambda dialog: dialog.accept())

    # when the manager accepts the request on the outbound page
    _sign_in(page, live_server.url, manager.username, "/fulfillment/outbound/")
    row = page.locator(f"#fr-{request.pk}")
    expect(row).to_contain_text(request.number)
    row.get_by_role("button", name="Accept").click()

    # then it is accepted and waits for a wave
    expect(page.get_by_role("status")).to_contain_text(f"{request.number} accepted.")
    expect(page.locator(f"#fr-{request.pk}")).to_have_count(0)
    outbound = Outbound.objects.get(request=request)
    assert outbound.status == OutboundStatus.TO_WAVE

    # when they plan the waiting request into a wave and release it on the wave page
    page.goto(f"{live_server.url}/fulfillment/waves/")
    page.get_by_role("button", name="Plan 1 waiting request").click()
    expect(page.get_by_role("status")).to_contain_text("1 wave planned.")
    outbound.refresh_from_db()
    wave = outbound.wave
    assert wave is not None and outbound.status == OutboundStatus.WAVED
    planned = page.locator(f"#wave-{wave.pk}")
    expect(planned).to_contain_text(wave.number)
    # the pick-up in the warehouse's own time (Los Angeles), as the managers plan against it
    assert wave.pickup_at is not None
    local = wave.pickup_at.astimezone(ZoneInfo(world.warehouse.time_zone))
    assert local.utcoffset() != dt.timedelta(0)
    expect(planned).to_contain_text(local.strftime("%a %H:%M"))
    expect(page.get_by_role("button", name="Plan 0 waiting requests")).to_be_disabled()
    _shot(page, tmp_path, "wave-planned")
    planned.get_by_role("button", name="Release").click()

    # then its pick list is ready and the request is in progress
    expect(page.get_by_role("status")).to_contain_text(f"{wave.number} released: its pick lists are ready.")
    pick_list = PickList.objects.get(wave=wave)
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_PROGRESS

    # when they pick the list on a 360 px scanner, typing each scan as a scanner would — a wrong bin first
    page.set_viewport_size(SCANNER)
    page.goto(f"{live_server.url}/fulfillment/pick/")
    page.get_by_role("link", name=pick_list.number).click()
    page.get_by_role("button", name="Start picking").click()
    stops = list(pick_tasks(pick_list))
    assert sorted((t.sku.code, t.quantity) for t in stops) == sorted([(tee.code, 2), (mug.code, 1)])
    wrong_bin = (
        world.bins["B1"].code if stops[0].location.code != world.bins["B1"].code else world.bins["A2"].code
    )
    bin_field = page.get_by_label("Scan the bin")
    expect(bin_field).to_be_focused()
    bin_field.fill(wrong_bin)
    bin_field.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text(
        f"Wrong bin: you scanned {wrong_bin}. Go to {stops[0].location.code}."
    )
    _fits(page)
    _shot(page, tmp_path, "pick-refused-360")
    for task in stops:
        expect(page.locator(".pick-stop")).to_contain_text(task.location.code)
        page.get_by_label("Scan the bin").fill(task.location.code)
        page.get_by_label("Scan the bin").press("Enter")
        item = page.get_by_label("Scan the item")
        expect(item).to_be_focused()
        item.fill(f"BC-{task.sku.code}")
        item.press("Enter")  # moves to the quantity
        quantity = page.get_by_label("Quantity")
        quantity.fill(str(task.quantity))
        quantity.press("Enter")
        expect(page.get_by_role("status").first).to_contain_text(f"Picked {task.quantity} × {task.sku.code}.")
        _fits(page)

    # then the list is done and the outbound picked
    expect(page.locator(".pick-done")).to_contain_text("List done: take the cart to packing.")
    _shot(page, tmp_path, "pick-done-360")
    outbound.refresh_from_db()
    assert outbound.status == OutboundStatus.PICKED

    # when they scan the order at the pack bench, weigh the parcel and print its label
    page.goto(f"{live_server.url}/fulfillment/pack/")
    scan = page.get_by_label("Scan", exact=True)
    expect(scan).to_be_focused()
    scan.fill(outbound.number)
    scan.press("Enter")
    expect(page.get_by_role("heading", name=f"Pack {outbound.number}")).to_be_visible()
    expect(page.locator(".pack-suggestion")).to_contain_text("Box M")
    weight = page.get_by_label("Weight on the scale (g)")
    expect(weight).to_be_focused()
    weight.fill("985")
    weight.press("Enter")
    expect(page.locator(".pack-reason")).to_contain_text("UPS Ground $7.10, 3 d — cheapest meeting Standard")
    _fits(page)
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Print label").click()
    opened.value.close()
    expect(page.get_by_role("link", name="Label (PDF)")).to_be_visible()
    parcel = Parcel.objects.get(outbound=outbound)
    assert parcel.status == ParcelStatus.LABELLED and parcel.tracking_number.startswith("1Z")
    _shot(page, tmp_path, "packed-360")

    # when they scan the label at the dock
    page.goto(f"{live_server.url}/fulfillment/ship/")
    dock = page.get_by_label("Scan a parcel label")
    expect(dock).to_be_focused()
    dock.fill(parcel.tracking_number)
    dock.press("Enter")

    # then the parcel and the request are shipped, the stock left the picked bins for the customer
    expect(page.get_by_role("status")).to_contain_text(f"{parcel.number} shipped")
    _fits(page)
    _shot(page, tmp_path, "shipped-360")
    outbound.refresh_from_db()
    request.refresh_from_db()
    assert (outbound.status, request.status, request.tracking_numbers) == (
        OutboundStatus.SHIPPED,
        RequestStatus.SHIPPED,
        [parcel.tracking_number],
    )
    moved = Move.objects.filter(document_ref=request.number, to_location__kind="customer")
    assert sorted((m.sku_id, m.from_location_id, m.quantity) for m in moved) == sorted(
        (t.sku_id, t.location_id, t.quantity) for t in stops
    )
    assert ledger_verify() == []

    # when the carrier's first scan is recorded
    [recorded] = tracking_ingest(
        actor=SYSTEM,
        operator_id=world.operator.pk,
        source=TrackingSource.API,
        items=[
            TrackingInput(
                carrier_code="UPS",
                tracking_number=parcel.tracking_number,
                occurred_at=timezone.now() + dt.timedelta(minutes=5),
                raw_code="I",
                raw_text="Departed from Facility",
                location="Los Angeles, CA, US",
            )
        ],
    )
    assert recorded.outcome.value == "applied"

    # then the seller's order page shows the parcel: carrier, tracking number, status and the timeline
    seller_page = page.context.browser.new_page(viewport={"width": 1280, "height": 800}, locale="en-GB")
    _sign_in(seller_page, live_server.url, owner.username, f"/orders/{request.order_id}/")
    parcels = seller_page.locator("#parcels")
    expect(parcels).to_contain_text(parcel.number)
    card = seller_page.locator(f"#parcel-{parcel.pk}")
    expect(card).to_contain_text("UPS")
    expect(card).to_contain_text("Ground")
    expect(card.get_by_role("link", name=parcel.tracking_number)).to_have_attribute(
        "href", f"https://track.example/{parcel.tracking_number}"
    )
    timeline = card.locator(".tracking-timeline")
    expect(timeline).to_contain_text("In transit")
    expect(timeline).to_contain_text("Departed from Facility")
    expect(timeline).to_contain_text("Los Angeles, CA, US")
    expect(card.get_by_role("link", name="Download the label (PDF)")).to_be_visible()
    _shot(seller_page, tmp_path, "seller-order")
    assert FulfillmentRequest.objects.get(pk=request.pk).carrier == "UPS"
