import datetime as dt

import pytest
from django.utils import timezone

from haicang.parties.access import api_key_authenticate
from haicang.parties.api_keys import key_digest
from haicang.parties.errors import ApiKeyInvalid
from haicang.parties.models import ApiKey
from haicang.parties.services import api_key_issue, api_key_revoke
from haicang.parties.tests.factories import SYSTEM, make_operator, make_seller

pytestmark = pytest.mark.django_db


def test_a_key_is_shown_once_and_only_its_digest_is_stored():
    key, plaintext = api_key_issue(actor=SYSTEM, party=make_seller(), name="shopify", scopes=["orders:write"])

    stored = ApiKey.objects.get(pk=key.pk)
    assert plaintext.startswith(stored.prefix + "_")
    assert stored.digest == key_digest(plaintext)
    assert plaintext not in str(ApiKey.objects.filter(pk=key.pk).values().get())


def test_a_live_key_authenticates_and_records_its_last_use():
    key, plaintext = api_key_issue(actor=SYSTEM, party=make_seller(), name="erp", scopes=["catalog:read"])

    assert api_key_authenticate(plaintext) == key
    assert ApiKey.objects.get(pk=key.pk).last_used_at is not None
    assert api_key_authenticate(plaintext[:-1] + ("A" if plaintext[-1] != "A" else "B")) is None


def test_revoked_and_expired_keys_no_longer_authenticate():
    seller = make_seller()
    revoked, revoked_text = api_key_issue(actor=SYSTEM, party=seller, name="old", scopes=["catalog:read"])
    expiring, expiring_text = api_key_issue(
        actor=SYSTEM,
        party=seller,
        name="temp",
        scopes=["catalog:read"],
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )

    api_key_revoke(actor=SYSTEM, key=revoked)
    ApiKey.objects.filter(pk=expiring.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    assert api_key_authenticate(revoked_text) is None
    assert api_key_authenticate(expiring_text) is None


def test_a_key_cannot_hold_scopes_its_party_kind_never_has():
    with pytest.raises(ApiKeyInvalid) as caught:
        api_key_issue(actor=SYSTEM, party=make_operator(), name="x", scopes=["catalog:write"])
    assert caught.value.field == "scopes"
    with pytest.raises(ApiKeyInvalid):
        api_key_issue(actor=SYSTEM, party=make_seller(), name="x", scopes=[])
