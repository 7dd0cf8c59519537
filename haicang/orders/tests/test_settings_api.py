"""The seller's order settings: GET/PUT /api/v1/order-settings/ and the /orders/settings/ page — defaults,
changes audited, roles, operators refused (routing reads the setting: tests/test_routing_service.py)."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from haicang.core.models import AuditEntry
from haicang.orders.models import OrderSettings
from haicang.orders.routing import order_settings_of
from haicang.parties.tests.factories import make_member, make_operator, make_seller

pytestmark = pytest.mark.django_db


def _client(party, role="owner") -> APIClient:
    client = APIClient()
    client.force_login(make_member(party, role).user)
    return client


def test_a_seller_reads_the_defaults_then_allows_splitting_and_the_change_is_audited(seller):
    client = _client(seller, "order_manager")

    before = client.get("/api/v1/order-settings/")
    changed = client.put("/api/v1/order-settings/", {"allow_split": True}, format="json")
    after = client.get("/api/v1/order-settings/")

    assert before.status_code == 200 and before.json() == {"allow_split": False, "updated_at": None}
    assert changed.status_code == 200, changed.content
    assert changed.json()["allow_split"] is True and changed.json()["updated_at"]
    assert after.json() == changed.json()
    assert order_settings_of(seller.pk).allow_split is True
    entry = AuditEntry.objects.get(action="order_settings.changed")
    assert entry.changes == {"before": {"allow_split": False}, "after": {"allow_split": True}}
    assert entry.actor_user_id is not None


def test_each_seller_has_its_own_settings(seller):
    other = make_seller()
    _client(other).put("/api/v1/order-settings/", {"allow_split": True}, format="json")

    mine = _client(seller).get("/api/v1/order-settings/").json()

    assert mine["allow_split"] is False
    assert OrderSettings.objects.get(seller=other).allow_split is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"allow_split": "yes"}, "allow_split"),
        ({"allow_split": 1}, "allow_split"),
        ({}, "allow_split"),
        ({"allow_split": True, "split_max": 2}, "split_max"),
        ([True], None),
    ],
)
def test_a_bad_body_is_refused_naming_the_field_and_changes_nothing(seller, body, field):
    answer = _client(seller).put("/api/v1/order-settings/", body, format="json")

    assert answer.status_code == 400
    problem = answer.json()
    assert problem["code"] == "orders.input_invalid"
    assert [e["field"] for e in problem.get("errors") or []] == ([field] if field else [])
    assert not OrderSettings.objects.filter(seller=seller).exists()
    assert not AuditEntry.objects.filter(action="order_settings.changed").exists()


@pytest.mark.parametrize("role", ["viewer", "planner", "finance"])
def test_roles_without_orders_write_read_but_cannot_change(seller, role):
    client = _client(seller, role)

    assert client.get("/api/v1/order-settings/").status_code == 200
    answer = client.put("/api/v1/order-settings/", {"allow_split": True}, format="json")

    assert answer.status_code == 403
    assert order_settings_of(seller.pk).allow_split is False


def test_operators_have_no_order_settings():
    operator = make_operator()

    answer = _client(operator, "owner").get("/api/v1/order-settings/")
    put = _client(operator, "manager").put("/api/v1/order-settings/", {"allow_split": True}, format="json")

    assert answer.status_code == 403 and answer.json()["code"] == "access.denied"
    assert put.status_code == 403
    assert not OrderSettings.objects.exists()


# --- the page ---------------------------------------------------------------------------------------------------
def _browser(party, role) -> Client:
    client = Client()
    client.force_login(make_member(party, role).user)
    return client


def test_an_order_manager_allows_splitting_on_the_settings_page(seller):
    client = _browser(seller, "order_manager")

    page = client.get("/orders/settings/")
    saved = client.post("/orders/settings/", {"allow_split": "1"}, follow=True)
    cleared = client.post("/orders/settings/", {}, follow=True)

    assert page.status_code == 200
    assert b'name="allow_split"' in page.content and b"checked" not in page.content
    assert saved.status_code == 200 and b"Order settings saved." in saved.content
    assert b"checked" in saved.content
    assert cleared.status_code == 200
    assert order_settings_of(seller.pk).allow_split is False
    assert AuditEntry.objects.filter(action="order_settings.changed").count() == 2


def test_a_viewer_sees_the_setting_without_a_form_and_cannot_post_it(seller):
    client = _browser(seller, "viewer")

    page = client.get("/orders/settings/")
    posted = client.post("/orders/settings/", {"allow_split": "1"})

    assert page.status_code == 200
    assert b'name="allow_split"' not in page.content
    assert b"Orders are not split" in page.content
    assert posted.status_code == 403
    assert order_settings_of(seller.pk).allow_split is False


def test_the_orders_list_links_to_the_settings_and_operators_get_403(seller):
    assert b'href="/orders/settings/"' in _browser(seller, "viewer").get("/orders/").content
    assert _browser(make_operator(), "owner").get("/orders/settings/").status_code == 403
