"""The warehouse pages, through Django's test client."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest

from haicang.core.models import AuditEntry
from haicang.network.models import Holiday
from haicang.network.tests.factories import make_bins, make_holiday, make_location, make_warehouse
from haicang.parties.tests.factories import make_agreement, make_member, make_operator, make_seller

pytestmark = pytest.mark.django_db


def _found(pattern: str, text: str, flags: int = 0) -> re.Match[str]:
    match = re.search(pattern, text, flags)
    assert match is not None, f"{pattern!r} not found"
    return match


@pytest.fixture
def operator():
    return make_operator(code="rhein", country="DE")


@pytest.fixture
def warehouse(operator):
    warehouse = make_warehouse(operator, code="FRA1", markets=["DE", "FR", "NL"])
    make_bins(warehouse, zone="A", aisles=(1, 2), racks=(1, 3), levels=(1, 2), positions=(1, 2))
    make_location(warehouse, code="DOCK-01", kind="dock")
    return warehouse


def _client_of(client, party, role):
    client.force_login(make_member(party, role).user)
    return client


def test_an_operator_lists_its_warehouses_with_markets_zone_and_cutoff(client, operator, warehouse):
    make_warehouse(make_operator(), code="NOT-OURS")

    html = _client_of(client, operator, "warehouse_staff").get("/network/warehouses/").content.decode()

    assert "FRA1" in html and warehouse.name in html and warehouse.city in html
    assert "Europe/Berlin" in html and "14:00" in html
    assert all(f'<span class="badge">{m}</span>' in html for m in ("DE", "FR", "NL"))
    assert "NOT-OURS" not in html
    assert 'href="/network/warehouses/"' in html  # the navigation entry


def test_a_seller_sees_the_warehouses_its_agreements_cover_and_no_others(client, operator, warehouse):
    seller = make_seller()
    make_agreement(seller, operator, warehouses=[warehouse])
    make_warehouse(operator, code="FRA2")

    seller_client = _client_of(client, seller, "viewer")
    html = seller_client.get("/network/warehouses/").content.decode()

    assert "FRA1" in html and operator.name in html and "FRA2" not in html
    assert seller_client.get(f"/network/warehouses/{warehouse.pk}/").status_code == 200


def test_the_detail_shows_address_calendar_holidays_and_location_counts(client, operator, warehouse):
    make_holiday(warehouse, on=dt.date(2099, 12, 25), name="Christmas Day")

    html = (
        _client_of(client, operator, "manager").get(f"/network/warehouses/{warehouse.pk}/").content.decode()
    )

    assert warehouse.address_line1 in html and warehouse.postcode in html
    week = _found(r'<table class="table week">.*?</table>', html, re.S).group(0)
    assert _found(r"Monday</th><td>08:00–17:00", week) and _found(r"Sunday</th><td><span[^>]*>Closed", week)
    assert "2099-12-25" in html and "Christmas Day" in html
    counts = _found(r"Locations by kind.*?</dl>", html, re.S).group(0)
    assert "<dt>Pick</dt><dd>24</dd>" in counts and "<dt>Dock</dt><dd>1</dd>" in counts
    assert "Add a holiday" in html


def test_the_location_list_filters_by_zone_and_kind_and_pages_through_htmx(client, operator, warehouse):
    make_bins(warehouse, zone="B", aisles=(1, 6), racks=(1, 5), levels=(1, 2), positions=(1, 1))
    manager = _client_of(client, operator, "manager")

    first = manager.get(
        f"/network/warehouses/{warehouse.pk}/?zone=B", HTTP_HX_REQUEST="true"
    ).content.decode()
    second = manager.get(
        f"/network/warehouses/{warehouse.pk}/?zone=B&page=2", HTTP_HX_REQUEST="true"
    ).content.decode()
    docks = manager.get(
        f"/network/warehouses/{warehouse.pk}/?kind=dock", HTTP_HX_REQUEST="true"
    ).content.decode()

    assert "<html" not in first and "60 locations" in first
    assert "B-01-01-1-1" in first and "A-01-01-1-1" not in first
    assert "Page 1 of 2" in first
    assert "zone=B&amp;page=2" in first
    assert first.count("<code>B-") == 50 and second.count("<code>B-") == 10
    assert "DOCK-01" in docks and "A-01" not in docks


def test_the_location_list_shows_pick_sequence_and_coordinates(client, operator):
    warehouse = make_warehouse(operator, code="FRA9")
    make_location(warehouse, code="A-01-01-1-1", pick_sequence=7, x_m=Decimal("12.50"), y_m=Decimal("3.25"))

    html = (
        _client_of(client, operator, "manager").get(f"/network/warehouses/{warehouse.pk}/").content.decode()
    )

    assert "12.50 m, 3.25 m" in html and ">7<" in html
    data = json.loads(_found(r'id="floor-map-data" type="application/json">(.*?)</script>', html).group(1))
    assert data["bins"] == [{"code": "A-01-01-1-1", "kind": "Pick", "x": 12.5, "y": 3.25}]
    assert "/assets/plotly.min.js" in html and "network/floor_map.js" in html


def test_a_warehouse_without_coordinates_draws_no_floor_map(client, operator):
    warehouse = make_warehouse(operator)
    make_location(warehouse, code="A-01-01-1-1")

    html = (
        _client_of(client, operator, "manager").get(f"/network/warehouses/{warehouse.pk}/").content.decode()
    )

    assert "floor-map-data" not in html and "plotly" not in html


def test_a_manager_adds_a_holiday_from_the_detail_page(client, operator, warehouse):
    member = make_member(operator, "manager")
    client.force_login(member.user)
    manager = client

    response = manager.post(
        f"/network/warehouses/{warehouse.pk}/holidays/", {"on": "2099-05-01", "name": "Labour Day"}
    )

    assert response.status_code == 302
    holiday = Holiday.objects.get(warehouse=warehouse)
    assert holiday.on == dt.date(2099, 5, 1) and holiday.name == "Labour Day"
    assert AuditEntry.objects.get(action="holiday.added").actor_user_id == member.user.pk
    assert "Labour Day" in manager.get(f"/network/warehouses/{warehouse.pk}/").content.decode()


def test_a_holiday_on_a_date_taken_is_refused_in_the_form(client, operator, warehouse):
    make_holiday(warehouse, on=dt.date(2099, 5, 1), name="Labour Day")
    manager = _client_of(client, operator, "manager")

    taken = manager.post(
        f"/network/warehouses/{warehouse.pk}/holidays/", {"on": "2099-05-01", "name": "Again"}
    )
    empty = manager.post(f"/network/warehouses/{warehouse.pk}/holidays/", {"on": "", "name": ""})

    assert taken.status_code == 400 and "already a holiday" in taken.content.decode()
    assert empty.status_code == 400
    assert Holiday.objects.filter(warehouse=warehouse).count() == 1


def test_who_may_add_a_holiday_staff_and_sellers_403_other_operators_404(client, operator, warehouse):
    seller = make_seller()
    make_agreement(seller, operator, warehouses=[warehouse])
    body = {"on": "2099-05-01", "name": "Labour Day"}

    staff = _client_of(client, operator, "warehouse_staff")
    staff_html = staff.get(f"/network/warehouses/{warehouse.pk}/").content.decode()
    assert "Add a holiday" not in staff_html
    assert staff.post(f"/network/warehouses/{warehouse.pk}/holidays/", body).status_code == 403
    assert (
        _client_of(client, seller, "owner")
        .post(f"/network/warehouses/{warehouse.pk}/holidays/", body)
        .status_code
        == 403
    )
    assert (
        _client_of(client, make_operator(), "manager")
        .post(f"/network/warehouses/{warehouse.pk}/holidays/", body)
        .status_code
        == 404
    )
    assert not Holiday.objects.exists()


def test_another_partys_warehouse_is_not_found_and_a_role_without_network_read_gets_403(
    client, operator, warehouse
):
    assert (
        _client_of(client, make_operator(), "manager").get(f"/network/warehouses/{warehouse.pk}/").status_code
        == 404
    )
    assert (
        _client_of(client, make_seller(), "owner").get(f"/network/warehouses/{warehouse.pk}/").status_code
        == 404
    )
    billing = _client_of(client, operator, "billing")
    assert billing.get("/network/warehouses/").status_code == 403
    assert billing.get(f"/network/warehouses/{warehouse.pk}/").status_code == 403
    assert 'href="/network/warehouses/"' not in billing.get("/").content.decode()


def test_the_warehouse_page_speaks_chinese(client, operator, warehouse):
    html = (
        _client_of(client, operator, "manager")
        .get(f"/network/warehouses/{warehouse.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
        .content.decode()
    )

    assert "工作时间" in html and "节假日" in html and "库位" in html and "拣货" in html


def test_the_local_time_and_next_cutoff_show_in_the_warehouses_time_zone(client, operator, warehouse):
    html = (
        _client_of(client, operator, "manager").get(f"/network/warehouses/{warehouse.pk}/").content.decode()
    )

    next_cutoff = _found(r"Next cut-off</dt><dd>([^<]+)</dd>", html).group(1)
    assert next_cutoff.endswith("14:00")  # Europe/Berlin wall-clock time, not UTC
