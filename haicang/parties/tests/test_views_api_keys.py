"""The API keys page: list, issue (the key shown once), revoke."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from haicang.core.models import AuditEntry
from haicang.parties.access import api_key_authenticate
from haicang.parties.api_keys import key_digest
from haicang.parties.models import ApiKey
from haicang.parties.services import api_key_issue
from haicang.parties.tests.factories import SYSTEM, make_member, make_operator, make_seller

pytestmark = pytest.mark.django_db


def _found(pattern: str, text: str, flags: int = 0) -> re.Match[str]:
    match = re.search(pattern, text, flags)
    assert match is not None, f"{pattern!r} not found"
    return match


KEY = re.compile(r'value="(hc_[A-Za-z0-9]{8}_[^"]+)"')


@pytest.fixture
def seller():
    return make_seller(code="lumen")


@pytest.fixture
def owner_client(client, seller):
    client.force_login(make_member(seller, "owner", username="olivia").user)
    return client


def test_the_list_shows_name_prefix_scopes_expiry_use_and_revocation(owner_client, seller):
    live, _ = api_key_issue(actor=SYSTEM, party=seller, name="ERP sync", scopes=["catalog:write"])
    gone, _ = api_key_issue(actor=SYSTEM, party=seller, name="Old shop", scopes=["orders:read"])
    gone.revoked_at = timezone.now()
    gone.save()
    api_key_issue(actor=SYSTEM, party=make_seller(), name="Not ours", scopes=["orders:read"])

    html = owner_client.get("/parties/api-keys/").content.decode()

    assert "ERP sync" in html and live.prefix in html and "Catalogue: write" in html
    assert "Old shop" in html and "Revoked" in html and "Never used" in html
    assert "Not ours" not in html


def test_the_issue_form_offers_only_the_scopes_a_seller_can_hold(owner_client):
    html = owner_client.get("/parties/api-keys/new/").content.decode()

    assert 'value="catalog:write"' in html and 'value="orders:write"' in html
    assert 'value="network:write"' not in html and 'value="fulfillment:write"' not in html


def test_issuing_a_key_shows_it_once_and_stores_only_its_digest(owner_client, seller):
    response = owner_client.post(
        "/parties/api-keys/new/", {"name": "ERP sync", "scopes": ["catalog:read", "orders:write"]}
    )

    html = response.content.decode()
    assert response.status_code == 200 and "only time it is shown" in html
    assert response["Cache-Control"] == "no-store"
    plaintext = _found(KEY.pattern, html).group(1)
    key = ApiKey.objects.get(seller=seller)
    assert key.digest == key_digest(plaintext) and plaintext.startswith(key.prefix)
    assert (
        sorted(key.scopes) == ["catalog:read", "orders:write"]
        and key.created_by is not None
        and key.created_by.username == "olivia"
    )
    assert plaintext not in str(list(ApiKey.objects.values()))
    assert plaintext not in str(list(AuditEntry.objects.values("changes", "summary")))
    assert api_key_authenticate(plaintext) == key
    assert plaintext not in owner_client.get("/parties/api-keys/").content.decode()


def test_a_key_valid_until_a_date_expires_at_the_end_of_that_day(owner_client, seller):
    day = timezone.localdate() + dt.timedelta(days=30)

    owner_client.post(
        "/parties/api-keys/new/", {"name": "Trial", "scopes": ["orders:read"], "expires_on": day.isoformat()}
    )

    key = ApiKey.objects.get(seller=seller)
    assert timezone.localtime(key.expires_at).date() == day + dt.timedelta(days=1)
    assert timezone.localtime(key.expires_at).time() == dt.time(0)


def test_a_key_without_scopes_or_with_a_past_expiry_is_refused_in_the_form(owner_client, seller):
    no_scope = owner_client.post("/parties/api-keys/new/", {"name": "Empty"})
    past = owner_client.post(
        "/parties/api-keys/new/", {"name": "Late", "scopes": ["orders:read"], "expires_on": "2020-01-01"}
    )
    foreign = owner_client.post("/parties/api-keys/new/", {"name": "Greedy", "scopes": ["network:write"]})

    assert no_scope.status_code == 400 and "Choose at least one scope." in no_scope.content.decode()
    assert past.status_code == 400 and "must be in the future" in past.content.decode()
    assert foreign.status_code == 400
    assert not ApiKey.objects.exists()


def test_an_operator_owner_may_issue_network_keys(client):
    operator = make_operator()
    client.force_login(make_member(operator, "owner").user)

    html = client.get("/parties/api-keys/new/").content.decode()
    client.post("/parties/api-keys/new/", {"name": "WMS", "scopes": ["network:write"]})

    assert 'value="network:write"' in html and 'value="catalog:write"' not in html
    assert ApiKey.objects.get(operator=operator).scopes == ["network:write"]


def test_revoking_asks_first_then_the_key_stops_working(owner_client, seller):
    key, plaintext = api_key_issue(actor=SYSTEM, party=seller, name="ERP", scopes=["orders:read"])

    confirm = owner_client.get(f"/parties/api-keys/{key.pk}/revoke/")
    done = owner_client.post(f"/parties/api-keys/{key.pk}/revoke/")

    assert confirm.status_code == 200 and "cannot be undone" in confirm.content.decode()
    assert done.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert api_key_authenticate(plaintext) is None
    assert AuditEntry.objects.filter(action="api_key.revoked", subject_id=str(key.pk)).exists()


def test_roles_without_the_permission_get_403_and_other_partys_keys_404(owner_client, client, seller):
    stranger, _ = api_key_issue(actor=SYSTEM, party=make_seller(), name="Theirs", scopes=["orders:read"])
    ours, _ = api_key_issue(actor=SYSTEM, party=seller, name="Ours", scopes=["orders:read"])

    assert owner_client.get(f"/parties/api-keys/{stranger.pk}/revoke/").status_code == 404
    assert owner_client.post(f"/parties/api-keys/{stranger.pk}/revoke/").status_code == 404
    client.force_login(make_member(seller, "planner").user)
    assert client.get("/parties/api-keys/").status_code == 403
    assert client.get("/parties/api-keys/new/").status_code == 403
    assert client.post(f"/parties/api-keys/{ours.pk}/revoke/").status_code == 403
    stranger.refresh_from_db()
    assert stranger.revoked_at is None
