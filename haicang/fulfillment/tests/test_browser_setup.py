"""The work queues page and the box catalogue in a real browser (Debian's Chromium through Playwright): a manager
reaches the queues from the header, watches a pick-up count down and sees today's throughput chart; then adds a
box to the catalogue, is told what is wrong with a bad one, and deactivates it."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from haicang.fulfillment.models import BoxType, OutboundStatus
from haicang.fulfillment.setup import pickup_schedule_create
from haicang.fulfillment.tests.factories import (
    make_fulfilment_world,
    make_in_progress_request,
    make_outbound,
    make_shipped_parcel,
)
from haicang.parties.tests.factories import SYSTEM, make_member
from haicang.web.tests.conftest import PASSWORD

# Debian's Chromium through Playwright, as the UI shell's browser tests drive it (one definition, reused).
from haicang.web.tests.test_browser import browser_page  # noqa: F401

pytestmark = pytest.mark.browser


def _shot(page, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("HAICANG_SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"hc-setup-{name}.png"), full_page=True)


def _sign_in(page, live_server, world, path: str) -> None:
    manager = make_member(world.operator, "manager")
    manager.user.set_password(PASSWORD)
    manager.user.save()
    page.goto(f"{live_server.url}/login/?next={path}")
    page.get_by_label("Username").fill(manager.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_manager_watches_the_queues_count_down_to_the_next_pick_up(
    live_server,
    transactional_db,
    browser_page,  # noqa: F811 - the fixture imported above
    tmp_path,
):
    from playwright.sync_api import expect

    # given a warehouse with work in its queues, a parcel shipped today and UPS collecting every day
    world = make_fulfilment_world(stock=0)
    for status in (OutboundStatus.PICKING, OutboundStatus.PICKING, OutboundStatus.PICKED):
        make_outbound(world, make_in_progress_request(world, reserve=False), status=status)
    make_shipped_parcel(world)
    pickup_schedule_create(
        actor=SYSTEM,
        warehouse=world.warehouse,
        carrier=world.services["UPS"].carrier,
        pickup_time="23:59",
        weekdays=range(1, 8),
    )
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})

    # when the manager signs in and follows the header's Outbound entry
    _sign_in(page, live_server, world, "/")
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Outbound").click()

    # then the queues of the warehouse show, without scrolling sideways on a 360 px screen
    expect(page.get_by_role("heading", name="Work queues")).to_be_visible()
    expect(page.locator('[data-queue="to_pick"] .queue-count')).to_have_text("2")
    expect(page.locator('[data-queue="to_pack"] .queue-count')).to_have_text("1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # and the UPS pick-up counts down, second by second
    countdown = page.locator('.pickup[data-carrier="UPS"] .countdown').first
    expect(countdown).to_have_text(re.compile(r"^in \d+:\d\d:\d\d$"))
    page.wait_for_load_state("load")  # Plotly parsed: the page's main thread is free to tick
    first = countdown.text_content() or ""
    # it ticks every second; a loaded machine may delay a tick, never stop it
    expect(countdown).not_to_have_text(first, timeout=15_000)

    # and today's throughput is drawn by Plotly (served by the app), with its figures as a table
    chart = page.locator(f"#throughput-{world.warehouse.code}")
    expect(chart.locator("svg.main-svg").first).to_be_attached()
    expect(chart.locator(".legendtext", has_text="Parcels shipped")).to_have_count(1)
    page.get_by_text("Figures per hour").click()
    expect(page.get_by_role("columnheader", name="Parcels shipped")).to_be_visible()
    _shot(page, tmp_path, "queues-360")

    # and on a desktop screen the pick-ups and the chart sit side by side
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    expect(chart.locator("svg.main-svg").first).to_be_attached()
    _shot(page, tmp_path, "queues-desktop")


def test_a_manager_adds_a_box_is_told_what_is_wrong_and_deactivates_it(
    live_server,
    transactional_db,
    browser_page,  # noqa: F811
    tmp_path,
):
    from playwright.sync_api import expect

    # given the operator's catalogue of three boxes
    world = make_fulfilment_world(stock=0)
    page = browser_page

    # when the manager opens the box catalogue and adds a box whose tare is its whole rated weight
    _sign_in(page, live_server, world, "/fulfillment/setup/boxes/")
    expect(page.get_by_role("heading", name="Box catalogue")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(3)
    page.get_by_role("link", name="Add a box").click()
    page.get_by_label("Code").fill("xl2")
    page.get_by_label("Name").fill("Extra large, double wall")
    page.get_by_label("Inner length (mm)").fill("600")
    page.get_by_label("Inner width (mm)").fill("400")
    page.get_by_label("Inner height (mm)").fill("400")
    page.get_by_label("Rated gross weight (g)").fill("900")
    page.get_by_label("Tare (g)").fill("900")
    page.get_by_role("button", name="Add box").click()

    # then the form says what is wrong, next to the field, and keeps what was typed
    expect(page.locator(".field-invalid .field-error")).to_contain_text("tare")
    expect(page.get_by_label("Code")).to_have_value("xl2")

    # when the rated weight is corrected
    page.get_by_label("Rated gross weight (g)").fill("31500")
    page.get_by_role("button", name="Add box").click()

    # then the box is in the catalogue
    expect(page.locator(".message-success")).to_contain_text("XL2")
    row = page.locator("#box-XL2")
    expect(row).to_contain_text("600 × 400 × 400")
    expect(row).to_contain_text("96")  # litres
    _shot(page, tmp_path, "boxes")

    # and when it is deactivated it leaves the active list but stays listed under All
    row.get_by_role("button", name="Deactivate").click()
    expect(page.locator("#box-XL2")).to_contain_text("Deactivated")
    page.get_by_role("link", name="Active", exact=True).click()
    expect(page.locator("#box-XL2")).to_have_count(0)
    assert BoxType.objects.get(operator=world.operator, code="XL2").is_active is False
