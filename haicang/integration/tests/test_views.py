"""The webhook pages through Django's test client: subscriptions, secrets shown once, test events against a
real receiver on 127.0.0.1, rotation, on/off, recent deliveries, dead letters with replay, the catalogue, the
notice of a subscription the relay turned off, and scoping."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.contrib.sessions.backends.base import SessionBase
from django.test import RequestFactory
from django.utils import timezone

from haicang.integration.catalogue import STOCK_AVAILABLE_CHANGED, event_types
from haicang.integration.models import DeliveryStatus, DisabledCause, WebhookDelivery, WebhookSubscription
from haicang.integration.notices import disabled_subscription_notices
from haicang.integration.relay import DISABLE_AFTER_DEAD, relay_run
from haicang.integration.services import (
    live_secrets,
    webhook_subscription_create,
    webhook_test_send,
)
from haicang.parties.access import scope_for_request
from haicang.parties.tests.factories import SYSTEM, make_member, make_operator, make_seller

pytestmark = pytest.mark.django_db

SECRET = re.compile(r'value="(whsec_[^"]+)"')


def _found(pattern: re.Pattern[str] | str, text: str) -> re.Match[str]:
    match = re.search(pattern, text)
    assert match is not None, f"{pattern!r} not found"
    return match


@pytest.fixture
def seller():
    return make_seller(code="lumen")


@pytest.fixture
def owner_client(client, seller):
    client.force_login(make_member(seller, "owner", username="olivia").user)
    return client


def _subscribe(party, url="https://erp.example.com/hooks", types=("webhook.test",)):
    subscription, _secret = webhook_subscription_create(
        actor=SYSTEM, party=party, url=url, event_types=list(types)
    )
    return subscription


def _dead_letter(subscription, code=410):
    """A delivery that ended as a dead letter (a permanent refusal), without a network call."""
    delivery = webhook_test_send(actor=SYSTEM, subscription=subscription)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.DEAD, attempts=1, last_status_code=code, last_response_excerpt="gone away"
    )
    return delivery


def _turned_off_by_the_relay(subscription):
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        is_active=False,
        disabled_at=timezone.now(),
        disabled_reason="turned off after 5 deliveries in a row ended as dead letters",
        disabled_cause=DisabledCause.FAILING,
        consecutive_failures=DISABLE_AFTER_DEAD,
    )


# --- list and create ---------------------------------------------------------------------------------------
def test_the_list_shows_the_partys_subscriptions_only_and_the_navigation_links_to_it(owner_client, seller):
    _subscribe(seller, url="https://ours.example.com/hooks")
    _subscribe(make_seller(), url="https://theirs.example.com/hooks")

    page = owner_client.get("/integration/webhooks/").content.decode()

    assert "https://ours.example.com/hooks" in page
    assert "theirs.example.com" not in page
    assert 'href="/integration/webhooks/"' in page and ">Webhooks<" in page


def test_creating_a_subscription_shows_its_secret_once_and_stores_it_sealed(owner_client, seller):
    # given the form offers the catalogue's event types (but not the test type)
    form = owner_client.get("/integration/webhooks/new/").content.decode()
    assert 'value="stock.available_changed"' in form and 'value="order.created"' in form
    assert 'value="webhook.test"' not in form

    # when the owner subscribes a URL to two event types
    response = owner_client.post(
        "/integration/webhooks/new/",
        {
            "url": "https://erp.example.com/hooks",
            "description": "ERP",
            "event_types": [STOCK_AVAILABLE_CHANGED, "order.created"],
        },
    )

    # then the answer shows the secret, uncached, and the subscription signs with it
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    secret = _found(SECRET, response.content.decode()).group(1)
    subscription = WebhookSubscription.objects.get(seller=seller)
    assert subscription.event_types == [STOCK_AVAILABLE_CHANGED, "order.created"]
    assert live_secrets(subscription) == [secret]
    # and no page shows it again
    for url in ("/integration/webhooks/", f"/integration/webhooks/{subscription.pk}/"):
        assert secret not in owner_client.get(url).content.decode()


def test_a_plain_http_url_outside_loopback_is_refused_with_a_readable_error(owner_client, seller):
    response = owner_client.post(
        "/integration/webhooks/new/",
        {"url": "http://erp.example.com/hooks", "event_types": [STOCK_AVAILABLE_CHANGED]},
    )

    assert response.status_code == 400
    assert "https://" in html.unescape(response.content.decode())
    assert not WebhookSubscription.objects.exists()


def test_a_subscription_without_event_types_is_refused(owner_client):
    response = owner_client.post("/integration/webhooks/new/", {"url": "https://erp.example.com/hooks"})

    assert response.status_code == 400
    assert "Choose at least one event type." in response.content.decode()


# --- the detail page ---------------------------------------------------------------------------------------
def test_a_test_event_goes_through_the_outbox_reaches_the_receiver_and_shows_as_delivered(
    owner_client, seller, receiver
):
    subscription = _subscribe(seller, url=receiver.url)

    response = owner_client.post(f"/integration/webhooks/{subscription.pk}/test/", follow=True)

    page = response.content.decode()
    assert len(receiver.received) == 1
    body = json.loads(receiver.received[0].body)
    assert body["type"] == "webhook.test" and body["subject"]["id"] == str(subscription.pk)
    delivery = WebhookDelivery.objects.get(subscription=subscription)
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.event.fanned_out_at is not None
    assert "The test event was delivered: the receiver answered 200." in page
    row = _found(rf'<tr id="delivery-{delivery.pk}"[^>]*>(.*?)</tr>', page.replace("\n", " ")).group(1)
    assert "Delivered" in row and "<code>200</code>" in row and "ok" in row


def test_a_failed_test_event_shows_attempts_next_attempt_code_and_a_truncated_answer(
    owner_client, seller, receiver
):
    subscription = _subscribe(seller, url=receiver.url)
    receiver.answers = [503]

    owner_client.post(f"/integration/webhooks/{subscription.pk}/test/")
    delivery = WebhookDelivery.objects.get(subscription=subscription)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(last_response_excerpt="x" * 150)
    page = owner_client.get(f"/integration/webhooks/{subscription.pk}/").content.decode()

    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 1
    row = _found(rf'<tr id="delivery-{delivery.pk}"[^>]*>(.*?)</tr>', page.replace("\n", " ")).group(1)
    assert "Failed, will retry" in row and "<code>503</code>" in row
    assert timezone.localtime(delivery.next_attempt_at).strftime("%Y-%m-%d %H:%M") in row
    assert ">" + "x" * 59 + "…</code>" in row  # truncated in the cell, the whole excerpt in its title


def test_rotating_shows_the_new_secret_once_and_keeps_the_old_one_live_for_the_chosen_time(
    owner_client, seller
):
    subscription, old = webhook_subscription_create(
        actor=SYSTEM, party=seller, url="https://erp.example.com/hooks", event_types=["webhook.test"]
    )

    form = owner_client.get(f"/integration/webhooks/{subscription.pk}/rotate-secret/")
    response = owner_client.post(
        f"/integration/webhooks/{subscription.pk}/rotate-secret/", {"keep_old_for": "72"}
    )

    assert form.status_code == 200
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    new = _found(SECRET, response.content.decode()).group(1)
    subscription.refresh_from_db()
    assert live_secrets(subscription) == [new, old]
    assert subscription.previous_secret_expires_at is not None
    hours = (subscription.previous_secret_expires_at - timezone.now()).total_seconds() / 3600
    assert 71.9 < hours <= 72
    detail = owner_client.get(f"/integration/webhooks/{subscription.pk}/").content.decode()
    assert "The previous secret stays live until" in detail and new not in detail and old not in detail


def test_turning_a_subscription_off_and_on(owner_client, seller):
    subscription = _subscribe(seller)

    owner_client.post(f"/integration/webhooks/{subscription.pk}/active/", {"is_active": "0"})
    subscription.refresh_from_db()
    assert not subscription.is_active and subscription.disabled_cause == DisabledCause.PARTY
    assert (
        "This subscription was turned off"
        in owner_client.get(f"/integration/webhooks/{subscription.pk}/").content.decode()
    )

    owner_client.post(f"/integration/webhooks/{subscription.pk}/active/", {"is_active": "1"})
    subscription.refresh_from_db()
    assert subscription.is_active and subscription.disabled_at is None and subscription.disabled_cause == ""


# --- dead letters ------------------------------------------------------------------------------------------
def test_the_dead_letter_list_shows_the_partys_dead_letters_and_replays_one(owner_client, seller):
    ours = _dead_letter(_subscribe(seller))
    theirs = _dead_letter(_subscribe(make_seller()))

    page = owner_client.get("/integration/dead-letters/").content.decode()
    response = owner_client.post(
        f"/integration/deliveries/{ours.pk}/replay/", {"next": "/integration/dead-letters/"}
    )

    assert f'id="delivery-{ours.pk}"' in page and f'id="delivery-{theirs.pk}"' not in page
    assert "gone away" in page and "<code>410</code>" in page
    assert response.status_code == 302 and response["Location"] == "/integration/dead-letters/"
    ours.refresh_from_db()
    assert ours.status == DeliveryStatus.PENDING and ours.attempts == 0
    # another party's dead letter cannot be replayed from here
    assert owner_client.post(f"/integration/deliveries/{theirs.pk}/replay/").status_code == 404


def test_a_replay_goes_back_only_to_a_page_of_this_site(owner_client, seller):
    dead = _dead_letter(_subscribe(seller))

    response = owner_client.post(
        f"/integration/deliveries/{dead.pk}/replay/", {"next": "https://evil.example/"}
    )

    assert response["Location"] == "/integration/dead-letters/"


def test_bulk_replay_of_the_chosen_and_of_all_dead_letters(owner_client, seller):
    subscription = _subscribe(seller)
    first, second, third = (_dead_letter(subscription) for _ in range(3))
    foreign = _dead_letter(_subscribe(make_seller()))

    owner_client.post("/integration/dead-letters/", {"delivery": [str(first.pk), str(foreign.pk)]})
    statuses = {d.pk: d.status for d in WebhookDelivery.objects.all()}
    assert statuses[first.pk] == DeliveryStatus.PENDING
    assert statuses[second.pk] == statuses[third.pk] == statuses[foreign.pk] == DeliveryStatus.DEAD

    response = owner_client.post("/integration/dead-letters/", {"all": "1"}, follow=True)
    statuses = {d.pk: d.status for d in WebhookDelivery.objects.all()}
    assert statuses[second.pk] == statuses[third.pk] == DeliveryStatus.PENDING
    assert statuses[foreign.pk] == DeliveryStatus.DEAD
    assert "2 dead letters are queued again" in response.content.decode()


def test_a_replayed_dead_letter_reaches_the_receiver_on_the_next_relay_run(owner_client, seller, receiver):
    subscription = _subscribe(seller, url=receiver.url)
    dead = _dead_letter(subscription)

    owner_client.post("/integration/dead-letters/", {"delivery": [str(dead.pk)]})
    relay_run()

    dead.refresh_from_db()
    assert dead.status == DeliveryStatus.DELIVERED and len(receiver.received) == 1


# --- the event catalogue -----------------------------------------------------------------------------------
def test_the_catalogue_lists_every_event_type_with_version_schema_and_pretty_example(client):
    client.force_login(make_member(make_operator(), "warehouse_staff").user)  # no webhook permission needed

    page = client.get("/integration/events/").content.decode()

    for event in event_types():
        section = (
            _found(
                rf'<section class="card event-type" id="event-{re.escape(event.name.replace(".", ""))}".*?</section>',
                page.replace("\n", "\x00"),
            )
            .group(0)
            .replace("\x00", "\n")
        )
        assert f"<code>{event.name}</code>" in section
        assert f"version {event.schema_version}" in section
        schema = _found(r'data-kind="schema"><code>(.*?)</code>', section.replace("\n", "\x00")).group(1)
        example = _found(r'data-kind="example"><code>(.*?)</code>', section.replace("\n", "\x00")).group(1)
        schema, example = (html.unescape(s.replace("\x00", "\n")) for s in (schema, example))
        assert json.loads(schema) == dict(event.data_schema)
        assert (
            json.loads(example)["data"] == dict(event.example) and json.loads(example)["type"] == event.name
        )
        assert "\n  " in schema  # pretty-printed


# --- the notice of a subscription the relay turned off -------------------------------------------------------
def test_when_the_relay_turns_a_subscription_off_its_owners_see_a_banner_on_every_page(
    seller, client, receiver
):
    # given a subscription whose receiver keeps refusing, and members of its party and of another
    subscription = _subscribe(seller, url=receiver.url)
    receiver.answers = [410] * DISABLE_AFTER_DEAD
    for _ in range(DISABLE_AFTER_DEAD):
        webhook_test_send(actor=SYSTEM, subscription=subscription)
    owner = make_member(seller, "owner").user
    viewer = make_member(seller, "viewer").user
    stranger = make_member(make_seller(), "owner").user

    # when the relay has delivered (and failed) enough
    relay_run()
    subscription.refresh_from_db()
    assert not subscription.is_active and subscription.disabled_cause == DisabledCause.FAILING

    # then the owner sees the banner on any page, linking to the subscription
    client.force_login(owner)
    for url in ("/", "/integration/events/", "/parties/members/"):
        page = client.get(url).content.decode()
        assert f'id="notice-webhook-off-{subscription.pk}"' in page, url
        assert f'href="/integration/webhooks/{subscription.pk}/"' in page
        assert "because its deliveries kept failing" in page
    # and neither a viewer (who cannot manage webhooks) nor another party does
    for user in (viewer, stranger):
        client.force_login(user)
        assert "notice-webhook-off" not in client.get("/").content.decode()


def test_the_banner_goes_away_when_acknowledged_and_the_subscription_stays_off(owner_client, seller):
    subscription = _subscribe(seller)
    _turned_off_by_the_relay(subscription)
    assert "notice-webhook-off" in owner_client.get("/").content.decode()

    owner_client.post(f"/integration/webhooks/{subscription.pk}/acknowledge/")

    assert "notice-webhook-off" not in owner_client.get("/").content.decode()
    subscription.refresh_from_db()
    assert not subscription.is_active and subscription.disabled_acknowledged_at is not None
    # the detail page still says why it is off
    detail = owner_client.get(f"/integration/webhooks/{subscription.pk}/").content.decode()
    assert "because its deliveries kept failing" in detail


def test_the_banner_goes_away_when_the_subscription_is_turned_on_and_comes_back_if_turned_off_again(
    owner_client, seller
):
    subscription = _subscribe(seller)
    _turned_off_by_the_relay(subscription)

    owner_client.post(f"/integration/webhooks/{subscription.pk}/active/", {"is_active": "1"})
    assert "notice-webhook-off" not in owner_client.get("/").content.decode()

    _turned_off_by_the_relay(subscription)
    assert "notice-webhook-off" in owner_client.get("/").content.decode()


def test_a_subscription_the_party_turned_off_itself_raises_no_banner(owner_client, seller):
    subscription = _subscribe(seller)

    owner_client.post(f"/integration/webhooks/{subscription.pk}/active/", {"is_active": "0"})

    assert "notice-webhook-off" not in owner_client.get("/").content.decode()


@pytest.mark.parametrize(("role", "queries", "shown"), [("viewer", 0, 0), ("owner", 1, 1)])
def test_the_banner_check_is_one_small_query_and_none_without_the_permission(
    seller, django_assert_num_queries, role, queries, shown
):
    _turned_off_by_the_relay(_subscribe(seller))
    request = RequestFactory().get("/")
    request.user = make_member(seller, role).user
    request.session = SessionBase()
    scope_for_request(request)  # the page resolves its scope once (the party switcher, the navigation)

    with django_assert_num_queries(queries):
        assert len(disabled_subscription_notices(request)) == shown


# --- access ------------------------------------------------------------------------------------------------
def test_a_viewer_reads_but_cannot_write_and_a_role_without_the_permission_is_refused(client, seller):
    subscription = _subscribe(seller)
    dead = _dead_letter(subscription)
    client.force_login(make_member(seller, "viewer").user)

    assert client.get("/integration/webhooks/").status_code == 200
    detail = client.get(f"/integration/webhooks/{subscription.pk}/").content.decode()
    assert "Send a test event" not in detail and "Rotate the secret" not in detail
    assert client.get("/integration/webhooks/new/").status_code == 403
    assert client.post(f"/integration/webhooks/{subscription.pk}/test/").status_code == 403
    assert (
        client.post(
            f"/integration/webhooks/{subscription.pk}/rotate-secret/", {"keep_old_for": "24"}
        ).status_code
        == 403
    )
    assert client.post(f"/integration/deliveries/{dead.pk}/replay/").status_code == 403
    assert client.post("/integration/dead-letters/", {"all": "1"}).status_code == 403

    client.force_login(make_member(make_operator(), "warehouse_staff").user)
    assert client.get("/integration/webhooks/").status_code == 403
    assert client.get("/integration/dead-letters/").status_code == 403


def test_another_partys_subscription_answers_404(owner_client):
    foreign = _subscribe(make_seller())

    assert owner_client.get(f"/integration/webhooks/{foreign.pk}/").status_code == 404
    assert owner_client.post(f"/integration/webhooks/{foreign.pk}/test/").status_code == 404
    assert (
        owner_client.post(f"/integration/webhooks/{foreign.pk}/active/", {"is_active": "0"}).status_code
        == 404
    )


def test_an_operator_manages_its_own_webhooks(client):
    operator = make_operator()
    client.force_login(make_member(operator, "owner").user)

    response = client.post(
        "/integration/webhooks/new/",
        {"url": "https://wms.example.com/hooks", "event_types": [STOCK_AVAILABLE_CHANGED]},
    )

    assert response.status_code == 200
    assert WebhookSubscription.objects.get().operator_id == operator.pk


def test_the_pages_speak_chinese(owner_client, seller):
    subscription = _subscribe(seller)
    _dead_letter(subscription)

    pages = [
        owner_client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        for url in (
            "/integration/webhooks/",
            f"/integration/webhooks/{subscription.pk}/",
            "/integration/dead-letters/",
            "/integration/events/",
            "/integration/webhooks/new/",
        )
    ]

    assert "Webhook 订阅" in pages[0]
    assert "发送测试事件" in pages[1]
    assert "死信" in pages[2]
    assert "事件目录" in pages[3]
    assert "接收地址" in pages[4]
