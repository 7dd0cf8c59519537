"""A seeded customer's name, company, street, phone and e-mail appear nowhere in clear on disk — in the SQLite
database files (main and WAL, read as raw bytes; on PostgreSQL every table copied out as text), nor in the
stored files — after ingestion through the API (with an Idempotency-Key, whose answer is stored), an import of
a file and the delivery of the order events to a webhook receiver. A sealed value copied to another order does
not open."""

from __future__ import annotations

import io
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient

from haicang.core.crypto import UnsealError
from haicang.exchange.models import ImportJob, ImportStatus
from haicang.exchange.services import import_job_confirm, import_job_create
from haicang.integration.relay import relay_run
from haicang.integration.services import webhook_subscription_create
from haicang.integration.tests.conftest import receiver  # noqa: F401 - the fixture
from haicang.orders.contact import contact_open
from haicang.orders.models import Order
from haicang.orders.tests.factories import CUSTOMER, SYSTEM, make_order
from haicang.parties.tests.factories import make_member

pytestmark = pytest.mark.django_db(transaction=True)

IMPORTED = {
    "name": "Wenceslas Oyelaran-Brightwater",
    "street": "18 Quillfeather Mews",
    "phone": "+44 20 7946 0321",
    "email": "w.brightwater@example.net",
}


def _needles() -> list[bytes]:
    values = [
        CUSTOMER["name"],
        CUSTOMER["company"],
        *CUSTOMER["street_lines"],
        CUSTOMER["phone"],
        "+14155550173",  # the phone as stored (E.164), before sealing
        CUSTOMER["email"],
        "Leave it with the neighbour",
        *IMPORTED.values(),
        "+442079460321",
    ]
    out = []
    for value in values:
        out.append(value.encode())
        out.append(value.encode("utf-16-le"))  # in case something stores UTF-16
    return out


def _database_bytes() -> bytes:
    if connection.vendor == "sqlite":
        connection.close()  # nothing held in this process's buffers: read what is on disk
        path = Path(connection.settings_dict["NAME"])
        chunks = [p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists()]
        assert chunks and len(chunks[0]) > 0
        return b"".join(chunks)
    buffer = io.BytesIO()
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = [row[0] for row in cursor.fetchall()]
        raw = cursor.connection
        for table in tables:
            with raw.cursor().copy(f'COPY "{table}" TO STDOUT') as copy:
                for data in copy:
                    buffer.write(bytes(data))
    return buffer.getvalue()


def _stored_files_bytes() -> bytes:
    root = Path(settings.MEDIA_ROOT)
    return b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file()) if root.exists() else b""


def _import_csv(account) -> bytes:
    header = (
        "channel_account,external_id,placed_at,channel_sku,quantity,unit_price,ship_country,ship_postcode,"
        "ship_city,ship_name,ship_street1,ship_phone,ship_email\n"
    )
    row = (
        f"{account.name},IMP-1,2026-03-01T10:00:00Z,{{sku}},{{qty}},9.50,GB,SW1A 2AA,London,"
        f"{IMPORTED['name']},{IMPORTED['street']},{IMPORTED['phone']},{IMPORTED['email']}\n"
    )
    return (header + row.format(sku="TS-BLK-M", qty=1) + row.format(sku="MUG-RED", qty=2)).encode()


def _worker() -> None:
    call_command("worker", "--once", "--no-schedule", stdout=StringIO(), stderr=StringIO())


def test_customer_personal_data_is_nowhere_in_clear_after_ingestion_import_and_event_delivery(
    seller,
    account,
    sku,
    receiver,  # noqa: F811
):
    # given a webhook subscription of the seller to the order events
    webhook_subscription_create(
        actor=SYSTEM,
        party=seller,
        url=receiver.url,
        event_types=["order.created", "order.changed", "order.cancelled"],
    )
    owner = make_member(seller, "owner")
    client = APIClient()
    client.force_login(owner.user)

    # when an order comes in through the API (its answer stored for the Idempotency-Key) and is read back
    body = {
        "channel_account": str(account.pk),
        "external_id": "PII-1",
        "placed_at": "2026-03-02T14:15:27Z",
        "currency": "USD",
        "buyer_note": "Leave it with the neighbour at 744",
        "ship_to": {
            "country": "US",
            "postcode": "97477",
            "city": "Springfield",
            "name": CUSTOMER["name"],
            "company": CUSTOMER["company"],
            "street_lines": list(CUSTOMER["street_lines"]),
            "phone": CUSTOMER["phone"],
            "email": CUSTOMER["email"],
        },
        "lines": [{"channel_sku": "TS-BLK-M", "quantity": 2, "unit_price": "19.99"}],
    }
    created = client.post("/api/v1/orders/", body, format="json", HTTP_IDEMPOTENCY_KEY="pii-1")
    assert created.status_code == 201, created.content
    detail = client.get(f"/api/v1/orders/{created.json()['id']}/")
    assert detail.json()["ship_to"]["name"] == CUSTOMER["name"]  # the owner may read it (audited)
    assert client.get(f"/orders/{created.json()['id']}/?contact=show").status_code == 200
    # ... a second order through the service, then changed (a new seal of the same values)
    order = make_order(account, external_id="PII-2")
    make_order(account, external_id="PII-2", service_level="Express")
    # ... a file of orders is imported through the background jobs
    job = import_job_create(
        actor=SYSTEM, owner=seller, kind="orders", content=_import_csv(account), filename="orders.csv"
    )
    _worker()
    job = ImportJob.objects.get(pk=job.pk)
    assert job.status == ImportStatus.PREVIEWED, job.problems
    import_job_confirm(actor=SYSTEM, job=job)
    _worker()
    job = ImportJob.objects.get(pk=job.pk)
    assert job.status == ImportStatus.APPLIED and job.file_erased_at is not None
    imported = Order.objects.get(external_id="IMP-1")
    assert imported.lines.count() == 2 and contact_open(imported).name == IMPORTED["name"]
    # ... and the events are delivered
    report = relay_run()
    assert report.delivered >= 4 and len(receiver.received) >= 4

    # then no clear value is anywhere: database files, stored files, delivered bodies
    received = b"".join(r.body for r in receiver.received)
    on_disk = _database_bytes()
    files = _stored_files_bytes()
    for needle in _needles():
        assert needle not in on_disk, f"{needle!r} in the database"
        assert needle not in files, f"{needle!r} in the stored files"
        assert needle not in received, f"{needle!r} in a delivered event"
    assert contact_open(Order.objects.get(pk=order.pk)).email == CUSTOMER["email"]  # and it still opens


def test_a_sealed_value_copied_to_another_order_does_not_open(account, sku):
    first, second = make_order(account), make_order(account)

    Order.objects.filter(pk=second.pk).update(ship_name_sealed=first.ship_name_sealed)

    with pytest.raises(UnsealError):
        contact_open(Order.objects.get(pk=second.pk))
