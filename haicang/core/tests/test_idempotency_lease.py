"""The lease of an in-flight ``Idempotency-Key``: a request that crashed mid-flight does not block its key
forever; once the lease runs out a retry with the same key and body takes it over — exactly one retry."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from haicang.core.idempotency import (
    ClaimOutcome,
    StoredResponse,
    idempotency_claim,
    idempotency_complete,
    idempotency_lease,
    idempotency_release,
    request_fingerprint,
)
from haicang.core.models import IdempotencyRecord, IdempotencyState
from haicang.parties.models import ApiKey
from haicang.parties.tests.factories import make_member, make_seller

URL = "/api/v1/api-keys/"
BODY = {"name": "ERP sync", "scopes": ["party:read"]}
FINGERPRINT = request_fingerprint(
    method="POST", path=URL, body=json.dumps(BODY).encode(), content_type="application/json"
)


def _client(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def _crashed_claim(scope: str, key: str, *, seconds_ago: float, fingerprint: str = FINGERPRINT):
    """A claim made ``seconds_ago`` by a request that never finished (nor released its key)."""
    claim = idempotency_claim(
        scope=scope,
        key=key,
        method="POST",
        path=URL,
        fingerprint=fingerprint,
        now=timezone.now() - timedelta(seconds=seconds_ago),
    )
    assert claim.outcome == ClaimOutcome.CLAIMED and claim.record is not None
    return claim.record


@pytest.fixture
def seller(db):
    return make_seller(code="lumen")


@pytest.fixture
def owner(seller):
    return make_member(seller, "owner", username="olivia").user


@pytest.mark.django_db
def test_the_default_lease_is_sixty_seconds():
    assert idempotency_lease() == timedelta(seconds=60)


@pytest.mark.django_db
def test_within_its_lease_a_crashed_request_still_answers_409(owner, seller):
    # given a request that claimed the key 30 s ago and died
    _crashed_claim(f"user:{owner.pk}", "crash", seconds_ago=30)

    # when the client retries
    response = _client(owner).post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="crash")

    # then the key is still in flight
    assert response.status_code == 409
    assert ApiKey.objects.filter(seller=seller).count() == 0


@pytest.mark.django_db
def test_after_the_lease_a_retry_with_the_same_body_takes_the_key_over_and_its_answer_is_kept(owner, seller):
    # given a request that claimed the key 61 s ago and died
    crashed = _crashed_claim(f"user:{owner.pk}", "crash", seconds_ago=61)
    client = _client(owner)

    # when the client retries with the same key and body, and then once more
    retried = client.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="crash")
    again = client.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="crash")

    # then the retry ran (one key made), its answer is stored under a new claim and replayed after
    assert retried.status_code == 201 and "Idempotent-Replayed" not in retried
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == retried.json()
    assert ApiKey.objects.filter(seller=seller).count() == 1
    record = IdempotencyRecord.objects.get(key="crash")
    assert record.pk == crashed.pk and record.state == IdempotencyState.COMPLETED
    assert record.claim_token != crashed.claim_token


@pytest.mark.django_db
def test_after_the_lease_a_retry_with_another_body_still_answers_422(owner, seller):
    _crashed_claim(f"user:{owner.pk}", "crash", seconds_ago=3600)

    response = _client(owner).post(
        URL, {"name": "Other", "scopes": ["party:read"]}, format="json", HTTP_IDEMPOTENCY_KEY="crash"
    )

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency.key_reused"
    assert ApiKey.objects.filter(seller=seller).count() == 0


@pytest.mark.django_db
def test_the_lease_follows_the_setting(owner, settings):
    settings.HAICANG_IDEMPOTENCY_LEASE_SECONDS = 5
    _crashed_claim(f"user:{owner.pk}", "short", seconds_ago=6)

    claim = idempotency_claim(
        scope=f"user:{owner.pk}", key="short", method="POST", path=URL, fingerprint=FINGERPRINT
    )

    assert claim.outcome == ClaimOutcome.CLAIMED and claim.taken_over


@pytest.mark.django_db
def test_a_late_answer_of_the_first_request_neither_overwrites_nor_releases_the_new_claim(owner):
    # given a slow first request whose lease ran out, and a retry that took the key over
    first = _crashed_claim(f"user:{owner.pk}", "slow", seconds_ago=120)
    retry = idempotency_claim(
        scope=f"user:{owner.pk}", key="slow", method="POST", path=URL, fingerprint=FINGERPRINT
    )
    assert retry.outcome == ClaimOutcome.CLAIMED and retry.record is not None

    # when the first request finally answers, or fails and releases its key
    late = StoredResponse(status=201, content_type="application/json", location="", body=b'{"late":1}')
    stored_late = idempotency_complete(record=first, response=late)
    idempotency_release(record=first)

    # then nothing of it sticks: the retry's claim stands and its answer is the one stored
    assert stored_late is False
    record = IdempotencyRecord.objects.get(key="slow")
    assert record.state == IdempotencyState.IN_FLIGHT and record.claim_token == retry.record.claim_token
    mine = StoredResponse(status=201, content_type="application/json", location="", body=b'{"mine":1}')
    assert idempotency_complete(record=retry.record, response=mine) is True


@pytest.mark.django_db(transaction=True)
def test_of_twenty_concurrent_retries_after_the_lease_exactly_one_takes_the_key_over():
    threads = 20
    seller = make_seller(code="rush")
    owner = make_member(seller, "owner", username="olivia").user
    _crashed_claim(f"user:{owner.pk}", "rush-hour", seconds_ago=90)
    clients = [_client(owner) for _ in range(threads)]
    barrier = threading.Barrier(threads)

    def call(client: APIClient) -> tuple[int, dict[str, Any], str | None]:
        try:
            barrier.wait(timeout=30)
            response = client.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="rush-hour")
            return response.status_code, response.json(), response.get("Idempotent-Replayed")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = [future.result(timeout=120) for future in [pool.submit(call, c) for c in clients]]

    assert ApiKey.objects.filter(seller=seller).count() == 1
    created = [body for status, body, replayed in results if status == 201 and replayed is None]
    others = [status for status, _body, replayed in results if not (status == 201 and replayed is None)]
    assert len(created) == 1
    assert set(others) <= {201, 409}
    assert IdempotencyRecord.objects.get(key="rush-hour").state == IdempotencyState.COMPLETED
