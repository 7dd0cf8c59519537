"""Cycle-count approval limits through the API and the page, and segregation of duties on the count page."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from haicang.core.audit import audit_entries_for
from haicang.core.money import Money
from haicang.inventory.counting import count_line_record, count_task_submit
from haicang.inventory.models import CountPolicy, CountTaskStatus
from haicang.inventory.tests.count_factories import make_count_world
from haicang.network.tests.factories import make_warehouse
from haicang.parties.tests.factories import make_member, make_operator

pytestmark = pytest.mark.django_db

LIMITS = {"max_units": 3, "max_value": {"amount": "25.5", "currency": "EUR"}}


def api(membership):
    client = APIClient()
    client.force_login(membership.user)
    return client


def browser(membership):
    client = Client()
    client.force_login(membership.user)
    return client


@pytest.fixture
def world():
    w = make_count_world()
    w.receive(w.stock.pick, 10)
    w.receive(w.stock.pick2, 10)
    w.receive(w.stock.bulk, 40)
    w.seller_owner = make_member(w.stock.seller, "owner")
    return w


def url(world, warehouse=None):
    return f"/api/v1/count-policies/{(warehouse or world.stock.warehouse).pk}/"


# --- API ----------------------------------------------------------------------------------------------------


def test_the_operator_lists_its_warehouses_with_the_default_limits_until_a_manager_sets_them(world):
    # given a second warehouse of the operator and one of another operator
    second = make_warehouse(world.operator)
    make_warehouse(make_operator())

    # when the staff lists the limits, a manager sets one warehouse's, and the staff lists them again
    before = api(world.staff).get("/api/v1/count-policies/")
    put = api(world.manager).put(url(world), LIMITS, format="json")
    after = api(world.staff).get("/api/v1/count-policies/")
    one = api(world.staff).get(url(world))

    # then only the operator's warehouses are listed, with the defaults in each one's currency, then the new
    # limits (rounded to the currency's minor units), and the change is audited
    assert before.status_code == 200
    rows = {row["warehouse"]["code"]: row for row in before.json()["results"]}
    assert set(rows) == {world.stock.warehouse.code, second.code}
    assert rows[second.code]["is_default"] is True and rows[second.code]["max_units"] == 10
    assert rows[second.code]["max_value"] == {"amount": "100.00", "currency": second.currency}
    assert put.status_code == 200, put.json()
    assert (put.json()["max_units"], put.json()["is_default"]) == (3, False)
    assert put.json()["max_value"] == {"amount": "25.50", "currency": "EUR"}
    changed = {row["warehouse"]["code"]: row for row in after.json()["results"]}
    assert changed[world.stock.warehouse.code]["is_default"] is False
    assert changed[second.code]["is_default"] is True
    assert one.status_code == 200 and one.json() == put.json()
    policy = CountPolicy.objects.get(warehouse=world.stock.warehouse)
    entry = audit_entries_for(subject=policy).get()
    assert entry.action == "count.policy_set" and entry.actor_user == world.manager.user
    assert entry.changes["after"] == {"max_units": 3, "max_value": "EUR 25.50"}


def test_only_the_operators_managers_set_limits(world):
    # given a seller's owner (inventory:write of its own), a seller's order manager and the operator's staff
    order_manager = make_member(world.stock.seller, "order_manager")

    # when each of them tries
    staff_put = api(world.staff).put(url(world), LIMITS, format="json")
    seller_list = api(world.seller_owner).get("/api/v1/count-policies/")
    seller_put = api(world.seller_owner).put(url(world), LIMITS, format="json")
    seller_get = api(world.seller_owner).get(url(world))
    order_manager_put = api(order_manager).put(url(world), LIMITS, format="json")
    billing_list = api(make_member(world.operator, "billing")).get("/api/v1/count-policies/")

    # then the staff and roles without the permission are refused, a seller never finds the warehouse's
    # limits, and nothing is set
    assert staff_put.status_code == 403 and staff_put.json()["code"] == "access.denied"
    assert seller_list.status_code == 403
    assert seller_put.status_code == 404 and seller_get.status_code == 404
    assert order_manager_put.status_code == 403
    assert billing_list.status_code == 403
    assert not CountPolicy.objects.exists()


def test_another_operators_warehouse_is_not_found(world):
    other = make_member(make_operator(), "manager")

    put = api(other).put(url(world), LIMITS, format="json")
    get = api(other).get(url(world))
    listed = api(other).get("/api/v1/count-policies/")

    assert put.status_code == 404 and get.status_code == 404
    assert listed.status_code == 200 and listed.json()["results"] == []
    assert not CountPolicy.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"max_units": -1, "max_value": {"amount": "5", "currency": "EUR"}}, "max_units"),
        ({"max_units": "5", "max_value": {"amount": "5", "currency": "EUR"}}, "max_units"),
        ({"max_units": 1.5, "max_value": {"amount": "5", "currency": "EUR"}}, "max_units"),
        ({"max_units": True, "max_value": {"amount": "5", "currency": "EUR"}}, "max_units"),
        ({"max_units": 10**12, "max_value": {"amount": "5", "currency": "EUR"}}, "max_units"),
        ({"max_value": {"amount": "5", "currency": "EUR"}}, "max_units"),
        ({"max_units": 5}, "max_value"),
        ({"max_units": 5, "max_value": "5 EUR"}, "max_value"),
        ({"max_units": 5, "max_value": {"amount": "-0.01", "currency": "EUR"}}, "max_value"),
        ({"max_units": 5, "max_value": {"amount": "1e30", "currency": "EUR"}}, "max_value.amount"),
        ({"max_units": 5, "max_value": {"amount": "99999999999999", "currency": "EUR"}}, "max_value"),
        ({"max_units": 5, "max_value": {"amount": "abc", "currency": "EUR"}}, "max_value.amount"),
        ({"max_units": 5, "max_value": {"amount": 12.5, "currency": "EUR"}}, "max_value.amount"),
        ({"max_units": 5, "max_value": {"amount": "5", "currency": "EURO"}}, "max_value.currency"),
        ({"max_units": 5, "max_value": {"amount": "5", "currency": "XQZ"}}, "max_value.currency"),
        ({"max_units": 5, "max_value": {"amount": "5", "currency": 978}}, "max_value.currency"),
    ],
)
def test_invalid_limits_are_refused_with_a_stable_code_naming_the_field(world, body, field):
    response = api(world.manager).put(url(world), body, format="json")

    assert response.status_code == 400, response.json()
    problem = response.json()
    assert problem["code"] == "count.policy_invalid"
    assert [e["field"] for e in problem["errors"]] == [field]
    assert not CountPolicy.objects.exists()


def test_a_lower_case_currency_and_zero_limits_are_accepted(world):
    response = api(world.manager).put(
        url(world), {"max_units": 0, "max_value": {"amount": "0", "currency": "usd"}}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["max_value"] == {"amount": "0.00", "currency": "USD"}


def test_a_variance_above_the_new_limit_waits_for_approval(world):
    # given a count with a variance of 2 units (worth EUR 2) under the default limits: applied at once
    under_defaults = world.task(world.stock.pick)
    count_line_record(
        actor=world.staff_actor,
        task=under_defaults,
        location=world.stock.pick,
        sku=world.stock.sku,
        quantity=8,
    )
    under_defaults = count_task_submit(actor=world.staff_actor, task=under_defaults)

    # when a manager lowers the limit to 1 unit and the same variance is counted elsewhere
    response = api(world.manager).put(
        url(world), {"max_units": 1, "max_value": {"amount": "100", "currency": "EUR"}}, format="json"
    )
    task = world.task(world.stock.pick2)
    count_line_record(
        actor=world.staff_actor, task=task, location=world.stock.pick2, sku=world.stock.sku, quantity=8
    )
    task = count_task_submit(actor=world.staff_actor, task=task)

    # then it waits for a manager's approval, for its units
    assert under_defaults.status == CountTaskStatus.APPLIED
    assert response.status_code == 200
    assert task.status == CountTaskStatus.COUNTED
    assert task.lines.get().approval_reasons == "units"


def test_approving_a_count_you_counted_yourself_is_refused_through_the_api(world):
    task = world.task(world.stock.bulk, assignee=world.manager.user)
    count_line_record(
        actor=world.manager_actor, task=task, location=world.stock.bulk, sku=world.stock.sku, quantity=0
    )
    count_task_submit(actor=world.manager_actor, task=task)

    response = api(world.manager).post(f"/api/v1/count-tasks/{task.pk}/approve/", {}, format="json")

    assert response.status_code == 403, response.json()
    assert response.json()["code"] == "count.self_approval"
    task.refresh_from_db()
    assert task.status == CountTaskStatus.COUNTED


# --- the page -----------------------------------------------------------------------------------------------


def test_the_limits_page_shows_each_warehouse_and_a_manager_changes_them(world):
    client = browser(world.manager)
    page = client.get("/inventory/counts/limits/").content.decode()

    response = client.post(
        f"/inventory/counts/limits/{world.stock.warehouse.pk}/",
        {"max_units": "4", "amount": "12.5", "currency": "EUR"},
    )
    after = client.get("/inventory/counts/limits/").content.decode()

    assert world.stock.warehouse.code in page and "Default" in page
    assert (
        "more than 10 units either way" in page
        and f"/inventory/counts/limits/{world.stock.warehouse.pk}/" in page
    )
    assert response.status_code == 302 and response["Location"] == "/inventory/counts/limits/"
    policy = CountPolicy.objects.get(warehouse=world.stock.warehouse)
    assert (policy.max_units, policy.max_value) == (4, Money.of("12.50", "EUR"))
    assert "more than 4 units either way" in after and "saved" in after
    assert "Default" not in after.split("<main", 1)[1]


def test_the_limits_form_explains_invalid_input(world):
    response = browser(world.manager).post(
        f"/inventory/counts/limits/{world.stock.warehouse.pk}/",
        {"max_units": "-1", "amount": "abc", "currency": "EUR"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "greater than or equal to 0" in page and "Enter a number." in page
    assert not CountPolicy.objects.exists()


def test_staff_see_the_limits_without_a_form_and_others_cannot_change_them(world):
    other_manager = make_member(make_operator(), "manager")
    target = f"/inventory/counts/limits/{world.stock.warehouse.pk}/"
    body = {"max_units": "1", "amount": "1", "currency": "EUR"}

    staff_page = browser(world.staff).get("/inventory/counts/limits/")
    staff_post = browser(world.staff).post(target, body)
    seller_page = browser(world.seller_owner).get("/inventory/counts/limits/")
    other_post = browser(other_manager).post(target, body)
    other_page = browser(other_manager).get("/inventory/counts/limits/").content.decode()

    assert staff_page.status_code == 200
    assert world.stock.warehouse.code in staff_page.content.decode()
    assert target not in staff_page.content.decode()  # no form
    assert staff_post.status_code == 403 and seller_page.status_code == 403
    assert other_post.status_code == 404 and world.stock.warehouse.code not in other_page
    assert not CountPolicy.objects.exists()


def test_the_count_list_links_to_the_limits(world):
    page = browser(world.staff).get("/inventory/counts/").content.decode()

    assert 'href="/inventory/counts/limits/"' in page


# --- segregation of duties on the count page ----------------------------------------------------------------


@pytest.fixture
def self_counted(world):
    """A count the manager counted and submitted himself, with a variance above the limits."""
    task = world.task(world.stock.bulk, assignee=world.manager.user)
    count_line_record(
        actor=world.manager_actor, task=task, location=world.stock.bulk, sku=world.stock.sku, quantity=0
    )
    return count_task_submit(actor=world.manager_actor, task=task)


def test_a_manager_who_counted_sees_the_approval_disabled_with_the_reason(world, self_counted):
    colleague = make_member(world.operator, "manager")

    own = browser(world.manager).get(f"/inventory/counts/{self_counted.pk}/").content.decode()
    theirs = browser(colleague).get(f"/inventory/counts/{self_counted.pk}/").content.decode()

    approve_action = f'action="/inventory/counts/{self_counted.pk}/approve/"'
    assert approve_action not in own and "disabled" in own
    assert "another manager approves its variances" in own
    assert approve_action in theirs and "another manager approves its variances" not in theirs


def test_approving_your_own_count_on_the_page_shows_why_and_changes_nothing(world, self_counted):
    response = browser(world.manager).post(
        f"/inventory/counts/{self_counted.pk}/approve/", {"note": "mine"}, follow=True
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"/inventory/counts/{self_counted.pk}/"
    assert "You counted or submitted this count yourself" in page
    self_counted.refresh_from_db()
    assert self_counted.status == CountTaskStatus.COUNTED


def test_another_manager_approves_it(world, self_counted):
    colleague = make_member(world.operator, "manager")

    response = browser(colleague).post(f"/inventory/counts/{self_counted.pk}/approve/", follow=True)

    assert "approved: the variances are applied" in response.content.decode()
    self_counted.refresh_from_db()
    assert self_counted.status == CountTaskStatus.APPLIED
