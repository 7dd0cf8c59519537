import pytest
from rest_framework.test import APIClient

from haicang.integration.models import DeliveryStatus, WebhookDelivery
from haicang.integration.relay import relay_run
from haicang.integration.signing import signature_verify
from haicang.parties.tests.factories import make_member, make_seller

pytestmark = pytest.mark.django_db


def _client(party, role="owner"):
    client = APIClient()
    client.force_login(make_member(party, role).user)
    return client


def test_a_seller_subscribes_sees_the_secret_once_and_receives_a_test_event(receiver):
    client = _client(make_seller())

    created = client.post(
        "/api/v1/webhook-subscriptions/",
        {"url": receiver.url, "event_types": ["stock.available_changed"]},
        format="json",
    )
    assert created.status_code == 201, created.content
    secret, pk = created.json()["secret"], created.json()["id"]
    assert "secret" not in client.get(f"/api/v1/webhook-subscriptions/{pk}/").json()
    assert client.post(f"/api/v1/webhook-subscriptions/{pk}/test/").status_code == 202
    relay_run()

    got = receiver.received[0]
    signature_verify(
        body=got.body,
        timestamp=got.headers["Haicang-Timestamp"],
        signature=got.headers["Haicang-Signature"],
        secrets=[secret],
    )
    deliveries = client.get("/api/v1/webhook-deliveries/").json()
    rows = deliveries["results"] if isinstance(deliveries, dict) else deliveries
    assert [(r["status"], r["last_status_code"]) for r in rows] == [("delivered", 200)]


def test_a_dead_letter_is_listed_and_replayed_through_the_api(receiver):
    client = _client(make_seller())
    pk = client.post(
        "/api/v1/webhook-subscriptions/",
        {"url": receiver.url, "event_types": ["order.created"]},
        format="json",
    ).json()["id"]
    receiver.answers = [404]
    client.post(f"/api/v1/webhook-subscriptions/{pk}/test/")
    relay_run()

    dead = client.get("/api/v1/webhook-deliveries/dead-letters/").json()
    rows = dead["results"] if isinstance(dead, dict) else dead
    assert len(rows) == 1 and rows[0]["last_status_code"] == 404
    assert client.post(f"/api/v1/webhook-deliveries/{rows[0]['id']}/replay/").status_code == 202
    relay_run()

    assert WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED


def test_rotating_returns_a_new_secret_and_the_catalogue_lists_examples():
    client = _client(make_seller())
    pk = client.post(
        "/api/v1/webhook-subscriptions/",
        {"url": "https://example.com/h", "event_types": ["invoice.issued"]},
        format="json",
    ).json()["id"]

    rotated = client.post(f"/api/v1/webhook-subscriptions/{pk}/rotate-secret/", {}, format="json")
    catalogue = client.get("/api/v1/event-types/").json()

    assert rotated.status_code == 200 and rotated.json()["secret"].startswith("whsec_")
    assert rotated.json()["previous_secret_live_until"] is not None
    names = {row["name"] for row in catalogue}
    assert {"order.created", "stock.available_changed", "shipment.confirmed", "invoice.issued"} <= names


def test_an_unknown_event_type_or_plain_http_url_answers_400_naming_the_field():
    client = _client(make_seller())

    unknown = client.post(
        "/api/v1/webhook-subscriptions/",
        {"url": "https://example.com/h", "event_types": ["nope"]},
        format="json",
    )
    plain = client.post(
        "/api/v1/webhook-subscriptions/",
        {"url": "http://example.com/h", "event_types": ["order.created"]},
        format="json",
    )

    assert unknown.status_code == 400 and "event_types" in unknown.content.decode()
    assert plain.status_code == 400 and "integration.url_invalid" in plain.content.decode()
