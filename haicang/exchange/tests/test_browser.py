"""An import in a real browser (Debian's Chromium through Playwright): upload, watch the check, preview,
confirm, imported. The background tasks run through the real task backend (`worker --once`) while the page
polls with HTMX."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from haicang.catalog.models import Sku
from haicang.parties.services import membership_add
from haicang.parties.tests.factories import SYSTEM
from haicang.web.tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _worker() -> None:
    call_command("worker", "--once", "--no-schedule", stdout=StringIO(), stderr=StringIO())


def test_a_planner_uploads_a_csv_sees_the_preview_confirms_and_sees_it_imported(
    live_server, transactional_db, django_user_model, browser_page, seller
):
    from playwright.sync_api import expect

    # given a seller's planner
    user = django_user_model.objects.create_user(username="mei", password=PASSWORD)
    membership_add(actor=SYSTEM, party=seller, user=user, role="planner")
    page = browser_page

    # when she signs in, opens Imports from the navigation and uploads a catalogue file
    page.goto(live_server.url + "/login/")
    page.get_by_label("Username").fill("mei")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Imports").click()
    expect(page.get_by_role("heading", name="Imports", exact=True)).to_be_visible()
    page.get_by_label("What the file holds").select_option("catalog")
    page.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "skus.csv",
                "mimeType": "text/csv",
                "buffer": b"SKU,Name,Weight\nLAMP-1,Desk lamp,1250\n",
            }
        ]
    )
    page.get_by_role("button", name="Upload and check").click()

    # then the import page says the file is being checked
    expect(page.get_by_role("heading", name="skus.csv")).to_be_visible()
    expect(page.get_by_text("Checking every row")).to_be_visible()

    # and once the worker has checked it, the page shows the preview by itself (HTMX polling)
    _worker()
    expect(page.get_by_text("Every row is fine.")).to_be_visible()
    preview = page.locator("#import-preview")
    expect(preview.get_by_role("cell", name="Desk lamp")).to_be_visible()
    expect(preview.get_by_role("columnheader", name="weight_g")).to_be_visible()
    assert not Sku.objects.exists()
    page.screenshot(path=str(_shot("import-preview")), full_page=True)

    # when she confirms and the worker applies it
    page.get_by_role("button", name="Confirm and import").click()
    expect(page.get_by_text("Importing every row in one go")).to_be_visible()
    _worker()

    # then the page shows it imported, and the SKU exists
    expect(page.get_by_text("Imported.")).to_be_visible()
    expect(page.locator("#import-status")).to_have_text("Imported")
    assert Sku.objects.get().weight_g == 1250


def _shot(name: str):
    import os
    import tempfile
    from pathlib import Path

    folder = Path(os.environ.get("HAICANG_SCREENSHOT_DIR", tempfile.gettempdir()))
    return folder / f"hc-ui-{name}.png"
