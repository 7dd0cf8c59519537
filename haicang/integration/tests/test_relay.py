import json
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from haicang.integration.catalogue import STOCK_AVAILABLE_CHANGED
from haicang.integration.errors import OutboxOutsideTransaction, WebhookUrlInvalid
from haicang.integration.models import DeliveryStatus, OutboxEvent, WebhookDelivery
from haicang.integration.outbox import Subject, outbox_emit
from haicang.integration.relay import DISABLE_AFTER_DEAD, relay_claim, relay_run
from haicang.integration.retry_rules import BACKOFF_MINUTES, JITTER, MAX_ATTEMPTS
from haicang.integration.services import (
    webhook_delivery_replay,
    webhook_secret_rotate,
    webhook_subscription_create,
    webhook_test_send,
)
from haicang.integration.signing import signature_verify
from haicang.integration.tests.world import make_world
from haicang.inventory.services import DemandLine, stock_reserve
from haicang.parties.tests.factories import SYSTEM

pytestmark = pytest.mark.django_db


def _subscribe(party, url, types=(STOCK_AVAILABLE_CHANGED,)):
    return webhook_subscription_create(actor=SYSTEM, party=party, url=url, event_types=list(types))


def test_receiving_stock_writes_an_available_changed_event_with_growing_subject_versions():
    world = make_world(quantity=10)

    stock_reserve(
        actor=SYSTEM,
        owner=world.seller,
        warehouse=world.warehouse,
        lines=[DemandLine(world.sku, 3)],
        demand_type="order",
        demand_ref="O-1",
    )

    events = list(OutboxEvent.objects.filter(event_type=STOCK_AVAILABLE_CHANGED).order_by("id"))
    assert [e.subject_version for e in events] == [1, 2]
    assert events[0].subject_id == f"{world.sku.pk}:{world.warehouse.pk}"
    assert (events[0].seller_id, events[0].operator_id) == (world.seller.pk, world.operator.pk)


@pytest.mark.django_db(transaction=True)
def test_an_event_is_written_only_inside_the_changes_transaction_and_rolls_back_with_it():
    seller_id = make_world().seller.pk

    with pytest.raises(OutboxOutsideTransaction):
        outbox_emit(event_type="webhook.test", subject=Subject("t", "1"), seller_id=seller_id)
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_emit(event_type="webhook.test", subject=Subject("t", "1"), seller_id=seller_id)
        raise RuntimeError("the change fails")

    assert not OutboxEvent.objects.filter(subject_type="t").exists()


def test_a_delivery_reaches_the_receiver_signed_and_rendered_through_its_scope(receiver):
    world = make_world(quantity=10)
    _subscription, secret = _subscribe(world.seller, receiver.url)
    stock_reserve(
        actor=SYSTEM,
        owner=world.seller,
        warehouse=world.warehouse,
        lines=[DemandLine(world.sku, 4)],
        demand_type="order",
        demand_ref="O-1",
    )

    report = relay_run()

    assert report.delivered == 1 and len(receiver.received) == 1
    got = receiver.received[0]
    signature_verify(
        body=got.body,
        timestamp=got.headers["Haicang-Timestamp"],
        signature=got.headers["Haicang-Signature"],
        secrets=[secret],
    )
    payload = json.loads(got.body)
    assert got.headers["Haicang-Event-Id"] == payload["id"]
    assert payload["subject"]["version"] == 2
    assert payload["data"]["available"] == 6 and payload["data"]["sku"]["code"] == world.sku.code
    assert WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED


def test_after_rotation_deliveries_carry_both_signatures_until_the_old_secret_expires(receiver):
    world = make_world()
    subscription, old = _subscribe(world.seller, receiver.url)
    subscription, new = webhook_secret_rotate(
        actor=SYSTEM, subscription=subscription, keep_old_until=timezone.now() + timedelta(hours=1)
    )
    webhook_test_send(actor=SYSTEM, subscription=subscription)

    relay_run()

    got = receiver.received[0]
    for secret in (old, new):
        signature_verify(
            body=got.body,
            timestamp=got.headers["Haicang-Timestamp"],
            signature=got.headers["Haicang-Signature"],
            secrets=[secret],
        )
    assert got.headers["Haicang-Signature"].count("v1=") == 2


def test_a_failing_receiver_sees_the_backoff_schedule_then_a_dead_letter(receiver):
    world = make_world()
    subscription, _ = _subscribe(world.seller, receiver.url)
    receiver.answers = [500] * MAX_ATTEMPTS
    delivery = webhook_test_send(actor=SYSTEM, subscription=subscription)
    now = timezone.now()

    waits = []
    for _ in range(MAX_ATTEMPTS):
        relay_run(now=now)
        delivery.refresh_from_db()
        if delivery.status == DeliveryStatus.DEAD:
            break
        waits.append(delivery.next_attempt_at - now)
        now = delivery.next_attempt_at

    assert delivery.status == DeliveryStatus.DEAD and delivery.attempts == MAX_ATTEMPTS
    assert len(receiver.received) == MAX_ATTEMPTS
    assert len({r.headers["Haicang-Event-Id"] for r in receiver.received}) == 1
    for wait, minutes in zip(waits, BACKOFF_MINUTES, strict=False):
        assert minutes * 60 * (1 - JITTER) <= wait.total_seconds() <= minutes * 60 * (1 + JITTER)
    assert delivery.last_attempt_at is not None and delivery.first_attempt_at is not None
    assert delivery.last_attempt_at - delivery.first_attempt_at <= timedelta(hours=24)
    assert delivery.last_status_code == 500


def test_a_4xx_answer_is_permanent_but_408_and_429_are_retried(receiver):
    world = make_world()
    subscription, _ = _subscribe(world.seller, receiver.url)
    receiver.answers = [429, 410]
    delivery = webhook_test_send(actor=SYSTEM, subscription=subscription)

    relay_run()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    relay_run(now=delivery.next_attempt_at)
    delivery.refresh_from_db()

    assert delivery.status == DeliveryStatus.DEAD and delivery.attempts == 2


def test_a_dead_letter_replayed_is_delivered(receiver):
    world = make_world()
    subscription, _ = _subscribe(world.seller, receiver.url)
    receiver.answers = [400]
    delivery = webhook_test_send(actor=SYSTEM, subscription=subscription)
    relay_run()

    webhook_delivery_replay(actor=SYSTEM, delivery=delivery)
    relay_run()

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and len(receiver.received) == 2


def test_an_event_survives_a_relay_killed_after_its_claim_and_is_not_sent_twice_meanwhile(receiver):
    world = make_world()
    subscription, _ = _subscribe(world.seller, receiver.url)
    delivery = webhook_test_send(actor=SYSTEM, subscription=subscription)
    now = timezone.now()
    _token, claimed = relay_claim(now=now, limit=1, lease=timedelta(minutes=2))  # the relay dies here
    assert [d.pk for d in claimed] == [delivery.pk]

    assert relay_run(now=now + timedelta(minutes=1)).delivered == 0  # the lease still holds
    report = relay_run(now=now + timedelta(minutes=3))

    assert report.delivered == 1 and len(receiver.received) == 1


def test_a_subscription_whose_deliveries_keep_dying_is_disabled_with_a_reason(receiver):
    world = make_world()
    subscription, _ = _subscribe(world.seller, receiver.url)
    receiver.answers = [401] * DISABLE_AFTER_DEAD
    for _ in range(DISABLE_AFTER_DEAD):
        webhook_test_send(actor=SYSTEM, subscription=subscription)

    relay_run()

    subscription.refresh_from_db()
    assert not subscription.is_active and subscription.disabled_at is not None
    assert "dead letters" in subscription.disabled_reason


def test_a_party_never_receives_another_partys_events(receiver):
    mine, theirs = make_world(), make_world()
    _subscribe(mine.seller, receiver.url)
    stock_reserve(
        actor=SYSTEM,
        owner=theirs.seller,
        warehouse=theirs.warehouse,
        lines=[DemandLine(theirs.sku, 1)],
        demand_type="order",
        demand_ref="O-9",
    )

    relay_run()

    assert receiver.received == [] and not WebhookDelivery.objects.exists()


def test_an_event_about_a_subject_the_party_cannot_see_makes_no_delivery(receiver):
    # given a seller subscribed, and an event naming it about a warehouse where it holds no stock at all
    world, elsewhere = make_world(), make_world()
    _subscribe(world.seller, receiver.url)
    with transaction.atomic():
        outbox_emit(
            event_type=STOCK_AVAILABLE_CHANGED,
            subject=Subject("inventory.available", f"{world.sku.pk}:{elsewhere.warehouse.pk}"),
            subject_version=1,
            seller_id=world.seller.pk,
        )

    # when the relay runs, then nothing is made or sent for it
    relay_run()

    assert receiver.received == [] and not WebhookDelivery.objects.exists()


def test_an_operator_receives_stock_events_of_its_warehouse_through_its_own_scope(receiver):
    world = make_world(quantity=7)
    _subscribe(world.operator, receiver.url)
    stock_reserve(
        actor=SYSTEM,
        owner=world.seller,
        warehouse=world.warehouse,
        lines=[DemandLine(world.sku, 2)],
        demand_type="order",
        demand_ref="O-2",
    )

    relay_run()

    payload = json.loads(receiver.received[0].body)
    assert payload["data"]["warehouse"]["id"] == str(world.warehouse.pk) and payload["data"]["available"] == 5
    assert set(payload) == {"id", "type", "schema_version", "occurred_at", "subject", "data"}


def test_plain_http_to_a_public_host_is_refused_outside_debug():
    world = make_world()

    with pytest.raises(WebhookUrlInvalid):
        _subscribe(world.seller, "http://example.com/hooks")
    subscription, _ = _subscribe(world.seller, "https://example.com/hooks")
    assert subscription.url == "https://example.com/hooks"


def test_two_relays_claiming_at_once_never_both_get_a_delivery():
    world = make_world()
    subscription, _ = _subscribe(world.seller, "https://example.com/hooks")
    webhook_test_send(actor=SYSTEM, subscription=subscription)
    now = timezone.now()

    _first_token, first = relay_claim(now=now)
    _second_token, second = relay_claim(now=now)

    assert len(first) == 1 and second == []


@pytest.mark.django_db(transaction=True)
def test_relays_claiming_concurrently_in_threads_claim_each_delivery_once():
    import threading

    from django.db import connection

    world = make_world()
    subscription, _ = _subscribe(world.seller, "https://example.com/hooks")
    for _ in range(20):
        webhook_test_send(actor=SYSTEM, subscription=subscription)
    now = timezone.now()
    claimed: list[list[str]] = []
    start = threading.Barrier(4)

    def relay() -> None:
        try:
            start.wait()
            for _ in range(10):
                _token, got = relay_claim(now=now, limit=3)
                claimed.append([str(d.pk) for d in got])
        finally:
            connection.close()

    threads = [threading.Thread(target=relay) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    ids = [pk for batch in claimed for pk in batch]
    assert len(ids) == 20 and len(set(ids)) == 20
