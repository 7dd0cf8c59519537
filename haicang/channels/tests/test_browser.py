"""The channel pages in a real browser (Debian's Chromium through Playwright): the seller's stores with their
credential names and SKU maps, one store's stock sync — the warehouses it sells from, its sharing rules, what it
may sell — and a sharing rule set on the page changing what the store publishes."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from haicang.catalog.tests.factories import make_sku
from haicang.channels.models import ChannelStockLevel
from haicang.channels.stock_sync import channel_account_warehouses_set, channel_stock_sync_run
from haicang.channels.tests.factories import make_channel_account, make_sku_map
from haicang.inventory.services import stock_receive
from haicang.network.models import LocationKind
from haicang.network.services.virtual import virtual_locations_ensure
from haicang.network.tests.factories import make_location
from haicang.parties.services import membership_add
from haicang.parties.tests.factories import SYSTEM, make_agreement, make_operator, make_seller
from haicang.web.tests.conftest import PASSWORD
from haicang.web.tests.test_browser import browser_page  # noqa: F401 - the shared Chromium fixture

pytestmark = pytest.mark.browser


def _shot(name: str) -> Path:
    folder = Path(os.environ.get("HAICANG_SCREENSHOT_DIR", tempfile.gettempdir()))
    return folder / f"hc-ui-{name}.png"


def test_the_order_team_reads_a_stores_stock_sync_and_holds_units_back_with_a_rule(
    live_server,
    transactional_db,
    django_user_model,
    browser_page,  # noqa: F811
):
    from playwright.sync_api import expect

    # given a seller with two stores, one selling the 20 lamps of its warehouse, mapped under its own SKU name
    seller, operator = make_seller(currency="USD", country="US"), make_operator()
    warehouse = make_agreement(seller, operator).warehouses.get()
    virtual_locations_ensure(actor=SYSTEM)
    lamp = make_sku(seller, code="LAMP-DESK-BLK", name_en="Desk lamp")
    stock_receive(
        actor=SYSTEM,
        owner=seller,
        sku=lamp,
        location=make_location(warehouse, kind=LocationKind.PICK),
        quantity=20,
    )
    amazon = make_channel_account(
        seller, platform="amazon", name="Amazon US", credentials={"access_token": "Atza|not-shown"}
    )
    make_channel_account(seller, platform="temu", name="Temu US")
    make_sku_map(amazon, channel_sku="LUM-LAMP-DESK-BLK", sku=lamp)
    channel_account_warehouses_set(actor=SYSTEM, account=amazon, warehouses=[warehouse])
    channel_stock_sync_run()
    user = django_user_model.objects.create_user(username="olga", password=PASSWORD)
    membership_add(actor=SYSTEM, party=seller, user=user, role="order_manager")
    page = browser_page

    # when the order manager signs in and opens Channels
    page.goto(f"{live_server.url}/login/?next=/")
    page.get_by_label("Username").fill("olga")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Channels").click()

    # then both stores are listed, with the names of the stored credentials (never their values) and maps
    expect(page.get_by_role("heading", name="Channel accounts")).to_be_visible()
    row = page.locator("tr", has=page.get_by_role("link", name="Amazon US"))
    expect(row.get_by_text("access_token")).to_be_visible()
    expect(row.locator("td.amount")).to_have_text("1")
    expect(page.get_by_role("link", name="Temu US")).to_be_visible()
    expect(page.get_by_text("not-shown")).to_have_count(0)
    page.screenshot(path=str(_shot("channels-list")), full_page=True)

    # and the Amazon store's stock sync shows its warehouse and the 20 lamps it may sell
    page.get_by_role("link", name="Amazon US").click()
    expect(page.get_by_role("heading", name="Stock sync")).to_be_visible()
    expect(page.get_by_label(warehouse.code, exact=False)).to_be_checked()
    stock = page.locator("#channel-stock")
    expect(stock.locator("tr", has=page.get_by_text("LAMP-DESK-BLK")).locator("td.num")).to_have_text("20")
    expect(page.locator("#share-rules").get_by_text("No rule")).to_be_visible()

    # when she gives the store a fixed share of 5 lamps with 1 held back
    page.get_by_label("SKU", exact=True).fill("LAMP-DESK-BLK")
    page.get_by_label("Share", exact=True).select_option("fixed")
    page.get_by_label("Percent or quantity").fill("5")
    page.get_by_label("Safety buffer (units)").fill("1")
    page.get_by_role("button", name="Set the rule").click()

    # then the rule is listed and the store now publishes 4 lamps
    rules = page.locator("#share-rules")
    expect(rules.get_by_text("5 units")).to_be_visible()
    expect(
        page.locator("#channel-stock tr", has=page.get_by_text("LAMP-DESK-BLK")).locator("td.num")
    ).to_have_text("4")
    page.screenshot(path=str(_shot("channels-stock-sync")), full_page=True)
    assert ChannelStockLevel.objects.get(account=amazon, sku=lamp).quantity == 4
