"""End to end through the REST API only: a seller's order is ingested (routing reserves its stock) and released;
the operator accepts it, plans and releases a wave, picks (one wrong scan refused and kept), packs in the
suggested box with the measured weight, rate-shops, buys the label (PDF and ZPL), ships; the carrier's scans
arrive by API and by the signed webhook up to delivered. Every step checks the statuses of the order, the
request, the outbound and the parcel, the stock ledger, the events each party receives and what each party
may read — the customer's personal data never reaches the operator beyond what the agreement shares."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import json
import time
from collections import Counter
from typing import Any

import jsonschema
import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from haicang.core.audit import audit_entries, audit_entries_for
from haicang.fulfillment.carriers.formats import tracking_number_valid
from haicang.fulfillment.models import Parcel, PickList, PickScan
from haicang.fulfillment.tests.factories import api_key_client, make_fulfilment_world
from haicang.integration.catalogue import ENVELOPE_SCHEMA, event_type_get
from haicang.inventory.models import Balance, Move, Reservation
from haicang.inventory.verify import ledger_verify
from haicang.network.models import LocationKind
from haicang.orders.tests.factories import CUSTOMER

pytestmark = pytest.mark.django_db
API = "/api/v1"
NOTE = "Leave it behind the blue gate, code 4711"


class RecordingClient(APIClient):
    """An API client that keeps every answer it got, to look for personal data in them afterwards."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.answers: list[tuple[str, str, Any]] = []

    def request(self, **kwargs: Any) -> Any:
        response = super().request(**kwargs)
        self.answers.append((kwargs.get("REQUEST_METHOD", ""), kwargs.get("PATH_INFO", ""), response))
        return response


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, (response.status_code, response.content[:600])
    return response.json()


def on_hand(world: Any, sku_key: str, location: Any) -> int:
    rows = Balance.objects.filter(owner=world.seller, sku=world.skus[sku_key], location=location)
    return sum(rows.values_list("quantity", flat=True))


@pytest.fixture
def relay(monkeypatch):
    """Run the webhook relay for real, with the network call replaced: every POST is kept per URL."""
    from haicang.integration import relay as relay_module

    sent: dict[str, list[dict[str, Any]]] = {}

    def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str, str]:
        sent.setdefault(url, []).append(json.loads(body))
        return 200, "ok", ""

    monkeypatch.setattr(relay_module, "http_post", post)

    def run() -> dict[str, list[dict[str, Any]]]:
        relay_module.relay_run(limit=500)
        return sent

    return run


def _subscribe(client: APIClient, url: str, *event_types: str) -> None:
    ok(
        client.post(
            f"{API}/webhook-subscriptions/", {"url": url, "event_types": list(event_types)}, format="json"
        ),
        201,
    )


def _received(sent: dict[str, list[dict[str, Any]]], url: str, event_type: str) -> list[dict[str, Any]]:
    envelopes = [e for e in sent.get(url, []) if e["type"] == event_type]
    for envelope in envelopes:  # every body follows the envelope and the event type's schema
        jsonschema.validate(envelope, ENVELOPE_SCHEMA)
        catalogued = event_type_get(event_type)
        assert catalogued is not None, event_type
        jsonschema.validate(envelope["data"], catalogued.data_schema)
    return envelopes


def _signed(secret: str, body: bytes) -> dict[str, Any]:
    timestamp = str(int(time.time()))
    signature = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return {"HTTP_HAICANG_TIMESTAMP": timestamp, "HTTP_HAICANG_SIGNATURE": f"v1={signature}"}


def _iso(value: dt.datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def test_a_request_travels_from_release_to_delivered_through_the_api(relay):
    # given: a US warehouse with T-shirts in a pick bin and a bulk bin, mugs in another pick bin, three carriers
    # with rate cards and a box catalogue; a seller under an agreement sharing neither phone nor e-mail; one
    # machine (API key) of each party, and each party subscribed to the events it cares about
    world = make_fulfilment_world()
    seller = api_key_client(world.seller, "orders:write", "fulfillment:read", "integration:write")
    operator = api_key_client(
        world.operator, "fulfillment:write", "integration:write", client_class=RecordingClient
    )
    seller_hook, operator_hook = "https://seller.example/hooks", "https://operator.example/hooks"
    _subscribe(
        seller,
        seller_hook,
        "fulfillment_request.changed",
        "parcel.shipped",
        "outbound.shipped",
        "tracking.updated",
    )
    _subscribe(operator, operator_hook, "fulfillment_request.changed", "parcel.shipped", "tracking.updated")
    tee, mug = world.skus["TEE"], world.skus["MUG"]
    bins = world.bins
    before = {
        (key, code): on_hand(world, key, bins[code])
        for key, code in (("TEE", "A1"), ("TEE", "B1"), ("MUG", "A2"))
    }

    # --- 1. the seller posts the order: routing reserves its stock at the warehouse ---------------------------------
    order = ok(
        seller.post(
            f"{API}/orders/",
            {
                "channel_account": str(world.account.pk),
                "external_id": "FLOW-1001",
                "display_ref": "#1001",
                "placed_at": _iso(timezone.now() - dt.timedelta(minutes=5)),
                "status": "unshipped",
                "currency": "USD",
                "shipping_charged": "4.99",
                "service_level": "Standard",
                "ship_to": {
                    "country": "US",
                    "postcode": "97477",
                    "city": "Springfield",
                    "region": "OR",
                    "name": CUSTOMER["name"],
                    "company": CUSTOMER["company"],
                    "street_lines": list(CUSTOMER["street_lines"]),
                    "phone": CUSTOMER["phone"],
                    "email": CUSTOMER["email"],
                },
                "buyer_note": NOTE,
                "lines": [
                    {
                        "channel_sku": world.channel_skus["TEE"],
                        "channel_line_id": "1",
                        "quantity": 2,
                        "unit_price": "19.99",
                    },
                    {
                        "channel_sku": world.channel_skus["MUG"],
                        "channel_line_id": "2",
                        "quantity": 1,
                        "unit_price": "12.50",
                    },
                ],
            },
            format="json",
        ),
        201,
    )
    assert order["outcome"] == "created"
    order_url = f"{API}/orders/{order['id']}/"
    detail = ok(seller.get(order_url))
    assert (detail["status"], detail["allocation_status"]) == ("unshipped", "allocated")
    assert detail["routing"]["outcome"] == "single" and detail["routing"]["warehouses"] == [
        world.warehouse.code
    ]
    reservations = {
        line["sku_code"]: Reservation.objects.get(pk=line["reservation"]) for line in detail["lines"]
    }
    assert {code: (r.open_quantity, r.status) for code, r in reservations.items()} == {
        tee.code: (2, "open"),
        mug.code: (1, "open"),
    }

    # --- 2. … and releases it to the warehouse: a fulfillment request, submitted --------------------------------
    released = ok(
        seller.post(f"{order_url}release/", {"warehouse": world.warehouse.code}, format="json"), 201
    )
    request_id, number = released["id"], released["number"]
    assert (released["status"], released["pii"], released["ship_to"]["name"]) == (
        "submitted",
        "masked",
        "•••",
    )
    again = seller.post(f"{order_url}release/", {"warehouse": world.warehouse.code}, format="json")
    assert (again.status_code, again.json()["code"]) == (400, "fulfillment.lines_invalid")

    def states() -> tuple[Any, ...]:
        """Order (channel status, allocation), request, outbound, parcels, their tracking — as the API tells."""
        order_now = ok(seller.get(order_url))
        request_status = ok(seller.get(f"{API}/fulfillment-requests/{request_id}/"))["status"]
        found = ok(operator.get(f"{API}/outbounds/?number={number}"))["results"]
        parcels = ok(operator.get(f"{API}/parcels/?outbound={found[0]['id']}"))["results"] if found else []
        return (
            order_now["status"],
            order_now["allocation_status"],
            request_status,
            found[0]["status"] if found else None,
            [p["status"] for p in parcels],
            [ok(seller.get(f"{API}/parcels/{p['id']}/tracking/"))["status"] for p in parcels],
        )

    assert states() == ("unshipped", "allocated", "submitted", None, [], [])

    # --- 3. the operator accepts it: an outbound waits for a wave ------------------------------------------------------
    queues = ok(operator.get(f"{API}/outbounds/queues/?warehouse={world.warehouse.pk}"))
    assert (queues["to_accept"], queues["to_wave"]) == (1, 0)
    accepted = ok(operator.post(f"{API}/outbound-requests/{request_id}/accept/"))
    assert (accepted["status"], accepted["pii"]) == ("accepted", "masked")
    [outbound] = ok(operator.get(f"{API}/outbounds/?number={number}"))["results"]
    outbound_url = f"{API}/outbounds/{outbound['id']}/"
    assert (outbound["status"], outbound["units"], outbound["lines"]) == ("to_wave", 3, 2)
    # the operator reads the ship-to the agreement shares — name and street, never the phone or e-mail
    shared = ok(operator.get(f"{API}/fulfillment-requests/{request_id}/"))
    assert shared["pii"] == "clear" and shared["ship_to"]["name"] == CUSTOMER["name"]
    assert not {"phone", "email"} & set(shared["ship_to"])
    assert states() == ("unshipped", "allocated", "accepted", "to_wave", [], [])
    assert [row["action"] for row in audit_entries_for(subject=_request(request_id)).values("action")].count(
        "fulfillment_request.contact_read"
    ) == 1

    # --- 4. plans a wave and releases it: one pick list; the request is in progress -------------------------------------
    [wave] = ok(
        operator.post(f"{API}/waves/plan/", {"warehouse": str(world.warehouse.pk)}, format="json"), 201
    )
    assert (wave["status"], wave["request_count"], wave["unit_count"]) == ("planned", 1, 3)
    assert ok(operator.get(outbound_url))["planned_service"]["code"] == "UPS-GROUND"
    assert states() == ("unshipped", "allocated", "accepted", "waved", [], [])
    wave = ok(operator.post(f"{API}/waves/{wave['id']}/release/", {}, format="json"))
    assert wave["status"] == "released"
    [summary] = wave["pick_lists"]
    assert states() == ("unshipped", "allocated", "in_progress", "picking", [], [])

    # --- 5. picks every stop, one wrong item refused and kept; picking moves no stock ---------------------------------
    list_url = f"{API}/pick-lists/{summary['id']}/"
    started = ok(operator.post(f"{list_url}start/", {"assignee": "picker-7"}, format="json"))
    assert (started["status"], started["assignee"]) == ("in_progress", "picker-7")
    tasks = started["tasks"]
    assert sorted((t["sku"]["code"], t["quantity"]) for t in tasks) == sorted([(tee.code, 2), (mug.code, 1)])
    picked_from = {t["sku"]["code"]: t["location"]["code"] for t in tasks}
    barcodes = {tee.code: f"BC-{tee.code}", mug.code: f"BC-{mug.code}"}
    first = started["next_task"]
    wrong_code = mug.code if first["sku"]["code"] == tee.code else tee.code
    wrong = ok(
        operator.post(
            f"{list_url}scans/",
            {"bin_code": first["location"]["code"], "barcode": barcodes[wrong_code], "quantity": 1},
            format="json",
        ),
        201,
    )
    assert (wrong["result"], wrong["reason_code"]) == ("refused", "pick.wrong_item")
    assert ok(operator.get(list_url))["next_task"]["picked_quantity"] == 0
    while (task := ok(operator.get(list_url))["next_task"]) is not None:
        bin_scan = ok(
            operator.post(f"{list_url}scans/", {"bin_code": task["location"]["code"]}, format="json"), 201
        )
        assert bin_scan["result"] == "accepted"
        item = ok(
            operator.post(
                f"{list_url}scans/",
                {
                    "bin_code": task["location"]["code"].lower(),  # the case of a scanned bin does not matter
                    "barcode": barcodes[task["sku"]["code"]],
                    "quantity": task["quantity"] - task["picked_quantity"],
                },
                format="json",
            ),
            201,
        )
        assert item["result"] == "accepted", item
    assert ok(operator.get(list_url))["status"] == "done"
    assert ok(operator.get(f"{API}/waves/{wave['id']}/"))["status"] == "done"
    assert states() == ("unshipped", "allocated", "in_progress", "picked", [], [])
    refused = PickScan.objects.get(pick_list_id=summary["id"], result="refused")
    assert (refused.reason_code, refused.barcode) == ("pick.wrong_item", barcodes[wrong_code])
    assert "pick.scan_refused" in audit_entries_for(subject=refused.pick_list).values_list(
        "action", flat=True
    )
    assert {key: on_hand(world, key[0], bins[key[1]]) for key in before} == before

    # --- 6. packs in the suggested box with the measured weight: rate-shopped at once --------------------------------
    to_pack = ok(operator.get(f"{outbound_url}pack/"))
    assert sorted((i["sku"]["code"], i["quantity"]) for i in to_pack["items"]) == sorted(
        [(tee.code, 2), (mug.code, 1)]
    )
    box = to_pack["suggestion"]["box"]["code"]
    assert box == "M" and to_pack["items_weight_g"] == 760
    parcel = ok(operator.post(f"{outbound_url}pack/", {"weight_g": 985, "box_type": box}, format="json"), 201)
    parcel_url = f"{API}/parcels/{parcel['id']}/"
    assert (parcel["status"], parcel["box_type"]["code"], parcel["weight_g"]) == ("packed", "M", 985)
    assert parcel["rate"] == {"amount": "7.10", "currency": "USD"}
    assert parcel["rate_reason"].startswith("UPS Ground $7.10, 3 d — cheapest meeting Standard")
    assert states() == ("unshipped", "allocated", "in_progress", "packed", ["packed"], ["pending"])
    rates = ok(operator.get(f"{parcel_url}rates/"))
    assert rates["chosen"]["code"] == "UPS-GROUND" and not rates["late"]

    # --- 7. buys the label: a UPS tracking number; the PDF and the ZPL download ---------------------------------------
    labelled = ok(operator.post(f"{parcel_url}label/"), 201)
    tracking = labelled["tracking_number"]
    assert labelled["status"] == "labelled" and tracking_number_valid("ups", tracking)
    pdf = operator.get(labelled["label"]["pdf"])
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    assert pdf.content.startswith(b"%PDF")
    zpl = operator.get(labelled["label"]["zpl"])
    assert zpl.status_code == 200 and zpl.content.startswith(b"^XA") and tracking.encode() in zpl.content
    assert CUSTOMER["name"].encode() in zpl.content  # the label is what the agreement shares it for
    assert states() == ("unshipped", "allocated", "in_progress", "packed", ["labelled"], ["pending"])
    # the seller's label carries its customer's name and address: only for a holder of orders:pii
    denied = seller.get(labelled["label"]["pdf"])
    assert (denied.status_code, denied.json()["code"]) == (403, "access.denied")
    privileged = api_key_client(world.seller, "fulfillment:read", "orders:pii")
    assert privileged.get(labelled["label"]["pdf"]).content.startswith(b"%PDF")

    # --- 8. ships: the stock leaves the picked bins for the customer, the reservation is used up --------------------
    shipped = ok(operator.post(f"{outbound_url}ship/"))
    assert [p["status"] for p in shipped] == ["shipped"]
    twice = operator.post(f"{outbound_url}ship/")
    assert (twice.status_code, twice.json()["code"]) == (409, "ship.already_shipped")
    # the order keeps the channel's status: the seller pushes the tracking number to the channel
    assert states() == ("unshipped", "allocated", "shipped", "shipped", ["shipped"], ["pending"])
    request_now = ok(seller.get(f"{API}/fulfillment-requests/{request_id}/"))
    assert (request_now["status"], request_now["carrier"], request_now["tracking_numbers"]) == (
        "shipped",
        "UPS",
        [tracking],
    )
    moves = Move.objects.filter(document_ref=number, to_location__kind=LocationKind.CUSTOMER)
    assert sorted((m.sku.code, m.from_location.code, m.quantity) for m in moves) == sorted(
        [(tee.code, picked_from[tee.code], 2), (mug.code, picked_from[mug.code], 1)]
    )
    code_of = {"A-01-01-1-1": "A1", "A-01-02-1-1": "A2", "B-01-01-1-1": "B1"}
    expected = dict(before)
    expected[("TEE", code_of[picked_from[tee.code]])] -= 2
    expected[("MUG", code_of[picked_from[mug.code]])] -= 1
    assert {key: on_hand(world, key[0], bins[key[1]]) for key in before} == expected
    for reservation in reservations.values():
        reservation.refresh_from_db()
        assert (reservation.status, reservation.open_quantity) == ("closed", 0)
    assert (reservations[tee.code].consumed_quantity, reservations[mug.code].consumed_quantity) == (2, 1)
    queues = ok(operator.get(f"{API}/outbounds/queues/?warehouse={world.warehouse.pk}"))
    assert not any(v for k, v in queues.items() if k != "countdowns"), queues  # nothing waits any more
    assert ledger_verify() == []
    out = io.StringIO()
    call_command("verify", stdout=out)
    assert "every invariant holds" in out.getvalue()

    # the seller hears of it with the tracking number to push to the channel; the operator too
    sent = relay()
    [parcel_shipped] = _received(sent, seller_hook, "parcel.shipped")
    assert parcel_shipped["data"]["tracking_number"] == tracking
    assert parcel_shipped["data"]["carrier"]["code"] == "UPS"
    assert parcel_shipped["data"]["tracking_url"] == f"https://track.example/{tracking}"
    [outbound_shipped] = _received(sent, seller_hook, "outbound.shipped")
    assert outbound_shipped["data"]["tracking_numbers"] == [tracking]
    # one change per step (released, accepted, started, shipped), rendered when delivered: the status now
    changes = _received(sent, seller_hook, "fulfillment_request.changed")
    assert [e["subject"]["version"] for e in changes] == [1, 2, 3, 4]
    assert {(e["data"]["request"]["number"], e["data"]["status"]) for e in changes} == {(number, "shipped")}
    assert len(_received(sent, operator_hook, "fulfillment_request.changed")) == 4
    assert len(_received(sent, operator_hook, "parcel.shipped")) == 1
    assert _received(sent, operator_hook, "outbound.shipped") == []  # not subscribed

    # --- 9. the carrier's scans: two by API, one by the signed webhook, delivered by API --------------------------
    t0 = timezone.now().replace(microsecond=0)
    scans = ok(
        operator.post(
            f"{API}/tracking/UPS/{tracking}/events/",
            {
                "events": [
                    {
                        "occurred_at": _iso(t0 + dt.timedelta(minutes=1)),
                        "code": "M",
                        "text": "Shipper created a label",
                    },
                    {
                        "occurred_at": _iso(t0 + dt.timedelta(minutes=20)),
                        "code": "P",
                        "text": "Pickup Scan",
                        "location": "Los Angeles, CA, US",
                    },
                ]
            },
            format="json",
        )
    )
    assert scans["counts"] == {"applied": 2, "duplicate": 0, "kept": 0}
    assert scans["results"][-1]["status"] == "in_transit"
    assert states()[-2:] == (["shipped"], ["in_transit"])
    secret = ok(
        operator.post(f"{API}/tracking-webhook-secrets/", {"carrier_code": "UPS"}, format="json"), 201
    )
    body = json.dumps(
        {
            "tracking_number": tracking,
            "occurred_at": _iso(t0 + dt.timedelta(hours=2)),
            "code": "I",
            "text": "Out For Delivery Today",
            "location": "Springfield, OR, US",
        }
    ).encode()
    hook = APIClient().post(
        secret["url"], body, content_type="application/json", **_signed(secret["secret"], body)
    )
    assert hook.status_code == 200, hook.content
    assert hook.json()["results"][0]["status"] == "out_for_delivery"
    assert states()[-2:] == (["shipped"], ["out_for_delivery"])
    forged = APIClient().post(
        secret["url"], body, content_type="application/json", **_signed("trksec_nope", body)
    )
    assert (forged.status_code, forged.json()["code"]) == (401, "tracking.webhook_rejected")
    delivered_at = t0 + dt.timedelta(hours=3)
    delivered = ok(
        operator.post(
            f"{API}/tracking-events/",
            {
                "events": [
                    {
                        "carrier": "UPS",
                        "tracking_number": tracking,
                        "occurred_at": _iso(delivered_at),
                        "code": "D",
                        "text": "DELIVERED",
                        "location": "Front door",
                    },
                    {
                        "carrier": "UPS",
                        "tracking_number": tracking,
                        "occurred_at": _iso(t0 + dt.timedelta(minutes=20)),
                        "code": "P",
                        "text": "Pickup  scan",
                    },  # a replay
                ]
            },
            format="json",
        )
    )
    assert delivered["counts"] == {"applied": 1, "duplicate": 1, "kept": 0}
    row = Parcel.objects.get(pk=parcel["id"])
    assert (row.status, row.tracking_status, row.delivered_at) == ("shipped", "delivered", delivered_at)
    assert states() == ("unshipped", "allocated", "shipped", "shipped", ["shipped"], ["delivered"])

    # the seller reads the parcel's timeline, newest first, with the carrier's raw codes
    timeline = ok(seller.get(f"{parcel_url}tracking/"))
    assert (timeline["status"], timeline["tracking_number"], timeline["carrier"]["code"]) == (
        "delivered",
        tracking,
        "UPS",
    )
    assert [(e["status"], e["raw_code"], e["source"]) for e in timeline["events"]] == [
        ("delivered", "D", "api"),
        ("out_for_delivery", "I", "webhook"),
        ("in_transit", "P", "api"),
        ("info_received", "M", "api"),
    ]
    assert timeline["alerts"] == []
    # … and its parcel, without the operator's cost, but never the warehouse's waves or pick lists
    [seen] = ok(seller.get(f"{API}/parcels/"))["results"]
    assert seen["tracking_number"] == tracking and not {"rate", "rate_reason", "packed_by"} & set(seen)
    assert ok(seller.get(f"{API}/waves/"))["count"] == 0
    assert ok(seller.get(f"{API}/pick-lists/"))["count"] == 0
    assert seller.get(f"{API}/waves/{wave['id']}/").status_code == 404
    assert seller.get(list_url).status_code == 404
    assert not {"wave", "pick_mode", "sort_slot", "zone", "planned_cost"} & set(ok(seller.get(outbound_url)))

    # both parties heard of every scan that changed the timeline, the last one delivered
    sent = relay()
    for url in (seller_hook, operator_hook):
        updates = _received(sent, url, "tracking.updated")
        assert len(updates) == 4, url
        assert updates[-1]["data"]["status"] == "delivered"
        assert {u["subject"]["id"] for u in updates} == {parcel["id"]}
    assert PickList.objects.filter(pk=summary["id"], status="done").exists()

    # every step left its audit entry
    actions = Counter(audit_entries().values_list("action", flat=True))
    assert {
        "order.created", "order.routed", "stock.reserved", "fulfillment_request.created",
        "fulfillment_request.accepted", "outbound.created", "wave.planned", "wave.released",
        "fulfillment_request.started", "pick_list.started", "pick.scanned", "pick.scan_refused",
        "outbound.picked", "pick_list.done", "wave.done", "parcel.packed", "parcel.rated", "outbound.packed",
        "parcel.labelled", "parcel.label_read", "parcel.shipped", "stock.consumed", "fulfillment_request.shipped",
        "outbound.shipped", "tracking.webhook_secret_issued",
    } <= set(actions)  # fmt: skip
    assert (
        actions["pick.scan_refused"],
        actions["tracking.event_recorded"],
        actions["parcel.label_read"],
    ) == (
        1,
        4,
        3,
    )

    # --- 10. nothing the operator got carried the customer's data beyond what the agreement shares ---------------------
    never = [CUSTOMER["phone"], CUSTOMER["email"], NOTE, "+14155550173", "4155550173"]
    contact = [CUSTOMER["name"], CUSTOMER["company"], *CUSTOMER["street_lines"]]
    allowed = {
        f"{API}/fulfillment-requests/{request_id}/",
        labelled["label"]["pdf"],
        labelled["label"]["zpl"],
    }
    counted: Counter[str] = Counter()
    for method, path, response in operator.answers:
        text = response.content.decode("utf-8", errors="replace")
        counted[method] += 1
        for value in never:
            assert value not in text, (method, path, value)
        if path not in allowed:
            for value in contact:
                assert value not in text, (method, path, value)
    for envelopes in sent.values():
        for envelope in envelopes:
            text = json.dumps(envelope, ensure_ascii=False)
            assert not [v for v in never + contact if v in text], envelope["type"]
    assert counted["GET"] > 10 and counted["POST"] > 10


def _request(request_id: str) -> Any:
    from haicang.orders.models_fulfilment import FulfillmentRequest

    return FulfillmentRequest.objects.get(pk=request_id)
