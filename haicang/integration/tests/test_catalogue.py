import jsonschema  # drf-spectacular's dependency
import pytest

from haicang.integration.catalogue import ENVELOPE_SCHEMA, event_types

REQUIRED = {
    "order.created",
    "order.changed",
    "order.cancelled",
    "stock.available_changed",
    "fulfillment_request.changed",
    "shipment.confirmed",
    "inbound.received",
    "return.received",
    "invoice.issued",
}


def test_the_catalogue_holds_every_event_the_issue_names():
    assert {event.name for event in event_types()} >= REQUIRED


@pytest.mark.parametrize("event", event_types(), ids=lambda e: e.name)
def test_every_example_follows_its_schema_inside_the_envelope(event):
    body = {
        "id": "01936f2e-7a40-7c1e-9a3b-5f0e1c2d3a4b",
        "type": event.name,
        "schema_version": event.schema_version,
        "occurred_at": "2026-03-02T15:04:05Z",
        "subject": {"type": event.subject_type, "id": "x", "version": 1},
        "data": event.example,
    }

    jsonschema.validate(body, ENVELOPE_SCHEMA)
    jsonschema.validate(event.example, event.data_schema)
