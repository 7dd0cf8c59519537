"""The UI in a real browser: Debian's Chromium driven by Playwright (never a downloaded browser build)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

from haicang.web.tests.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_page(monkeypatch: pytest.MonkeyPatch) -> Iterator[Page]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run this test"
        )
    # Playwright's sync API runs an event loop in this thread; the test's own database calls are still sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="en-GB")
            page.set_default_timeout(15_000)
            yield page
        finally:
            browser.close()


def _screenshot(page: Page, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("HAICANG_SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"hc-ui-{name}.png"), full_page=True)


def test_a_member_signs_in_and_switches_the_language_to_chinese_and_back(
    live_server, transactional_db, django_user_model, browser_page, tmp_path
):
    from playwright.sync_api import expect

    # given a member
    django_user_model.objects.create_user(username="alice", password=PASSWORD)
    page = browser_page

    # when she opens Haicang she is asked to sign in, and does
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    _screenshot(page, tmp_path, "login")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # then she is home, in English
    expect(page.get_by_role("heading", name="Welcome, alice")).to_be_visible()
    nav = page.get_by_role("navigation", name="Main navigation")
    expect(nav.get_by_role("link", name="Home")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "en"
    _screenshot(page, tmp_path, "home-en")

    # when she switches to 简体中文, the page comes back in Chinese
    page.get_by_role("button", name="简体中文").click()
    expect(page.get_by_role("heading", name="欢迎，alice")).to_be_visible()
    expect(page.get_by_role("navigation", name="主导航").get_by_role("link", name="首页")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    _screenshot(page, tmp_path, "home-zh")

    # and the user menu signs out in Chinese too
    page.locator("details.usermenu summary").click()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()
    _screenshot(page, tmp_path, "menu-zh")

    # when she switches back to English, English it is
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Welcome, alice")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "en"


def test_on_a_scanner_sized_screen_the_layout_fits_without_sideways_scrolling(
    live_server, transactional_db, django_user_model, browser_page, tmp_path
):
    django_user_model.objects.create_user(username="alice", password=PASSWORD)
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 640})

    page.goto(live_server.url + "/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Welcome, alice").wait_for()
    _screenshot(page, tmp_path, "home-narrow")

    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0


def test_staff_read_an_audit_trail_and_load_older_entries_in_place(
    live_server, transactional_db, django_user_model, browser_page, tmp_path
):
    from django.contrib.auth.models import Group
    from playwright.sync_api import expect

    from haicang.core.actors import Actor
    from haicang.core.audit import audit_record

    # given 60 recorded changes to one group
    django_user_model.objects.create_user(username="sam", password=PASSWORD, is_staff=True)
    group = Group.objects.create(name="pickers")
    actor = Actor.system("tests")
    for n in range(60):
        audit_record(
            actor=actor,
            action="group.renamed",
            subject=group,
            summary=f"change {n:02d}",
            before={"name": f"pickers-{n}"},
            after={"name": f"pickers-{n + 1}"},
        )
    page = browser_page
    page.goto(live_server.url + f"/login/?next=/audit/auth.group/{group.pk}/")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # when staff open its audit trail, 50 entries show
    rows = page.locator("#audit-rows tr:not(.load-more)")
    expect(rows).to_have_count(50)
    _screenshot(page, tmp_path, "audit")

    # and "load older entries" appends the other 10 without leaving the page
    page.get_by_role("link", name="Load older entries").click()
    expect(rows).to_have_count(60)
    expect(page.get_by_role("link", name="Load older entries")).to_have_count(0)
    assert page.url.endswith(f"/audit/auth.group/{group.pk}/")
