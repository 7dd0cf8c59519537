"""The inbound pages in a real browser (Debian's Chromium through Playwright): a seller drafts a shipment of a
SKU with a Chinese name, adding rows as she goes, and downloads its carton labels."""

from __future__ import annotations

import os
import tempfile
from io import BytesIO
from pathlib import Path

import pytest

from haicang.catalog.tests.factories import make_sku
from haicang.core.money import Money
from haicang.inbound.models import InboundShipment
from haicang.inbound.tests.factories import make_inbound_world
from haicang.parties.services import membership_add
from haicang.parties.tests.factories import SYSTEM
from haicang.web.tests.conftest import PASSWORD
from haicang.web.tests.test_browser import browser_page  # noqa: F401 - the shared Chromium fixture

pytestmark = pytest.mark.browser


def _shot(name: str) -> Path:
    folder = Path(os.environ.get("HAICANG_SCREENSHOT_DIR", tempfile.gettempdir()))
    return folder / f"hc-ui-{name}.png"


def test_a_seller_drafts_a_shipment_of_a_chinese_named_sku_and_downloads_its_labels(
    live_server,
    transactional_db,
    django_user_model,
    browser_page,  # noqa: F811
):
    from playwright.sync_api import expect
    from pypdf import PdfReader

    # given a seller's planner, a warehouse under agreement and a SKU named in Chinese
    world = make_inbound_world(currency="CNY")
    user = django_user_model.objects.create_user(username="mei", password=PASSWORD)
    membership_add(actor=SYSTEM, party=world.seller, user=user, role="planner")
    make_sku(
        world.seller,
        code="TEE-RED-M",
        name_en="Cotton tee red M",
        name_zh="纯棉T恤 红色 M",
        purchase_cost=Money.of("12.50", "CNY"),
    )
    page = browser_page

    # when she signs in and opens a new shipment from the Inbound entry of the navigation
    page.goto(live_server.url + "/login/?next=/inbound/")
    page.get_by_label("Username").fill("mei")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Inbound shipments")).to_be_visible()
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Inbound").wait_for()
    page.get_by_role("link", name="New shipment").click()
    expect(page.get_by_role("heading", name="New inbound shipment")).to_be_visible()

    # and fills the header, a line (its default purchase cost shows as she types the SKU) and two cartons
    page.get_by_label("Destination warehouse").select_option(str(world.warehouse.pk))
    page.get_by_label("Transport mode").select_option("sea_lcl")
    page.get_by_label("Carrier").fill("COSCO")
    page.locator('input[name="lines-0-sku"]').fill("TEE-RED-M")
    expect(page.locator('input[name="lines-0-purchase_cost_amount"]')).to_have_attribute(
        "placeholder", "CNY 12.50"
    )
    expect(page.locator("#lines-table [data-default-cost]").first).to_have_text("default CNY 12.50")
    page.locator('input[name="lines-0-quantity"]').fill("48")
    rows_before = page.locator('tbody[data-rows="cartons"] tr').count()
    page.get_by_role("button", name="Add cartons").click()
    expect(page.locator('tbody[data-rows="cartons"] tr')).to_have_count(rows_before + 1)
    page.locator('input[name="cartons-0-numbers"]').fill("1-2")
    page.locator('input[name="cartons-0-length_cm"]').fill("60")
    page.locator('input[name="cartons-0-width_cm"]').fill("40")
    page.locator('input[name="cartons-0-height_cm"]').fill("40")
    page.locator('textarea[name="cartons-0-contents"]').fill("TEE-RED-M*24")
    page.screenshot(path=str(_shot("inbound-form")), full_page=True)
    page.get_by_role("button", name="Save draft").click()

    # then the draft's page shows it, in a timeline, with both cartons
    shipment = InboundShipment.objects.get()
    expect(page.get_by_role("heading", name=shipment.number)).to_be_visible()
    expect(page.get_by_text("纯棉T恤 红色 M").first).to_be_visible()
    expect(page.locator(".inbound-timeline .step-current")).to_contain_text("Draft")
    page.screenshot(path=str(_shot("inbound-detail")), full_page=True)

    # and the carton labels download as a PDF, one page per carton, with the Chinese name in it
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Carton labels (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"{shipment.number}-labels.pdf"
    reader = PdfReader(BytesIO(Path(download.path()).read_bytes()))
    assert len(reader.pages) == 2
    text = "".join(reader.pages[1].extract_text().replace("\x00", "").split())
    assert "纯棉T恤红色M" in text and f"{world.seller.code}/{shipment.number}/2" in text
