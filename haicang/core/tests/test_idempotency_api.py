"""``Idempotency-Key`` on mutating API calls: replay, reuse, in flight, per-caller scope, expiry, sealing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.test import APIClient

from haicang.core.api.idempotency import IdempotencyMiddleware
from haicang.core.idempotency import idempotency_claim, idempotency_expired_prune, request_fingerprint
from haicang.core.jobs.tasks import prune_expired_idempotency_records
from haicang.core.models import IdempotencyRecord, IdempotencyState
from haicang.parties.models import ApiKey
from haicang.parties.services import api_key_issue
from haicang.parties.tests.factories import SYSTEM, make_member, make_seller

pytestmark = pytest.mark.django_db

URL = "/api/v1/api-keys/"
BODY = {"name": "ERP sync", "scopes": ["party:read"]}


@pytest.fixture
def seller():
    return make_seller(code="lumen")


@pytest.fixture
def owner(seller):
    return make_member(seller, "owner", username="olivia").user


def _client(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def _post(client: APIClient, key: str, body: object = BODY):
    return client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_the_same_key_and_body_replays_the_stored_response_and_creates_one_object(owner, seller):
    client = _client(owner)

    first = _post(client, "order-42")
    # the same JSON with other key order and spacing is the same request
    again = client.post(
        URL,
        json.dumps({"scopes": ["party:read"], "name": "ERP sync"}, indent=2),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="order-42",
    )

    assert first.status_code == 201 and "Idempotent-Replayed" not in first
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again["Content-Type"] == first["Content-Type"]
    assert again.json() == first.json()
    assert ApiKey.objects.filter(seller=seller).count() == 1


def test_the_same_key_with_another_body_answers_422_and_changes_nothing(owner, seller):
    client = _client(owner)
    _post(client, "order-42")

    reused = _post(client, "order-42", {"name": "Other", "scopes": ["party:read"]})

    assert reused.status_code == 422
    assert reused["Content-Type"].startswith("application/problem+json")
    assert reused.json()["code"] == "idempotency.key_reused"
    assert ApiKey.objects.filter(seller=seller).count() == 1


def test_a_key_still_in_flight_answers_409(owner, seller):
    fingerprint = request_fingerprint(
        method="POST", path=URL, body=json.dumps(BODY).encode(), content_type="application/json"
    )
    idempotency_claim(scope=f"user:{owner.pk}", key="busy", method="POST", path=URL, fingerprint=fingerprint)

    response = _post(_client(owner), "busy")

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency.in_flight"
    assert ApiKey.objects.filter(seller=seller).count() == 0


def test_keys_are_scoped_per_caller_so_two_callers_never_collide(seller):
    olivia = _client(make_member(seller, "owner", username="olivia").user)
    oscar = _client(make_member(seller, "owner", username="oscar").user)

    first = _post(olivia, "same-key")
    second = _post(oscar, "same-key")

    assert first.status_code == second.status_code == 201
    assert "Idempotent-Replayed" not in second
    assert ApiKey.objects.filter(seller=seller).count() == 2


def test_an_api_key_caller_has_its_own_scope_named_after_the_key(seller):
    key, plaintext = api_key_issue(actor=SYSTEM, party=seller, name="machine", scopes=["api_keys:write"])
    machine = APIClient(HTTP_AUTHORIZATION=f"Bearer {plaintext}")

    first = _post(machine, "k1")
    again = _post(machine, "k1")

    assert first.status_code == 201, first.json()
    assert again["Idempotent-Replayed"] == "true"
    record = IdempotencyRecord.objects.get(key="k1")
    assert record.scope == f"parties.apikey:{key.pk}"
    assert ApiKey.objects.filter(seller=seller).count() == 2  # the caller's key and the one it issued


def test_an_expired_key_can_be_used_again(owner, seller):
    client = _client(owner)
    _post(client, "old-key")
    IdempotencyRecord.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    again = _post(client, "old-key", {"name": "New", "scopes": ["party:read"]})

    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert ApiKey.objects.filter(seller=seller).count() == 2


def test_records_are_kept_at_least_24_hours(owner):
    before = timezone.now()
    _post(_client(owner), "kept")

    record = IdempotencyRecord.objects.get(key="kept")
    assert record.state == IdempotencyState.COMPLETED
    assert record.expires_at >= before + timedelta(hours=24)


def test_the_stored_response_is_not_in_clear_in_the_database(owner):
    created = _post(_client(owner), "secret")
    plaintext_key = created.json()["key"]

    with connection.cursor() as cursor:
        cursor.execute("SELECT response_body FROM core_idempotencyrecord")
        (raw,) = cursor.fetchone()

    stored = bytes(raw)
    assert plaintext_key.encode() not in stored
    assert b"ERP sync" not in stored
    assert stored.startswith(b"1$") or b"$" in stored[:8]


def test_a_forbidden_call_is_not_stored_so_the_key_stays_usable(seller):
    viewer = _client(make_member(seller, "viewer", username="vera").user)

    refused = _post(viewer, "try")

    assert refused.status_code == 403
    assert not IdempotencyRecord.objects.exists()


def test_a_server_error_releases_the_key_so_the_client_may_retry(owner):
    def failing_view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("boom", status=503)

    request = RequestFactory().post(
        URL, data=b"{}", content_type="application/json", HTTP_IDEMPOTENCY_KEY="k"
    )
    request.user = owner

    response = IdempotencyMiddleware(failing_view)(request)

    assert response.status_code == 503
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.parametrize("bad_key", ["has space", "x" * 256, "ключ"])
def test_a_malformed_key_answers_400(owner, bad_key):
    response = _post(_client(owner), bad_key)

    assert response.status_code == 400
    assert response.json()["code"] == "idempotency.key_invalid"


def test_reads_and_calls_without_the_header_are_untouched(owner, seller):
    client = _client(owner)

    assert client.get(URL, HTTP_IDEMPOTENCY_KEY="read").status_code == 200
    assert client.post(URL, BODY, format="json").status_code == 201
    assert client.post(URL, BODY, format="json").status_code == 201
    assert not IdempotencyRecord.objects.exists()
    assert ApiKey.objects.filter(seller=seller).count() == 2


def test_the_prune_job_deletes_only_expired_records(owner):
    client = _client(owner)
    _post(client, "gone")
    _post(client, "kept", {"name": "Kept", "scopes": ["party:read"]})
    IdempotencyRecord.objects.filter(key="gone").update(expires_at=timezone.now() - timedelta(minutes=1))

    assert prune_expired_idempotency_records.call() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["kept"]
    assert idempotency_expired_prune() == 0


def test_the_schema_documents_the_header_and_its_answers_on_mutating_operations(admin_client):
    schema = admin_client.get("/api/schema/?format=json").json()

    post = schema["paths"]["/api/v1/api-keys/"]["post"]
    assert "Idempotency-Key" in {p["name"] for p in post["parameters"] if p["in"] == "header"}
    assert {"409", "422"} <= set(post["responses"])
    listing = schema["paths"]["/api/v1/api-keys/"]["get"]
    assert "Idempotency-Key" not in {p["name"] for p in listing.get("parameters", [])}
