"""The tracking API: scans in by batch and per tracking number, the signed carrier webhook, a parcel's
timeline, alerts and kept messages — each party seeing only its own."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from haicang.fulfillment.models import TrackingAlert, TrackingEvent, TrackingMessage, TrackingWebhookSecret
from haicang.fulfillment.tests.factories import make_fulfilment_world, make_shipped_parcel
from haicang.integration.signing import signature_header
from haicang.parties.tests.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_fulfilment_world(stock=0)


@pytest.fixture
def parcel(world):
    return make_shipped_parcel(world, shipped_at=timezone.now() - dt.timedelta(days=2))


def client_for(party, role="owner"):
    client = APIClient()
    client.force_login(make_member(party, role).user)
    return client


def iso(delta_hours: float) -> str:
    return (timezone.now() - dt.timedelta(hours=delta_hours)).replace(microsecond=0).isoformat()


def test_the_operator_posts_a_batch_and_gets_one_result_per_scan(world, parcel):
    staff = client_for(world.operator, "warehouse_staff")
    body = {
        "events": [
            {"carrier": "UPS", "tracking_number": parcel.tracking_number, "occurred_at": iso(30), "code": "I",
             "text": "Departed from Facility", "location": "Ontario, CA, US"},
            {"carrier": "UPS", "tracking_number": parcel.tracking_number, "occurred_at": iso(2), "code": "X",
             "text": "Held by customs: awaiting clearance"},
            {"carrier": "UPS", "tracking_number": parcel.tracking_number, "occurred_at": iso(30), "code": "I",
             "text": "Departed from Facility"},
            {"carrier": "UPS", "tracking_number": "1ZUNKNOWN", "occurred_at": iso(1), "code": "D", "text": "DELIVERED"},
        ]
    }  # fmt: skip

    response = staff.post("/api/v1/tracking-events/", body, format="json")

    assert response.status_code == 200
    answer = response.json()
    assert answer["counts"] == {"applied": 2, "duplicate": 1, "kept": 1}
    assert [r["outcome"] for r in answer["results"]] == ["applied", "applied", "duplicate", "kept"]
    assert answer["results"][1]["status"] == "exception"
    assert answer["results"][3]["reason_code"] == "tracking_unknown"
    assert answer["results"][0]["parcel"] == {"id": str(parcel.pk), "code": parcel.number}
    assert TrackingEvent.objects.filter(parcel=parcel).count() == 2
    assert TrackingAlert.objects.get(parcel=parcel).kind == "customs_hold"


def test_scans_of_one_tracking_number(world, parcel):
    response = client_for(world.operator).post(
        f"/api/v1/tracking/ups/{parcel.tracking_number}/events/",
        {
            "events": [
                {"occurred_at": iso(1), "code": "D", "text": "DELIVERED", "location": "Pasadena, CA, US"}
            ]
        },
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["results"][0]["status"] == "delivered"
    parcel.refresh_from_db()
    assert parcel.tracking_status == "delivered" and parcel.delivered_at is not None


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "events"), ({"events": []}, "events"), ({"events": ["x"]}, "events[0]"), ([1, 2], "events")],
)
def test_a_body_that_is_not_a_list_of_scans_is_a_problem_and_writes_nothing(world, parcel, body, field):
    response = client_for(world.operator).post("/api/v1/tracking-events/", body, format="json")

    assert response.status_code == 400
    problem = response.json()
    assert problem["code"] == "tracking.input_invalid"
    assert not TrackingMessage.objects.exists() and not TrackingEvent.objects.exists()


def test_sellers_and_viewers_may_not_post_scans(world, parcel):
    body = {"events": [{"carrier": "UPS", "tracking_number": parcel.tracking_number, "occurred_at": iso(1),
                        "code": "D", "text": "DELIVERED"}]}  # fmt: skip

    assert client_for(world.seller).post("/api/v1/tracking-events/", body, format="json").status_code == 403
    assert (
        client_for(world.operator, "billing")
        .post("/api/v1/tracking-events/", body, format="json")
        .status_code
        == 403
    )
    assert not TrackingEvent.objects.exists()


def test_both_parties_read_the_timeline_and_strangers_get_404(world, parcel):
    client = client_for(world.operator)
    client.post(
        "/api/v1/tracking-events/",
        {"events": [
            {"carrier": "UPS", "tracking_number": parcel.tracking_number, "occurred_at": iso(20), "code": "I",
             "text": "Arrived at Facility", "location": "Ontario, CA, US"},
            {"carrier": "UPS", "tracking_number": parcel.tracking_number, "occurred_at": iso(2), "code": "I",
             "text": "Out For Delivery Today"},
        ]},
        format="json",
    )  # fmt: skip

    seller_view = client_for(world.seller).get(f"/api/v1/parcels/{parcel.pk}/tracking/").json()
    operator_view = client.get(f"/api/v1/parcels/{parcel.pk}/tracking/").json()

    assert seller_view == operator_view
    assert seller_view["status"] == "out_for_delivery"
    assert seller_view["tracking_url"] == f"https://track.example/{parcel.tracking_number}"
    assert [(e["status"], e["raw_code"], e["raw_text"]) for e in seller_view["events"]] == [
        ("out_for_delivery", "I", "Out For Delivery Today"),
        ("in_transit", "I", "Arrived at Facility"),
    ]
    stranger = make_fulfilment_world(stock=0)
    for party in (stranger.seller, stranger.operator):
        assert client_for(party).get(f"/api/v1/parcels/{parcel.pk}/tracking/").status_code == 404


def test_alerts_are_listed_to_both_and_resolved_by_the_operator_only(world, parcel):
    operator = client_for(world.operator, "warehouse_staff")
    operator.post(
        "/api/v1/tracking-events/",
        {"events": [{"carrier": "UPS", "tracking_number": parcel.tracking_number, "occurred_at": iso(3), "code": "X",
                     "text": "Damaged in transit"}]},
        format="json",
    )  # fmt: skip
    seller = client_for(world.seller)

    [listed] = seller.get("/api/v1/tracking-alerts/").json()["results"]
    assert (listed["kind"], listed["parcel"]["tracking_number"]) == ("exception", parcel.tracking_number)
    assert (
        seller.post(f"/api/v1/tracking-alerts/{listed['id']}/resolve/", {}, format="json").status_code == 403
    )

    done = operator.post(
        f"/api/v1/tracking-alerts/{listed['id']}/resolve/", {"note": "claim filed"}, format="json"
    )

    assert done.status_code == 200 and done.json()["resolved_at"] is not None
    assert operator.get("/api/v1/tracking-alerts/").json()["results"] == []
    assert len(operator.get("/api/v1/tracking-alerts/", {"state": "resolved"}).json()["results"]) == 1
    again = operator.post(f"/api/v1/tracking-alerts/{listed['id']}/resolve/", {}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "tracking.alert_resolved"
    assert operator.get("/api/v1/tracking-alerts/", {"kind": "late"}).status_code == 400
    assert (
        client_for(make_fulfilment_world(stock=0).operator).get("/api/v1/tracking-alerts/").json()["results"]
        == []
    )


def test_kept_messages_are_listed_to_the_operator(world, parcel):
    client = client_for(world.operator)
    client.post(
        "/api/v1/tracking-events/",
        {"events": [{"carrier": "Pony", "tracking_number": "P1", "occurred_at": iso(1), "text": "Arrived"}]},
        format="json",
    )

    [message] = client.get("/api/v1/tracking-messages/").json()["results"]

    assert (message["reason_code"], message["tracking_number"], message["payload"]["text"]) == (
        "carrier_unknown", "P1", "Arrived",
    )  # fmt: skip
    assert client_for(world.seller).get("/api/v1/tracking-messages/").status_code == 403


# --- the carrier's webhook ----------------------------------------------------------------------------------


def issue_secret(world, carrier="ups", **extra):
    response = client_for(world.operator).post(
        "/api/v1/tracking-webhook-secrets/", {"carrier_code": carrier, **extra}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()


def signed_post(url, body: bytes, secret: str, *, timestamp: int | None = None, signature: str | None = None):
    ts = int(time.time()) if timestamp is None else timestamp
    return APIClient().post(
        url,
        data=body,
        content_type="application/json",
        HTTP_HAICANG_TIMESTAMP=str(ts),
        HTTP_HAICANG_SIGNATURE=signature or signature_header(secrets=[secret], timestamp=ts, body=body),
    )


def scans_body(parcel, *texts: str) -> bytes:
    events = [
        {"tracking_number": parcel.tracking_number, "occurred_at": iso(5 - i), "code": "I", "text": text}
        for i, text in enumerate(texts)
    ]
    return json.dumps({"events": events}).encode()


def test_a_signed_webhook_is_applied(world, parcel):
    issued = issue_secret(world)
    assert issued["secret"].startswith("trksec_")
    assert issued["url"].endswith(f"/api/v1/tracking-webhooks/{world.operator.pk}/ups/")

    response = signed_post(
        issued["url"], scans_body(parcel, "Arrived at Facility", "Out For Delivery Today"), issued["secret"]
    )

    assert response.status_code == 200, response.content
    assert response.json()["counts"] == {"applied": 2, "duplicate": 0, "kept": 0}
    assert set(TrackingEvent.objects.filter(parcel=parcel).values_list("source", flat=True)) == {"webhook"}
    parcel.refresh_from_db()
    assert parcel.tracking_status == "out_for_delivery"


@pytest.mark.parametrize(
    "tamper", ["wrong secret", "body changed", "stale timestamp", "no header", "other carrier"]
)
def test_a_webhook_with_a_bad_signature_is_refused_and_changes_nothing(world, parcel, tamper):
    issued = issue_secret(world)
    body = scans_body(parcel, "Arrived at Facility")
    url, secret, ts, signature = issued["url"], issued["secret"], None, None
    if tamper == "wrong secret":
        secret = "trksec_not-the-secret"
    elif tamper == "body changed":
        signature = signature_header(secrets=[secret], timestamp=int(time.time()), body=body + b" ")
    elif tamper == "stale timestamp":
        ts = int(time.time()) - 600
    elif tamper == "no header":
        signature = "none"
    elif tamper == "other carrier":  # fedex has no secret issued
        url = url.replace("/ups/", "/fedex/")

    response = signed_post(url, body, secret, timestamp=ts, signature=signature)

    assert response.status_code == 401
    assert response.json()["code"] == "tracking.webhook_rejected"
    assert not TrackingEvent.objects.exists() and not TrackingMessage.objects.exists()


def test_after_a_rotation_both_secrets_sign_until_the_old_one_expires(world, parcel):
    first = issue_secret(world)
    second = issue_secret(world, keep_old_until=(timezone.now() + dt.timedelta(hours=1)).isoformat())

    assert second["secret"] != first["secret"] and TrackingWebhookSecret.objects.count() == 1
    assert (
        signed_post(first["url"], scans_body(parcel, "Arrived at Facility"), first["secret"]).status_code
        == 200
    )
    assert (
        signed_post(first["url"], scans_body(parcel, "Departed from Facility"), second["secret"]).status_code
        == 200
    )

    issue_secret(world, keep_old_until=timezone.now().isoformat())  # retire the second at once
    assert (
        signed_post(first["url"], scans_body(parcel, "Out For Delivery Today"), second["secret"]).status_code
        == 401
    )


def test_a_signed_body_that_is_not_scans_is_kept_and_answered_400(world, parcel):
    issued = issue_secret(world)

    response = signed_post(issued["url"], b'{"hello": "world"', issued["secret"])

    assert response.status_code == 400
    [message] = TrackingMessage.objects.all()
    assert (message.source, message.reason_code, message.payload["body"]) == (
        "webhook",
        "payload_invalid",
        '{"hello": "world"',
    )


def test_webhook_secrets_are_managed_with_integration_write_and_never_listed_in_clear(world):
    issued = issue_secret(world, carrier="Royal Mail")
    assert issued["carrier_code"] == "royal_mail"

    owner = client_for(world.operator)
    [listed] = owner.get("/api/v1/tracking-webhook-secrets/").json()["results"]
    assert "secret" not in listed and listed["carrier_code"] == "royal_mail"
    staff = client_for(world.operator, "warehouse_staff")
    assert (
        staff.post("/api/v1/tracking-webhook-secrets/", {"carrier_code": "ups"}, format="json").status_code
        == 403
    )
    unknown = owner.post("/api/v1/tracking-webhook-secrets/", {"carrier_code": "pony"}, format="json")
    assert unknown.status_code == 400 and unknown.json()["code"] == "tracking.carrier_unknown"
    row = TrackingWebhookSecret.objects.get()
    assert issued["secret"].encode() not in bytes(row.secret_sealed)

    assert owner.delete(f"/api/v1/tracking-webhook-secrets/{listed['id']}/").status_code == 204
    assert not TrackingWebhookSecret.objects.exists()
