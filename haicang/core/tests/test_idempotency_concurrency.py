"""Twenty concurrent requests with one ``Idempotency-Key`` create one object."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from haicang.core.models import IdempotencyRecord, IdempotencyState
from haicang.parties.models import ApiKey
from haicang.parties.tests.factories import make_member, make_seller

THREADS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_requests_with_one_key_create_one_object():
    seller = make_seller(code="rush")
    owner = make_member(seller, "owner", username="olivia").user
    clients = []
    for _ in range(THREADS):  # each thread its own client (and, below, its own connection)
        client = APIClient()
        client.force_login(owner)
        clients.append(client)
    barrier = threading.Barrier(THREADS)

    def call(client: APIClient) -> tuple[int, dict[str, Any], str | None]:
        try:
            barrier.wait(timeout=30)
            response = client.post(
                "/api/v1/api-keys/",
                {"name": "ERP sync", "scopes": ["party:read"]},
                format="json",
                HTTP_IDEMPOTENCY_KEY="rush-hour",
            )
            return response.status_code, response.json(), response.get("Idempotent-Replayed")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = [future.result(timeout=120) for future in [pool.submit(call, c) for c in clients]]

    assert ApiKey.objects.filter(seller=seller).count() == 1
    created = [body for status, body, replayed in results if status == 201 and replayed is None]
    replayed = [body for status, body, replayed in results if status == 201 and replayed == "true"]
    in_flight = [body for status, body, _ in results if status == 409]
    assert len(created) == 1
    assert len(created) + len(replayed) + len(in_flight) == THREADS
    assert all(body == created[0] for body in replayed)
    assert all(body["code"] == "idempotency.in_flight" for body in in_flight)
    record = IdempotencyRecord.objects.get(key="rush-hour")
    assert record.state == IdempotencyState.COMPLETED
