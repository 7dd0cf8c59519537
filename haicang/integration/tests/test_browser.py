"""The webhook pages in a real browser (Debian's Chromium through Playwright), against a real HTTP receiver on
127.0.0.1: subscribe, copy the secret, send a test event and see it delivered, replay a dead letter, and the
banner of a subscription the relay turned off."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from django.utils import timezone

from haicang.integration.models import DeliveryStatus, DisabledCause, WebhookDelivery, WebhookSubscription
from haicang.integration.relay import relay_run
from haicang.integration.signing import signature_verify
from haicang.parties.services import membership_add
from haicang.parties.tests.factories import SYSTEM, make_seller
from haicang.web.tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _shot(page, name: str) -> None:
    folder = Path(os.environ.get("HAICANG_SCREENSHOT_DIR", tempfile.gettempdir()))
    page.screenshot(path=str(folder / f"hc-ui-{name}.png"), full_page=True)


def _sign_in(page, base: str, username: str, next_url: str) -> None:
    page.goto(f"{base}/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_seller_subscribes_a_receiver_sends_a_test_event_and_replays_a_dead_letter(
    live_server,
    transactional_db,
    django_user_model,
    browser_page,
    receiver,
):
    from playwright.sync_api import expect

    # given a seller's owner and a receiver listening on 127.0.0.1
    seller = make_seller(code="lumen")
    user = django_user_model.objects.create_user(username="olivia", password=PASSWORD)
    membership_add(actor=SYSTEM, party=seller, user=user, role="owner")
    page = browser_page
    _sign_in(page, live_server.url, "olivia", "/")

    # when she follows Webhooks in the navigation and adds a subscription to the receiver
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Webhooks").click()
    expect(page.get_by_role("heading", name="Webhook subscriptions")).to_be_visible()
    page.get_by_role("link", name="Add a subscription").click()
    page.get_by_label("Receiver URL").fill(receiver.url)
    page.get_by_label("Description").fill("Local ERP")
    page.locator('input[name="event_types"][value="stock.available_changed"]').check()
    _shot(page, "webhook-new")
    page.get_by_role("button", name="Subscribe").click()

    # then the secret is shown, once
    expect(page.get_by_role("heading", name="Your webhook secret")).to_be_visible()
    secret = page.locator("#new-secret").input_value()
    assert secret.startswith("whsec_")
    page.get_by_role("link", name="I have copied the secret").click()

    # when she sends a test event from the subscription's page
    expect(page.get_by_role("heading", name=receiver.url)).to_be_visible()
    page.get_by_role("button", name="Send a test event").click()

    # then the receiver got it, signed with that secret, and the page shows it delivered with the answer
    expect(page.get_by_text("The test event was delivered: the receiver answered 200.")).to_be_visible()
    row = page.locator("#deliveries tbody tr").first
    expect(row).to_contain_text("webhook.test")
    expect(row).to_contain_text("Delivered")
    expect(row).to_contain_text("200")
    assert len(receiver.received) == 1
    got = receiver.received[0]
    signature_verify(
        body=got.body,
        timestamp=got.headers["Haicang-Timestamp"],
        signature=got.headers["Haicang-Signature"],
        secrets=[secret],
    )
    _shot(page, "webhook-detail")

    # when the receiver refuses the next test event for good, it is a dead letter
    receiver.answers = [410]
    page.get_by_role("button", name="Send a test event").click()
    expect(page.get_by_text("The test event failed for good")).to_be_visible()
    expect(page.locator("#deliveries tbody tr").first).to_contain_text("Dead letter")

    # and she replays it from the dead-letter list
    page.get_by_role("navigation", name="Webhook sections").get_by_role("link", name="Dead letters").click()
    dead = page.locator("#deliveries tbody tr")
    expect(dead).to_have_count(1)
    expect(dead.first).to_contain_text("410")
    _shot(page, "webhook-dead-letters")
    page.get_by_label("Select all dead letters").check()
    page.get_by_role("button", name="Replay the chosen").click()
    expect(page.get_by_text("1 dead letter is queued again")).to_be_visible()
    expect(page.get_by_text("No dead letters.")).to_be_visible()

    # then the next relay run delivers it
    relay_run()
    assert len(receiver.received) == 3
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.DELIVERED}


def test_the_banner_of_a_subscription_the_relay_turned_off_shows_until_dismissed(
    live_server,
    transactional_db,
    django_user_model,
    browser_page,
):
    from playwright.sync_api import expect

    from haicang.integration.services import webhook_subscription_create

    # given a subscription the relay turned off
    seller = make_seller(code="lumen")
    user = django_user_model.objects.create_user(username="olivia", password=PASSWORD)
    membership_add(actor=SYSTEM, party=seller, user=user, role="owner")
    subscription, _ = webhook_subscription_create(
        actor=SYSTEM, party=seller, url="https://erp.example.com/hooks", event_types=["order.created"]
    )
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        is_active=False, disabled_at=timezone.now(), disabled_cause=DisabledCause.FAILING
    )
    page = browser_page

    # when its owner signs in, the banner is on the home page and on the catalogue of events
    _sign_in(page, live_server.url, "olivia", "/")
    notices = page.get_by_role("region", name="Notices")
    expect(notices).to_contain_text(
        "Haicang turned off the webhook subscription to https://erp.example.com/hooks"
    )
    _shot(page, "webhook-banner")
    page.goto(live_server.url + "/integration/events/")
    expect(notices).to_be_visible()

    # when she follows it and dismisses the notice, it is gone from every page; the subscription stays off
    notices.get_by_role("link", name="Review the subscription").click()
    page.get_by_role("button", name="Dismiss the notice, keep it off").click()
    expect(page.get_by_role("region", name="Notices")).to_have_count(0)
    page.goto(live_server.url + "/")
    expect(page.get_by_role("region", name="Notices")).to_have_count(0)
    assert not WebhookSubscription.objects.get(pk=subscription.pk).is_active
