"""The members page and the party switcher, through Django's test client."""

from __future__ import annotations

import pytest

from haicang.core.models import AuditEntry
from haicang.parties.access import PARTY_SESSION_KEY
from haicang.parties.models import Membership
from haicang.parties.tests.factories import make_member, make_operator, make_seller, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller():
    return make_seller(code="lumen")


@pytest.fixture
def owner(seller):
    return make_member(seller, "owner", username="olivia")


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner.user)
    return client


def test_an_owner_sees_the_members_with_their_roles_and_the_header_links_to_the_page(owner_client, seller):
    make_member(seller, "planner", username="pete")
    make_member(make_seller(), "owner", username="stranger")

    html = owner_client.get("/parties/members/").content.decode()

    assert "olivia" in html and "pete" in html and "Planner" in html
    assert "stranger" not in html
    assert 'href="/parties/members/"' in html and 'href="/parties/api-keys/"' in html
    assert "Add a member" in html


def test_a_planner_has_no_members_page_nor_the_link(client, seller):
    client.force_login(make_member(seller, "planner").user)

    assert client.get("/parties/members/").status_code == 403
    assert 'href="/parties/members/"' not in client.get("/").content.decode()


def test_an_installation_admin_reads_every_partys_members_but_changes_none(client, seller, owner):
    client.force_login(make_user(is_staff=True))

    html = client.get("/parties/members/").content.decode()

    assert "olivia" in html and seller.name in html and "Add a member" not in html
    assert client.post("/parties/members/", {"username": "x", "role": "viewer"}).status_code == 403


def test_an_owner_adds_an_existing_user_with_a_role_as_herself(owner_client, seller, owner):
    make_user("nina")

    response = owner_client.post("/parties/members/", {"username": "nina", "role": "finance"})

    assert response.status_code == 302
    added = Membership.objects.get(user__username="nina", seller=seller)
    assert added.role == "finance" and added.is_active
    entry = AuditEntry.objects.get(action="membership.added", subject_id=str(added.pk))
    assert entry.actor_user_id == owner.user.pk


def test_adding_an_unknown_user_or_a_role_of_the_other_kind_shows_the_error_in_the_form(owner_client, seller):
    make_user("nina")

    unknown = owner_client.post("/parties/members/", {"username": "ghost", "role": "viewer"})
    operator_role = owner_client.post("/parties/members/", {"username": "nina", "role": "warehouse_staff"})

    assert unknown.status_code == 400 and "No user has this username." in unknown.content.decode()
    assert operator_role.status_code == 400 and "warehouse_staff" in operator_role.content.decode()
    assert not Membership.objects.filter(user__username="nina").exists()


def test_adding_someone_who_is_already_a_member_is_refused_in_the_form(owner_client, seller):
    make_member(seller, "viewer", username="vic")

    response = owner_client.post("/parties/members/", {"username": "vic", "role": "planner"})

    assert response.status_code == 400
    assert "already a member" in response.content.decode()


def test_an_owner_changes_a_role(owner_client, seller):
    pete = make_member(seller, "planner", username="pete")

    response = owner_client.post(f"/parties/members/{pete.pk}/role/", {f"m{pete.pk.hex}-role": "finance"})

    assert response.status_code == 302
    pete.refresh_from_db()
    assert pete.role == "finance"


def test_the_last_owner_cannot_step_down_and_the_page_says_why(owner_client, owner):
    response = owner_client.post(f"/parties/members/{owner.pk}/role/", {f"m{owner.pk.hex}-role": "viewer"})

    assert response.status_code == 400
    assert "must keep at least one active owner" in response.content.decode()
    owner.refresh_from_db()
    assert owner.role == "owner"


def test_deactivating_asks_first_then_ends_the_membership(owner_client, seller):
    pete = make_member(seller, "planner", username="pete")

    confirm = owner_client.get(f"/parties/members/{pete.pk}/deactivate/")
    done = owner_client.post(f"/parties/members/{pete.pk}/deactivate/")

    assert confirm.status_code == 200 and "pete" in confirm.content.decode()
    assert done.status_code == 302
    pete.refresh_from_db()
    assert not pete.is_active
    assert "Deactivated" in owner_client.get("/parties/members/").content.decode()


def test_the_last_owner_cannot_be_deactivated(owner_client, owner):
    response = owner_client.post(f"/parties/members/{owner.pk}/deactivate/")

    assert response.status_code == 400
    assert "must keep at least one active owner" in response.content.decode()
    owner.refresh_from_db()
    assert owner.is_active


def test_another_partys_member_is_not_found_and_a_viewer_may_not_change_roles(owner_client, client, seller):
    stranger = make_member(make_seller(), "planner")

    assert owner_client.post(f"/parties/members/{stranger.pk}/role/", {"role": "viewer"}).status_code == 404
    assert owner_client.get(f"/parties/members/{stranger.pk}/deactivate/").status_code == 404
    client.force_login(make_member(seller, "viewer").user)
    pete = make_member(seller, "planner")
    assert client.post(f"/parties/members/{pete.pk}/role/", {"role": "viewer"}).status_code == 403
    assert client.post(f"/parties/members/{pete.pk}/deactivate/").status_code == 403


# --- the party switcher -------------------------------------------------------------------------------------
def test_the_header_names_the_party_and_role_of_a_member_of_one_party(owner_client):
    html = owner_client.get("/").content.decode()

    assert 'class="partychip"' in html
    assert "Acting for" in html and "Owner" in html


def test_a_member_of_several_parties_switches_and_the_pages_follow(client, seller):
    operator = make_operator(code="rhein")
    mei = make_member(seller, "owner", username="mei")
    Membership.objects.create(user=mei.user, operator=operator, role="manager")
    client.force_login(mei.user)
    before = client.get("/").content.decode()

    response = client.post("/parties/switch/", {"party": str(operator.pk)})

    assert 'class="usermenu partymenu"' in before and operator.name in before
    assert response.status_code == 302
    assert client.session[PARTY_SESSION_KEY] == str(operator.pk)
    after = client.get("/").content.decode()
    assert f"Acting for {operator.name} as Manager" in after
    assert 'href="/network/warehouses/"' in after and 'href="/parties/members/"' not in after
    assert client.get("/parties/members/").status_code == 403  # a manager does not manage members


def test_switching_to_a_party_one_is_no_member_of_is_not_found(client, seller):
    client.force_login(make_member(seller, "owner").user)

    response = client.post("/parties/switch/", {"party": str(make_seller().pk)})

    assert response.status_code == 404
    assert PARTY_SESSION_KEY not in client.session


def test_switching_takes_post_only(owner_client, seller):
    assert owner_client.get("/parties/switch/").status_code == 405


def test_a_party_left_since_it_was_chosen_falls_back_to_the_first_membership(client, seller):
    operator = make_operator()
    mei = make_member(seller, "owner", username="mei")
    other = Membership.objects.create(user=mei.user, operator=operator, role="owner")
    Membership.objects.create(user=make_user(), operator=operator, role="owner")
    client.force_login(mei.user)
    client.post("/parties/switch/", {"party": str(operator.pk)})

    other.is_active = False
    other.save()

    html = client.get("/parties/members/").content.decode()
    assert f"Acting for {seller.name} as Owner" in html
